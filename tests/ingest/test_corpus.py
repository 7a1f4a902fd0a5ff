"""The layout corpus (tests/fixtures/corpus): each real-world layout loads to its exact totals.

The totals are the generator's (summed from the rows it wrote, in 万元, never by the loader) and
sit in the manifest beside the public page each layout is rebuilt from. A layout the loader does
not read exactly yet is an ``xfail(strict=True)`` naming the gap, so this file turns red the day
the gap is closed and the mark must come off. ``held_out`` layouts were loaded once, untuned; the
first-try result is recorded in GAPS or in the comment beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.ingest import load_ledger

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text("utf-8"))
LAYOUTS = MANIFEST["layouts"]

NO_NATURE = ("the layout has no 建设性质 column (as published): every row is rejected "
             "required_missing 建设性质, so 0 projects load (deriving it from the year is issue 12 item 5)")

# What the loader on this branch misreads, layout by layout (found by loading each fixture, and a
# diagnostic copy with a 建设性质 column appended to see what lies behind the first gap).
GAPS = {
    "qinshui": NO_NATURE + "; behind it 概算投资 matches no total-investment alias (every row then "
               "rejected required_missing 总投资) and the two-row '2021年' over '当年计划投资' is read as "
               "'2021年/当年计划投资', unmatched, so the annual plan would be 0",
    "liannan": "annual plan 0: '2020年投资计划' (year + 投资计划) matches no annual-plan alias and goes "
               "to extras; projects, total investment and 1-5月 (from 1月…5月) are exact",
    "minhou": NO_NATURE + "; with that column present it loads exactly (category rows carrying their "
              "own subtotals are recognised)",
    "xiangxi": "annual plan 0: '2021年投资计划' matches no annual-plan alias; also the 合计 row, its "
               "label under 隶属 (column B), is read as a data row and rejected (项目名称 empty)",
    "hanzhong": NO_NATURE + "; behind it the completed year to date is read from '其中：8月' (the "
                "August amount, 636,281 万元 in all) while '1-8月完成投资/累计' (6,222,000) goes to extras",
    "guannan": NO_NATURE + "; with that column present it loads exactly (the 25 工作事项/双城同创 rows "
               "are rejected for an empty 总投资), though 批次 (第一批…) is taken for 三个一批 and ignored",
    "hunan": NO_NATURE + " (its 建设阶段 column, 投产/续建/新开工, matches no stage alias); behind it "
             "'2014年' over '计划投资' is read as '2014年/计划投资', unmatched: annual plan 0",
    "jiangmen": NO_NATURE + "; behind it the 25 bundles are counted with their 150 parts (序号 n-1 … "
                "n-6, named 其中：…): 594 projects and every total inflated (54,433,693 万元 against "
                "51,410,000)",
    "zhashui": "annual plan 0: '2012年计划' over '投资' is read as '2012年计划/投资', which matches no "
               "annual-plan alias; projects and total investment are exact, nothing completed (a plan)",
    # held out, first try: 0 of 303 projects
    "wujin": NO_NATURE + "; on the first try the header was also taken from the unit row (单位：亿元 "
             "above 是否开工) and the top header row, so the sub-header row (年内计划投资 …) was read as "
             "a data row and '2017年' lost its sub-columns; with a 建设性质 column the header is found "
             "but '2017年/年内计划投资' matches no alias: annual plan 0",
    # held out, first try: jiaozuo and ganzi load exactly (ganzi's 项目类型 is read as 建设性质)
}


def totals(ledger) -> dict:
    """Projects counted, total investment, annual plan, completed year to date (万元)."""
    p = ledger.projects
    done = ledger.progress["completed"].sum() if len(ledger.progress) else 0.0
    return {"projects": len(p), "total_investment": round(float(p["total_investment"].sum()), 2),
            "annual_plan": round(float(p["annual_plan"].sum()), 2), "ytd_completed": round(float(done), 2)}


def case(entry):
    marks = [pytest.mark.xfail(strict=True, reason=GAPS[entry["key"]])] if entry["key"] in GAPS else []
    return pytest.param(entry, id=entry["key"], marks=marks)


def test_the_corpus_has_twelve_sourced_layouts_three_held_out():
    assert len(LAYOUTS) >= 12
    assert len({e["file"] for e in LAYOUTS}) == len(LAYOUTS)
    assert sum(e["held_out"] for e in LAYOUTS) == 3
    for e in LAYOUTS:
        assert e["url"].startswith("http") and e["place"] and e["states"], e["key"]
        assert (CORPUS / e["file"]).stat().st_size < 100_000, e["file"]
        assert set(e["truth"]) == {"projects", "total_investment", "annual_plan", "ytd_completed"}
    assert set(GAPS) <= {e["key"] for e in LAYOUTS}


@pytest.mark.parametrize("entry", [case(e) for e in LAYOUTS])
def test_layout_loads_to_its_exact_totals(entry):
    ledger = load_ledger(CORPUS / entry["file"])
    assert totals(ledger) == pytest.approx(entry["truth"], abs=0.005)
