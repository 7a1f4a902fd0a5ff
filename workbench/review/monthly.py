"""The monthly assessment report (月考核通报): the unit ranking, its change since last month,
the trend through the year, who is praised and named, and in December the annual roll-up.

`assessment_of` is pure (Ledgers and panels in); `monthly_report` reads the snapshot store:
the last snapshot on or before the month's end, the previous month's, every month end's for
the trend (``history.snapshot_panel``) and the baseline changes (``history.baseline_history``).

The ranking is the rubric's unit assessment (``scoring.monthly_assessment`` as of the month's
last day); the trend ranks units by year-to-date completed / planned investment at each
snapshot (`unit_trend`: one pass over the panels, fast enough for a year of weekly snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.periods import month_bounds
from workbench.review.notices import annual_awards, criticised, notice_rules, praised
from workbench.review.pace import rebaseline_counts, schedule_measures

#: The panel columns the trend reads.
TREND_PROJECTS = ["project_id", "responsible_unit", "annual_plan", "parent_id"]
TREND_PROGRESS = ["month", "planned", "completed"]  # rows matched by project_key


@dataclass(frozen=True)
class Assessment:
    """One month's assessment report."""

    month: str
    as_of: pd.Timestamp  # the month's last day
    snapshot_as_of: pd.Timestamp  # the as-of date of the snapshot assessed
    previous_as_of: pd.Timestamp | None
    ranking: pd.DataFrame  # the unit assessment with previous_rank and rank_change
    praised: pd.DataFrame
    criticised: pd.DataFrame
    trend: pd.DataFrame  # long: as_of, responsible_unit, ytd_planned, ytd_completed, completion_rate, rank
    pace: pd.DataFrame  # per unit: months behind and the pace needed
    county: pd.DataFrame  # the same for the county (one row)
    rebaselines: pd.DataFrame  # re-baselines per project (history)
    annual: pd.DataFrame | None  # December: the annual assessment with each unit's award
    rules: dict


def unit_trend(projects: pd.DataFrame, progress: pd.DataFrame, snapshots=None) -> pd.DataFrame:
    """Each unit's year-to-date completion rate and rank at each snapshot of the panels
    (``history.snapshot_panel('projects' / 'progress')``; optionally only `snapshots` ids).
    Rows are matched by ``project_key`` when the progress panel has it, else by ``project_id``.

    Year to date: months of the snapshot's year up to its as-of date. This year's list only
    (annual plan > 0), a bundle once (its parts left out when the bundle row is there). Ties
    share the best rank; a unit with nothing planned yet has no rate and no rank.
    """
    if snapshots is not None:
        keep = set(snapshots)
        projects = projects[projects["snapshot_id"].isin(keep)]
        progress = progress[progress["snapshot_id"].isin(keep)]
    sid = projects["snapshot_id"].to_numpy()
    listed = projects["annual_plan"].to_numpy() > 0
    parent = projects["parent_id"] if "parent_id" in projects else pd.Series(np.nan, projects.index)
    if parent.notna().any():
        rows = pd.MultiIndex.from_arrays([projects["snapshot_id"], projects["project_id"]])
        bundles = pd.MultiIndex.from_arrays([projects["snapshot_id"], parent])
        listed &= ~(parent.notna().to_numpy() & bundles.isin(rows))
    on = ["snapshot_id", "project_key" if "project_key" in progress else "project_id"]
    units = projects.loc[listed, [*on, "responsible_unit"]]
    as_of = pd.to_datetime(progress["as_of"])
    month = progress["month"]
    window = (month.dt.year.to_numpy() == as_of.dt.year.to_numpy()) & (month <= as_of).to_numpy()
    rows = progress.loc[window, [*on, "planned", "completed"]]
    joined = rows.merge(units, on=on, how="inner", sort=False)
    sums = joined.groupby(["snapshot_id", "responsible_unit"], sort=False, observed=True)[
        ["planned", "completed"]].sum()
    out = sums.reset_index().rename(columns={"planned": "ytd_planned", "completed": "ytd_completed"})
    planned = out["ytd_planned"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completion_rate"] = np.where(planned > 0, out["ytd_completed"].to_numpy() / planned,
                                          np.nan)
    out["rank"] = out.groupby("snapshot_id")["completion_rate"].rank(method="min", ascending=False)
    dates = pd.Series(pd.to_datetime(projects["as_of"]).to_numpy(), index=sid)
    dates = dates[~dates.index.duplicated()]
    out["as_of"] = out["snapshot_id"].map(dates)
    return out.sort_values(["as_of", "rank", "responsible_unit"]).reset_index(drop=True)


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend as a table: one row a unit, one column a snapshot date (its rank), best last first."""
    if not len(trend):
        return pd.DataFrame()
    wide = trend.pivot_table(index="responsible_unit", columns="as_of", values="rank",
                             aggfunc="min")
    wide = wide.sort_values(wide.columns[-1], na_position="last")
    wide.columns = [f"{c:%m-%d}" for c in wide.columns]
    return wide.reset_index()


def with_rank_change(ranking: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """`ranking` with previous_rank and rank_change (positive: up that many places)."""
    out = ranking.copy()
    if previous is None or not len(previous):
        out["previous_rank"] = np.nan
    else:
        out = out.merge(previous[["responsible_unit", "rank"]].rename(
            columns={"rank": "previous_rank"}), on="responsible_unit", how="left")
    out["rank_change"] = out["previous_rank"] - out["rank"]
    return out.sort_values("rank", na_position="last").reset_index(drop=True)


def assessment_of(ledger, month: str, *, previous=None, previous_as_of=None, trend=None,
                  history=None, rubric=None, snapshot_as_of=None, lang: str = "zh") -> Assessment:
    """The assessment of `month` from its `ledger`; `previous` is last month's ledger (or None),
    `trend` the `unit_trend` of the year's month ends, `history` the baseline changes."""
    from workbench.scoring import annual_assessment, as_rubric, monthly_assessment

    rubric = as_rubric(rubric)
    rules = notice_rules(rubric, lang)
    start, end = month_bounds(month)
    ranking = monthly_assessment(ledger, end, rubric)
    before = None
    if previous is not None:
        before = monthly_assessment(previous, start - pd.Timedelta(days=1), rubric)
    ranking = with_rank_change(ranking, before)
    annual = None
    if end.month == 12:
        annual = annual_awards(annual_assessment(ledger, rubric), rules)
    pace = schedule_measures(ledger, end, by="unit")
    return Assessment(
        month=month, as_of=end,
        snapshot_as_of=pd.Timestamp(snapshot_as_of) if snapshot_as_of is not None else end,
        previous_as_of=pd.Timestamp(previous_as_of) if previous_as_of is not None else None,
        ranking=ranking, praised=praised(ranking, rules, lang),
        criticised=criticised(ranking, rules, lang),
        trend=trend if trend is not None else pd.DataFrame(), pace=pace,
        county=schedule_measures(ledger, end, by="county"),
        rebaselines=rebaseline_counts(history), annual=annual, rules=rules)


def month_end_snapshots(frame: pd.DataFrame, year: int, last: pd.Timestamp) -> list[int]:
    """The snapshot ids standing for each month end of `year` up to `last`: the last snapshot
    within each month (a month without one is left out)."""
    ids = []
    for month in range(1, last.month + 1):
        start = pd.Timestamp(year=year, month=month, day=1)
        inside = frame[frame["as_of"].between(start, start + pd.offsets.MonthEnd(0))]
        if len(inside):
            ids.append(int(inside.iloc[-1]["snapshot_id"]))
    return ids


def monthly_report(month: str, store=None, rubric=None, lang: str = "zh") -> Assessment:
    """The assessment of `month` read from the snapshot store (default ``data/history.duckdb``)."""
    from workbench.history import baseline_history, read_snapshot, snapshot_panel
    from workbench.review.stored import checked_store, snapshot_on_or_before, snapshots

    path = str(checked_store(store, lang))
    start, end = month_bounds(month)
    frame = snapshots(path)
    latest = snapshot_on_or_before(end, path, what=month, lang=lang, frame=frame)
    ledger = read_snapshot(int(latest["snapshot_id"]), path)
    earlier = frame[frame["as_of"].between(start - pd.offsets.MonthBegin(1),
                                           start - pd.Timedelta(days=1))]
    previous = previous_as_of = None
    if len(earlier):
        previous_as_of = earlier.iloc[-1]["as_of"]
        previous = read_snapshot(int(earlier.iloc[-1]["snapshot_id"]), path)
    ids = month_end_snapshots(frame, end.year, end)
    trend = unit_trend(snapshot_panel("projects", path, columns=TREND_PROJECTS),
                       snapshot_panel("progress", path, columns=TREND_PROGRESS), ids)
    history = baseline_history(path)
    history = history[pd.to_datetime(history["as_of"]) <= end] if len(history) else history
    return assessment_of(ledger, month, previous=previous, previous_as_of=previous_as_of,
                         trend=trend, history=history, rubric=rubric,
                         snapshot_as_of=latest["as_of"], lang=lang)
