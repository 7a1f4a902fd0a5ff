"""Defect rows named, each on a small ledger laid out as a county sends it with one defect:
annual plan above total investment, 累计 below 当月, 形象进度 above 100 %, a 小计 typed over,
a row copied under another 序号."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbench.ingest.load import load_ledger

HEADER = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "年度计划投资", "1-6月累计完成投资",
          "6月完成投资", "形象进度(%)"]
ROWS = [
    [1, "城区供水管网改造", "县水利局", "续建", 12000, 4000, 2100, 400, 55],
    [2, "第二实验小学", "县教体局", "新建", 9000, 3000, 1500, 300, 40],
    [3, "农产品冷链物流园", "县供销社", "新建", 15000, 5000, 2600, 500, 35],
    [4, "产业集聚区道路", "县交通局", "续建", 8000, 2500, 1200, 250, 60],
]
SHEET = "重点项目"


def write_ledger(path, rows=ROWS, subtotal=None):
    """Title, unit row, one-row header, the projects, a 小计 (their sum unless typed over)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["2022年某县重点项目进度台账"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：县发改委", None, None, None, None, None, None, "单位：万元"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    sums = [sum(r[c] for r in rows if isinstance(r[c], (int, float))) for c in range(4, 8)]
    ws.append([None, "小计", None, None, *(subtotal or sums)])
    wb.save(path)
    return path


def changed(row: int, column: str, value) -> list[list]:
    rows = [list(r) for r in ROWS]
    rows[row][HEADER.index(column)] = value
    return rows


def hits(ledger, rule):
    f = ledger.findings
    return f[f["rule"] == rule][["severity", "sheet", "row", "column", "value"]].values.tolist()


def test_the_clean_ledger_has_no_finding_of_these_rules(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "clean.xlsx"))
    for rule in ("annual_plan_above_total", "ytd_below_month", "progress_above_100", "total_mismatch",
                 "row_copied", "duplicate_name_owner"):
        assert not hits(ledger, rule), rule
    assert len(ledger.projects) == 4


def test_annual_plan_above_total_investment(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", changed(1, "年度计划投资", 9500)))
    assert hits(ledger, "annual_plan_above_total") == [["warning", SHEET, 5, "年度计划投资", "9,500"]]


def test_year_to_date_below_the_months_own_figure(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", changed(2, "1-6月累计完成投资", 450)))
    assert hits(ledger, "ytd_below_month") == [["warning", SHEET, 6, "1-6月累计完成投资", "450"]]
    message = ledger.findings.set_index("rule").at["ytd_below_month", "message_zh"]
    assert "6月完成投资" in message and "500" in message


def test_physical_progress_above_100_percent(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", changed(3, "形象进度(%)", 120)))
    assert hits(ledger, "progress_above_100") == [["warning", SHEET, 7, "形象进度(%)", "120"]]
    assert not hits(ledger, "value_ignored")
    progress = ledger.progress.merge(ledger.projects[["project_id", "name"]], on="project_id")
    june = progress[progress["name"] == "产业集聚区道路"]
    assert june["physical_progress"].isna().all()  # not used as if it were true


def test_a_subtotal_typed_over_names_the_typed_value_and_the_sum(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", subtotal=[44500, 14500, 7400, 1450]))
    assert hits(ledger, "total_mismatch") == [["warning", SHEET, 8, "总投资", "44,500"]]
    message = ledger.findings.set_index("rule").at["total_mismatch", "message_zh"]
    assert "小计" in message and "44,000" in message


def test_a_row_copied_under_another_serial_number(tmp_path):
    rows = [*ROWS, [5, *ROWS[1][1:]]]  # 第二实验小学 pasted again as 序号 5
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", rows))
    assert hits(ledger, "row_copied") == [["error", SHEET, 8, "项目名称", "第二实验小学"]]
    message = ledger.findings.set_index("rule").at["row_copied", "message_zh"]
    assert "第5行" in message and "2 / 5" in message
    assert not hits(ledger, "duplicate_name_owner")
    assert len(ledger.projects) == 4 and ledger.rejected["row"].tolist() == [8]
    assert bool(ledger.reconciliation["balanced"].all())


@pytest.mark.parametrize("column, value", [("总投资", 9100), ("建设单位", "县教育局")])
def test_the_same_name_with_other_amounts_or_owner_is_not_called_a_copy(tmp_path, column, value):
    copy = [5, *ROWS[1][1:]]
    copy[HEADER.index(column)] = value
    ledger = load_ledger(write_ledger(tmp_path / "l.xlsx", [*ROWS, copy]))
    assert not hits(ledger, "row_copied")
    if column == "总投资":  # same name and owner: still the project listed twice
        assert [h[2] for h in hits(ledger, "duplicate_name_owner")] == [8]


def test_every_new_rule_has_zh_and_en_messages():
    from workbench.model.findings import load_rules

    rules = load_rules()["rules"]
    for rule in ("ytd_below_month", "progress_above_100", "row_copied", "bundle_sum_mismatch",
                 "bundle_total_from_parts", "bundle_parent_missing"):
        assert rules[rule]["zh"] and rules[rule]["en"], rule
    assert pd.notna(rules["row_copied"]["severity"])
