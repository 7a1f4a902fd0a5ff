"""What was read as what: Ledger.mapping, validate's first table and --json, `workbench map`
and its profile round trip."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.plausible_ledger import ledger_without_annual_plan
from workbench.cli import app
from workbench.core.text import column_letter
from workbench.ingest import load_ledger, mapping_profile
from workbench.ingest.validate import report_json, report_text, validation_report

CSV = """2022年某县重点项目台账,,,,,,,
单位：万元,,,,,,,
项目名称,建设单位,建设性质,项目阶段,总投资（亿元）,年度计划投资,1-3月完成投资,备注
甲项目,甲公司,新开工,在建,1.5,3000,800,无
乙项目,乙公司,续建,在建,2,5000,1200,
丙项目,丙公司,续建,在建,0.8,2000,400,说明
"""


@pytest.fixture()
def csv_ledger(tmp_path):
    path = tmp_path / "county.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_column_letters():
    assert [column_letter(c) for c in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_the_mapping_records_field_column_header_unit_factor_and_samples(csv_ledger):
    mapping = load_ledger(csv_ledger).mapping.set_index("column")
    assert mapping.loc["E", ["field", "header", "unit", "factor", "samples"]].tolist() == [
        "total_investment", "总投资（亿元）", "亿元", 1e4, "1.5 | 2 | 0.8"]
    assert mapping.loc["F", ["field", "unit", "factor"]].tolist() == ["annual_plan", "万元", 1.0]
    assert mapping.loc["G", "field"] == "completed:ytd:1-3:2022"
    assert mapping.loc["H", "field"] == ""  # 备注: unmatched, shown all the same
    assert not mapping["hidden"].any()


def test_validate_starts_with_the_mapping_and_json_carries_it(csv_ledger):
    report = validation_report(csv_ledger)
    text = report_text(report)
    lines = text.splitlines()
    assert lines[1].startswith("读取映射")
    assert text.index("读取映射") < text.index("读入：")
    assert any("总投资（亿元）" in line and " E " in line and "亿元" in line for line in lines)
    payload = json.loads(report_json(report))
    assert {"field": "annual_plan", "column": "F"}.items() <= payload["mapping"][5].items()
    # no 计划开工时间 column: the start rate in the headline would be empty
    assert [(i["field"], i["count"]) for i in payload["plausibility"]] == [("planned_start", 3)]
    assert "台账中无此列" in payload["plausibility"][0]["message_zh"]


def test_validate_names_plausibility_issues(tmp_path):
    path, letter, _ = ledger_without_annual_plan(tmp_path / "empty_plan.xlsx")
    text = report_text(validation_report(path))
    assert f"年度计划投资（列 {letter}“年度计划投资”）在 4 个项目中 4 个为空" in text


def _same_tables(a, b):
    for name, frame in a.tables().items():
        pd.testing.assert_frame_equal(frame, b.tables()[name], obj=name)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_written_profile_reloads_the_file_to_the_same_ledger(tmp_path, csv_ledger, kind):
    path = csv_ledger if kind == "csv" else ledger_without_annual_plan(tmp_path / "l.xlsx")[0]
    ledger = load_ledger(path)
    profile = tmp_path / "profile.yaml"
    result = CliRunner().invoke(app, ["map", str(path), "--out", str(profile)])
    assert result.exit_code == 0, result.output
    assert "读取映射" in result.output and str(profile) in result.output
    again = load_ledger(path, profile=str(profile))
    _same_tables(ledger, again)
    assert again.mapping["field"].tolist() == ledger.mapping["field"].tolist()


def test_an_edited_profile_changes_the_reading(tmp_path, csv_ledger):
    text = mapping_profile(load_ledger(csv_ledger))
    assert '"年度计划投资": annual_plan' in text and '#   "备注":' in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith('#   "备注":'))
    lines[at] = '  "备注": physical_progress_note'  # the user maps an unmatched column
    lines.insert(lines.index("columns:") + 1, lines.pop(at))
    profile = tmp_path / "edited.yaml"
    profile.write_text("\n".join(lines), encoding="utf-8")
    ledger = load_ledger(csv_ledger, profile=str(profile))
    assert ledger.mapping.set_index("column").loc["H", "field"] == "physical_progress_note"
    assert ledger.projects["physical_progress_note"].tolist()[2] == "说明"
