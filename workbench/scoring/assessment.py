"""Roll-ups by responsible unit, office, sector or level, and the unit assessment (月考核/年度兑现).

The monthly assessment ranks responsible units on the rubric's scheme (completion, starts,
management, planning, funding; points add to 100). Ranks: higher total is better; units whose
totals are equal after rounding to 0.1 share the best rank of their group and the next rank is
skipped (1, 2, 2, 4 — "min" ranking). Projects with no responsible unit form their own row
(the rubric's `unassigned` word), shown last and not ranked. The annual assessment (年度目标兑现) is the same scheme
as of 31 December of the ledger year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.exceptions import ParameterError
from workbench.model.ledger import Ledger
from workbench.scoring.delivery import ratio
from workbench.scoring.planning import blank_text, codes_of, funding_coverage, funding_need
from workbench.scoring.rubric import Rubric

ROLLUP_KEYS = ("responsible_unit", "office", "sector", "level")


def group_codes(ledger: Ledger, by: str, rubric: Rubric) -> tuple[np.ndarray, list[str]]:
    """(group code of each project, sorted group names); blank keys go to the rubric's `unassigned`."""
    if by not in ROLLUP_KEYS:
        raise ParameterError(f"cannot roll up by {by!r}; use one of {', '.join(ROLLUP_KEYS)}")
    codes, uniques = pd.factorize(ledger.projects[by].to_numpy(dtype=object))
    unassigned = rubric.assessment["unassigned"]
    names = [unassigned if blank_text(u) else str(u) for u in uniques] + [unassigned]
    groups = sorted(set(names[:-1] + ([unassigned] if (codes < 0).any() else [])))
    where = {g: i for i, g in enumerate(groups)}
    remap = np.array([where.get(name, -1) for name in names], dtype="int64")
    return remap[codes], groups


def group_keys(ledger: Ledger, by: str, rubric: Rubric) -> pd.Series:
    """The roll-up key of each project (missing keys grouped under the rubric's `unassigned`)."""
    codes, groups = group_codes(ledger, by, rubric)
    return pd.Series(np.asarray(groups, dtype=object)[codes], dtype="str")


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
    raise ParameterError("rollup needs a Scores, a planning or delivery frame, or a dict of them")


def rollup(scores_or_frames, ledger: Ledger, by: str = "office", rubric: Rubric | None = None
           ) -> pd.DataFrame:
    """Per group: counts, plan, YTD planned/completed, SPI, 序时进度 gap, RAG, planning score, bands."""
    # delivery columns need the delivery frame, planning columns the planning frame
    from workbench.scoring.rubric import BANDS, as_rubric

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
        colours = ("green", "amber", "red")
        rag = codes_of(d["rag"], colours)
        for i, colour in enumerate(colours):
            out[f"rag_{colour}"] = total(rag == i).astype("int64")
    pl = frames.get("planning")
    if pl is not None:
        out["planning_score"] = ratio(total(pl["score"]), total(np.ones(n)))
        band = codes_of(pl["band"], BANDS)
        for i, b in enumerate(BANDS):
            out[f"band_{b}"] = total(band == i).astype("int64")
    return pd.DataFrame(out)


def rank_of(totals: np.ndarray) -> np.ndarray:
    """Competition ranks, best (highest) first; equal totals at 0.1 share the best rank."""
    return pd.Series(np.round(totals, 1)).rank(method="min", ascending=False).to_numpy(dtype="int64")


def unit_assessment(ledger: Ledger, planning: pd.DataFrame, delivery: pd.DataFrame, facts,
                    rubric: Rubric) -> pd.DataFrame:
    """The 月考核 table: one row a responsible unit with the facts, component points, total, rank."""
    comps = rubric.assessment["components"]
    p = ledger.projects
    codes, units = group_codes(ledger, "responsible_unit", rubric)
    g = len(units)

    def total(values) -> np.ndarray:
        return np.bincount(codes, weights=np.asarray(values, dtype="float64"), minlength=g)

    projects = total(np.ones(len(p)))
    planned, completed = total(delivery["ytd_planned"]), total(delivery["ytd_completed"])
    completion_rate = ratio(completed, planned)
    late = total(np.nan_to_num(facts.start_slip) > 0)
    missing = total(facts.reports_missing)
    problems = total(facts.problems_overdue)
    milestones = total(facts.milestones_overdue)
    need = funding_need(p["annual_plan"].to_numpy(), p["total_investment"].to_numpy(),
                        rubric.rule("funding_secured")["need_share_without_plan"])
    coverage = funding_coverage(total(np.minimum(facts.secured, need)), total(need))
    mean_score = ratio(total(planning["score"]), projects)

    points = {}
    if "completion" in comps:
        c = comps["completion"]
        below = np.clip(100.0 - np.nan_to_num(completion_rate, nan=1.0) * 100.0, 0, None)
        points["completion"] = c["points"] - np.minimum(c["points"], c["per_point_below_plan"] * below)
    if "starts" in comps:
        c = comps["starts"]
        points["starts"] = c["points"] - np.minimum(c["points"], c["per_late_start"] * late)
    if "management" in comps:
        c = comps["management"]
        lost = (c["per_missing_report"] * missing + c["per_overdue_problem"] * problems
                + c["per_overdue_milestone"] * milestones)
        points["management"] = c["points"] - np.minimum(c["points"], lost)
    if "planning" in comps:
        points["planning"] = comps["planning"]["points"] * np.nan_to_num(mean_score) / 100.0
    if "funding" in comps:
        points["funding"] = comps["funding"]["points"] * coverage
    points = {k: np.round(v, 1) for k, v in points.items()}
    total_points = np.round(sum(points.values(), np.zeros(g)), 1)
    frame = pd.DataFrame({
        "responsible_unit": pd.Series(units, dtype="str"),
        "projects": projects.astype("int64"),
        "ytd_planned": planned,
        "ytd_completed": completed,
        "completion_rate": completion_rate,
        "late_starts": late.astype("int64"),
        "reports_missing": missing.astype("int64"),
        "problems_overdue": problems.astype("int64"),
        "milestones_overdue": milestones.astype("int64"),
        "funding_coverage": coverage,
        "planning_score": mean_score,
        **points,
        "total": total_points,
    })
    ranked = frame["responsible_unit"] != rubric.assessment["unassigned"]
    rank = pd.array(np.full(g, pd.NA), dtype="Int64")
    rank[ranked.to_numpy()] = rank_of(total_points[ranked.to_numpy()])
    frame["rank"] = rank
    return frame.sort_values(["rank", "responsible_unit"], kind="stable",
                             na_position="last").reset_index(drop=True)


def annual_assessment(ledger: Ledger, rubric: Rubric | str | None = None) -> pd.DataFrame:
    """年度目标兑现: the unit assessment as of 31 December of the ledger year."""
    from workbench.scoring.scores import score

    year = ledger.year or pd.Timestamp.today().year
    return score(ledger, pd.Timestamp(year=year, month=12, day=31), rubric).units


def monthly_assessment(ledger: Ledger, as_of, rubric: Rubric | str | None = None) -> pd.DataFrame:
    """月考核: the unit assessment as of a date (year to date)."""
    from workbench.scoring.scores import score

    return score(ledger, as_of, rubric).units
