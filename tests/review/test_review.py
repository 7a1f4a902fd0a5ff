"""The quarterly review's figures and narrative, on a hand-made ledger whose figures are known."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.report_ledger import XSS_NAME, contract_scores, small_ledger
from workbench.present.html import html_table
from workbench.review import sections
from workbench.review.narrative import narrative
from workbench.review.quarterly import review_of


@pytest.fixture(scope="module")
def review():
    return review_of(small_ledger(), "2022Q1", contract_scores())


def test_headline_completion_against_time_elapsed(review):
    h = review.headline
    # listed projects only (P5 is a reserve project without an annual plan)
    assert h["projects"] == 4
    assert h["annual_plan"] == 26000.0
    # Jan–Mar: P1 900×3, P2 800×3, P3 0, P4 700×3
    assert h["ytd_completed"] == pytest.approx(7200.0)
    assert h["completion_share"] == pytest.approx(7200 / 26000)
    assert h["elapsed_share"] == pytest.approx(90 / 365)
    assert h["points_vs_elapsed"] == pytest.approx((7200 / 26000 - 90 / 365) * 100)


def test_completion_by_office_level_and_sector(review):
    office = review.completion["office"].set_index("group")
    assert office.loc["社会事业", "ytd_completed"] == 0.0
    assert office.loc["工业发展", "annual_plan"] == 14000.0
    assert set(review.completion["level"]["group"]) == {"省", "市", "县"}
    assert review.completion["sector"]["projects"].sum() == 4


def test_starts_early_and_late_are_named(review):
    assert list(review.starts_early["name"]) == [XSS_NAME]
    assert list(review.starts_late["name"]) == ["内乡县第二高级中学新校区项目"]
    assert review.headline["start_rate"] == pytest.approx(0.5)
    assert list(review.completions["name"]) == ["内乡县农产品冷链物流中心项目"]


def test_batches_pipeline_and_reserve(review):
    batches = review.batches.set_index("batch_kind")
    assert batches.loc["开工", "projects"] == 2 and batches.loc["开工", "converted"] == 1
    assert batches.loc["投产", "converted"] == 1
    pipeline = review.pipeline.set_index("stage")
    assert pipeline.loc["谋划", "projects"] == 1
    assert review.headline["reserve_multiple"] == pytest.approx(60000 / 26000)


def test_funding_is_cumulative_by_status(review):
    total = review.funding.set_index("source").loc["total"]
    assert (total["applied"], total["approved"], total["received"]) == (18000.0, 15000.0, 10000.0)


def test_approvals_problems_and_milestones(review):
    approvals = review.approvals.set_index("item")
    assert approvals.loc["用地", "required"] == 2 and approvals.loc["用地", "done"] == 1
    assert approvals.loc["能评", "required"] == 0  # not required is not counted
    assert list(review.overdue_problems["problem"]) == ["施工许可未办理，影响开工"]
    assert review.overdue_problems["days_overdue"].iloc[0] == 31
    assert review.headline["overdue_milestones"] == 1


def test_rag_units_planning_and_laggards(review):
    assert review.rag.set_index("rag")["projects"].to_dict() == {
        "green": 2, "amber": 1, "red": 1, "none": 0}  # key projects only: P5 is reserve
    assert review.rag_matrix["projects"].sum() == 4
    assert list(review.weakest["name"].head(2)) == ["内乡县第二高级中学新校区项目", XSS_NAME]
    assert review.weakest["reasons_zh"].iloc[0] == "缺施工许可；节点不清"
    laggard = review.laggards.iloc[0]
    assert laggard["name"] == "内乡县第二高级中学新校区项目"
    assert laggard["problems"] == "施工许可未办理，影响开工"


def test_office_filter_restricts_every_table():
    r = review_of(small_ledger(), "2022Q1", contract_scores(), office="工业发展")
    assert r.headline["projects"] == 2
    assert set(r.completion["office"]["group"]) == {"工业发展"}
    assert r.headline["rag_red"] == 0


NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def _table_numbers(review, lang: str) -> set[str]:
    """Every number the published tables and cards show."""
    parts = [
        sections.headline_cards(review, lang), sections.headline_table(review, lang),
        sections.completion_tables(review, lang), sections.starts_tables(review, lang),
        sections.batch_tables(review, lang), sections.support_tables(review, lang),
        sections.overdue_tables(review, lang), sections.rag_tables(review, lang),
        sections.planning_tables(review, lang), sections.laggard_table(review, lang),
        sections.next_step_tables(review, lang),
    ]
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return {n.lstrip("+-") for n in re.findall(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?", text)}


def _narrative_numbers(review, lang: str) -> list[str]:
    text = " ".join(narrative(review, lang))
    for name in pd.concat([review.starts_late["name"], review.laggards["name"],
                           review.starts_unready["name"]]):
        text = text.replace(str(name), " ")  # numbers inside project names are not figures
    text = text.replace(str(review.year), " ")
    text = re.sub(r"Q[1-4]", " ", text)
    return _numbers(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_narrative_number_is_in_the_tables(review, lang):
    numbers = _narrative_numbers(review, lang)
    assert len(numbers) >= 20
    missing = [n for n in numbers if n not in _table_numbers(review, lang)]
    assert not missing, f"narrative numbers not shown in any table: {missing}"


def test_narrative_states_the_headline_in_plain_chinese(review):
    text = narrative(review, "zh")[1]  # after the verdict
    assert text.startswith("2022年一季度，全县4个重点项目累计完成投资0.72亿元")
    assert "占年度计划2.60亿元的27.7%" in text
    assert "快于序时进度（24.7%）3.0个百分点" in text


def test_narrative_follows_a_change_in_the_data():
    ledger = small_ledger()
    progress = ledger.progress.copy()
    progress.loc[progress["project_id"].eq("P3"), "completed"] = 600.0
    changed = review_of(ledger.replace(progress=progress), "2022Q1", contract_scores())
    assert "累计完成投资0.90亿元" in narrative(changed, "zh")[1]


def test_sections_escape_data(review):
    page = sections.starts_tables(review, "zh") + sections.overdue_tables(review, "zh")
    assert XSS_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in html_table(
        pd.DataFrame({"problem": ["<b>征地</b>"]}), [("problem", "text")], "zh")


def test_long_lists_show_the_first_rows_and_say_how_many():
    frame = pd.DataFrame({"name": [f"项目{i}" for i in range(25)]})
    page = html_table(frame, [("name", "text")], "zh", limit=20)
    assert page.count("<tr>") == 21 and "项目19" in page and "项目20" not in page
    assert "共25项，此处列出前20项" in page


def test_a_start_after_the_as_of_date_is_not_known_yet():
    ledger = small_ledger()
    projects = ledger.projects.copy()
    projects.loc[projects["project_id"].eq("P3"), "actual_start"] = pd.Timestamp("2022-05-10")
    r = review_of(ledger.replace(projects=projects), "2022Q1", contract_scores())
    late = r.starts_late.set_index("project_id")
    assert pd.isna(late.loc["P3", "actual_start"])  # the Q1 review cannot know about May
    assert r.headline["starts_due_made"] == 1
