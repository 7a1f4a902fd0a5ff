"""Cell values of hand-kept ledgers: blank cells, amounts, booleans, choices, percentages, text.

Every scalar parser takes any cell value (str, number, date, None) and returns ``(value, ok)``:
``value`` is the parsed value or None when the cell is blank; ``ok`` is False when the cell
holds something that is not blank yet cannot be read. Scalar parsers never raise.
The column parsers (``amount_column`` …) apply them to a whole pandas Series: clean numeric
columns take a vectorised fast path, the rest are parsed once per distinct value.
Dates, periods and quarters are ``dates``'s; free text read into items is ``items``'s.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from workbench.core.numbers import is_missing
from workbench.core.text import fold

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
_CURRENCY = re.compile(r"[¥￥$£Łłĺ\x81€,\s]|人民币|rmb|cny|usd|gbp")

Parsed = tuple[object, bool]


def normalise_text(value) -> str:
    """`value` as text as written, only full-width characters folded (NFKC) and outer blanks
    removed: case and inner blanks kept, for values whose reading depends on them ("2022-03-15
    10:30", a category kept as the ledger wrote it).

    Not a matching key: headers and words are compared by ``core.text.fold`` (no blanks at
    all, case folded), through ``aliases.header_key`` and ``choice_key``.
    """
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank_cell(value) -> bool:
    """True when a raw cell holds no value: NA or blank text (``core.numbers.is_missing``, the
    workbench's one missing-value rule) or a placeholder word people type for "none" (—, /, 无,
    n/a …, see ``MISSING_WORDS``).

    A raw-cell notion for reading ledgers: once loaded, a Ledger stores such cells as NA and
    ``core.numbers.is_missing`` is the rule (a text "无" in a Ledger is text).
    """
    if is_missing(value):
        return True
    return isinstance(value, str) and normalise_text(value).lower() in MISSING_WORDS


def parse_amount(value) -> tuple[float | None, float | None, bool]:
    """A number from a cell, as ``(number, unit_factor, ok)``.

    ``unit_factor`` converts the number to 万元 when the cell names a unit ("6.5亿元" → 1e4),
    else None (the column's unit applies). Accepts full-width digits, thousands separators,
    "约5000", "5000万元"; blank cells give ``(None, None, True)``.
    """
    if isinstance(value, bool):
        return None, None, False
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None, None, True
        return (number, None, True) if math.isfinite(number) else (None, None, False)
    if is_blank_cell(value) or not isinstance(value, str):
        return None, None, is_blank_cell(value)
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


def parse_bool(value) -> Parsed:
    """是/否/√/×/yes/no/1/0 as a boolean; a blank cell is None."""
    if isinstance(value, bool):
        return value, True
    if isinstance(value, (int, float, np.integer, np.floating)):
        if math.isnan(float(value)):
            return None, True
        return (bool(value), True) if float(value) in (0.0, 1.0) else (None, False)
    if is_blank_cell(value):
        return None, True
    text = normalise_text(value).lower() if isinstance(value, str) else ""
    if text in _TRUE:
        return True, True
    if text in _FALSE:
        return False, True
    return None, False


def choice_key(value) -> str:
    """The lookup key of a categorical cell: ``core.text.fold`` of its text ("5.0" → "5")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(value)


def parse_choice(value, synonyms: dict[str, str]) -> Parsed:
    """A categorical cell mapped through `synonyms` (keys made by ``choice_key``)."""
    if is_blank_cell(value):
        return None, True
    found = synonyms.get(choice_key(value))
    return (found, True) if found is not None else (None, False)


def parse_text(value) -> Parsed:
    """A free-text cell: stripped text, or None when blank."""
    if is_blank_cell(value):
        return None, True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = pd.Timestamp(value).strftime("%Y-%m-%d")
    text = str(value).strip()
    return (text or None), True


def parse_percent(value) -> Parsed:
    """A percentage 0–100 ("85%", "85", 0.85 read as 85)."""
    if is_blank_cell(value):
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


def _percent_number(value) -> tuple[float | None, bool, bool]:
    """(number as written, written with a % sign, ok) of a percentage cell."""
    if is_blank_cell(value):
        return None, False, True
    signed = isinstance(value, str) and "%" in normalise_text(value)
    text = normalise_text(value).rstrip("%").strip() if isinstance(value, str) else value
    number, unit, ok = parse_amount(text)
    if number is None or unit is not None:
        return None, signed, ok and number is None
    return number, signed, True


# --- column parsers (vectorised) -------------------------------------------------------------


def percent_column(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Percentages 0–100 of a column, read as the column is written: "65%" is 65 and so is a
    percent-formatted cell (0.65); a bare number is a fraction (×100) only when no bare number
    of the column is above 1 (a column of 85, 40, 1 keeps its 1 as 1 %). Out of 0–100 is
    unreadable."""
    parsed, _ = column_of(series, lambda v: ((lambda n, s, ok: ((n, s), ok))(*_percent_number(v))))
    bare = [p[0] for p in parsed if p is not None and p[0] is not None and not p[1]]
    fractions = bool(bare) and max(bare) <= 1

    out = np.full(len(parsed), np.nan)
    bad = np.zeros(len(parsed), dtype=bool)
    for i, p in enumerate(parsed):
        if p is None or p[0] is None:
            continue
        number = p[0] * 100 if (fractions and not p[1]) else p[0]
        if 0 <= number <= 100:
            out[i] = number
        else:
            bad[i] = True
    _, unreadable = column_of(series, lambda v: (None, _percent_number(v)[2]))
    out = pd.Series(out, index=series.index)
    return out, bad | unreadable


def column_of(series: pd.Series, parse: Callable[[object], Parsed]) -> tuple[pd.Series, np.ndarray]:
    """Any scalar parser applied column-wise, once per distinct value: (values as an object
    Series, mask of unreadable cells)."""
    codes, parsed, bad = distinct_parsed(series, parse)
    return pd.Series(parsed[codes], index=series.index, dtype=object), bad[codes]


def distinct_parsed(series: pd.Series, parse: Callable[[object], Parsed]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`parse` applied once per distinct value of `series`: each cell's code, and per code the
    parsed value and whether it was unreadable (the last code, -1, is the blank cell: None, not
    unreadable). A caller converting the parsed values converts only these few."""
    values = series.to_numpy(dtype=object, na_value=None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.empty(len(uniques) + 1, dtype=object)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, unique in enumerate(uniques):
        value, ok = parse(unique)
        parsed[i] = value
        bad[i] = not ok
    parsed[-1] = None
    return codes, parsed, bad


def blank_mask(series: pd.Series) -> np.ndarray:
    """True where a cell is blank (``is_blank_cell``), judged once per distinct value."""
    values = series.to_numpy(dtype=object, na_value=None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    flags = np.array([is_blank_cell(u) for u in uniques] + [True], dtype=bool)
    return flags[codes]


_NUMBERS_ONLY = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def amount_column(series: pd.Series, factor: float = 1.0) -> tuple[pd.Series, np.ndarray]:
    """Amounts in 万元 (float64, NaN when blank) and a mask of unreadable cells."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64") * factor, np.zeros(len(series), dtype=bool)
    objects = series.astype(object)
    # a column of numbers and blanks (the common case) needs no look at each cell's type
    if pd.api.types.infer_dtype(objects, skipna=True) in _NUMBERS_ONLY:
        return pd.to_numeric(objects, errors="coerce").astype("float64") * factor, \
            np.zeros(len(series), dtype=bool)
    numeric = pd.to_numeric(
        objects.where(np.fromiter((type(v) is float or type(v) is int for v in objects.to_numpy()),
                                  dtype=bool, count=len(objects))), errors="coerce"
    ).astype("float64")
    rest = numeric.isna() & objects.notna()
    out = numeric * factor
    bad = np.zeros(len(series), dtype=bool)
    if rest.any():
        parsed, bad_rest = column_of(objects[rest], lambda v: parse_wan(v, factor))
        out[rest] = pd.to_numeric(parsed, errors="coerce").astype("float64")
        bad[rest.to_numpy()] = bad_rest
    return out, bad


def text_column(series: pd.Series) -> pd.Series:
    """Free text: stripped, blank cells → <NA>; numbers shown without '.0'."""
    def one(v):
        if is_blank_cell(v):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (dt.date, pd.Timestamp)):  # datetime is a date too
            return pd.Timestamp(v).strftime("%Y-%m-%d")
        text = str(v).strip()
        return text or None

    if not len(series):
        return pd.Series([], dtype="str")
    # once per distinct value (a county names few units, places, stages)
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    uniques = list(uniques)
    is_text = [type(u) is str for u in uniques]
    if all(is_text):
        # text cells only; placeholder words are short, so only short texts are judged
        stripped = [u.strip() for u in uniques]
        mapped_list = [None if not t or (len(t) <= 6 and is_blank_cell(t)) else t for t in stripped]
    else:
        mapped_list = [one(u) for u in uniques]
    mapped = np.array(mapped_list + [None], dtype=object)
    return pd.Series(mapped[codes], dtype="str")
