"""Changes in the item tables between two snapshots: problems, approvals, funding, and the
units whose monthly figures did not move.

Items of a project added or dropped in the period are not listed: the project's own row says
it. Items are matched by project key and their own key (problem text, approval item, funding
source), the n-th repeat of a key with the n-th.
"""

from __future__ import annotations

import pandas as pd

#: The fields whose change is a re-baseline (a plan changed after it was set).
BASELINE_FIELDS = ("planned_start", "planned_completion", "total_investment", "annual_plan")

_IDS = ["project_key", "project_id", "name", "responsible_unit"]


def _matched(old: pd.DataFrame, old_keys: dict, new: pd.DataFrame, new_keys: dict,
             item: str) -> pd.DataFrame:
    """Rows of `new` beside their counterpart in `old` (``_old`` suffix, ``_merge`` says which
    side a row has), limited to projects present in both snapshots."""
    def keyed(frame, keys):
        out = frame.assign(project_key=frame["project_id"].map(keys).astype("str"))
        return out.assign(nth=out.groupby(["project_key", item]).cumcount())

    a, b = keyed(old, old_keys), keyed(new, new_keys)
    common = set(old_keys.values()) & set(new_keys.values())
    a, b = a[a["project_key"].isin(common)], b[b["project_key"].isin(common)]
    return b.merge(a.drop(columns=["project_id"]), on=["project_key", item, "nth"], how="outer",
                   suffixes=("", "_old"), indicator=True)


def _named(rows: pd.DataFrame, ids: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = rows.drop(columns=["project_id"], errors="ignore").merge(
        ids.reset_index(), on="project_key", how="left")
    return out[[*_IDS, *columns]].reset_index(drop=True)


def problem_changes(old: pd.DataFrame, old_keys: dict, new: pd.DataFrame, new_keys: dict,
                    ids: dict, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """``problems_opened``, ``problems_closed`` and ``problems_overdue`` (open at `as_of` past
    their due date, with ``age_days`` since raised and ``days_overdue``)."""
    m = _matched(old, old_keys, new, new_keys, "problem")
    opened = m[m["_merge"] == "left_only"]
    closed = m[(m["_merge"] == "both") & m["resolved_on_old"].isna() & m["resolved_on"].notna()]
    columns = ["problem", "owner", "raised_on", "due_on", "resolved_on"]
    keyed = new.assign(project_key=new["project_id"].map(new_keys).astype("str"))
    due = keyed[keyed["resolved_on"].isna() & keyed["due_on"].notna()
                & (keyed["due_on"] < as_of)]
    due = due.assign(age_days=(as_of - due["raised_on"]).dt.days.astype("Float64"),
                     days_overdue=(as_of - due["due_on"]).dt.days.astype("Int64"))
    due = due.sort_values(["days_overdue", "project_key"], ascending=[False, True])
    return {
        "problems_opened": _named(opened, ids["new"], columns),
        "problems_closed": _named(closed, ids["new"], columns),
        "problems_overdue": _named(due, ids["new"], [*columns[:4], "age_days", "days_overdue"]),
    }


def approvals_done(old: pd.DataFrame, old_keys: dict, new: pd.DataFrame, new_keys: dict,
                   ids: pd.DataFrame) -> pd.DataFrame:
    """Approval items whose status became ``done``: ``item``, ``old`` status, ``approved_on``."""
    m = _matched(old, old_keys, new, new_keys, "item")
    done = m[(m["_merge"] != "right_only") & (m["status"] == "done")
             & (m["status_old"] != "done")]
    done = done.assign(old=done["status_old"].astype("str").fillna(""))
    return _named(done, ids, ["item", "old", "approved_on"])


def funding_changes(old: pd.DataFrame, old_keys: dict, new: pd.DataFrame, new_keys: dict,
                    ids: pd.DataFrame) -> pd.DataFrame:
    """Funding rows that appeared or changed status: ``source``, ``old`` status ("" for a new
    row), ``new`` status, ``amount``, ``dated``."""
    m = _matched(old, old_keys, new, new_keys, "source")
    changed = m[(m["_merge"] == "left_only")
                | ((m["_merge"] == "both") & (m["status"] != m["status_old"]))]
    changed = changed.assign(old=changed["status_old"].astype("str").fillna(""),
                             new=changed["status"])
    return _named(changed, ids, ["source", "old", "new", "amount", "dated"])


def stale_units(old: pd.DataFrame, old_keys: dict, new: pd.DataFrame, new_keys: dict,
                projects: pd.DataFrame) -> pd.DataFrame:
    """Responsible units whose projects' latest month with investment done (> 0) did not advance
    while the ledger's did (a unit late with its update): ``responsible_unit``, ``projects``,
    ``last_month``."""
    columns = ["responsible_unit", "projects", "last_month"]

    def latest(progress: pd.DataFrame, keys: dict) -> pd.Series:
        filled = progress[progress["completed"] > 0]  # future months may hold 0 as well as blank
        return filled.groupby(filled["project_id"].map(keys))["month"].max()

    before, after = latest(old, old_keys), latest(new, new_keys)
    if not len(after) or not len(before) or after.max() <= before.max():
        return pd.DataFrame(columns=columns)
    units = projects.set_index("project_key")["responsible_unit"]
    frame = pd.DataFrame({"before": before, "after": after}).dropna()
    frame = frame.join(units).dropna(subset=["responsible_unit"])
    by_unit = frame.groupby("responsible_unit").agg(
        before=("before", "max"), after=("after", "max"), projects=("after", "size"))
    stale = by_unit[by_unit["after"] <= by_unit["before"]]
    return stale.reset_index().rename(columns={"after": "last_month"})[columns]
