"""A project (and a unit) named as markup reaches every text block of the quarterly review, and
each block shows it escaped: the narrative, the headings, the cards, the tables, the what-if
panel and the index. Each test first checks that the name really appears in its block (escaped),
so removing a block's escaping makes its test fail (issue 14, item 10)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.report_ledger import small_ledger
from workbench.explore import project_card
from workbench.publish.index import index_html
from workbench.publish.offline_html import chart_div
from workbench.review import sections
from workbench.review.narrative import narrative
from workbench.review.quarterly import quarterly_review
from workbench.whatif import report_section

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def hostile_ledger():
    """The small ledger with P3 (unstarted, late, red, weakest) and its unit named as markup."""
    ledger = small_ledger()
    projects = ledger.projects.copy()
    at = projects["project_id"].eq("P3")
    projects.loc[at, "name"] = HOSTILE
    projects.loc[at, "responsible_unit"] = HOSTILE
    return ledger.replace(projects=projects)


@pytest.fixture(scope="module")
def ledger():
    return hostile_ledger()


@pytest.fixture(scope="module")
def review(ledger):
    return quarterly_review(ledger, "2022Q1")


def _escaped_only(block: str) -> None:
    assert ESCAPED in block, "the hostile name does not reach this block: the test proves nothing"
    assert HOSTILE not in block


def test_the_name_is_in_the_narrative_and_escaped_there(review):
    assert any(HOSTILE in p for p in narrative(review, "zh"))  # plain text, before escaping
    _escaped_only(sections.narrative_block(review, "zh"))
    _escaped_only(sections.narrative_block(review, "en"))


def test_headings_escape_the_scope_and_the_county(review):
    by_unit = dataclasses.replace(review, unit=HOSTILE)
    _escaped_only(sections.title_block(by_unit, "zh"))
    _escaped_only(sections.title_block(dataclasses.replace(review, county=HOSTILE), "zh"))


@pytest.mark.parametrize("table", ["starts_tables", "laggard_table", "next_step_tables",
                                   "rag_tables", "overdue_tables"])
def test_every_table_that_names_projects_or_units_escapes_them(review, table):
    _escaped_only(getattr(sections, table)(review, "zh"))


def test_the_project_card_escapes_the_name(ledger):
    _escaped_only(project_card(ledger, "P3", as_of="2022-03-31")._repr_html_())


def test_the_what_if_panel_escapes_names_in_its_page(ledger, review):
    items = report_section(ledger, review.as_of, "zh")
    page = "".join(str(i) if isinstance(i, str) else chart_div(i.to_dict()) for i in items)
    _escaped_only(page)


def test_the_index_escapes_a_report_title():
    page = index_html([{"quarter": "2022Q1", "lang": "zh", "title": HOSTILE,
                        "published": "2023-01-01T10:00:00", "files": []}])
    _escaped_only(page)
