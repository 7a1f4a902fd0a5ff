"""The weekly dispatch (周调度): what changed this week and what each unit must act on (督办).

`dispatch_of` is pure: the week's diff (``workbench.history.Diff``, or None when there is no
earlier snapshot) and the ledger of the week's last snapshot in, a `Dispatch` out.
`weekly_dispatch` reads both from the snapshot store: the last snapshot on or before the
week's Sunday against the last one before its Monday.

The action list (督办清单), one row an action, by responsible unit:

- ``overdue``: a problem open at the as-of date whose due date has passed (owner, age in days
  since it was raised, due date);
- ``slip``: a re-baseline this week that moves a planned start or completion later;
- ``unready``: a project not started whose planned start falls within `horizon` days and whose
  用地 or 施工许可 is not done (an item without a row counts as not done).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from workbench.core.periods import week_bounds
from workbench.core.words import column_label, phrase, value_label
from workbench.review.pace import is_slip
from workbench.review.support import approvals_done, open_problems

#: Days ahead within which a planned start without 用地 or 施工许可 is put on the list.
HORIZON_DAYS = 30
#: The approvals a start cannot do without.
START_ITEMS = ("用地", "施工许可")
#: The action list's columns.
ACTION_COLUMNS = ["responsible_unit", "action", "project_id", "name", "detail", "owner", "days",
                  "dated"]
#: Tables of the diff counted in the week's summary, in display order.
CHANGE_TABLES = ("added", "dropped", "renamed", "uncertain", "stages", "rebaselines",
                 "problems_opened", "problems_closed", "problems_overdue", "approvals_done",
                 "funding", "stale_units")


@dataclass(frozen=True)
class Dispatch:
    """One week's dispatch: the diff's counts and tables, the action list, what was closed."""

    week: str
    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp  # the as-of date of the week's last snapshot
    from_as_of: pd.Timestamp | None  # the snapshot compared with (None: there is none)
    counts: dict
    diff: object | None
    actions: pd.DataFrame
    closed: pd.DataFrame
    investment_change: float = float("nan")
    lang: str = "zh"
    notes: list = field(default_factory=list)


def _text(value, lang: str) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return str(value_label(value, lang))


def overdue_actions(ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Problems open at `as_of` past their due date, with owner and age (days since raised)."""
    frame = open_problems(ledger.problems, as_of)
    frame = frame[frame["due_on"].lt(as_of)]
    named = frame.merge(ledger.projects[["project_id", "name", "responsible_unit"]],
                        on="project_id", how="left")
    age = (as_of - named["raised_on"].fillna(named["due_on"])).dt.days
    return pd.DataFrame({
        "responsible_unit": named["responsible_unit"], "action": "act_overdue",
        "project_id": named["project_id"], "name": named["name"], "detail": named["problem"],
        "owner": named["owner"], "days": age, "dated": named["due_on"]})


def slip_actions(rebaselines: pd.DataFrame | None, ledger, lang: str = "zh") -> pd.DataFrame:
    """The week's re-baselines that push a planned date later (owner: the assigned leader)."""
    if rebaselines is None or not len(rebaselines):
        return pd.DataFrame(columns=ACTION_COLUMNS)
    slips = rebaselines[is_slip(rebaselines)]
    leaders = ledger.projects.set_index("project_id")["leader"]
    old = pd.to_datetime(slips["old"], errors="coerce")
    new = pd.to_datetime(slips["new"], errors="coerce")
    detail = [f"{column_label(f, lang)} {_text(o, lang)} → {_text(n, lang)}"
              for f, o, n in zip(slips["field"], old, new, strict=True)]
    return pd.DataFrame({
        "responsible_unit": slips["responsible_unit"], "action": "act_slip",
        "project_id": slips["project_id"], "name": slips["name"], "detail": detail,
        "owner": slips["project_id"].map(leaders), "days": (new - old).dt.days, "dated": new})


def unready_actions(ledger, as_of: pd.Timestamp, horizon: int = HORIZON_DAYS,
                    lang: str = "zh") -> pd.DataFrame:
    """Projects due to start within `horizon` days of `as_of` without 用地 or 施工许可 done."""
    projects = ledger.projects
    started = projects["actual_start"].le(as_of)
    soon = projects["planned_start"].gt(as_of) & projects["planned_start"].le(
        as_of + pd.Timedelta(days=horizon))
    due = projects[soon & ~started]
    approvals = ledger.approvals[ledger.approvals["item"].isin(START_ITEMS)]
    ready = approvals[approvals_done(approvals, as_of) | approvals["status"].eq("not_required")]
    have = ready.groupby("project_id")["item"].agg(set)
    rows = []
    for record in due.to_dict("records"):
        missing = [i for i in START_ITEMS if i not in have.get(record["project_id"], set())]
        if missing:
            rows.append({
                "responsible_unit": record["responsible_unit"], "action": "act_unready",
                "project_id": record["project_id"], "name": record["name"],
                "detail": phrase("act_missing", lang, items=phrase("list_sep", lang).join(
                    str(value_label(i, lang)) for i in missing)),
                "owner": record["leader"], "days": (record["planned_start"] - as_of).days,
                "dated": record["planned_start"]})
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def closed_items(diff) -> pd.DataFrame:
    """What the week closed: problems resolved (销号) and approvals done."""
    parts = []
    for table, kind, detail in (("problems_closed", "closed_problem", "problem"),
                                ("approvals_done", "closed_approval", "item")):
        frame = getattr(diff, table, None) if diff is not None else None
        if frame is None or not len(frame):
            continue
        parts.append(pd.DataFrame({
            "responsible_unit": frame["responsible_unit"], "action": kind,
            "project_id": frame["project_id"], "name": frame["name"],
            "detail": frame[detail] if detail in frame else ""}))
    if not parts:
        return pd.DataFrame(columns=["responsible_unit", "action", "project_id", "name", "detail"])
    return pd.concat(parts, ignore_index=True).sort_values(
        ["responsible_unit", "action"], kind="stable").reset_index(drop=True)


def _investment_change(diff) -> float:
    frame = getattr(diff, "investment", None)
    if frame is None or not len(frame):
        return 0.0
    return float(frame["done_in_period"].sum())


def dispatch_of(diff, ledger, week: str, *, as_of=None, from_as_of=None,
                horizon: int = HORIZON_DAYS, lang: str = "zh") -> Dispatch:
    """The dispatch of `week` from its `diff` (None: no earlier snapshot) and the `ledger` of
    the week's last snapshot (as of `as_of`, default the diff's ``to_as_of`` or the Sunday)."""
    start, end = week_bounds(week)
    if as_of is None:
        as_of = getattr(diff, "to_as_of", None) or end
    as_of = pd.Timestamp(as_of).normalize()
    if from_as_of is None and diff is not None:
        from_as_of = getattr(diff, "from_as_of", None)
    actions = pd.concat([
        frame for frame in (
            overdue_actions(ledger, as_of),
            slip_actions(getattr(diff, "rebaselines", None), ledger, lang),
            unready_actions(ledger, as_of, horizon, lang))
        if len(frame)] or [pd.DataFrame(columns=ACTION_COLUMNS)], ignore_index=True)
    order = {"act_overdue": 0, "act_slip": 1, "act_unready": 2}
    actions = actions.assign(_o=actions["action"].map(order)).sort_values(
        ["responsible_unit", "_o", "days"], ascending=[True, True, False], kind="stable",
        na_position="last").drop(columns="_o").reset_index(drop=True)
    counts = {t: len(getattr(diff, t)) if diff is not None and getattr(diff, t, None) is not None
              else 0 for t in CHANGE_TABLES}
    return Dispatch(
        week=week, start=start, end=end, as_of=as_of,
        from_as_of=pd.Timestamp(from_as_of) if from_as_of is not None else None,
        counts=counts, diff=diff, actions=actions, closed=closed_items(diff),
        investment_change=_investment_change(diff) if diff is not None else float("nan"),
        lang=lang)


def weekly_dispatch(week: str, store=None, *, horizon: int = HORIZON_DAYS,
                    lang: str = "zh") -> Dispatch:
    """The dispatch of `week` read from the snapshot store (default ``data/history.duckdb``)."""
    from workbench.history import diff_snapshots, read_snapshot
    from workbench.review.stored import (
        checked_store,
        snapshot_before,
        snapshot_on_or_before,
        snapshots,
    )

    start, end = week_bounds(week)
    store = str(checked_store(store, lang))
    frame = snapshots(store)
    latest = snapshot_on_or_before(end, store, what=week, lang=lang, frame=frame)
    earlier = snapshot_before(start, store, frame=frame)
    ledger = read_snapshot(int(latest["snapshot_id"]), store)
    diff = None
    if earlier is not None:
        diff = diff_snapshots(int(earlier["snapshot_id"]), int(latest["snapshot_id"]), store)
    return dispatch_of(diff, ledger, week, as_of=latest["as_of"],
                       from_as_of=None if earlier is None else earlier["as_of"],
                       horizon=horizon, lang=lang)
