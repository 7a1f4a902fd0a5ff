"""The facts gathered per project as of a date, which the planning rules and the assessment share.

Approval states and credit, secured funding, milestones (dated, without owner, overdue),
overdue problems, missing monthly reports, the start slip: each an array aligned with the
projects table's rows, computed once per score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.numbers import ratio
from workbench.core.periods import as_of_timestamp, month_index
from workbench.core.vocabulary import APPROVAL_ITEMS, APPROVAL_STATUSES
from workbench.model.ledger import Ledger
from workbench.scoring.delivery import slip_months
from workbench.scoring.lookup import (
    ProjectIndex,
    codes_of,
    dates_of,
    missing_text,
    project_index,
    project_positions,
    sum_by_position,
)
from workbench.scoring.rubric import Rubric, as_rubric


@dataclass
class Facts:
    """Per-project facts the rules (and the assessment) share, aligned with projects' rows."""

    n: int
    as_of: pd.Timestamp
    credit: dict[str, np.ndarray]
    state: dict[str, np.ndarray]
    secured: np.ndarray
    upper_funding: np.ndarray
    milestones_dated: np.ndarray
    milestones_no_owner: np.ndarray
    milestones_total: np.ndarray
    milestones_overdue: np.ndarray
    problems_overdue: np.ndarray
    reports_missing: np.ndarray
    start_slip: np.ndarray
    started: np.ndarray


def approval_state(approvals: pd.DataFrame, positions: np.ndarray, n: int, as_of: pd.Timestamp,
                   in_progress_credit: float):
    """Per item: credit (share of its points kept) and state code per project.

    States: 0 effective, 1 not started, 2 in progress (or done after `as_of`), 3 expired.
    """
    day = np.datetime64(as_of)
    status = codes_of(approvals["status"], APPROVAL_STATUSES)
    is_done, in_progress_status, not_required = (status == APPROVAL_STATUSES.index(s)
                                                 for s in ("done", "in_progress", "not_required"))
    approved = dates_of(approvals["approved_on"])
    expires = dates_of(approvals["expires_on"])
    done = is_done & (np.isnat(approved) | (approved <= day))
    expired = is_done & ~np.isnat(expires) & (expires < day)
    effective = (done & ~expired) | not_required
    in_progress = (in_progress_status | (is_done & ~done)) & ~expired
    row_state = np.select([effective, expired, in_progress], [0, 3, 2], default=1)
    items = codes_of(approvals["item"], APPROVAL_ITEMS)
    known = (positions >= 0) & (items >= 0)
    states = np.ones((n, len(APPROVAL_ITEMS)), dtype="int64")
    states[positions[known], items[known]] = row_state[known]
    credit_of_state = np.array([1.0, 0.0, in_progress_credit, 0.0])
    state = {item: states[:, i] for i, item in enumerate(APPROVAL_ITEMS)}
    credit = {item: credit_of_state[state[item]] for item in APPROVAL_ITEMS}
    return credit, state


def reports_missing(ledger: Ledger, positions: np.ndarray, as_of: pd.Timestamp) -> np.ndarray:
    """Monthly reports missing per project, January (or the start month) to the last reported month."""
    p = ledger.projects
    n = len(p)
    months = dates_of(ledger.progress["month"])  # first days of months: compared as dates
    year_start = np.datetime64(pd.Timestamp(year=as_of.year, month=1, day=1).as_unit("us"))
    in_year = (months >= year_start) & (months <= np.datetime64(as_of.replace(day=1).as_unit("us")))
    if not in_year.any():
        return np.zeros(n)
    last_m = month_index(months[in_year].max()[None])[0]
    start = dates_of(p["actual_start"].fillna(p["planned_start"])).astype("datetime64[M]")
    start = np.where(np.isnat(start), year_start, np.maximum(start, year_start))
    start = start.astype("datetime64[us]")  # first day of the first month a report is due
    expected = np.clip(last_m - month_index(start) + 1, 0, None)
    rows = in_year & (months >= start[np.clip(positions, 0, None)])
    reported = sum_by_position(positions, None, n, rows)
    expected = np.where(p["annual_plan"].to_numpy() > 0, expected, 0.0)
    return np.clip(expected - reported, 0, None)


def funding_need(annual_plan: np.ndarray, total: np.ndarray, share_without_plan: float) -> np.ndarray:
    """Money a project needs secured: its annual plan, or a share of its total when it has none."""
    return np.where(annual_plan > 0, annual_plan, total * share_without_plan)


def funding_coverage(secured: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Secured / need capped at 1 (1 where nothing is needed)."""
    return np.nan_to_num(np.minimum(ratio(secured, need), 1.0), nan=1.0)


def project_facts(ledger: Ledger, as_of, rubric: Rubric | None = None,
                  progress_positions: np.ndarray | None = None,
                  index: ProjectIndex | None = None) -> Facts:
    """The per-project facts planning rules and the assessment need, as of a date."""
    rubric = as_rubric(rubric)
    as_of = as_of_timestamp(as_of)
    day = np.datetime64(as_of)
    p = ledger.projects
    n = len(p)
    ids = project_index(p["project_id"]) if index is None else index

    a = ledger.approvals
    credit, state = approval_state(a, project_positions(ids, a["project_id"]), n, as_of,
                                   rubric.rule("approval_items")["in_progress_credit"])

    f = ledger.funding
    f_pos = project_positions(ids, f["project_id"])
    dated = dates_of(f["dated"])
    counted = np.isnat(dated) | (dated <= day)
    applied = codes_of(f["status"], ["applied"]) == 0
    share = np.where(applied, rubric.rule("funding_secured")["applied_credit"], 1.0)
    secured = sum_by_position(f_pos, f["amount"].to_numpy() * share, n, counted)
    upper = rubric.rule("upper_funding")["channels"]
    upper_rows = counted & (codes_of(f["source"], upper) >= 0)
    upper_funding = sum_by_position(f_pos, None, n, upper_rows) > 0

    ms = ledger.milestones
    m_pos = project_positions(ids, ms["project_id"])
    planned_on = dates_of(ms["planned_on"])
    done_on = dates_of(ms["done_on"])
    has_date = ~np.isnat(planned_on)
    overdue_ms = has_date & (planned_on < day) & (np.isnat(done_on) | (done_on > day))
    no_owner = missing_text(ms["owner"])

    pr = ledger.problems
    pr_pos = project_positions(ids, pr["project_id"])
    due = dates_of(pr["due_on"])
    resolved = dates_of(pr["resolved_on"])
    raised = dates_of(pr["raised_on"])
    open_overdue = (~np.isnat(due) & (due < day) & (np.isnat(resolved) | (resolved > day))
                    & (np.isnat(raised) | (raised <= day)))

    if progress_positions is None:
        progress_positions = project_positions(ids, ledger.progress["project_id"])
    actual_start = dates_of(p["actual_start"])
    return Facts(
        n=n,
        as_of=as_of,
        credit=credit,
        state=state,
        secured=secured,
        upper_funding=upper_funding,
        milestones_dated=sum_by_position(m_pos, None, n, has_date),
        milestones_no_owner=sum_by_position(m_pos, None, n, no_owner),
        milestones_total=sum_by_position(m_pos, None, n),
        milestones_overdue=sum_by_position(m_pos, None, n, overdue_ms),
        problems_overdue=sum_by_position(pr_pos, None, n, open_overdue),
        reports_missing=reports_missing(ledger, progress_positions, as_of),
        start_slip=slip_months(p["planned_start"], p["actual_start"], as_of),
        started=~np.isnat(actual_start) & (actual_start <= day),
    )
