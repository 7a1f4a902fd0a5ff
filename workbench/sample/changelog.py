"""The change log of the sample year: every edit the generator made, one row each (docs/history.md).

Rows are stated from what the generator did between ledger k − 1 and ledger k, per project
between its effective ledgers there (`series_state.effective`; a late unit's projects change
nothing in the ledger it is late in, and everything in the next): added and dropped projects,
renames, stage changes, re-baselines; for projects in both ledgers, problems raised (opened)
and resolved (closed), approvals done and funding lines appearing or changing status. A problem
raised and resolved between two ledgers is both opened and closed. Rows of a project that is
added or dropped are that one row. New monthly completed figures are not edits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.sample.series_plan import BASELINE_FIELDS, EditPlan
from workbench.sample.series_state import effective, project_states

#: Columns of changes.csv.
CHANGE_COLUMNS = ["as_of", "file", "project_id", "kind", "field", "old", "new"]
#: Kinds of change, in the order a ledger's rows are listed.
CHANGE_KINDS = (
    "late_unit", "added", "dropped", "renamed", "stage", "rebaseline",
    "problem_opened", "problem_closed", "approval_done", "funding",
)  # fmt: skip


def change_log(truth: Ledger, steps: pd.DataFrame, plan: EditPlan, files: list[str]) -> pd.DataFrame:
    """Every change from each ledger to the next, as text (CHANGE_COLUMNS)."""
    units = truth.projects["responsible_unit"].to_numpy(dtype=object)
    frames = []
    before = project_states(truth, plan, effective(plan, units, 0))
    for k in range(1, len(plan.dates)):
        after = project_states(truth, plan, effective(plan, units, k))
        rows = _changes(truth, steps, plan, k, before, after)
        frame = pd.DataFrame(rows, columns=["order", "position", "project_id", "kind", "field",
                                            "old", "new"])  # fmt: skip
        frame = frame.sort_values(["order", "position", "field"], kind="stable")
        frame.insert(0, "file", files[k])
        frame.insert(0, "as_of", f"{plan.dates[k]:%Y-%m-%d}")
        frames.append(frame.drop(columns=["order", "position"]))
        before = after
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CHANGE_COLUMNS)
    return out[CHANGE_COLUMNS].astype("str").reset_index(drop=True)


def _changes(truth, steps, plan, k, before: pd.DataFrame, after: pd.DataFrame) -> list[tuple]:
    rows: list[tuple] = []
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}

    def add(kind, position, pid, field="", old="", new=""):
        rows.append((order[kind], position, pid, kind, field, _text(old), _text(new)))

    if k in plan.late:
        add("late_unit", -1, "", plan.late[k])
    moved = before["eff"].to_numpy() != after["eff"].to_numpy()
    was, now = before["present"].to_numpy(), after["present"].to_numpy()
    for i in np.flatnonzero(moved & (was != now)):
        if now[i]:
            add("added", i, after.at[i, "project_id"], new=after.at[i, "name"])
        else:
            add("dropped", i, before.at[i, "project_id"], old=before.at[i, "name"])
    both = np.flatnonzero(moved & was & now)
    for i in both:
        pid = after.at[i, "project_id"]
        for field, kind in (("name", "renamed"), ("stage", "stage")):
            if before.at[i, field] != after.at[i, field]:
                add(kind, i, pid, field, before.at[i, field], after.at[i, field])
        for field in BASELINE_FIELDS:
            old, new = before.at[i, field], after.at[i, field]
            if _text(old) != _text(new):
                add("rebaseline", i, pid, field, old, new)
    position = {after.at[i, "project_id"]: i for i in both}
    since = pd.Series(before["day"].to_numpy()[both], index=list(position))
    until = pd.Series(after["day"].to_numpy()[both], index=list(position))
    _item_changes(truth, steps, since, until, position, add)
    return rows


def _item_changes(truth, steps, since: pd.Series, until: pd.Series, position: dict, add) -> None:
    """Problems opened and closed, approvals done, funding lines that appeared or moved on."""
    def window(frame: pd.DataFrame):
        frame = frame[frame["project_id"].isin(position)].reset_index(drop=True)
        return frame, frame["project_id"].map(since), frame["project_id"].map(until)

    problems, lo, hi = window(truth.problems)
    for kind, column in (("problem_opened", "raised_on"), ("problem_closed", "resolved_on")):
        hit = (problems[column] > lo) & (problems[column] <= hi)
        for pid, text in zip(problems.loc[hit, "project_id"], problems.loc[hit, "problem"],
                             strict=True):  # fmt: skip
            add(kind, position[pid], pid, text)
    approvals, lo, hi = window(truth.approvals)
    done = (approvals["status"] == "done") & (approvals["approved_on"] > lo) & (approvals["approved_on"] <= hi)
    for pid, item in zip(approvals.loc[done, "project_id"], approvals.loc[done, "item"], strict=True):
        add("approval_done", position[pid], pid, item, "in_progress", "done")
    lines, lo, hi = window(steps)
    old = lines[lines["dated"] <= lo].drop_duplicates("line", keep="last").set_index("line")
    new = lines[lines["dated"] <= hi].drop_duplicates("line", keep="last").set_index("line")
    old_status = old["status"].reindex(new.index)
    moved = new[old_status.isna().to_numpy() | (old_status != new["status"]).to_numpy()]
    for line, row in moved.iterrows():
        status = old_status[line]
        add("funding", position[row["project_id"]], row["project_id"], row["source"],
            "" if pd.isna(status) else status, row["status"])  # fmt: skip


def _text(value) -> str:
    """A value as the change log writes it: ISO dates, plain numbers (万元), "" for nothing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp | np.datetime64):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, float | np.floating | int | np.integer):
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(value)
