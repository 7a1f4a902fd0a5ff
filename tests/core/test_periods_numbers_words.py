"""The single definitions in core: quarters, 序时进度, months, missing values, shares, words."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from workbench.core import numbers, periods, words
from workbench.exceptions import (
    EXIT_FAILED,
    EXIT_USAGE,
    LedgerReadError,
    ParameterError,
    ProjectNotFound,
    PublishError,
    SchemaError,
)


def test_quarter_bounds_and_words():
    assert periods.quarter_bounds("2022Q1") == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-03-31"))
    assert periods.quarter_end("2024Q4") == pd.Timestamp("2024-12-31")
    assert periods.quarter_start("2022Q3") == pd.Timestamp("2022-07-01")
    assert periods.quarter_of("2022-05-31") == "2022Q2"
    assert words.quarter_words("2022Q2", "zh") == "2022年二季度"


@pytest.mark.parametrize("bad", ["2022Q5", "2022-Q1", "22Q1", "", "2022q1 extra", "0000Q1"])
def test_a_malformed_quarter_is_a_parameter_error_naming_the_format(bad):
    with pytest.raises(ParameterError, match="YYYYQn|超出范围") as caught:
        periods.parse_quarter(bad)
    assert caught.value.field == "quarter" and caught.value.exit_code == EXIT_USAGE


def test_elapsed_share_counts_the_day_itself():
    assert periods.elapsed_share("2022-12-31") == 1.0
    assert periods.elapsed_share("2022-01-01") == pytest.approx(1 / 365)
    assert periods.elapsed_share("2024-06-30") == pytest.approx(182 / 366)  # leap year
    with pytest.raises(ParameterError):
        periods.elapsed_share("not a date")


def test_month_index_counts_calendar_months_and_round_trips():
    dates = pd.Series(pd.to_datetime(["2021-12-15", "2022-03-01", None]))
    index = periods.month_index(dates)
    assert index[1] - index[0] == 3 and np.isnan(index[2])
    back = periods.month_start(index)
    assert pd.Timestamp(back[0]) == pd.Timestamp("2021-12-01") and pd.isna(back[2])


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, "", "  ", "\u3000"])
def test_missing_values_are_one_convention(value):
    assert numbers.is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "—", pd.Timestamp("2022-01-01")])
def test_zero_and_text_are_not_missing(value):
    assert not numbers.is_missing(value)


def test_share_and_ratio_are_nan_without_a_positive_denominator():
    assert numbers.share(1, 4) == 0.25
    assert all(np.isnan(numbers.share(1, d)) for d in (0, -1, None, float("nan")))
    out = numbers.ratio([1, 1, 1], [2, 0, -3])
    assert out[0] == 0.5 and np.isnan(out[1]) and np.isnan(out[2])


def test_every_formatter_writes_missing_the_same_way():
    for format_ in (words.yi, words.wan, words.pct, words.points, words.count, words.date,
                    words.score, words.multiple):
        assert format_(None) == words.MISSING and format_(float("nan")) == words.MISSING
    assert words.yi(123456.0) == "12.35"


def test_rag_word_names_nothing_due_for_missing_and_none():
    assert words.rag_word("none", "zh") == words.rag_word(None, "zh") == words.phrase("rag_none", "zh")
    assert words.rag_word("red", "en") == words.value_label("red", "en")


def test_errors_carry_their_fields_and_exit_codes_across_processes():
    error = LedgerReadError("cannot read", file="a.xlsx", sheet="台账", row=7, column="D", value="x")
    assert (error.file, error.sheet, error.row, error.column, error.value) == ("a.xlsx", "台账", 7, "D", "x")
    assert error.exit_code == EXIT_USAGE
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is LedgerReadError and copy.fields == error.fields and str(copy) == "cannot read"
    assert PublishError("x", kept="/r/_failed/1").kept == "/r/_failed/1"
    assert PublishError("x").exit_code == SchemaError("x").exit_code == EXIT_FAILED
    missing = pickle.loads(pickle.dumps(ProjectNotFound("none", [("1", "医院")])))
    assert missing.candidates == [("1", "医院")]


def test_an_unknown_language_is_a_parameter_error_listing_the_choices():
    with pytest.raises(ParameterError, match="zh, en") as caught:
        words.check_lang("fr")
    assert caught.value.field == "lang" and caught.value.value == "fr"
