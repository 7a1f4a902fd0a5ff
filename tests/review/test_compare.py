"""The quarterly review compared with the previous quarter and a year earlier: from the store
when it holds them, one plain sentence when it does not, nothing when no store is given."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.small_ledger import small_ledger
from workbench.history import add_snapshot
from workbench.review import compare_section, quarterly_review
from workbench.review.compare import comparison_of, comparison_table, previous_quarter, year_earlier


def test_the_quarters_compared():
    assert previous_quarter("2022Q1") == "2021Q4" and previous_quarter("2022Q3") == "2022Q2"
    assert year_earlier("2022Q3") == "2021Q3"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "h.duckdb"
    ledger = small_ledger()
    june = ledger.progress.copy()  # as reported at the end of June
    june.loc[june["month"].ge(pd.Timestamp("2022-07-01")), "completed"] = 0.0
    add_snapshot(ledger.replace(progress=june), path, as_of="2022-06-30")
    return path


def test_the_previous_quarter_from_the_store_and_a_sentence_for_the_missing_year(store):
    review = quarterly_review(small_ledger(), "2022Q3")
    comparison = comparison_of(review, store)
    assert comparison.last_year is None
    before = quarterly_review(small_ledger(), "2022Q2").headline
    assert comparison.previous["ytd_completed"] == pytest.approx(before["ytd_completed"])
    table = comparison_table(comparison).set_index("measure")
    # every project completes 80% of an even plan: 52,500 × 0.8 × (9 − 6) / 12 = 10,500 万元
    assert table.loc["k_completed", "vs_previous"] == "+1.05"
    assert table.loc["k_completed", "last_year"] == "—"
    zh = compare_section(review, str(store))[0]
    assert "与上季度、上年同期比较" in zh and "历史库中没有2021年三季度的台账" in zh
    assert "Q3 2021" in compare_section(review, str(store), lang="en")[0]


def test_one_sentence_when_the_store_holds_neither_and_nothing_without_a_store(store):
    review = quarterly_review(small_ledger(), "2022Q1")
    page = compare_section(review, str(store))[0]
    assert "历史库中没有上一季度和上年同期的台账，本期不作比较。" in page and "<table" not in page
    assert compare_section(review, "") == []
