"""What the quarterly review's 下步工作 rests on (the verdict on the quarter's goal is
``review.goals``): the units with most overdue problems, the starts due next
quarter that still lack approvals, and the units praised (表扬) and named (通报) by the rubric's
``notices`` rules. Pure functions of a Review's tables (万元, fractions, counts).
"""

from __future__ import annotations

import pandas as pd

from workbench.core.vocabulary import APPROVAL_ITEMS
from workbench.review.notices import criticised, notice_rules, praised
from workbench.review.support import approvals_done

#: How far ahead a start counts as "due" for 下步工作 (months after the as-of date).
AHEAD_MONTHS = 3


def unit_overdue(problems: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Overdue open problems counted by responsible unit, most first (ties by name)."""
    frame = problems.merge(projects[["project_id", "responsible_unit"]], on="project_id",
                           how="left")
    counts = frame.groupby(frame["responsible_unit"].fillna("未明确")).size()
    out = counts.rename("overdue_problems").rename_axis("responsible_unit").reset_index()
    return out.sort_values(["overdue_problems", "responsible_unit"],
                           ascending=[False, True]).reset_index(drop=True)


def starts_unready(projects: pd.DataFrame, approvals: pd.DataFrame, as_of) -> pd.DataFrame:
    """Projects due to start in the next `AHEAD_MONTHS` months (or due already and not
    started) whose required approvals are not all in effect; soonest first."""
    as_of = pd.Timestamp(as_of)
    horizon = as_of + pd.DateOffset(months=AHEAD_MONTHS)
    unstarted = ~projects["actual_start"].le(as_of)
    due = projects[unstarted & projects["planned_start"].le(horizon)
                   & projects["planned_start"].dt.year.ge(as_of.year)]
    required = approvals[approvals["status"].ne("not_required")
                         & approvals["project_id"].isin(set(due["project_id"]))]
    missing = required[~approvals_done(required, as_of)]
    order = {item: i for i, item in enumerate(APPROVAL_ITEMS)}
    items = missing.assign(o=missing["item"].map(order)).sort_values("o").groupby(
        "project_id")["item"].agg(list)
    out = due[due["project_id"].isin(items.index)].assign(
        missing=lambda f: f["project_id"].map(items))
    cols = ["project_id", "name", "responsible_unit", "planned_start", "missing"]
    return out.sort_values(["planned_start", "name"])[cols].reset_index(drop=True)


def rules_of(rubric=None) -> dict:
    """The rubric's checked ``notices`` rules (the packaged rubric when None)."""
    return notice_rules(rubric)


def notices_of(units: pd.DataFrame, rules: dict, lang: str = "zh") -> tuple:
    """(praised, criticised) units by the ``notices`` `rules`, over the ranked units."""
    if not rules or "rank" not in units or "total" not in units:
        empty = pd.DataFrame(columns=["responsible_unit", "rank", "total", "reason"])
        return empty, empty
    return praised(units, rules, lang), criticised(units, rules, lang)
