"""Filtering a ledger as an analyst does: by office, unit, level, stage, band, RAG or a name.

`Ledger.filter` lives in the model; band and RAG read scores, which `filter_ledger` computes
when none are given.
"""

from __future__ import annotations

import pytest

from tests.small_ledger import (
    HOSPITAL,
    PARK,
    ROAD,
    SEWAGE,
    TCM,
    assert_consistent,
    fake_scores,
    ids_of,
)
from workbench.exceptions import ParameterError


def test_filter_by_office_keeps_every_table_consistent(book):
    social = book.filter(office="社会事业")
    assert ids_of(social) == {HOSPITAL, TCM}
    assert_consistent(book, social)
    assert len(social.progress) == 24 and len(social.problems) == 2 and len(social.milestones) == 1
    assert len(book.projects) == 5, "the original ledger is unchanged"


def test_filters_combine_and_accept_labels_in_either_language(book):
    assert ids_of(book.filter(level="县")) == ids_of(book.filter(level="县级")) == ids_of(
        book.filter(level="County")) == {HOSPITAL, SEWAGE, ROAD}
    assert ids_of(book.filter(name_contains="产业园")) == {PARK, SEWAGE}
    assert ids_of(book.filter(name_contains="产业园", office="城镇建设")) == {SEWAGE}
    assert ids_of(book.filter(office=["社会事业", "工业发展"], stage="在建")) == {HOSPITAL, TCM, PARK}
    assert ids_of(book.filter(name_contains="ＨＹＰＥＲＬＩＮＫ")) == {ROAD}, "full-width folds"
    assert_consistent(book, book.filter(name_contains="产业园"))


def test_filter_by_unit_exact_or_by_an_unambiguous_part(book):
    assert ids_of(book.filter(unit="县住建局")) == {SEWAGE, ROAD}
    assert ids_of(book.filter(unit="住建")) == {SEWAGE, ROAD}
    with pytest.raises(ParameterError, match="相近的单位：县住建局"):
        book.filter(unit="住建所")
    with pytest.raises(ParameterError, match="对应多个责任单位"):
        book.filter(unit="县")


def test_filter_refuses_unknown_values_with_the_allowed_ones(book):
    with pytest.raises(ParameterError, match="office.*教育.*社会事业"):
        book.filter(office="教育")
    with pytest.raises(ParameterError, match="rag"):
        book.filter(rag="purple", scores=fake_scores())


def test_filter_by_band_and_rag_uses_the_scores(book):
    scores = fake_scores()
    assert ids_of(book.filter(band="green", scores=scores)) == {HOSPITAL, PARK}
    assert ids_of(book.filter(band=["红", "橙"], scores=scores)) == {SEWAGE, ROAD}
    behind = book.filter(rag=["red", "amber"], scores=scores)
    assert ids_of(behind) == {HOSPITAL, TCM, ROAD}, "a project with nothing due (<NA>) is not behind"
    assert_consistent(book, behind)
    assert ids_of(book.filter(office="社会事业", rag="red", scores=scores)) == {HOSPITAL}


def test_filter_to_nothing_is_an_empty_but_valid_ledger(book):
    empty = book.filter(office="农业经济")
    assert all(len(frame) == 0 for frame in empty.tables().values())
    assert "0" in empty._repr_html_()


def test_empty_filters_mean_no_filter(book):
    assert ids_of(book.filter(office=None, unit="", name_contains="  ", level=[])) == ids_of(book)
    with pytest.raises(ParameterError, match="level"):
        book.filter(level=3)


@pytest.mark.slow
def test_band_and_rag_filters_need_scores_on_the_ledger_and_score_in_explore(sample):
    from workbench.explore import filter_ledger
    from workbench.scoring.scores import score

    with pytest.raises(ParameterError, match="scores"):
        sample.filter(rag="red")  # the model does not score: it says how to pass the scores
    scores = score(sample)
    assert ids_of(sample.filter(rag="red", scores=scores)) == ids_of(filter_ledger(sample, rag="red"))
    red = filter_ledger(sample, rag="red")
    expected = set(scores.delivery.loc[scores.delivery["rag"] == "red", "project_id"])
    assert ids_of(red) == expected and expected
    assert_consistent(sample, red)
    amber = filter_ledger(sample, band="amber", office="工业发展")
    in_band = set(scores.planning.loc[scores.planning["band"] == "amber", "project_id"])
    industry = set(sample.projects.loc[sample.projects["office"] == "工业发展", "project_id"])
    assert ids_of(amber) == in_band & industry
