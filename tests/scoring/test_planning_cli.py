"""`workbench score`: scores a ledger file, writes a formula-safe export, refuses a bad rubric."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.scoring_fixtures import perfect_ledger
from workbench.cli import app

workbook = pytest.importorskip("workbench.sample.workbook", reason="the workbook writer is not there yet")
pytest.importorskip("workbench.ingest.load", reason="the loader is not there yet")

EVIL = "=HYPERLINK(\"http://x\",\"点我\")"


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory):
    from tests.scoring_fixtures import project

    ledger = perfect_ledger()
    reserve = project("WB-0000000009", nature="前期", stage="储备", annual_plan=0.0,
                      actual_start=pd.NaT, planned_start=pd.Timestamp("2023-05-01"))
    projects = pd.concat([ledger.projects.assign(name=[EVIL, "某项目"]), pd.DataFrame([reserve])],
                         ignore_index=True)
    path = tmp_path_factory.mktemp("score") / "ledger.xlsx"
    workbook.write_ledger_workbook(ledger.replace(projects=projects), path)
    return path


def test_score_writes_scores_reasons_and_ranking_formula_safe(ledger_file, tmp_path):
    out = tmp_path / "scores.xlsx"
    result = CliRunner().invoke(app, ["score", str(ledger_file), "--as-of", "2022-06-30",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "截至 2022-06-30" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目评分", "扣分原因", "责任单位考核排名"]
    names = [c.value for c in book["项目评分"]["B"]]
    assert "'" + EVIL in names and EVIL not in names
    scores = pd.read_excel(out, sheet_name="项目评分", engine="openpyxl")
    assert {100.0, 34.3} <= set(scores["谋划质量得分"])
    reasons = pd.read_excel(out, sheet_name="扣分原因", engine="openpyxl")
    assert reasons.loc[reasons["项目名称"] == "某项目", "扣分"].sum() == pytest.approx(100 - 34.3)
    assert "用地手续未办理，计划8月开工（-6）" in set(reasons["说明"])


def test_score_in_english_to_csv(ledger_file, tmp_path):
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(app, ["score", str(ledger_file), "--as-of", "2022-06-30",
                                      "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Planning band" in result.output
    units = pd.read_csv(tmp_path / "scores_units.csv", encoding="utf-8-sig")
    assert "Rank" in units.columns
    reasons = pd.read_csv(tmp_path / "scores_reasons.csv", encoding="utf-8-sig")
    assert "Land: not started, planned start Aug 2022 (-6)" in set(reasons["Message"])


def test_score_refuses_a_bad_rubric_and_date(ledger_file, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bands:\n  red: {min: 0, max: 30}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(ledger_file), "--rubric", str(bad)])
    assert result.exit_code == 2
    assert "30 到 40 分没有对应评级" in result.output
    result = CliRunner().invoke(app, ["score", str(ledger_file), "--as-of", "soon"])
    assert result.exit_code == 2 and "不是日期" in result.output
