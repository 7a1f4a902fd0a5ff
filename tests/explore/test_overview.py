"""The project list, a selection at a glance and the projects behind 序时进度."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.small_ledger import HOSPITAL, ROAD, TCM, fake_scores
from workbench.core.periods import elapsed_share
from workbench.exceptions import ParameterError
from workbench.explore import lagging, overview, project_table
from workbench.present import table


def test_tables_show_yi_percent_colours_and_escape(book):
    frame = project_table(book, fake_scores())
    page = table(frame).to_html()
    assert "总投资（亿元）" in page and ">5.00<" in page
    assert "60.0%" in page and "-15.0" in page
    assert "background-color: #c62828" in page, "red RAG coloured"
    assert "&lt;b&gt;" in page and "<b>道路" not in page
    english = table(frame, lang="en").to_html()
    assert "Total investment (CNY 100m)" in english and "Social undertakings" in english


def test_project_table_without_scores_reads_the_progress_up_to_the_date(book):
    frame = project_table(book, as_of="2022-06-30").set_index("project_id")
    assert frame.loc[HOSPITAL, "ytd_completed"] == pytest.approx(12000 / 12 * 0.8 * 6)
    assert frame.loc[HOSPITAL, "completion_share"] == pytest.approx(0.4)
    assert frame["rag"].isna().all() and frame["score"].isna().all()
    assert frame.loc[HOSPITAL, "open_problems"] == 1


def test_overview_counts_and_totals_the_selection(book):
    view = overview(book.filter(office="社会事业"), scores=fake_scores())
    assert view.headline()["projects"] == 2
    assert view.headline()["annual_plan"] == pytest.approx(20000.0)
    assert view.by == "responsible_unit", "one office is broken down by unit"
    assert "<svg" in view._repr_html_()


def test_overview_elapsed_share_is_the_one_definition_at_the_date_of_its_scores(book):
    """序时进度 comes from core.periods, at the date the scores speak for (not the ledger's last month)."""
    view = overview(book, scores=fake_scores("2022-06-30"))
    assert view.as_of == pd.Timestamp("2022-06-30")
    assert view.headline()["elapsed_share"] == elapsed_share("2022-06-30") == pytest.approx(181 / 365)


def test_overview_refuses_an_unknown_sort_column(book):
    with pytest.raises(ParameterError, match="不能按 'colour' 排序") as info:
        overview(book, scores=fake_scores(), sort="colour")
    assert info.value.field == "sort" and info.value.value == "colour"


def test_an_as_of_that_is_no_date_is_a_parameter_error(book):
    with pytest.raises(ParameterError, match="不是日期") as info:
        overview(book, as_of="soon")
    assert info.value.field == "as_of"


def test_overview_of_nothing_says_so(book):
    view = overview(book.filter(office="农业经济"), scores=fake_scores())
    assert view.headline()["projects"] == 0
    assert pd.isna(view.headline()["completion_share"])
    assert view.to_html().endswith(": 0</div>")


def test_lagging_lists_red_and_amber_furthest_behind_first(book):
    behind = lagging(book, fake_scores())
    assert set(behind["project_id"]) == {HOSPITAL, TCM, ROAD}
    assert set(behind["rag"]) == {"red", "amber"}
    assert behind["points_vs_elapsed"].is_monotonic_increasing
