"""Re-spreading investment on the S-curve: the rest of a slipped year, a project brought forward.

The S-curve (`s_curve`, shape in ``config/whatif.yaml``) is the cumulative share of a project's
investment spent at each elapsed share of its duration. Months up to ``as_of`` are history and
are never changed; what falls after December leaves the year.

- A **slip** moves a project's planned start and completion N months later and re-spreads the
  plan left in the year from the new start to the new completion. A project whose planned start
  is already past cannot start before the month after ``as_of``; the slip counts from there.
- A reserve project **brought forward** starts in the first month of the named quarter; its
  investment in the year is its total's S-curve share (its new annual plan).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.core.periods import month_index, month_start, quarter_start
from workbench.model.ledger import Ledger
from workbench.whatif._arrays import months_of, positions, shift_months, sum_by
from workbench.whatif._dates import month_number
from workbench.whatif.forecast import rest_of_year
from workbench.whatif.settings import settings


def s_curve(x: np.ndarray) -> np.ndarray:
    """Cumulative share of a project's investment spent at elapsed share `x` (see whatif.yaml)."""
    cfg = settings()["s_curve"]
    k, m = float(cfg["steepness"]), float(cfg["midpoint"])
    x = np.clip(np.asarray(x, dtype="float64"), 0.0, 1.0)
    lo, hi = 1 / (1 + math.exp(k * m)), 1 / (1 + math.exp(-k * (1 - m)))
    return (1 / (1 + np.exp(-k * (x - m))) - lo) / (hi - lo)


def with_rest_of_year(ledger: Ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Progress with even monthly rows for the unspread rest of the year (see `rest_of_year`)."""
    unspread = rest_of_year(ledger, as_of)[2]
    year = ledger.year or as_of.year
    a, ye = month_number(as_of), year * 12 + 11
    idx = np.flatnonzero(unspread > 0)
    if not len(idx) or a >= ye:
        return ledger.progress
    months = np.arange(a + 1, ye + 1, dtype="float64")
    rows = pd.DataFrame({
        "project_id": np.repeat(ledger.projects["project_id"].to_numpy()[idx], len(months)),
        "month": month_start(np.tile(months, len(idx))),
        "planned": np.repeat(unspread[idx] / len(months), len(months)),
        "completed": 0.0,
        "physical_progress": np.nan,
    })
    return pd.concat([ledger.progress, rows], ignore_index=True)


def respread_slips(projects, progress, slip, a, span):
    """Progress and projects with the slipped projects' remaining plan re-spread (vectorised).

    `slip` holds each project's months, `a` the month number of ``as_of``, `span` the year's
    first and last month numbers.
    """
    ye = span[1]
    moved = slip > 0
    idx = np.flatnonzero(moved)
    start = month_index(projects["planned_start"])[idx]
    end = month_index(projects["planned_completion"])[idx]
    s_eff = np.maximum(start, a + 1)
    end = np.where(np.isnan(end), np.maximum(s_eff, ye), end)
    duration = np.maximum(end, s_eff) - s_eff + 1
    new_start = s_eff + slip[idx]

    compact = np.full(len(projects), -1)
    compact[idx] = np.arange(len(idx))
    pos = positions(projects, progress)
    j = np.where(pos >= 0, compact[np.maximum(pos, 0)], -1)  # slipped project of each row, or -1
    m = months_of(progress, "month")
    planned = progress["planned"].to_numpy()
    future = (j >= 0) & (m > a) & (m <= ye)
    remaining = sum_by(j, planned, future, len(idx))  # rows exist: see with_rest_of_year
    share0 = s_curve((ye + 1 - s_eff) / duration)  # the unslipped curve's share left in the year
    level = np.divide(remaining, share0, out=np.zeros(len(idx)), where=share0 > 0)

    def spread(k: np.ndarray, month: np.ndarray) -> np.ndarray:
        x = (month - new_start[k]) / duration[k]
        return level[k] * (s_curve(x + 1 / duration[k]) - s_curve(x))

    new_planned = planned.copy()
    new_planned[future] = spread(j[future], m[future])
    progress = progress.assign(planned=new_planned)
    shift = np.zeros(len(projects))
    shift[idx] = new_start - start
    projects = projects.assign(
        planned_start=shift_months(projects["planned_start"], shift),
        planned_completion=shift_months(projects["planned_completion"], shift),
    )
    return progress, projects


def bring_forward(projects, progress, forward: dict, a: int, span):
    """Reserve projects start at their quarter; the year's plan is their total's S-curve share.

    `forward` maps project ids to quarters (YYYYQn); `a` and `span` as in `respread_slips`.
    """
    ye = span[1]
    hit = projects["project_id"].isin(list(forward)).to_numpy()
    idx = np.flatnonzero(hit)
    ids = projects["project_id"].to_numpy()[idx]
    qstart = np.array([quarter_start(forward[p]).to_datetime64() for p in ids], dtype="datetime64[us]")
    start = month_index(qstart)
    old_start = month_index(projects["planned_start"])[idx]
    old_end = month_index(projects["planned_completion"])[idx]
    default = float(settings()["default_duration_months"])
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(old_start) & ~np.isnan(old_end) & (old_end >= old_start)
    duration = np.where(known, old_end - old_start + 1, default)
    total = projects["total_investment"].to_numpy()[idx]
    months = np.arange(a + 1, ye + 1, dtype="float64")
    x = (months[None, :] - start[:, None]) / duration[:, None]
    amount = total[:, None] * (s_curve(x + 1 / duration[:, None]) - s_curve(x))
    rows = pd.DataFrame({"project_id": np.repeat(ids, len(months)),
                         "month": month_start(np.tile(months, len(ids))),
                         "planned": amount.ravel(), "completed": 0.0, "physical_progress": np.nan})
    m = months_of(progress, "month")
    drop = np.isin(positions(projects, progress), idx) & (m > a) & (m <= ye)
    progress = pd.concat([progress.loc[~drop] if drop.any() else progress, rows], ignore_index=True)

    def put(column: str, values) -> np.ndarray:
        out = projects[column].to_numpy(copy=True)
        out[idx] = values
        return out

    completion = (month_start(start + duration).astype("datetime64[D]") - 1).astype("datetime64[us]")
    projects = projects.assign(
        planned_start=put("planned_start", qstart),
        planned_completion=put("planned_completion", completion),
        annual_plan=put("annual_plan", total * s_curve((ye + 1 - start) / duration)),
        nature=put("nature", "新开工"),
        stage=put("stage", "前期"),
        batch_quarter=put("batch_quarter", [forward[p] for p in ids]),
        batch_kind=put("batch_kind", "开工"),
    )
    return projects, progress
