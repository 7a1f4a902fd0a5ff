"""A unit's or the province's minimal list (name, owner, amounts, perhaps a code) loads: the
fields it lacks stay empty and one warning names them; no row is rejected (issue 16, item 6)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbench.ingest import load_ledger


def _minimal(path, header=("序号", "项目代码", "项目名称", "项目单位", "总投资（万元）", "2022年计划投资")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(list(header))
    ws.append([1, "2203-411325-04-01-123456", "内乡县城关镇卫生院改扩建项目", "内乡县人民医院", 12000, 3000])
    ws.append([2, None, "赤眉镇中小河流治理", "内乡县水利局", 5000, 1000])
    wb.save(path)
    return path


@pytest.mark.parametrize("year", [None, 2022])
def test_minimal_rows_load_with_missing_fields_empty_and_named(tmp_path, year):
    ledger = load_ledger(_minimal(tmp_path / "unit.xlsx"), year=year)
    p = ledger.projects
    assert list(p["name"]) == ["内乡县城关镇卫生院改扩建项目", "赤眉镇中小河流治理"]
    assert p["total_investment"].tolist() == [12000.0, 5000.0]
    assert p["project_id"].iat[0] == "2203-411325-04-01-123456"
    # nothing in the file says the nature or stage: empty, not guessed (no "前期" from no dates)
    assert p["nature"].isna().all() and p["stage"].isna().all()
    assert p["planned_start"].isna().all() and p["responsible_unit"].isna().all()
    assert len(ledger.rejected) == 0
    recon = ledger.reconciliation
    assert int(recon["accepted"].sum()) == 2 and int(recon["rejected"].sum()) == 0
    warning = ledger.findings[ledger.findings["rule"] == "columns_missing_empty"]
    assert len(warning) == 1 and (warning["severity"] == "warning").all()
    for word in ("建设性质", "项目阶段", "计划开工", "责任单位"):
        assert word in warning["message_zh"].iat[0]


def test_a_sheet_with_dates_still_derives_its_nature(tmp_path):
    path = tmp_path / "dated.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "项目单位", "总投资（万元）", "计划开工时间"])
    ws.append(["内乡县城关镇卫生院改扩建项目", "内乡县人民医院", 12000, "2022-03-01"])
    wb.save(path)
    ledger = load_ledger(path, year=2022)
    assert ledger.projects["nature"].tolist() == ["新开工"]
    assert not (ledger.findings["rule"] == "columns_missing_empty").any()
    assert pd.notna(ledger.projects["planned_start"].iat[0])
