"""Delivery as of a date: year-to-date planned vs completed, SPI-like ratio, 序时进度, slips, RAG.

Everything here is vectorised over whole tables: rows of other tables are matched to projects
by position (`workbench.scoring.lookup`) and summed with ``numpy.bincount``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.numbers import ratio
from workbench.core.periods import as_of_timestamp, elapsed_share, month_index
from workbench.core.vocabulary import RAGS
from workbench.model.ledger import Ledger
from workbench.scoring.lookup import project_positions, sum_by_position
from workbench.scoring.rubric import Rubric, as_rubric

DELIVERY_COLUMNS = [
    "project_id", "ytd_planned", "ytd_completed", "spi", "elapsed_share", "completion_share",
    "points_vs_elapsed", "start_slip_months", "completion_slip_months", "rag",
]


def ytd_month_mask(months: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """True for progress months from January of `as_of`'s year up to `as_of`'s month."""
    m = months.to_numpy(dtype="datetime64[us]")
    first = np.datetime64(pd.Timestamp(year=as_of.year, month=1, day=1).as_unit("us"))
    last = np.datetime64(as_of.replace(day=1).as_unit("us"))
    return (m >= first) & (m <= last)


def slip_months(planned, actual, as_of: pd.Timestamp) -> np.ndarray:
    """Months from planned to actual date (negative: early), or to `as_of` while not done."""
    # NaN without a planned date; a date not yet due slips 0
    planned_m = month_index(planned)
    actual_m = month_index(actual)
    actual_dates = pd.DatetimeIndex(actual).to_numpy(dtype="datetime64[us]")
    done = ~np.isnat(actual_dates) & (actual_dates <= np.datetime64(as_of))
    waiting = np.maximum(month_index([as_of])[0] - planned_m, 0.0)
    return np.where(done, actual_m - planned_m, waiting)


def rag_of(spi: np.ndarray, rubric: Rubric) -> pd.Series:
    """Green/amber/red from the SPI-like ratio (missing where nothing was due)."""
    rag = rubric.rag
    labels = np.array(RAGS[::-1], dtype=object)  # worst first: codes count thresholds passed
    spi = np.round(spi, 9)  # a ratio of 0.95 summed in another order stays green
    codes = (spi >= rag["amber_min"]).astype(int) + (spi >= rag["green_min"]).astype(int)
    out = labels[codes]
    out[np.isnan(spi)] = None
    return pd.Series(out, dtype="str")


def ytd_sums(ledger: Ledger, as_of: pd.Timestamp, positions: np.ndarray | None = None):
    """(planned, completed) year-to-date investment per project, in projects' row order."""
    progress = ledger.progress
    n = len(ledger.projects)
    if positions is None:
        positions = project_positions(ledger.projects["project_id"], progress["project_id"])
    mask = ytd_month_mask(progress["month"], as_of)
    planned = sum_by_position(positions, progress["planned"].to_numpy(), n, mask)
    completed = sum_by_position(positions, progress["completed"].to_numpy(), n, mask)
    return planned, completed


def delivery(ledger: Ledger, as_of, rubric: Rubric | None = None,
             positions: np.ndarray | None = None) -> pd.DataFrame:
    """One row a project: year-to-date plan vs completion, SPI, 序时进度 gap, slips and RAG."""
    rubric = as_rubric(rubric)
    as_of = as_of_timestamp(as_of)
    p = ledger.projects
    planned, completed = ytd_sums(ledger, as_of, positions)
    spi = ratio(completed, planned)
    share = elapsed_share(as_of)
    completion_share = ratio(completed, p["annual_plan"].to_numpy())
    start_slip = slip_months(p["planned_start"], p["actual_start"], as_of)
    completion_slip = slip_months(p["planned_completion"], p["actual_completion"], as_of)
    return pd.DataFrame({
        "project_id": p["project_id"],
        "ytd_planned": planned,
        "ytd_completed": completed,
        "spi": spi,
        "elapsed_share": np.full(len(p), share),
        "completion_share": completion_share,
        "points_vs_elapsed": (completion_share - share) * 100.0,
        "start_slip_months": pd.array(start_slip, dtype="Int64"),
        "completion_slip_months": pd.array(completion_slip, dtype="Int64"),
        "rag": rag_of(spi, rubric),
    })
