"""Dates in hand-kept ledgers: Excel dates and serial numbers, Chinese and dotted date texts,
date phrases ("2022年底", "上半年", "二季度", "3月底"), construction periods ("2022.7-2024.8")
and batch quarters ("2022年二季度").

Date phrases name a period, not a day. The rule: a phrase that says the end of a period
("2022年底", "年末", "3月底", "下旬") is the last day of that period, one that says its
beginning ("年初", "3月初", "上旬") the first day; a bare period ("上半年", "二季度", "年中")
is its first day in a start column and its last day in a completion column (``bound``), and
"年中" is the half-year boundary (30 June / 1 July). A phrase without a year ("3月底",
"上半年") is in the ledger's year; without a ledger year it is unreadable. "2022年3月" and
"2022年" stay the first of the month / year (the bundled layout's meaning).

Scalar parsers follow ``values``'s contract: any cell in, ``(value, ok)`` out, never raising.
A date outside 1900–2100 is unreadable. Quarters are written the workbench's way (YYYYQn,
``core.periods``), so a parsed batch quarter has the bounds ``core.periods.quarter_bounds`` gives.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from workbench.core.periods import quarter_of
from workbench.ingest.values import (
    Parsed,
    choice_key,
    distinct_parsed,
    is_blank_cell,
    normalise_text,
)

#: Chinese numerals of months and quarters (一 … 十二).
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                    "十": 10, "十一": 11, "十二": 12}
#: Years a ledger date may fall in.
YEARS = range(1900, 2101)

_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?)?"
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + "$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份|月)?$")
_Y = re.compile(r"^(\d{4})\s*(?:年度|年)?$")
#: Phrases: [year] + [month] + a part of the period ("2022年底", "3月底", "上半年", "二季度").
_PHRASE = re.compile(
    r"^(?:(\d{4})\s*(?:年度|年)?)?\s*(?:(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?)?\s*"
    r"(年底|年末|年初|年中|底|末|初|中|上旬|中旬|下旬|上半年|下半年|"
    r"(?:第)?(?:[1-4一二三四])季度|q[1-4]|)\s*(?:前|以前|之前)?$"
)
_YMD8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})" + _TIME + "$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_TOKEN = r"\d{4}(?:\s*[./年-]\s*\d{1,2}\s*月?(?:\s*[./-]\s*\d{1,2}\s*日?|\s*\d{1,2}\s*日)?)?\s*年?"
_PERIOD = re.compile(rf"^({_TOKEN})\s*(?:-|—|–|~|～|至|到|－|—+)+\s*({_TOKEN})$")
_PERIOD_WORDS = re.compile(r"(?:至|到|~|～|—+|–)")
_HYPHEN = re.compile(r"[-－]")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_QUARTER = re.compile(
    r"^(?:(\d{4})\s*(?:年度|年)?\s*[-_ ]?)?(?:第)?\s*(?:q([1-4])|([1-4一二三四])\s*季度?)$"
)


def _timestamp(year: int, month: int = 1, day: int = 1) -> pd.Timestamp | None:
    if year not in YEARS:
        return None
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except (ValueError, OverflowError):
        return None


def _from_number(number: float) -> pd.Timestamp | None:
    if not math.isfinite(number):
        return None
    if 1900 <= number <= 2100:
        if float(number).is_integer():
            return _timestamp(int(number))
        year, _, month = repr(float(number)).partition(".")
        return _timestamp(int(year), int(month)) if month.isdigit() and len(month) <= 2 else None
    if 1 <= number < 2958466:  # Excel serial day numbers (1900 date system)
        try:
            return (_EXCEL_EPOCH + pd.Timedelta(days=int(number))).normalize()
        except (OverflowError, ValueError):
            return None
    return None


def parse_date(value, order: str = "ymd", year: int | None = None, bound: str = "start") -> Parsed:
    """A date from a cell: Excel dates and serial numbers, "2022.3", "2022年3月", "2022-03-15",
    "2022/3/15", "20220315"; month-only forms give the first of the month; date phrases
    ("2022年底", "上半年", "二季度", "3月底") as the module says, `year` the ledger's year for
    phrases without one, `bound` "start" or "end" for a bare period.

    ``order`` is "ymd" (Chinese ledgers), "dmy" (UK) or "mdy" (US) for two-digit leading forms.
    """
    if isinstance(value, bool):
        return None, False
    if isinstance(value, pd.Timestamp):
        return (None, True) if pd.isna(value) else (value.normalize().as_unit("us"), True)
    if isinstance(value, (dt.datetime, dt.date)):
        try:
            return pd.Timestamp(value).normalize().as_unit("us"), True
        except (ValueError, OverflowError):
            return None, False
    if isinstance(value, np.datetime64):
        return parse_date(pd.Timestamp(value), order, year, bound)
    if isinstance(value, (int, float, np.integer, np.floating)):
        if math.isnan(float(value)):
            return None, True
        stamp = _from_number(float(value))
        return (stamp, True) if stamp is not None else (None, False)
    if is_blank_cell(value):
        return None, True
    if not isinstance(value, str):
        return None, False
    stamp = _date_from_text(normalise_text(value).lower(), order, year, bound)
    return (stamp.as_unit("us"), True) if stamp is not None else (None, False)


def _date_from_text(text: str, order: str, year: int | None = None,
                    bound: str = "start") -> pd.Timestamp | None:
    if re.fullmatch(r"\d{4}\.0+", text):  # a year typed as a number ("2023.0")
        return _timestamp(int(text[:4]))
    for pattern in (_YMD, _YMD8):
        match = pattern.match(text)
        if match:
            return _timestamp(*(int(g) for g in match.groups()))
    match = _YM.match(text)
    if match:
        return _timestamp(int(match.group(1)), int(match.group(2)))
    match = _Y.match(text)
    if match:
        return _timestamp(int(match.group(1)))
    match = _DMY.match(text)
    if match and order in ("dmy", "mdy"):
        a, b, year = (int(g) for g in match.groups())
        year = year + 2000 if year < 100 else year
        day, month = (a, b) if order == "dmy" else (b, a)
        return _timestamp(year, month, day)
    if _SERIAL.match(text):
        return _from_number(float(text))
    match = _PHRASE.match(text.replace(" ", ""))
    if match and (match.group(2) or match.group(3)):
        return _phrase(match, year, bound)
    return None


def _phrase(match: re.Match, year: int | None, bound: str) -> pd.Timestamp | None:
    """The day a date phrase means (see the module): (year, month, part of the period)."""
    found_year = int(match.group(1)) if match.group(1) else year
    month = _month_of(match.group(2)) if match.group(2) else None
    part = match.group(3)
    if found_year is None or (match.group(2) and month is None):
        return None
    end = bound == "end"
    if month is not None:
        first = _timestamp(found_year, month)
        if first is None or part in ("年底", "年末", "年初", "年中", "上半年", "下半年") or (
                "季" in part or part.startswith("q")):
            return None
        last = first + pd.offsets.MonthEnd(0)
        days = {"": None, "初": 1, "上旬": 10 if end else 1, "中": 15, "中旬": 20 if end else 11,
                "下旬": last.day if end else 21, "底": last.day, "末": last.day}
        day = days[part]
        return first if day is None else first.replace(day=day)
    if part in ("底", "末", "年底", "年末"):
        return _timestamp(found_year, 12, 31)
    if part in ("初", "年初"):
        return _timestamp(found_year, 1, 1)
    if part in ("年中", "中"):
        return _timestamp(found_year, 6, 30) if end else _timestamp(found_year, 7, 1)
    if part in ("上半年", "下半年"):
        months = (1, 6) if part == "上半年" else (7, 12)
    else:
        quarter = int(CHINESE_NUMERALS.get(part[-3], part[-3]) if "季" in part else part[-1])
        months = (3 * quarter - 2, 3 * quarter)
    if not end:
        return _timestamp(found_year, months[0])
    start = _timestamp(found_year, months[1])
    return None if start is None else start + pd.offsets.MonthEnd(0)


def _month_of(text: str) -> int | None:
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return CHINESE_NUMERALS.get(text)


def parse_period(value, year: int | None = None) -> tuple[pd.Timestamp | None, pd.Timestamp | None, bool]:
    """A construction period ("2021-2023", "2022.7-2024.8", "2022年7月至2024年8月", "2022年3月至
    2023年底") as ``(start, completion, ok)``; a year-only completion means the end of that
    year; date phrases read as ``parse_date`` reads them (`year` the ledger's)."""
    if is_blank_cell(value):
        return None, None, True
    if not isinstance(value, str):
        start, ok = parse_date(value)
        return start, None, ok
    text = normalise_text(value).lower().replace(" ", "")
    match = _PERIOD.match(text)
    if not match:
        for splitter in (_PERIOD_WORDS, _HYPHEN):  # phrases: "2022年3月至2023年底", "二季度~年底"
            parts = splitter.split(text)
            if len(parts) != 2 or not all(parts):
                continue
            start, ok_start = parse_date(parts[0], year=year, bound="start")
            end, ok_end = parse_date(parts[1], year=year, bound="end")
            if ok_start and ok_end and start is not None and end is not None:
                return start, end, True
        start, ok = parse_date(text, year=year)
        return start, None, ok
    start, ok_start = parse_date(match.group(1))
    end_text = match.group(2)
    end, ok_end = parse_date(end_text)
    if end is not None and _Y.match(end_text):
        end = end + pd.offsets.YearEnd(0)
    if not (ok_start and ok_end):
        return None, None, False
    return start, end, True


def parse_quarter_cell(value, year: int | None = None) -> Parsed:
    """A 三个一批 batch cell ("2022年第一季度", "2022Q1", "一季度" with the ledger's `year`) as
    the workbench's quarter YYYYQn (``core.periods``); a year outside 1900–2100 is unreadable.

    Not ``core.periods.parse_quarter``, which splits a quarter already written YYYYQn.
    """
    if is_blank_cell(value):
        return None, True
    match = _QUARTER.match(choice_key(value))
    if not match:
        return None, False
    quarter = match.group(2) or match.group(3)
    number = int(CHINESE_NUMERALS.get(quarter, quarter))
    found_year = int(match.group(1)) if match.group(1) else year
    start = _timestamp(found_year, 3 * number - 2) if found_year is not None else None
    if start is None:
        return None, False
    return quarter_of(start), True


def date_column(series: pd.Series, order: str = "ymd", year: int | None = None,
                bound: str = "start") -> tuple[pd.Series, np.ndarray]:
    """Dates (datetime64[us], NaT when blank) and a mask of unreadable cells (`year` and
    `bound` as ``parse_date`` takes them)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.normalize().astype("datetime64[us]"), np.zeros(len(series), dtype=bool)
    codes, parsed, bad = distinct_parsed(series, lambda v: parse_date(v, order, year, bound))
    dates = pd.to_datetime(pd.Series(parsed, dtype=object), errors="coerce").astype("datetime64[us]")
    return pd.Series(dates.to_numpy()[codes], index=series.index), bad[codes]
