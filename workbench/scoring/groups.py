"""Roll-ups of scores by group: responsible unit, office, sector or level.

Projects with a blank key are grouped under the rubric's `unassigned` word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.numbers import is_missing, ratio
from workbench.core.vocabulary import BANDS, RAGS
from workbench.core.words import error_message
from workbench.exceptions import ParameterError
from workbench.model.ledger import Ledger
from workbench.scoring.lookup import codes_of
from workbench.scoring.rubric import Rubric, as_rubric

ROLLUP_KEYS = ("responsible_unit", "office", "sector", "level")


def group_codes(ledger: Ledger, by: str, rubric: Rubric) -> tuple[np.ndarray, list[str]]:
    """(group code of each project, sorted group names); blank keys go to the rubric's `unassigned`."""
    if by not in ROLLUP_KEYS:
        raise ParameterError(error_message("rollup_by", value=by, valid=", ".join(ROLLUP_KEYS)),
                             field="by", value=by)
    codes, uniques = pd.factorize(ledger.projects[by].to_numpy(dtype=object))
    unassigned = rubric.assessment["unassigned"]
    names = [unassigned if is_missing(u) else str(u) for u in uniques] + [unassigned]
    groups = sorted(set(names[:-1] + ([unassigned] if (codes < 0).any() else [])))
    where = {g: i for i, g in enumerate(groups)}
    remap = np.array([where.get(name, -1) for name in names], dtype="int64")
    return remap[codes], groups


def _frames(scores_or_frames) -> dict:
    if hasattr(scores_or_frames, "planning") and hasattr(scores_or_frames, "delivery"):
        return {"planning": scores_or_frames.planning, "delivery": scores_or_frames.delivery,
                "facts": getattr(scores_or_frames, "facts", None),
                "rubric": scores_or_frames.rubric}
    if isinstance(scores_or_frames, pd.DataFrame):
        frame = scores_or_frames
        kind = "delivery" if "ytd_planned" in frame.columns else "planning"
        return {kind: frame}
    if isinstance(scores_or_frames, dict):
        return scores_or_frames
    raise ParameterError(error_message("rollup_of", kind=type(scores_or_frames).__name__),
                         field="scores", value=type(scores_or_frames).__name__)


def rollup(scores_or_frames, ledger: Ledger, by: str = "office", rubric: Rubric | None = None
           ) -> pd.DataFrame:
    """Per group: counts, plan, YTD planned/completed, SPI, 序时进度 gap, RAG, planning score, bands."""
    # delivery columns need the delivery frame, planning columns the planning frame
    frames = _frames(scores_or_frames)
    rubric = as_rubric(rubric or frames.get("rubric"))
    codes, groups = group_codes(ledger, by, rubric)
    g = len(groups)
    n = len(codes)

    def total(values) -> np.ndarray:
        return np.bincount(codes, weights=np.asarray(values, dtype="float64"), minlength=g)

    out = {by: pd.Series(groups, dtype="str"), "projects": total(np.ones(n)).astype("int64"),
           "annual_plan": total(ledger.projects["annual_plan"].to_numpy())}
    d = frames.get("delivery")
    if d is not None:
        planned, completed = total(d["ytd_planned"]), total(d["ytd_completed"])
        share = float(d["elapsed_share"].iloc[0]) if len(d) else np.nan
        out.update(ytd_planned=planned, ytd_completed=completed, spi=ratio(completed, planned),
                   elapsed_share=np.full(g, share),
                   completion_share=ratio(completed, out["annual_plan"]))
        out["points_vs_elapsed"] = (out["completion_share"] - share) * 100.0
        rag = codes_of(d["rag"], RAGS)
        for i, colour in enumerate(RAGS):
            out[f"rag_{colour}"] = total(rag == i).astype("int64")
    pl = frames.get("planning")
    if pl is not None:
        out["planning_score"] = ratio(total(pl["score"]), total(np.ones(n)))
        band = codes_of(pl["band"], BANDS)
        for i, b in enumerate(BANDS):
            out[f"band_{b}"] = total(band == i).astype("int64")
    return pd.DataFrame(out)
