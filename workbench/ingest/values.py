"""Cell value parsers for hand-kept ledgers: amounts, dates, periods, booleans, words, free text.

Every scalar parser takes any cell value (str, number, date, None) and returns ``(value, ok)``:
``value`` is the parsed value or None when the cell is missing; ``ok`` is False when the cell
holds something that is not missing yet cannot be read. Scalar parsers never raise.
The column parsers (``amount_column`` …) apply them to a whole pandas Series: clean numeric or
datetime columns take a vectorised fast path, the rest are parsed once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Cell texts that mean "no value" (compared after NFKC normalisation and lower-casing).
MISSING_WORDS = frozenset(
    {"", "-", "--", "---", "—", "——", "–", "/", "//", "\\", "无", "暂无", "空", "待定", "未定",
     "n/a", "na", "none", "null", "nan", "nat", "#n/a", "不详", "×××", "…", "...", "―"}
)

#: Multipliers from a unit word to 万元.
UNIT_FACTORS = {"万元": 1.0, "万": 1.0, "亿元": 1e4, "亿": 1e4, "元": 1e-4}

_TRUE = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "纳入", "已纳入", "t"})
_FALSE = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "不是", "未纳入", "f"})

_NUMBER = re.compile(
    r"^(?:约|近|超|逾|共计|共|计|合计|总计|大约)?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*"
    r"(万元|亿元|元|万|亿)?\s*(?:左右|余|多|以上|以下|m|mn)?$"
)
_CURRENCY = re.compile(r"[¥￥$£Łĺ\x81€,\s]|人民币|rmb|cny|usd|gbp")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}

_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?)?"
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + "$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份|月)?(?:底|末|初|中旬|上旬|下旬)?$")
_Y = re.compile(r"^(\d{4})\s*(?:年度|年)?(?:底|末|初)?$")
_YMD8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})" + _TIME + "$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_TOKEN = r"\d{4}(?:\s*[./年-]\s*\d{1,2}\s*月?(?:\s*[./-]\s*\d{1,2}\s*日?|\s*\d{1,2}\s*日)?)?\s*年?"
_PERIOD = re.compile(rf"^({_TOKEN})\s*(?:-|—|–|~|～|至|到|－|—+)+\s*({_TOKEN})$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_QUARTER = re.compile(
    r"^(?:(\d{4})\s*(?:年度|年)?\s*[-_ ]?)?(?:第)?\s*(?:q([1-4])|([1-4一二三四])\s*季度?)$"
)

Parsed = tuple[object, bool]


def normalise_text(value) -> str:
    """`value` as text with full-width characters folded (NFKC) and outer blanks removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_missing(value) -> bool:
    """True when a cell is empty or holds a word that means no value (—, /, 无 …)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return normalise_text(value).lower() in MISSING_WORDS
    return False


def parse_amount(value) -> tuple[float | None, float | None, bool]:
    """A number from a cell, as ``(number, unit_factor, ok)``.

    ``unit_factor`` converts the number to 万元 when the cell names a unit ("6.5亿元" → 1e4),
    else None (the column's unit applies). Accepts full-width digits, thousands separators,
    "约5000", "5000万元"; missing words give ``(None, None, True)``.
    """
    if isinstance(value, bool):
        return None, None, False
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None, None, True
        return (number, None, True) if math.isfinite(number) else (None, None, False)
    if is_missing(value) or not isinstance(value, str):
        return None, None, is_missing(value)
    text = _CURRENCY.sub("", normalise_text(value).lower())
    match = _NUMBER.match(text)
    if not match:
        return None, None, False
    try:
        number = float(match.group(1))
    except ValueError:
        return None, None, False
    if not math.isfinite(number):
        return None, None, False
    unit = match.group(2)
    return number, (UNIT_FACTORS[unit] if unit else None), True


def parse_wan(value, factor: float = 1.0) -> Parsed:
    """An amount in 万元: a unit written in the cell wins, else the column's `factor` applies."""
    number, unit, ok = parse_amount(value)
    if number is None:
        return None, ok
    return number * (unit if unit is not None else factor), True


def _timestamp(year: int, month: int = 1, day: int = 1) -> pd.Timestamp | None:
    if not (1900 <= year <= 2100):
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


def parse_date(value, order: str = "ymd") -> Parsed:
    """A date from a cell: Excel dates and serial numbers, "2022.3", "2022年3月", "2022-03-15",
    "2022/3/15", "20220315"; month-only forms give the first of the month.

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
        return parse_date(pd.Timestamp(value), order)
    if isinstance(value, (int, float, np.integer, np.floating)):
        if math.isnan(float(value)):
            return None, True
        stamp = _from_number(float(value))
        return (stamp, True) if stamp is not None else (None, False)
    if is_missing(value):
        return None, True
    if not isinstance(value, str):
        return None, False
    stamp = _date_from_text(normalise_text(value).lower(), order)
    return (stamp.as_unit("us"), True) if stamp is not None else (None, False)


def _date_from_text(text: str, order: str) -> pd.Timestamp | None:
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
    return None


def parse_period(value) -> tuple[pd.Timestamp | None, pd.Timestamp | None, bool]:
    """A construction period ("2021-2023", "2022.7-2024.8", "2022年7月至2024年8月") as
    ``(start, completion, ok)``; a year-only completion means the end of that year."""
    if is_missing(value):
        return None, None, True
    if not isinstance(value, str):
        start, ok = parse_date(value)
        return start, None, ok
    text = normalise_text(value).lower().replace(" ", "")
    match = _PERIOD.match(text)
    if not match:
        start, ok = parse_date(text)
        return start, None, ok
    start, ok_start = parse_date(match.group(1))
    end_text = match.group(2)
    end, ok_end = parse_date(end_text)
    if end is not None and _Y.match(end_text):
        end = end + pd.offsets.YearEnd(0)
    if not (ok_start and ok_end):
        return None, None, False
    return start, end, True


def parse_bool(value) -> Parsed:
    """是/否/√/×/yes/no/1/0 as a boolean; missing is None."""
    if isinstance(value, bool):
        return value, True
    if isinstance(value, (int, float, np.integer, np.floating)):
        if math.isnan(float(value)):
            return None, True
        return (bool(value), True) if float(value) in (0.0, 1.0) else (None, False)
    if is_missing(value):
        return None, True
    text = normalise_text(value).lower() if isinstance(value, str) else ""
    if text in _TRUE:
        return True, True
    if text in _FALSE:
        return False, True
    return None, False


def choice_key(value) -> str:
    """The lookup key of a categorical cell: NFKC text, no blanks, lower case ("5.0" → "5")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", normalise_text(value)).lower()


def parse_choice(value, synonyms: dict[str, str]) -> Parsed:
    """A categorical cell mapped through `synonyms` (keys made by ``choice_key``)."""
    if is_missing(value):
        return None, True
    found = synonyms.get(choice_key(value))
    return (found, True) if found is not None else (None, False)


def parse_quarter(value, year: int | None = None) -> Parsed:
    """A 三个一批 batch ("2022年第一季度", "2022Q1", "一季度") as "YYYYQn"."""
    if is_missing(value):
        return None, True
    text = choice_key(value)
    match = _QUARTER.match(text)
    if not match:
        return None, False
    quarter = match.group(2) or match.group(3)
    quarter = _CN_DIGITS.get(quarter, quarter)
    found_year = int(match.group(1)) if match.group(1) else year
    if found_year is None:
        return None, False
    return f"{found_year}Q{int(quarter)}", True


def parse_text(value) -> Parsed:
    """A free-text cell: stripped text, or None when missing."""
    if is_missing(value):
        return None, True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = pd.Timestamp(value).strftime("%Y-%m-%d")
    text = str(value).strip()
    return (text or None), True


def parse_percent(value) -> Parsed:
    """A percentage 0–100 ("85%", "85", 0.85 read as 85)."""
    if is_missing(value):
        return None, True
    text = value
    if isinstance(value, str):
        text = normalise_text(value).rstrip("%").strip()
    number, unit, ok = parse_amount(text)
    if number is None or unit is not None:
        return None, ok and number is None
    if 0 <= number <= 1 and not (isinstance(value, str) and "%" in value):
        number *= 100
    return (number, True) if 0 <= number <= 100 else (None, False)


# --- free text parsed into rows --------------------------------------------------------------

_CLAUSE = re.compile(r"[;；。\n]+")
_PART = re.compile(r"[;；。,，、\n]+")


def _find_words(text: str, words: dict[str, str]) -> list[tuple[int, str]]:
    """(position, canonical) of each synonym found in `text`, longest synonyms first, no overlaps."""
    taken = [False] * len(text)
    found = []
    for word in sorted(words, key=len, reverse=True):
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                found.append((start, words[word]))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(word, end)
    return sorted(found)


def parse_approvals_text(value, items: dict[str, str], statuses: dict[str, str]) -> tuple[list, bool]:
    """Approval items and statuses from a free-text cell.

    "立项、用地、环评已完成；规划许可办理中" → [(立项, done), (用地, done), (环评, done),
    (规划, in_progress)]. ``items`` and ``statuses`` map lower-case synonyms to canonical words.
    ``ok`` is False when the cell has text but no item could be read.
    """
    if is_missing(value) or not isinstance(value, str):
        return [], is_missing(value)
    text = normalise_text(value).lower()
    rows: dict[str, str] = {}
    for clause in _CLAUSE.split(text):
        # "立项已完成，用地办理中": split further where a status word closes a part
        pending: list[str] = []
        for part in _PART.split(clause):
            found_items = [w for _, w in _find_words(part, items)]
            found_status = [s for _, s in _find_words(part, statuses)]
            pending.extend(found_items)
            if found_status:
                for item in pending:
                    rows.setdefault(item, found_status[-1])
                pending = []
    return list(rows.items()), bool(rows)


def parse_funding_text(value, sources: dict[str, str]) -> tuple[list, bool]:
    """Funding lines (source, amount in 万元 or None) from a free-text cell.

    "专项债券15000；自筹" → [(地方政府专项债券, 15000.0), (企业自筹, None)]. An amount is read
    from the part that names the source; a unit in the text ("1.5亿元") is honoured.
    """
    if is_missing(value) or not isinstance(value, str):
        return [], is_missing(value)
    text = normalise_text(value).lower()
    lines = []
    for part in _PART.split(text):
        found = _find_words(part, sources)
        if not found:
            continue
        number = re.search(r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|万|亿)?", part.replace(",", ""))
        amount = None
        if number:
            unit = number.group(2)
            amount = float(number.group(1)) * (UNIT_FACTORS[unit] if unit else 1.0)
        lines.append((found[0][1], amount))
    return lines, bool(lines) or not text


# --- column parsers (vectorised) -------------------------------------------------------------


def _by_unique(series: pd.Series, parse: Callable[[object], Parsed]) -> tuple[pd.Series, np.ndarray]:
    """Apply a scalar parser once per distinct value; (parsed values, bad mask)."""
    values = series.to_numpy(dtype=object, na_value=None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed, bad = [], []
    for unique in uniques:
        value, ok = parse(unique)
        parsed.append(value)
        bad.append(not ok)
    parsed_arr = np.empty(len(uniques) + 1, dtype=object)
    parsed_arr[: len(uniques)] = parsed
    parsed_arr[-1] = None
    bad_arr = np.array(bad + [False], dtype=bool)
    return pd.Series(parsed_arr[codes], index=series.index, dtype=object), bad_arr[codes]


def missing_mask(series: pd.Series) -> np.ndarray:
    """True where a cell is missing (empty or a missing word), judged once per distinct value."""
    values = series.to_numpy(dtype=object, na_value=None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    flags = np.array([is_missing(u) for u in uniques] + [True], dtype=bool)
    return flags[codes]


def amount_column(series: pd.Series, factor: float = 1.0) -> tuple[pd.Series, np.ndarray]:
    """Amounts in 万元 (float64, NaN when missing) and a mask of unreadable cells."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64") * factor, np.zeros(len(series), dtype=bool)
    objects = series.astype(object)
    numeric = pd.to_numeric(
        objects.where(objects.map(type).isin((float, int))), errors="coerce"
    ).astype("float64")
    rest = numeric.isna() & objects.notna()
    out = numeric * factor
    bad = np.zeros(len(series), dtype=bool)
    if rest.any():
        parsed, bad_rest = _by_unique(objects[rest], lambda v: parse_wan(v, factor))
        out[rest] = pd.to_numeric(parsed, errors="coerce").astype("float64")
        bad[rest.to_numpy()] = bad_rest
    return out, bad


def date_column(series: pd.Series, order: str = "ymd") -> tuple[pd.Series, np.ndarray]:
    """Dates (datetime64[us], NaT when missing) and a mask of unreadable cells."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.normalize().astype("datetime64[us]"), np.zeros(len(series), dtype=bool)
    parsed, bad = _by_unique(series, lambda v: parse_date(v, order))
    return pd.to_datetime(parsed, errors="coerce").astype("datetime64[us]"), bad


def column_of(series: pd.Series, parse: Callable[[object], Parsed]) -> tuple[pd.Series, np.ndarray]:
    """Any scalar parser applied column-wise: (values as object Series, bad mask)."""
    return _by_unique(series, parse)
