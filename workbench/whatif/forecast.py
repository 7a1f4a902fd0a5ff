"""The year's investment forecast: per project and month by month (actual to ``as_of``, then plan).

A ledger may carry monthly plans only up to its data month (year-to-date columns). A project
with no plan row after ``as_of`` is taken to spend the rest of its annual plan (annual plan −
planned to date, at least 0) evenly over the remaining months. Amounts are 万元.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.periods import month_start
from workbench.model.ledger import Ledger
from workbench.whatif._arrays import months_of, positions, sum_by
from workbench.whatif._dates import as_of_for, month_number


def rest_of_year(ledger, as_of: pd.Timestamp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per project: completed to `as_of`, planned rows after it, and the unspread rest.

    `ledger` is a Ledger or anything with its ``projects``, ``progress`` and ``year``.
    """
    year = ledger.year or as_of.year
    a, ye = month_number(as_of), year * 12 + 11
    p, g = ledger.projects, ledger.progress
    pos = positions(p, g)
    m = months_of(g, "month")
    planned = g["planned"].to_numpy()
    history, ahead = (m >= year * 12) & (m <= a), (m > a) & (m <= ye)
    done = sum_by(pos, g["completed"].to_numpy(), history, len(p))
    rows = sum_by(pos, planned, ahead, len(p))
    has_rows = np.bincount(pos[ahead & (pos >= 0)], minlength=len(p)) > 0
    to_date = sum_by(pos, planned, history, len(p))
    unspread = np.where(has_rows | (a >= ye), 0.0,
                        np.maximum(p["annual_plan"].to_numpy() - to_date, 0.0))
    return done, rows, unspread


def year_forecast(ledger: Ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per project: completed to `as_of`, plan for the rest of the year, year-end forecast."""
    as_of = as_of_for(ledger, as_of)
    done, rows, unspread = rest_of_year(ledger, as_of)
    p = ledger.projects
    return pd.DataFrame({
        "project_id": p["project_id"].to_numpy(),
        "completed_to_date": done,
        "remaining_plan": rows + unspread,
        "forecast": done + rows + unspread,
        "annual_plan": p["annual_plan"].to_numpy(),
    })


def forecast_curve(ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Month by month: cumulative plan and cumulative forecast (actual to `as_of`, then plan), 万元.

    `ledger` is a Ledger or anything with its ``projects``, ``progress`` and ``year``.
    """
    as_of = as_of_for(ledger, as_of)
    year = ledger.year or as_of.year
    a = month_number(as_of)
    g = ledger.progress
    m = months_of(g, "month")
    offset = np.nan_to_num(m - year * 12, nan=-1).astype("int64")
    inside = (offset >= 0) & (offset < 12)
    planned = g["planned"].to_numpy()
    value = np.where(m <= a, g["completed"].to_numpy(), planned)
    plan, forecast = sum_by(offset, planned, inside, 12), sum_by(offset, value, inside, 12)
    unspread = float(rest_of_year(ledger, as_of)[2].sum())
    later = np.arange(12) > a - year * 12
    if unspread and later.any():
        plan[later] += unspread / later.sum()
        forecast[later] += unspread / later.sum()
    months = month_start(np.arange(year * 12, year * 12 + 12, dtype="float64"))
    return pd.DataFrame({
        "month": months,
        "plan": np.cumsum(plan),
        "forecast": np.cumsum(forecast),
        "actual": months <= as_of.to_datetime64(),
    })
