"""Where the year stands: stages at a date, completion against 序时进度, starts, batches, pipeline.

Pure functions of the ledger's tables (万元, fractions, counts); the review assembles them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.numbers import share
from workbench.core.vocabulary import BATCH_KINDS, OPERATING_STAGES, STAGES, UNSTARTED_STAGES


def stage_at(projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each project's pipeline stage at `as_of`, from its dates where they tell more than the ledger."""
    stage = projects["stage"].copy()
    completed = projects["actual_completion"].le(as_of)
    started = projects["actual_start"].le(as_of)
    not_yet_started = projects["actual_start"].gt(as_of) & stage.isin(["在建", *OPERATING_STAGES])
    stage = stage.mask(not_yet_started, "前期")
    stage = stage.mask(started & ~completed & stage.isin(OPERATING_STAGES), "在建")
    stage = stage.mask(started & ~completed & stage.isin(UNSTARTED_STAGES), "在建")
    stage = stage.mask(completed & ~stage.isin(OPERATING_STAGES), "建成")
    return stage


def filtered_tables(tables: dict, office: str = "", unit: str = "") -> dict:
    """The ledger's tables restricted to one office and/or responsible unit."""
    projects = tables["projects"]
    keep = pd.Series(True, index=projects.index)
    if office:
        keep &= projects["office"].eq(office)
    if unit:
        keep &= projects["responsible_unit"].eq(unit)
    ids = set(projects.loc[keep, "project_id"])
    return {
        name: frame[frame["project_id"].isin(ids)].reset_index(drop=True)
        for name, frame in tables.items()
    }


# --- completion -------------------------------------------------------------------------------


def ytd_by_project(progress: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Planned and completed investment per project from January to the month of `as_of`."""
    months = progress["month"]
    window = progress[(months.dt.year == year) & (months <= as_of)]
    out = window.groupby("project_id", as_index=False)[["planned", "completed"]].sum()
    return out.rename(columns={"planned": "ytd_planned", "completed": "ytd_completed"})


def monthly_totals(progress: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """The year's planned and completed investment a month, cumulated (completed up to `as_of`)."""
    months = pd.date_range(f"{year}-01-01", periods=12, freq="MS").astype("datetime64[us]")
    frame = progress[progress["month"].dt.year == year]
    sums = frame.groupby("month")[["planned", "completed"]].sum().reindex(months, fill_value=0.0)
    sums.index.name = "month"
    out = sums.reset_index()
    out["completed"] = out["completed"].where(out["month"] <= as_of)
    out["cumulative_planned"] = out["planned"].cumsum()
    out["cumulative_completed"] = out["completed"].cumsum().where(out["month"] <= as_of)
    return out


def completion_table(frame: pd.DataFrame, by: str, elapsed: float, order=None) -> pd.DataFrame:
    """Completion against 序时进度 grouped `by` a projects column (one row a group, then totals)."""
    grouped = frame.groupby(by, dropna=False).agg(
        projects=("project_id", "size"),
        annual_plan=("annual_plan", "sum"),
        ytd_planned=("ytd_planned", "sum"),
        ytd_completed=("ytd_completed", "sum"),
    )
    if order is not None:
        grouped = grouped.reindex([o for o in order if o in grouped.index] +
                                  [g for g in grouped.index if g not in order])
    else:
        grouped = grouped.sort_values("annual_plan", ascending=False)
    out = grouped.reset_index().rename(columns={by: "group"})
    out["group"] = out["group"].astype("str").where(out["group"].notna(), "—")
    out["completion_share"] = out["ytd_completed"] / out["annual_plan"].replace(0, np.nan)
    out["elapsed_share"] = elapsed
    out["points_vs_elapsed"] = (out["completion_share"] - elapsed) * 100
    out["plan_rate"] = out["ytd_completed"] / out["ytd_planned"].replace(0, np.nan)
    return out


def completion_total(frame: pd.DataFrame, elapsed: float) -> pd.Series:
    """The whole list's completion row; zeros (shares unknown) when no project has an annual
    plan, as in a ledger whose plan column was not read (a report published despite its
    plausibility warnings states them on its first page)."""
    table = completion_table(frame.assign(all="all"), "all", elapsed)
    if len(table):
        return table.iloc[0]
    return pd.Series({"group": "all", "projects": 0, "annual_plan": 0.0, "ytd_planned": 0.0,
                      "ytd_completed": 0.0, "completion_share": np.nan, "elapsed_share": elapsed,
                      "points_vs_elapsed": np.nan, "plan_rate": np.nan})


# --- starts, completions, batches, pipeline ---------------------------------------------------


def _months_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later.dt.year - earlier.dt.year) * 12 + (later.dt.month - earlier.dt.month)


def start_lists(projects: pd.DataFrame, year: int, as_of: pd.Timestamp):
    """Projects due to start this year by `as_of`, and the early and late starts among them.

    Early: started this year before the planned month. Late: planned to start by `as_of` but
    not started by then, or started in a later month than planned.
    """
    year_start = pd.Timestamp(year=year, month=1, day=1)
    planned, actual = projects["planned_start"], projects["actual_start"]
    due = projects[planned.between(year_start, as_of)]
    started = actual.between(year_start, as_of)
    slip = _months_between(actual, planned)
    early = projects[started & (slip < 0)].assign(months=-slip[started & (slip < 0)])
    not_started = planned.between(year_start, as_of) & ~(actual <= as_of)
    late_start = started & (slip > 0) & planned.between(year_start, as_of)
    pick = not_started | late_start
    behind = _months_between(pd.Series(as_of, index=projects.index), planned)
    late = projects[pick].assign(
        actual_start=actual.where(actual <= as_of)[pick],  # not yet known
        started=~not_started[pick],
        # an unstarted project due earlier this month is late by (less than) one month, never 0
        months=np.where(not_started[pick], behind[pick].clip(lower=1), slip[pick]),
    )
    # furthest behind first: the unstarted before the started, then by months late
    late = late.sort_values(["started", "months", "planned_start"], ascending=[True, False, True])
    return due, projects[started], early, late


def project_columns(frame: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    cols = ["project_id", "name", "office", "responsible_unit", *extra]
    return frame[cols].reset_index(drop=True)


def batch_table(projects: pd.DataFrame, quarter: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """This quarter's 三个一批: projects per kind and how many converted by `as_of`.

    签约 converts when the project has started (履约开工), 开工 when it started, 投产 when it
    completed (or is recorded 投产).
    """
    batch = projects[projects["batch_quarter"].eq(quarter)]
    started = batch["actual_start"].le(as_of)
    completed = batch["actual_completion"].le(as_of) | batch["stage"].eq("投产")
    converted = np.where(batch["batch_kind"].eq("投产"), completed, started)
    frame = batch.assign(converted=converted)
    rows = []
    for kind in BATCH_KINDS:
        part = frame[frame["batch_kind"].eq(kind)]
        rows.append(
            {
                "batch_kind": kind,
                "projects": len(part),
                "total_investment": float(part["total_investment"].sum()),
                "converted": int(part["converted"].sum()),
                "conversion_rate": share(part["converted"].sum(), len(part)),
            }
        )
    return pd.DataFrame(rows)


def pipeline_table(projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Projects and total investment per pipeline stage at `as_of` (谋划→…→投产)."""
    stage = stage_at(projects, as_of)
    grouped = projects.assign(stage=stage).groupby("stage")
    out = pd.DataFrame(
        {
            "projects": grouped.size(),
            "total_investment": grouped["total_investment"].sum(),
        }
    ).reindex(list(STAGES), fill_value=0)
    out.index.name = "stage"
    out = out.reset_index()
    out["projects"] = out["projects"].astype(int)
    return out



