"""A panel of reports (one row per project per report date) and its fixed-horizon outcome pairs.

A report panel comes from a portfolio file read through a profile (``ingest.snapshot_reports``)
or from the county's snapshot store (``history.snapshot_panel``). An outcome pair puts a
project's report at t against the portfolio's report about `horizon_months` later (the report
date closest to t + horizon within ± `window_months`):

- ``slip``: the planned completion moved more than `slip_days` later;
- ``held``: it did not;
- ``exit``: the project is not in the later report (finished, stopped or renamed): counted, and
  scored as not slipped, never dropped;
- ``unknown``: it is in the later report without a completion date (or only as a blank
  placeholder): no outcome can be read, the pair is kept with its reason;
- a report with no later report in the window (the last year of data) forms no pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.risk.settings import RiskSettings, risk_settings

#: Columns of a report panel.
PANEL_COLUMNS = ["project_id", "snapshot", "name", "planned_completion", "planned_start",
                 "actual_start", "total_investment", "stage", "expert_rating", "blank"]

#: Columns of the outcome pairs (besides the panel's columns at t).
PAIR_COLUMNS = ["next_report", "outcome", "slip", "days_moved", "rebaselines", "last_slip",
                "reason"]  # reason: blank_at_t, no_end_at_t, exit, no_end_later or ""

OUTCOMES = ("slip", "held", "exit", "unknown", "not_forecast")


def as_panel(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the panel's columns and dtypes (missing optional columns as nulls)."""
    out = pd.DataFrame(index=frame.index)
    for column in PANEL_COLUMNS:
        if column in frame.columns:
            out[column] = frame[column]
        else:
            out[column] = False if column == "blank" else None
    for column in ("snapshot", "planned_completion", "planned_start", "actual_start"):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[us]")
    out["total_investment"] = pd.to_numeric(out["total_investment"], errors="coerce").astype("float64")
    for column in ("project_id", "name", "stage", "expert_rating"):
        out[column] = out[column].astype("str")
    out["blank"] = out["blank"].fillna(False).astype(bool)
    return out.sort_values(["snapshot", "project_id"], kind="stable").reset_index(drop=True)


def report_dates(panel: pd.DataFrame) -> list[pd.Timestamp]:
    """The portfolio's report dates, oldest first."""
    return sorted(pd.Timestamp(d) for d in panel["snapshot"].dropna().unique())


def reported_at(panel: pd.DataFrame, when) -> pd.DataFrame:
    """The projects in the portfolio's last report on or before `when` (empty before the first)."""
    dates = [d for d in report_dates(panel) if d <= pd.Timestamp(when)]
    if not dates:
        return panel.iloc[0:0]
    return panel[panel["snapshot"] == dates[-1]].reset_index(drop=True)


def next_report_of(dates: list[pd.Timestamp], settings: RiskSettings) -> dict:
    """Report date → the report date closest to it + horizon within the window (or NaT)."""
    out = {}
    for t in dates:
        target = t + pd.DateOffset(months=settings.horizon_months)
        low, high = (target - pd.DateOffset(months=settings.window_months),
                     target + pd.DateOffset(months=settings.window_months))
        near = [d for d in dates if low <= d <= high and d > t]
        out[t] = min(near, key=lambda d: abs((d - target).days)) if near else pd.NaT
    return out


def history_counts(panel: pd.DataFrame, slip_days: int) -> pd.DataFrame:
    """Per project and report: re-baselines so far (completion moved more than `slip_days`
    between consecutive reports, this one included) and whether the last move was one."""
    usable = panel[~panel["blank"] & panel["planned_completion"].notna()].sort_values(
        ["project_id", "snapshot"], kind="stable")
    moved = usable.groupby("project_id")["planned_completion"].diff().dt.days
    slipped = (moved > slip_days).astype("int64")
    counts = pd.DataFrame({"project_id": usable["project_id"], "snapshot": usable["snapshot"],
                           "last_slip": slipped,
                           "rebaselines": slipped.groupby(usable["project_id"]).cumsum()})
    return counts.reset_index(drop=True)


def outcome_pairs(panel: pd.DataFrame, settings: RiskSettings | None = None) -> pd.DataFrame:
    """Every report with a later report in the window, and what became of it (see the module
    docstring): the panel's columns at t and PAIR_COLUMNS. ``slip`` is 1/0 for slip/held/exit
    and NaN for unknown or not forecast (a blank report or no completion date at t)."""
    settings = settings or risk_settings()
    panel = as_panel(panel)
    dates = report_dates(panel)
    following = next_report_of(dates, settings)
    pairs = panel.assign(next_report=panel["snapshot"].map(following).astype("datetime64[us]"))
    pairs = pairs[pairs["next_report"].notna()].reset_index(drop=True)
    later = panel[["project_id", "snapshot", "planned_completion", "blank"]].rename(
        columns={"snapshot": "next_report", "planned_completion": "end_later", "blank": "blank_later"})
    pairs = pairs.merge(later, on=["project_id", "next_report"], how="left", indicator=True)
    present = pairs["_merge"].eq("both").to_numpy()
    moved = (pairs["end_later"] - pairs["planned_completion"]).dt.days
    at_t = (~pairs["blank"] & pairs["planned_completion"].notna()).to_numpy()
    readable = present & pairs["end_later"].notna().to_numpy() & ~pairs["blank_later"].fillna(False).to_numpy(bool)
    outcome = np.select(
        [~at_t, ~present, ~readable, (moved > settings.slip_days).to_numpy()],
        ["not_forecast", "exit", "unknown", "slip"], "held")
    reason = np.select(
        [pairs["blank"].to_numpy(), ~at_t, ~present, ~readable],
        ["blank_at_t", "no_end_at_t", "exit", "no_end_later"], "")
    pairs["outcome"] = outcome
    pairs["reason"] = reason
    pairs["slip"] = np.select([outcome == "slip", np.isin(outcome, ("held", "exit"))], [1.0, 0.0], np.nan)
    pairs["days_moved"] = moved.where(readable).astype("float64")
    counts = history_counts(panel, settings.slip_days)
    pairs = pairs.drop(columns=["_merge", "end_later", "blank_later"]).merge(
        counts, on=["project_id", "snapshot"], how="left")
    pairs["rebaselines"] = pairs["rebaselines"].fillna(0).astype("int64")
    pairs["last_slip"] = pairs["last_slip"].fillna(0).astype("int64")
    return pairs[[*PANEL_COLUMNS, *PAIR_COLUMNS]]


def outcome_counts(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per report date: pairs, each outcome's count and the slip rate among readable outcomes."""
    table = pd.crosstab(pairs["snapshot"], pairs["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    table.insert(0, "pairs", table.sum(axis=1))
    scored = table["slip"] + table["held"] + table["exit"]
    table["slip_rate"] = (table["slip"] / scored.where(scored > 0)).astype("float64")
    return table.reset_index()
