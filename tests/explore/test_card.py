"""One project's card: found by code or part of its name, showing everything, escaped, in two languages."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.small_ledger import HOSPITAL, PARK, ROAD, SEWAGE, TCM, fake_scores
from workbench.core.words import column_label, value_label
from workbench.exceptions import AmbiguousProject, ProjectNotFound, WorkbenchError
from workbench.explore import find_project, project_card


def test_card_by_id_and_by_part_of_the_name(book):
    assert project_card(book, PARK).project_id == PARK
    assert project_card(book, "人民医院").project_id == HOSPITAL
    assert project_card(book, " 人民医院 ").project_id == HOSPITAL
    assert find_project(book, "04-01-000004") == SEWAGE, "part of a code works too"


def test_ambiguous_name_lists_every_candidate(book):
    with pytest.raises(AmbiguousProject) as info:
        project_card(book, "医院")
    message = str(info.value)
    assert "县人民医院新院区建设项目" in message and "县中医院门诊楼改扩建项目" in message
    assert HOSPITAL in message and TCM in message
    assert {pid for pid, _ in info.value.candidates} == {HOSPITAL, TCM}
    assert isinstance(info.value, WorkbenchError)
    assert info.value.value == "医院" and info.value.field == "project"


def test_unknown_name_gives_close_names_or_says_nothing_matches(book):
    with pytest.raises(ProjectNotFound, match="产业园污水处理厂") as info:
        project_card(book, "产业园污水处里厂")  # a typo
    assert not isinstance(info.value, AmbiguousProject)
    with pytest.raises(ProjectNotFound, match="未找到与 '火车站' 相符的项目"):
        project_card(book, "火车站")
    with pytest.raises(ProjectNotFound):
        project_card(book, "")


def test_card_shows_everything_about_the_project(book):
    card = project_card(book, "人民医院", as_of="2022-09-30", scores=fake_scores())
    page = card._repr_html_()
    for text in ("县人民医院新院区建设项目", HOSPITAL, "<svg", "用地指标未落实", "2021-06-01",
                 "地方政府专项债券", "主体封顶", "用地手续办理中，扣5分", "88",
                 column_label("ytd_completed"), value_label("green")):
        assert text in page, text
    assert "资金拨付慢" not in page, "a resolved problem is not open"
    assert list(card.approvals["item"]) == ["立项", "用地", "环评"]
    assert card.progress["cumulative_completed"].dropna().iloc[-1] == pytest.approx(12000 * 0.8 * 9 / 12)
    assert card.progress["completed"].isna().sum() == 3, "months after the as-of date are not shown as 0"
    assert card.reasons["points_lost"].sum() == pytest.approx(7.0)


def test_card_escapes_data_and_speaks_english_when_asked(book):
    page = project_card(book, ROAD, scores=fake_scores(), lang="en").to_html()
    assert "<b>道路</b>" not in page and "&lt;b&gt;道路&lt;/b&gt;" in page
    assert "Open problems" in page and "Facts" in page and "基本情况" not in page


def test_card_facts_leave_out_missing_values_by_the_one_rule(book):
    """Blank text is missing (core.numbers.is_missing), a False flag is a fact."""
    blank = book.replace(projects=book.projects.assign(owner="   ", location=None))
    card = project_card(blank, HOSPITAL, scores=fake_scores())
    assert "owner" not in card.facts and "location" not in card.facts
    assert "programme_982" in card.facts and not card.facts["programme_982"]


def test_card_speaks_for_the_date_of_its_scores(book):
    """Given scores of 30 June, the card's curve stops at June, like its delivery figures."""
    card = project_card(book, HOSPITAL, scores=fake_scores("2022-06-30"))
    assert card.as_of == pd.Timestamp("2022-06-30")
    assert card.progress["completed"].notna().sum() == 6
    assert project_card(book, HOSPITAL, as_of="2022-03-31", scores=fake_scores()).as_of == \
        pd.Timestamp("2022-03-31"), "an as-of date given wins"


def test_card_without_scores_speaks_for_the_last_reported_month(book):
    """The one default (model.asof): planned months ahead do not count as reported.

    The small ledger plans all twelve months and reports completed investment up to September;
    explore's old copy of the rule followed scoring's (last month with any progress row) and
    said 31 December, showing October to December as 0 completed.
    """
    card = project_card(book, HOSPITAL)
    assert card.as_of == pd.Timestamp("2022-09-30")
    assert card.progress["completed"].isna().sum() == 3
    assert card.delivery is not None and card.planning is not None, "the card scored the ledger"


@pytest.mark.slow
def test_card_of_a_sample_project_explains_every_lost_point(sample):
    from workbench.scoring.scores import score

    scores = score(sample)
    pid = scores.planning.sort_values("score")["project_id"].iloc[0]
    card = project_card(sample, pid, scores=scores)
    assert card.reasons["points_lost"].sum() == pytest.approx(100 - card.planning["score"])
    expected = scores.delivery.set_index("project_id").loc[pid, "rag"]
    shown = card.delivery["rag"]
    assert (pd.isna(expected) and pd.isna(shown)) or shown == expected
