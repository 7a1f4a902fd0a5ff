"""Delivery as of a date: year-to-date planned vs completed, SPI-like ratio, 序时进度, slips, RAG.

Everything here is vectorised over whole tables: rows of other tables are matched to projects
by position (`project_positions`) and summed with ``numpy.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.exceptions import ParameterError
from workbench.model.ledger import Ledger
from workbench.scoring.rubric import Rubric, as_rubric

DELIVERY_COLUMNS = [
    "project_id", "ytd_planned", "ytd_completed", "spi", "elapsed_share", "completion_share",
    "points_vs_elapsed", "start_slip_months", "completion_slip_months", "rag",
]


def as_of_timestamp(as_of) -> pd.Timestamp:
    """`as_of` (date, text or Timestamp) as a day Timestamp; ParameterError when it is no date."""
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ParameterError(f"as-of date {as_of!r} is not a date (use YYYY-MM-DD)") from None
    if ts is pd.NaT:
        raise ParameterError("as-of date is missing")
    return ts.normalize().as_unit("us")


def default_as_of(ledger: Ledger) -> pd.Timestamp:
    """End of the last month with progress data (31 Dec of the ledger year when there is none)."""
    if len(ledger.progress):
        last = ledger.progress["month"].max()
        return (last + pd.offsets.MonthEnd(0)).normalize().as_unit("us")
    year = ledger.year or pd.Timestamp.today().year
    return pd.Timestamp(year=year, month=12, day=31).as_unit("us")


def elapsed_share(as_of) -> float:
    """序时进度: share of the calendar year elapsed at the end of the day `as_of`."""
    ts = as_of_timestamp(as_of)
    days = 366 if ts.is_leap_year else 365
    return float(ts.day_of_year) / days


@dataclass(frozen=True)
class ProjectIndex:
    """The projects' ids ready for look-ups: by value, and by object identity (a fast path)."""

    by_value: pd.Index
    by_identity: pd.Index


def project_index(project_ids: pd.Series) -> ProjectIndex:
    """The projects' ids as an index to look rows up in (build once, reuse)."""
    values = project_ids.to_numpy(dtype=object)
    addresses = np.fromiter(map(id, values), dtype="int64", count=len(values))
    return ProjectIndex(pd.Index(values, dtype=object, copy=False), pd.Index(addresses))


def project_positions(project_ids: pd.Series | ProjectIndex, ids: pd.Series) -> np.ndarray:
    """Row position in `project_ids` (a ProjectIndex is reused) of each id in `ids`; -1 if unknown."""
    # Rows of one project usually come together (progress months): each run is looked up once.
    # Ids that are the very same objects as the projects' (common: tables built from one
    # column) are matched by identity, which needs no string hashing; the rest by value.
    index = project_ids if isinstance(project_ids, ProjectIndex) else project_index(project_ids)
    values = ids.to_numpy(dtype=object)
    if len(values) == 0:
        return np.zeros(0, dtype="int64")
    change = np.empty(len(values), dtype=bool)
    change[0] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    heads = np.flatnonzero(change)
    head_values = values[heads]
    addresses = np.fromiter(map(id, head_values), dtype="int64", count=len(head_values))
    found = index.by_identity.get_indexer(addresses)
    missing = np.flatnonzero(found < 0)
    if len(missing):
        found[missing] = index.by_value.get_indexer(
            pd.Index(head_values[missing], dtype=object, copy=False))
    return np.repeat(found, np.diff(np.append(heads, len(values))))


def sum_by_position(positions: np.ndarray, values, n: int, mask=None) -> np.ndarray:
    """Sum of `values` per project position (rows at -1 or outside `mask` ignored)."""
    keep = positions >= 0 if mask is None else (positions >= 0) & mask
    weights = None if values is None else np.asarray(values, dtype="float64")[keep]
    return np.bincount(positions[keep], weights=weights, minlength=n).astype("float64")


def month_number(dates) -> np.ndarray:
    """Months since year 0 as float (NaN for missing dates): differences are month counts."""
    d = np.asarray(dates, dtype="datetime64[us]").astype("datetime64[M]")
    out = d.astype("int64").astype("float64") + 1970 * 12
    out[np.isnat(d)] = np.nan
    return out


def ytd_month_mask(months: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """True for progress months from January of `as_of`'s year up to `as_of`'s month."""
    m = months.to_numpy(dtype="datetime64[us]")
    first = np.datetime64(pd.Timestamp(year=as_of.year, month=1, day=1).as_unit("us"))
    last = np.datetime64(as_of.replace(day=1).as_unit("us"))
    return (m >= first) & (m <= last)


def slip_months(planned, actual, as_of: pd.Timestamp) -> np.ndarray:
    """Months from planned to actual date (negative: early), or to `as_of` while not done."""
    # NaN without a planned date; a date not yet due slips 0
    planned_m = month_number(planned)
    actual_m = month_number(actual)
    actual_dates = pd.DatetimeIndex(actual).to_numpy(dtype="datetime64[us]")
    done = ~np.isnat(actual_dates) & (actual_dates <= np.datetime64(as_of))
    as_of_m = as_of.year * 12 + as_of.month - 1
    waiting = np.maximum(as_of_m - planned_m, 0.0)
    return np.where(done, actual_m - planned_m, waiting)


def rag_of(spi: np.ndarray, rubric: Rubric) -> pd.Series:
    """Green/amber/red from the SPI-like ratio (missing where nothing was due)."""
    rag = rubric.rag
    labels = np.array(["red", "amber", "green"], dtype=object)
    spi = np.round(spi, 9)  # a ratio of 0.95 summed in another order stays green
    codes = (spi >= rag["amber_min"]).astype(int) + (spi >= rag["green_min"]).astype(int)
    out = labels[codes]
    out[np.isnan(spi)] = None
    return pd.Series(out, dtype="str")


def ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


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
