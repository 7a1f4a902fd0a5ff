"""Value parsers: the messy cell values hand-kept ledgers hold, and that they never raise."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.numbers import is_missing
from workbench.core.periods import quarter_bounds, quarter_of
from workbench.core.text import fold
from workbench.ingest.aliases import header_key, load_aliases
from workbench.ingest.dates import date_column, parse_date, parse_period, parse_quarter_cell
from workbench.ingest.items import parse_approvals_text, parse_funding_text
from workbench.ingest.rows import text_keys
from workbench.ingest.values import (
    amount_column,
    choice_key,
    is_blank_cell,
    normalise_text,
    parse_amount,
    parse_bool,
    parse_choice,
    parse_percent,
    parse_text,
    parse_wan,
)

T = pd.Timestamp


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2022.3", T("2022-03-01")),
        ("2022.10", T("2022-10-01")),
        ("2022年3月", T("2022-03-01")),
        ("2022年3月底", T("2022-03-31")),  # the end of the month it names (dates.py)
        ("2022-03-15", T("2022-03-15")),
        ("2022/3/15", T("2022-03-15")),
        ("2022年3月15日", T("2022-03-15")),
        ("20220315", T("2022-03-15")),
        ("２０２２．３", T("2022-03-01")),
        (44621, T("2022-03-01")),  # Excel serial number
        ("44621", T("2022-03-01")),
        (2022.3, T("2022-03-01")),  # typed as a number in Excel
        (dt.date(2022, 1, 2), T("2022-01-02")),
        (dt.datetime(2022, 1, 2, 15, 30), T("2022-01-02")),
    ],
)
def test_dates_in_every_form_ledgers_use(cell, expected):
    assert parse_date(cell) == (expected, True)


@pytest.mark.parametrize("cell", ["", "—", "/", "无", None, float("nan"), "  "])
def test_missing_words_are_missing_not_errors(cell):
    assert parse_date(cell) == (None, True)
    assert parse_wan(cell) == (None, True)


def test_unreadable_date_is_flagged_not_guessed():
    assert parse_date("明年春天") == (None, False)
    assert parse_date("2022-13-01") == (None, False)


def test_day_first_and_month_first_orders_for_profiles():
    assert parse_date("31/03/2024", "dmy")[0] == T("2024-03-31")
    assert parse_date("31.03.24", "dmy")[0] == T("2024-03-31")
    assert parse_date("05/01/2014 12:00:00 AM", "mdy")[0] == T("2014-05-01")


@pytest.mark.parametrize(
    ("cell", "start", "end"),
    [
        ("2021-2023", T("2021-01-01"), T("2023-12-31")),
        ("2022.7-2024.8", T("2022-07-01"), T("2024-08-01")),
        ("2022年7月—2024年8月", T("2022-07-01"), T("2024-08-01")),
        ("2022.07～2024.08", T("2022-07-01"), T("2024-08-01")),
        ("2021至2023年", T("2021-01-01"), T("2023-12-31")),
    ],
)
def test_periods_split_into_start_and_completion(cell, start, end):
    assert parse_period(cell) == (start, end, True)


@pytest.mark.parametrize(
    ("cell", "factor", "wan"),
    [
        ("５０００", 1.0, 5000.0),
        ("1,234.5", 1.0, 1234.5),
        ("约5000", 1.0, 5000.0),
        ("5000万元", 1.0, 5000.0),
        ("6.5亿元", 1.0, 65000.0),
        ("6.5亿元", 1e4, 65000.0),  # the unit in the cell wins over the column's
        ("3000000元", 1.0, 300.0),
        (2.5, 1e4, 25000.0),  # a 亿元 column
        ("¥1,000", 1.0, 1000.0),
    ],
)
def test_amounts_converted_to_wan(cell, factor, wan):
    assert parse_wan(cell, factor) == (pytest.approx(wan), True)


def test_amount_column_fast_path_and_fallback_agree():
    cells = pd.Series([1.5, "", "约5000", "6.5亿元", "abc", 3, None], dtype=object)
    values, bad = amount_column(cells, 1.0)
    assert values.tolist()[:4] == [1.5, pytest.approx(float("nan"), nan_ok=True), 5000.0, 65000.0]
    assert bad.tolist() == [False, False, False, False, True, False, False]
    numeric, bad2 = amount_column(pd.Series([1.0, 2.0]), 1e4)
    assert numeric.tolist() == [1e4, 2e4] and not bad2.any()


def test_date_column_parses_each_distinct_value():
    cells = pd.Series([dt.date(2022, 1, 2), "2022.3", 44621.0, "x", None] * 3, dtype=object)
    values, bad = date_column(cells)
    assert values.dtype == "datetime64[us]"
    assert values.iloc[1] == T("2022-03-01") and bad.sum() == 3


def test_booleans_quarters_and_words():
    assert parse_bool("是") == (True, True) and parse_bool("√") == (True, True)
    assert parse_bool("否") == (False, True) and parse_bool("也许") == (None, False)
    assert parse_quarter_cell("2022年第一季度") == ("2022Q1", True)
    assert parse_quarter_cell("二季度", 2023) == ("2023Q2", True)
    a = load_aliases()
    assert parse_choice("新建", a.values["nature"]) == ("新开工", True)
    assert parse_choice("省级", a.values["level"]) == ("省", True)
    assert parse_choice("已办结", a.values["approval_status"]) == ("done", True)
    assert parse_choice("投产一批", a.values["batch_kind"]) == ("投产", True)
    assert parse_percent("85%") == (85.0, True)


def test_free_text_approvals_and_funding_become_rows():
    a = load_aliases()
    rows, ok = parse_approvals_text("立项、用地、环评已完成；规划许可办理中", a.approval_items,
                                    a.values["approval_status"])
    assert ok and rows == [("立项", "done"), ("用地", "done"), ("环评", "done"), ("规划", "in_progress")]
    lines, ok = parse_funding_text("专项债券15000；自筹", a.funding_sources)
    assert ok and lines == [("地方政府专项债券", 15000.0), ("企业自筹", None)]
    lines, _ = parse_funding_text("中央预算内1.2亿元、自筹3000万元", a.funding_sources)
    assert lines == [("中央预算内投资", 12000.0), ("企业自筹", 3000.0)]


_cells = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789.,-/年月日约万亿元—～至季度第一二三四Qq是否√×%： ", max_size=20),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@settings(max_examples=400, deadline=None)
@given(_cells)
def test_scalar_parsers_never_raise(cell):
    a = load_aliases()
    for parse in (parse_date, parse_wan, parse_bool, parse_text, parse_percent):
        value, ok = parse(cell)
        assert isinstance(ok, bool)
    assert len(parse_amount(cell)) == 3
    assert len(parse_period(cell)) == 3
    parse_quarter_cell(cell, 2022)
    parse_choice(cell, a.values["stage"])
    parse_approvals_text(cell, a.approval_items, a.values["approval_status"])
    parse_funding_text(cell, a.funding_sources)


@settings(max_examples=60, deadline=None)
@given(st.lists(_cells, max_size=30))
def test_column_parsers_never_raise_and_keep_length(cells):
    series = pd.Series(cells, dtype=object)
    values, bad = amount_column(series)
    assert len(values) == len(bad) == len(cells)
    dates, bad = date_column(series)
    assert len(dates) == len(cells) and dates.dtype == "datetime64[us]"


# --- one definition per concept: the drift these would have caught ---------------------------


@pytest.mark.parametrize("cell", [None, float("nan"), np.nan, pd.NaT, pd.NA, np.datetime64("NaT"),
                                  "", "  ", "\u3000"])
def test_a_missing_value_is_a_blank_cell(cell):
    """Whatever core.numbers calls missing, a raw cell holding it is blank."""
    assert is_missing(cell) and is_blank_cell(cell)


@pytest.mark.parametrize("cell", ["无", "—", "/", "N/A", "暂无", "--"])
def test_placeholder_words_are_blank_cells_but_text_in_a_ledger(cell):
    assert is_blank_cell(cell) and not is_missing(cell)


@pytest.mark.parametrize("cell", [0, 0.0, "0", False, "无锡", "/1"])
def test_values_are_not_blank_cells(cell):
    assert not is_blank_cell(cell)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_header_and_choice_keys_are_core_fold_and_the_vectorised_keys_agree(text):
    assert header_key(text) == choice_key(text) == fold(text)
    assert text_keys(np.array([text], dtype=object)).iloc[0] == fold(text)


def test_choice_key_reads_whole_floats_as_integers():
    assert choice_key(5.0) == "5" and choice_key(" Ａ B ") == "ab"


def test_normalise_text_keeps_what_fold_drops():
    """Text as written (dates with a time, categories as written) is not a matching key."""
    assert normalise_text(" ２０２２-03-15 10:30 ") == "2022-03-15 10:30"
    assert fold(" ２０２２-03-15 10:30 ") == "2022-03-1510:30"
    assert normalise_text("一、Industry") == "一、Industry"


@pytest.mark.parametrize(("cell", "year", "quarter"), [
    ("2022年第一季度", None, "2022Q1"), ("2022Q3", None, "2022Q3"), ("二季度", 2023, "2023Q2"),
    ("2022年4季度", None, "2022Q4"), ("q2", 2021, "2021Q2"), ("２０２２ｑ１", None, "2022Q1"),
])
def test_batch_quarter_cells_are_quarters_core_periods_bounds(cell, year, quarter):
    parsed, ok = parse_quarter_cell(cell, year)
    assert ok and parsed == quarter
    start, end = quarter_bounds(parsed)
    assert quarter_of(start) == quarter_of(end) == parsed


@pytest.mark.parametrize(("cell", "year"), [("1800年一季度", None), ("一季度", None), ("2022Q5", None),
                                            ("五季度", 2022), ("一季度", 1850)])
def test_batch_quarters_outside_the_ledger_years_or_unknown_are_unreadable(cell, year):
    assert parse_quarter_cell(cell, year) == (None, False)
