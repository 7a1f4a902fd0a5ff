"""Portfolio health: each measure beside its target (from the rubric) and the gap.

Measures (codes; labels in labels.yaml): reserve_multiple, pipeline_share_<nature>,
funding_secured_share, q1_start_rate, batch counts and 三个一批 conversion
(signed_to_started, started_to_operation), completion_vs_elapsed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.numbers import ratio, share
from workbench.core.periods import elapsed_share
from workbench.core.vocabulary import OPERATING_STAGES, RESERVE_STAGES
from workbench.model.ledger import Ledger
from workbench.scoring.rubric import Rubric

HEALTH_COLUMNS = ["measure", "value", "target", "gap", "unit"]


def reserve_multiple(projects: pd.DataFrame, annual_plan: float | None = None) -> float:
    """储备倍数: total investment of the reserve (谋划, 储备) over this year's annual plan.

    `projects` needs ``stage`` and ``total_investment`` (a projects table, or a table of stages
    such as the review's pipeline); `annual_plan` defaults to the sum of its ``annual_plan``.
    NaN when the plan is not positive (`core.numbers.share`).
    """
    reserve = projects.loc[projects["stage"].isin(RESERVE_STAGES), "total_investment"].sum()
    plan = projects["annual_plan"].sum() if annual_plan is None else annual_plan
    return share(reserve, plan)


def pipeline_shares(projects: pd.DataFrame, natures) -> dict[str, float]:
    """Share of each nature among this year's list (reserve and conceived projects left out)."""
    listed = projects.loc[~projects["stage"].isin(RESERVE_STAGES), "nature"]
    counts = listed.value_counts()
    return {n: share(counts.get(n, 0), len(listed)) for n in natures}


def q1_start_rate(projects: pd.DataFrame, as_of: pd.Timestamp) -> float:
    """Share of starts planned in Q1 (up to `as_of`) made by 31 March (开门红)."""
    q1_end = min(pd.Timestamp(year=as_of.year, month=3, day=31), as_of)
    start = projects["planned_start"]
    due = (start >= pd.Timestamp(year=as_of.year, month=1, day=1)) & (start <= q1_end)
    made = due & (projects["actual_start"] <= q1_end)
    return share(made.sum(), due.sum())


def batch_conversion(projects: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, float]:
    """三个一批 funnel as of a date: batch counts, signed → started, started → in operation."""
    # every batch project was signed; started = 开工/投产 batch or started by `as_of`;
    # in operation = 投产 batch, stage 建成/投产, or completed by `as_of`
    kind = projects["batch_kind"]
    in_batch = kind.notna()
    started = in_batch & (kind.isin(["开工", "投产"]) | (projects["actual_start"] <= as_of))
    operating = in_batch & ((kind == "投产") | projects["stage"].isin(OPERATING_STAGES)
                            | (projects["actual_completion"] <= as_of))
    return {
        "batch_signed": float((kind == "签约").sum()),
        "batch_started": float((kind == "开工").sum()),
        "batch_operation": float((kind == "投产").sum()),
        "signed_to_started": share(started.sum(), in_batch.sum()),
        "started_to_operation": share((operating & started).sum(), started.sum()),
    }


def portfolio_health(ledger: Ledger, delivery: pd.DataFrame, secured: np.ndarray, as_of,
                     rubric: Rubric) -> pd.DataFrame:
    """One row a measure: value, target, gap (value − target) and unit."""
    p = ledger.projects
    t = rubric.health
    as_of = pd.Timestamp(as_of)
    plan = p["annual_plan"].sum()
    rows = [("reserve_multiple", reserve_multiple(p), t["reserve_multiple"], "times")]
    for nature, part in pipeline_shares(p, t["pipeline_mix"]).items():
        rows.append((f"pipeline_share_{nature}", part, t["pipeline_mix"][nature], "share"))
    capped = np.minimum(secured, p["annual_plan"].to_numpy()).sum()
    rows.append(("funding_secured_share", share(capped, plan), t["funding_secured_share"], "share"))
    rows.append(("q1_start_rate", q1_start_rate(p, as_of), t["q1_start_rate"], "share"))
    batches = batch_conversion(p, as_of)
    for name in ("batch_signed", "batch_started", "batch_operation"):
        rows.append((name, batches[name], np.nan, "projects"))
    rows.append(("signed_to_started", batches["signed_to_started"], t["signed_to_started"], "share"))
    rows.append(("started_to_operation", batches["started_to_operation"],
                 t["started_to_operation"], "share"))
    completed = float(delivery["ytd_completed"].sum())
    vs_elapsed = (float(ratio(completed, plan)) - elapsed_share(as_of)) * 100.0
    rows.append(("completion_vs_elapsed", vs_elapsed, t["completion_vs_elapsed"], "points"))
    frame = pd.DataFrame(rows, columns=["measure", "value", "target", "unit"])
    frame["gap"] = frame["value"] - frame["target"]
    frame["measure"] = frame["measure"].astype("str")
    frame["unit"] = frame["unit"].astype("str")
    return frame[HEALTH_COLUMNS]
