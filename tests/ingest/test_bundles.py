"""Bundled projects (打捆) as counties write them: "3" with "3-1 … 3-3", "1" with "(1) (2)", a
row with "其中：" parts below; kept as a hierarchy (parent_id), counted once, and the 合计/小计
rows checked knowing it."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbench.ingest.load import load_ledger

HEADER = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资"]
# 序号, name, owner, total, plan (万元); None rows are written by the layout below
INDUSTRY = [
    (1, "甲机械厂扩建", "甲公司", 10000, 3000),
    (2, "乙食品产业园", "乙公司", 20000, 5000),
    (3, "丙片区标准化厂房打捆项目", "县产业集聚区", 6000, 2000),
    ("3-1", "丙片区1号厂房", "县产业集聚区", 1000, 500),
    ("3-2", "丙片区2号厂房", "县产业集聚区", 2000, 700),
    ("3-3", "丙片区3号厂房", "县产业集聚区", 3000, 800),
]
INFRA = [
    (1, "丁路改建工程", "县交通局", 8000, 4000),
    ("(1)", "丁路一标段", "县交通局", 5000, 2500),
    ("（2）", "丁路二标段", "县交通局", 3000, 1500),
    (2, "戊桥新建工程", "县住建局", 5000, 1000),
    (None, "其中：戊桥主桥", "县住建局", 3000, 600),
    (None, "戊桥引桥", "县住建局", 2000, 400),
]


def write_county_ledger(path, industry=INDUSTRY, infra=INFRA, total=None, subtotals=None):
    """A ledger laid out the way a county DRC sends it: title, unit row, header, 合计 on top,
    category rows with their counts, 小计 under each category, a notes line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2022年重点项目"
    ws.append(["2022年某县重点项目建设台账"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：县发改委", None, None, None, "单位：万元"])
    ws.append(HEADER)

    def counted(rows):  # what the county adds up: a bundle once, with its own total
        tops = [r for r in rows if isinstance(r[0], int)]
        return sum(r[3] or 0 for r in tops), sum(r[4] or 0 for r in tops)

    sums = [counted(industry), counted(infra)]
    grand = total or (sums[0][0] + sums[1][0], sums[0][1] + sums[1][1])
    ws.append([None, "合计", None, None, *grand])
    for k, (label, rows) in enumerate((("一、工业项目（3个）", industry), ("二、基础设施项目（2个）", infra))):
        ws.append([label])
        for serial, name, owner, t, p in rows:
            ws.append([serial, name, owner, "新建", t, p])
        sub = subtotals[k] if subtotals and subtotals[k] else sums[k]
        ws.append([None, "小计", None, None, *sub])
    ws.append(["注：1.打捆项目按一个项目统计，子项目列在其下。"])
    wb.save(path)
    return path


@pytest.fixture
def county(tmp_path):
    return load_ledger(write_county_ledger(tmp_path / "county.xlsx"))


def _rules(ledger, rule):
    f = ledger.findings
    return f[f["rule"] == rule]


def test_parts_point_at_their_bundle(county):
    p = county.projects.set_index("name")
    pid = p["project_id"]
    for part in ("丙片区1号厂房", "丙片区2号厂房", "丙片区3号厂房"):
        assert p.at[part, "parent_id"] == pid["丙片区标准化厂房打捆项目"]
    for part in ("丁路一标段", "丁路二标段"):
        assert p.at[part, "parent_id"] == pid["丁路改建工程"]
    # "其中：" rows and the list that goes on under them; the name is kept without "其中："
    for part in ("戊桥主桥", "戊桥引桥"):
        assert p.at[part, "parent_id"] == pid["戊桥新建工程"]
    # numbering restarts under each category: "1" of 基础设施 is not "1" of 工业
    for alone in ("甲机械厂扩建", "乙食品产业园", "丙片区标准化厂房打捆项目", "丁路改建工程", "戊桥新建工程"):
        assert pd.isna(p.at[alone, "parent_id"])
    assert len(county.projects) == 12 and len(county.rejected) == 0


def test_totals_count_a_bundle_once_and_the_county_total_is_not_flagged(county):
    s = county.summary()
    assert (s["total_investment_yi"], s["annual_plan_yi"]) == (4.9, 1.5)
    assert s["bundled"] == 7
    assert county.counted_projects().sum() == 5
    for rule in ("total_mismatch", "category_count_mismatch", "bundle_sum_mismatch", "required_missing"):
        assert _rules(county, rule).empty, rule
    assert not (county.findings["severity"] == "error").any()


def test_counting_the_parts_instead_gives_the_same_totals(county):
    parts = county.counted("children").projects
    assert set(parts["name"]) == {"甲机械厂扩建", "乙食品产业园", "丙片区1号厂房", "丙片区2号厂房",
                                  "丙片区3号厂房", "丁路一标段", "丁路二标段", "戊桥主桥", "戊桥引桥"}
    assert parts["total_investment"].sum() == 49000 and parts["annual_plan"].sum() == 15000


def test_a_total_that_counts_the_parts_twice_is_flagged(tmp_path):
    # 合计 typed as parent + parts: 49000 + 6000 + 8000 + 5000
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", total=(68000, 15000)))
    hit = _rules(ledger, "total_mismatch")
    assert hit[["row", "column", "value"]].values.tolist() == [[4, "总投资", "68,000"]]
    assert "49,000" in hit["message_zh"].iat[0]


def test_a_subtotal_typed_over_is_named_with_its_value_and_the_sum(tmp_path):
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", subtotals=[None, (13500, 5000)]))
    hit = _rules(ledger, "total_mismatch")
    assert hit[["sheet", "row", "column", "value"]].values.tolist() == [["2022年重点项目", 20, "总投资",
                                                                           "13,500"]]
    assert "小计" in hit["message_zh"].iat[0] and "13,000" in hit["message_zh"].iat[0]


def test_a_bundle_whose_parts_do_not_add_up_is_named(tmp_path):
    industry = [*INDUSTRY[:5], ("3-3", "丙片区3号厂房", "县产业集聚区", 3500, 800)]
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", industry=industry))
    hit = _rules(ledger, "bundle_sum_mismatch")
    assert hit[["row", "column", "value"]].values.tolist() == [[8, "总投资", "6,000"]]
    assert "6,500" in hit["message_zh"].iat[0]


def test_a_bundle_row_with_only_its_name_takes_the_sum_of_its_parts(tmp_path):
    industry = [*INDUSTRY[:2], (3, "丙片区标准化厂房打捆项目", "县产业集聚区", None, None), *INDUSTRY[3:]]
    path = write_county_ledger(tmp_path / "l.xlsx", industry=industry,
                               total=(49000, 15000), subtotals=[(36000, 10000), None])
    ledger = load_ledger(path)
    bundle = ledger.projects.set_index("name").loc["丙片区标准化厂房打捆项目"]
    assert (bundle["total_investment"], bundle["annual_plan"]) == (6000, 2000)
    assert len(_rules(ledger, "bundle_total_from_parts")) == 2
    assert _rules(ledger, "required_missing").empty and _rules(ledger, "total_mismatch").empty
    assert ledger.summary()["total_investment_yi"] == 4.9


def test_a_part_without_its_bundle_stands_alone_with_a_warning(tmp_path):
    industry = [*INDUSTRY[:2], ("4-1", "丙片区1号厂房", "县产业集聚区", 1000, 500)]
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", industry=industry))
    hit = _rules(ledger, "bundle_parent_missing")
    assert hit[["row", "column", "value"]].values.tolist() == [[8, "序号", "4-1"]]
    assert pd.isna(ledger.projects.set_index("name").at["丙片区1号厂房", "parent_id"])


def test_dotted_parts_and_numeric_serials(tmp_path):
    industry = [(1, "甲机械厂扩建", "甲公司", 10000, 3000), (2, "丙片区打捆", "县产业集聚区", 3000, 1200),
                (2.1, "丙1", "县产业集聚区", 1000, 500), ("2.2", "丙2", "县产业集聚区", 2000, 700)]
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", industry=industry))
    p = ledger.projects.set_index("name")
    assert p.at["丙1", "parent_id"] == p.at["丙2", "parent_id"] == p.at["丙片区打捆", "project_id"]
    assert _rules(ledger, "total_mismatch").empty


def test_workbench_load_prints_totals_that_count_a_bundle_once(tmp_path):
    from typer.testing import CliRunner

    from workbench.cli import app

    result = CliRunner().invoke(app, ["load", str(write_county_ledger(tmp_path / "county.xlsx"))])
    assert result.exit_code == 0, result.output
    assert "总投资 4.90 亿元 · 年度计划 1.50 亿元" in result.output
    assert "打捆项目只计一次：7 行" in result.output


def test_a_line_holding_only_qizhong_opens_the_parts_and_parts_carry_the_months(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年某县重点项目台账"])
    ws.append(["序号", "项目名称", "建设单位", "建设性质", "总投资", "年度计划投资", "6月完成投资"])
    ws.append([1, "甲工业园", "甲公司", "新建", 10000, 3000, 200])
    ws.append([2, "乡村振兴打捆项目", "县农业农村局", "新建", None, None, None])  # the name only
    ws.append([None, "其中："])
    ws.append([None, "A村道路", "县农业农村局", "新建", 1200, 600, 50])
    ws.append([None, "B村供水", "县农业农村局", "新建", 800, 400, 30])
    ws.append([None, "合计", None, None, 12000, 4000, 280])
    wb.save(tmp_path / "l.xlsx")
    ledger = load_ledger(tmp_path / "l.xlsx")
    p = ledger.projects.set_index("name")
    assert p.at["A村道路", "parent_id"] == p.at["B村供水", "parent_id"] == p.at["乡村振兴打捆项目", "project_id"]
    assert (p.at["乡村振兴打捆项目", "total_investment"], p.at["乡村振兴打捆项目", "annual_plan"]) == (2000, 1000)
    assert len(ledger.rejected) == 0 and _rules(ledger, "total_mismatch").empty
    s = ledger.summary()
    assert (s["total_investment_yi"], s["annual_plan_yi"]) == (1.2, 0.4)
    assert ledger.counted().progress["completed"].sum() == 280  # the bundle's June from its parts
    assert bool(ledger.reconciliation["balanced"].all())


def test_nested_categories_with_sums_and_numbered_parts_count_each_bundle_once(tmp_path):
    # (一)/1/(1): a category with sub-categories, each row with its sums, parts numbered (1) (2)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年某县重点项目台账（单位：万元）"])
    ws.append(["序号", "项目名称", "建设单位", "建设性质", "总投资", "年度计划投资"])
    ws.append([None, "合计", None, None, 19000, 6500])
    ws.append(["一", "基础设施项目（3个）", None, None, 19000, 6500])
    ws.append(["（一）", "交通（2个）", None, None, 15000, 5000])
    ws.append([1, "环城路", "县交通局", "新建", 7000, 2000])
    ws.append([2, "国道改线打捆项目", "县交通局", "新建", 8000, 3000])
    ws.append(["(1)", "国道改线一段", "县交通局", "新建", 5000, 2000])
    ws.append(["(2)", "国道改线二段", "县交通局", "新建", 3000, 1000])
    ws.append(["（二）", "水利（1个）", None, None, 4000, 1500])
    ws.append([1, "灌区改造", "县水利局", "续建", 4000, 1500])
    wb.save(tmp_path / "l.xlsx")
    ledger = load_ledger(tmp_path / "l.xlsx")
    for rule in ("total_mismatch", "category_count_mismatch", "bundle_sum_mismatch"):
        assert _rules(ledger, rule).empty, (rule, _rules(ledger, rule)["message_zh"].tolist())
    p = ledger.projects.set_index("name")
    assert p.at["国道改线一段", "parent_id"] == p.at["国道改线打捆项目", "project_id"]
    assert ledger.summary()["total_investment_yi"] == 1.9


def test_qizhong_rows_are_parts_of_the_row_just_above_even_a_numbered_part(tmp_path):
    industry = [*INDUSTRY[:4], (None, "其中：1号厂房主体", "县产业集聚区", 600, 300),
                (None, "其中：1号厂房配套", "县产业集聚区", 400, 200), *INDUSTRY[4:]]
    ledger = load_ledger(write_county_ledger(tmp_path / "l.xlsx", industry=industry))
    p = ledger.projects.set_index("name")
    assert p.at["1号厂房主体", "parent_id"] == p.at["1号厂房配套", "parent_id"] == p.at["丙片区1号厂房", "project_id"]
    assert p.at["丙片区2号厂房", "parent_id"] == p.at["丙片区标准化厂房打捆项目", "project_id"]
    for unit in ("parent", "children"):  # a bundle once, whichever level counts
        assert ledger.counted(unit).projects["total_investment"].sum() == 49000, unit
    assert _rules(ledger, "total_mismatch").empty and _rules(ledger, "bundle_sum_mismatch").empty


def test_blank_bundles_nested_in_blank_bundles_are_filled_from_the_bottom_up():
    import numpy as np

    from workbench.ingest.context import parts_sum_into

    nan = np.nan
    # 0 ← 1, 2; 1 ← 3, 4; 5 on its own; 6 a blank bundle whose parts are blank too
    parents = np.array([-1, 0, 0, 1, 1, -1, -1, 6])
    values = np.array([nan, nan, 5.0, 1.0, 2.0, 9.0, nan, nan])
    out = parts_sum_into(values, parents)
    assert out[:6].tolist() == [8.0, 3.0, 5.0, 1.0, 2.0, 9.0] and np.isnan(out[6:]).all()
    assert np.isnan(values[0])  # the input is left as it was


def test_the_hierarchy_survives_an_export_and_reload(county, tmp_path):
    from workbench.explore import export

    again = load_ledger(export(county, tmp_path / "导出.xlsx"))
    pairs = dict(zip(county.projects["name"], county.projects["parent_id"], strict=True))
    assert dict(zip(again.projects["name"], again.projects["parent_id"], strict=True)) == pairs
    assert again.summary()["total_investment_yi"] == 4.9
