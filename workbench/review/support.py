"""What supports or holds back delivery: funding by source, approvals, open and overdue problems
and milestones at a date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import APPROVAL_ITEMS, FUNDING_SOURCES, FUNDING_STATUSES


def funding_table(funding: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Funding applied / approved / received per source by `as_of` (cumulative: received counts
    as approved and applied, approved as applied)."""
    known = funding[funding["dated"].isna() | funding["dated"].le(as_of)]
    rank = {s: i for i, s in enumerate(FUNDING_STATUSES)}
    level = known["status"].map(rank)
    rows = []
    for source in FUNDING_SOURCES:
        part = known["source"].eq(source)
        row = {"source": source}
        for status in FUNDING_STATUSES:
            row[status] = float(known.loc[part & level.ge(rank[status]), "amount"].sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    out = out[(out[list(FUNDING_STATUSES)] > 0).any(axis=1)].reset_index(drop=True)
    total = {"source": "total", **{s: float(out[s].sum()) for s in FUNDING_STATUSES}}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["received_share"] = out["received"] / out["applied"].replace(0, np.nan)
    return out


def approvals_done(approvals: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Whether each approval row counts as done and valid at `as_of`."""
    done = approvals["status"].eq("done")
    dated_ok = approvals["approved_on"].isna() | approvals["approved_on"].le(as_of)
    valid = approvals["expires_on"].isna() | approvals["expires_on"].gt(as_of)
    return done & dated_ok & valid


def approvals_table(approvals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Approval completeness per item: required items, done and valid at `as_of`, and the share."""
    required = approvals[approvals["status"].ne("not_required")]
    frame = required.assign(done=approvals_done(required, as_of))
    grouped = frame.groupby("item")["done"].agg(["size", "sum"]).reindex(list(APPROVAL_ITEMS))
    out = grouped.fillna(0).astype(int).rename(columns={"size": "required", "sum": "done"})
    out.index.name = "item"
    out = out.reset_index()
    total = {"item": "total", "required": int(out["required"].sum()), "done": int(out["done"].sum())}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["completeness"] = out["done"] / out["required"].replace(0, np.nan)
    return out


def projects_with_all_approvals(approvals: pd.DataFrame, as_of: pd.Timestamp) -> int:
    """How many projects hold every approval they need at `as_of`."""
    required = approvals[approvals["status"].ne("not_required")]
    done = approvals_done(required, as_of)
    return int(done.groupby(required["project_id"]).all().sum())


def open_problems(problems: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Problems raised by `as_of` and not resolved by then."""
    raised = problems["raised_on"].isna() | problems["raised_on"].le(as_of)
    unresolved = problems["resolved_on"].isna() | problems["resolved_on"].gt(as_of)
    return problems[raised & unresolved]


def overdue_problems(problems: pd.DataFrame, projects: pd.DataFrame, as_of) -> pd.DataFrame:
    """Open problems past their due date at `as_of`, most overdue first, with the project named."""
    frame = open_problems(problems, as_of)
    frame = frame[frame["due_on"].lt(as_of)]
    frame = frame.assign(days_overdue=(as_of - frame["due_on"]).dt.days.astype(int))
    named = frame.merge(projects[["project_id", "name"]], on="project_id", how="left")
    cols = ["project_id", "name", "problem", "owner", "due_on", "days_overdue"]
    return named[cols].sort_values("days_overdue", ascending=False).reset_index(drop=True)


def overdue_milestones(milestones: pd.DataFrame, projects: pd.DataFrame, as_of) -> pd.DataFrame:
    """Milestones planned before `as_of` and not done by then, most overdue first."""
    late = milestones["planned_on"].lt(as_of) & ~milestones["done_on"].le(as_of)
    frame = milestones[late]
    frame = frame.assign(days_overdue=(as_of - frame["planned_on"]).dt.days.astype(int))
    named = frame.merge(projects[["project_id", "name"]], on="project_id", how="left")
    cols = ["project_id", "name", "milestone", "owner", "planned_on", "days_overdue"]
    return named[cols].sort_values("days_overdue", ascending=False).reset_index(drop=True)


