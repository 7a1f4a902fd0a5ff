"""Exporting a selection: Chinese headers, amounts in 万元, labelled values, formula-safe cells."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from tests.small_ledger import EVIL_NAME, fake_scores
from workbench.core.words import column_label, value_label
from workbench.exceptions import ParameterError
from workbench.explore import export, project_table


def test_export_ledger_round_trips_with_chinese_headers(book, tmp_path):
    path = export(book, tmp_path / "选中项目.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["项目", "月度进度", "前期手续", "资金来源", "存在问题", "节点计划"]
    projects = sheets["项目"]
    assert f"{column_label('total_investment')}（万元）" in projects.columns
    back = {column_label(c): c for c in book.projects.columns}
    back[f"{column_label('total_investment')}（万元）"] = "total_investment"
    back[f"{column_label('annual_plan')}（万元）"] = "annual_plan"
    projects = projects.rename(columns=back)
    assert list(projects["project_id"]) == list(book.projects["project_id"])
    assert list(projects["total_investment"]) == list(book.projects["total_investment"])
    assert list(projects["level"]) == [value_label(v) for v in book.projects["level"]]
    assert projects["name"].iloc[4] == "'" + EVIL_NAME, "formula neutralised, text kept"
    assert len(sheets["月度进度"]) == len(book.progress)
    assert "责任单位（人）" in sheets["存在问题"].columns


def test_export_is_formula_safe(book, tmp_path):
    path = export(book.filter(office=["城镇建设", "工业发展"]), tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'+电力接入" in texts and "'" + EVIL_NAME in texts


def test_export_a_selection_table(book, tmp_path):
    frame = project_table(book.filter(rag="red", scores=fake_scores()), fake_scores())
    path = export(frame, tmp_path / "behind.xlsx", lang="en")
    back = pd.read_excel(path, engine="openpyxl")
    assert len(back) == 2 and "Project" in back.columns and "Delivery RAG" in back.columns
    assert set(back["Delivery RAG"]) == {"Red"}
    with pytest.raises(ParameterError, match="xlsx"):
        export(book, tmp_path / "book.csv")
    with pytest.raises(ParameterError) as info:
        export(frame, tmp_path / "x.pdf")
    assert info.value.file == str(tmp_path / "x.pdf") and info.value.field == "path"
    with pytest.raises(ParameterError, match="请给出台账（Ledger）或表格（DataFrame）"):
        export([1, 2], tmp_path / "x.xlsx")


def test_export_a_styled_table_writes_its_data(book, tmp_path):
    from workbench.present import table

    path = export(table(project_table(book, fake_scores())), tmp_path / "styled.csv")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert len(back) == len(book.projects) and column_label("name") in back.columns
