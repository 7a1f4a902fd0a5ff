"""Where the year's schedule stands and what it still asks: months behind by earned schedule,
the monthly pace still needed to reach the annual plan (全年红), re-baselines counted.

Pure functions of a Ledger (or of the history's baseline table) as of a date; amounts in 万元.

Earned schedule: the cumulative monthly `planned` curve P(k) of the year (P(0) = 0, P(k) at the
end of month k) is read backwards at the investment completed so far C: the earned month is the
last month N with P(N) ≤ C plus the fraction of the next month's plan C covers,
N + (C − P(N)) / (P(N+1) − P(N)); it is 12 when C reaches the whole year's plan.
Months behind = the as-of month (its number in the year, 1–12) − the earned month; negative
means ahead. A group without any plan this year has none (NaN).

Pace needed (全年红): (annual plan − completed this year, at least 0) / months left after the
as-of month; NaN in December (no month left). Pace so far: completed / months elapsed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The groups a measure is given by.
BY = ("project", "unit", "county")
#: Baseline fields whose later value is a slip (a date pushed later).
DATE_FIELDS = ("planned_start", "planned_completion")


def earned_months(cumulative: np.ndarray, completed: np.ndarray) -> np.ndarray:
    """The earned month of each row: `cumulative` (rows × 12, the cumulative plan at each month
    end) read at `completed` (one amount a row); NaN where the year's plan is 0."""
    cumulative = np.asarray(cumulative, dtype="float64").reshape(len(completed), 12)
    completed = np.asarray(completed, dtype="float64")
    curve = np.hstack([np.zeros((len(completed), 1)), cumulative])  # P(0) … P(12)
    tolerance = 1e-9 * np.maximum(curve[:, -1], 1.0)
    n = (curve[:, 1:] <= completed[:, None] + tolerance[:, None]).sum(axis=1)  # last N with P(N) ≤ C
    n = np.minimum(n, 12)
    rows = np.arange(len(completed))
    low = curve[rows, n]
    high = curve[rows, np.minimum(n + 1, 12)]
    step = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where((n < 12) & (step > 0), (completed - low) / step, 0.0)
    earned = n + np.clip(fraction, 0.0, 1.0)
    return np.where(curve[:, -1] > 0, earned, np.nan)


def _months(progress: pd.DataFrame, year: int) -> pd.DataFrame:
    frame = progress[progress["month"].dt.year == year]
    return frame.assign(m=frame["month"].dt.month)


def schedule_measures(ledger, as_of, by: str = "project") -> pd.DataFrame:
    """Months behind (earned schedule) and the pace still needed, per project, unit or county.

    Columns: the group (project_id, name, responsible_unit | responsible_unit | nothing),
    projects, annual_plan, ytd_planned, ytd_completed, earned_month, months_behind,
    remaining, months_left, pace_needed, pace_so_far. Only this year's list (annual plan > 0)
    counts; a bundle (打捆) once.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, got {by!r}")
    as_of = pd.Timestamp(as_of)
    year, month = as_of.year, as_of.month
    tables = ledger.counted().tables()
    projects = tables["projects"]
    listed = projects[projects["annual_plan"] > 0]
    progress = _months(tables["progress"], year)
    progress = progress[progress["project_id"].isin(set(listed["project_id"]))]
    keys = {"project": ["project_id"], "unit": ["responsible_unit"], "county": []}[by]
    info = listed[["project_id", "name", "responsible_unit", "annual_plan"]].copy()
    info["responsible_unit"] = info["responsible_unit"].fillna("")
    info["county"] = ""
    group = keys or ["county"]
    rows = progress.merge(info[["project_id", *(["responsible_unit"] if by == "unit" else []),
                                "county"]], on="project_id", how="left")
    planned = rows.pivot_table(index=group, columns="m", values="planned", aggfunc="sum",
                               fill_value=0.0).reindex(columns=range(1, 13), fill_value=0.0)
    done = rows[rows["month"] <= as_of].groupby(group)["completed"].sum()
    out = info.groupby(group).agg(projects=("project_id", "size"),
                                  annual_plan=("annual_plan", "sum"))
    planned = planned.reindex(out.index, fill_value=0.0)
    cumulative = planned.cumsum(axis=1)
    out["ytd_planned"] = cumulative[month].to_numpy()
    out["ytd_completed"] = done.reindex(out.index, fill_value=0.0).to_numpy()
    out["earned_month"] = earned_months(cumulative.to_numpy(), out["ytd_completed"].to_numpy())
    out["months_behind"] = month - out["earned_month"]
    out["remaining"] = (out["annual_plan"] - out["ytd_completed"]).clip(lower=0.0)
    out["months_left"] = 12 - month
    out["pace_needed"] = out["remaining"] / out["months_left"] if month < 12 else np.nan
    out["pace_so_far"] = out["ytd_completed"] / month
    out = out.reset_index()
    if by == "project":
        out = info[["project_id", "name", "responsible_unit"]].merge(out, on="project_id")
    return out.drop(columns=["county"], errors="ignore").sort_values(
        "months_behind", ascending=False, na_position="last").reset_index(drop=True)


def is_slip(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a baseline change (field, old, new) push a planned date later."""
    dated = frame["field"].isin(DATE_FIELDS)
    old = pd.to_datetime(frame["old"], errors="coerce")
    new = pd.to_datetime(frame["new"], errors="coerce")
    return dated & new.gt(old).fillna(False).astype(bool)


def rebaseline_counts(history: pd.DataFrame) -> pd.DataFrame:
    """Re-baselines per project from the history's baseline changes (`baseline_history`).

    Columns: project_key, project_id and name (as last seen), rebaselines (snapshots at which
    any baseline field changed), changes (field changes), slips (dates pushed later), last
    (as-of date of the latest). Most re-baselined first.
    """
    columns = ["project_key", "project_id", "name", "rebaselines", "changes", "slips", "last"]
    if history is None or not len(history):
        return pd.DataFrame(columns=columns)
    frame = history.assign(slip=is_slip(history), as_of=pd.to_datetime(history["as_of"]))
    frame = frame.sort_values("as_of")
    out = frame.groupby("project_key").agg(
        project_id=("project_id", "last"), name=("name", "last"),
        rebaselines=("as_of", "nunique"), changes=("field", "size"),
        slips=("slip", "sum"), last=("as_of", "max"))
    out = out.reset_index().astype({"slips": int})
    return out.sort_values(["rebaselines", "changes", "last"], ascending=[False, False, False]
                           ).reset_index(drop=True)[columns]
