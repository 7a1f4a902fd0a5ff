"""Dates the DRC's cycle is counted in: quarters, months, as-of dates, the share of the year elapsed.

One definition each, used by scoring, the review, the what-if and publishing alike.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.core.words import error_message
from workbench.exceptions import ParameterError

#: A quarter as the workbench writes it: YYYYQn.
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
QUARTER_FORMAT = "YYYYQn, e.g. 2022Q3"


def parse_quarter(quarter) -> tuple[int, int]:
    """`(year, n)` of a quarter written YYYYQn; ParameterError naming the format otherwise."""
    match = QUARTER.match(str(quarter).strip())
    if not match:
        raise ParameterError(error_message("quarter_form", value=quarter),
                             field="quarter", value=str(quarter))
    year = int(match[1])
    if not 1900 <= year <= 2199:
        raise ParameterError(error_message("quarter_year", value=quarter, year=year),
                             field="quarter", value=str(quarter))
    return year, int(match[2])


def quarter_bounds(quarter) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a quarter written YYYYQn."""
    year, n = parse_quarter(quarter)
    start = pd.Timestamp(year=year, month=3 * n - 2, day=1)
    return start, (start + pd.offsets.QuarterEnd(0)).normalize()


def quarter_start(quarter) -> pd.Timestamp:
    """The first day of a quarter written YYYYQn."""
    return quarter_bounds(quarter)[0]


def quarter_end(quarter) -> pd.Timestamp:
    """The last day of a quarter written YYYYQn."""
    return quarter_bounds(quarter)[1]


def quarter_of(day) -> str:
    """The quarter (YYYYQn) a day falls in."""
    ts = pd.Timestamp(day)
    return f"{ts.year}Q{(ts.month - 1) // 3 + 1}"


def as_of_timestamp(as_of) -> pd.Timestamp:
    """`as_of` (date, text or Timestamp) as a day Timestamp; ParameterError when it is no date."""
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ParameterError(error_message("as_of_not_date", value=as_of),
                             field="as_of", value=str(as_of)) from None
    if ts is pd.NaT:
        raise ParameterError(error_message("as_of_missing"), field="as_of")
    return ts.normalize().as_unit("us")


def elapsed_share(as_of) -> float:
    """序时进度: the share of the calendar year elapsed at the end of the day `as_of`."""
    ts = as_of_timestamp(as_of)
    days = 366 if ts.is_leap_year else 365
    return float(ts.day_of_year) / days


def month_index(dates) -> np.ndarray:
    """Months since year 0 (year × 12 + month − 1) as float, NaN for a missing date.

    Differences are month counts: ``month_index(b) - month_index(a)`` is how many calendar
    months `b` lies after `a`.
    """
    values = np.asarray(dates, dtype="datetime64[us]")
    months = values.astype("datetime64[M]").astype("int64").astype("float64") + 1970 * 12
    months[np.isnat(values)] = np.nan
    return months


def month_start(index) -> np.ndarray:
    """The first day of each month index (see `month_index`) as datetime64[us]; NaN gives NaT."""
    index = np.asarray(index, dtype="float64")
    out = np.full(index.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    ok = ~np.isnan(index)
    out[ok] = (index[ok].astype("int64") - 1970 * 12).astype("datetime64[M]").astype("datetime64[us]")
    return out


def month_end(day) -> pd.Timestamp:
    """The last day of the month `day` falls in."""
    return (pd.Timestamp(day) + pd.offsets.MonthEnd(0)).normalize().as_unit("us")


#: An ISO week as the workbench writes it (周调度): YYYY-Www; a month (月考核): YYYY-MM.
WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def week_bounds(week) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Monday and Sunday of an ISO week written YYYY-Www (2022-W49); ParameterError otherwise."""
    match = WEEK.match(str(week).strip())
    try:
        monday = pd.Timestamp.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:
        monday = None
    if monday is None:
        raise ParameterError(error_message("week_form", value=week),
                             field="week", value=str(week))
    monday = monday.normalize().as_unit("us")
    return monday, monday + pd.Timedelta(days=6)


def week_of(day) -> str:
    """The ISO week (YYYY-Www) a day falls in."""
    year, week, _ = pd.Timestamp(day).isocalendar()
    return f"{year}-W{week:02d}"


def month_bounds(month) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a month written YYYY-MM (2022-06); ParameterError otherwise."""
    match = MONTH.match(str(month).strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ParameterError(error_message("month_form", value=month),
                             field="month", value=str(month))
    start = pd.Timestamp(year=int(match[1]), month=int(match[2]), day=1).as_unit("us")
    return start, month_end(start)
