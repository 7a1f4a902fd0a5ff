"""The unit assessment (月考核): one row a responsible unit, its component points, total and rank.

Responsible units are ranked on the rubric's scheme (completion, starts, management, planning,
funding; points add to 100). Ranks: higher total is better; units whose totals are equal after
rounding to 0.1 share the best rank of their group and the next rank is skipped (1, 2, 2, 4 —
"min" ranking). Projects with no responsible unit form their own row (the rubric's
`unassigned` word), shown last and not ranked.

A unit with no investment data year to date (nothing planned and nothing completed by the as-of
date) cannot be assessed on completion: it would otherwise keep all 40 completion points and
rank above units that report. Such a unit is not ranked: its completion points and total are
left empty, ``assessment_note`` says ``data_missing`` (数据缺失), and it is listed after the
ranked units and before the unassigned group (docs/rubric.md, "Monthly assessment").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.numbers import ratio
from workbench.model.ledger import Ledger
from workbench.scoring.facts import Facts, funding_coverage, funding_need
from workbench.scoring.groups import group_codes
from workbench.scoring.rubric import Rubric


def rank_of(totals: np.ndarray) -> np.ndarray:
    """Competition ranks, best (highest) first; equal totals at 0.1 share the best rank."""
    return pd.Series(np.round(totals, 1)).rank(method="min", ascending=False).to_numpy(dtype="int64")


def unit_assessment(ledger: Ledger, planning: pd.DataFrame, delivery: pd.DataFrame, facts: Facts,
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
    no_data = (planned <= 0) & (completed <= 0)  # nothing to measure completion against
    if "completion" in frame:
        frame.loc[no_data, "completion"] = np.nan
    frame.loc[no_data, "total"] = np.nan
    unassigned = (frame["responsible_unit"] == rubric.assessment["unassigned"]).to_numpy()
    ranked = ~unassigned & ~no_data
    rank = pd.array(np.full(g, pd.NA), dtype="Int64")
    rank[ranked] = rank_of(total_points[ranked])
    frame["rank"] = rank
    frame["assessment_note"] = pd.Series(np.where(no_data, "data_missing", None), dtype="str")
    # ranked units by rank, then units without data, then the unassigned group
    frame["_order"] = np.select([ranked, unassigned], [0, 2], default=1)
    return (frame.sort_values(["_order", "rank", "responsible_unit"], kind="stable",
                              na_position="last")
            .drop(columns="_order").reset_index(drop=True))
