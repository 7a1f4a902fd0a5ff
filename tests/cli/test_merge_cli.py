"""`workbench merge MASTER SUB… --out merged.xlsx`: the merged workbook with every table, a
summary per source, formula-safe cells, and clear errors with their exit codes."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from tests.minimal_sheet import minimal_sheet
from workbench.cli import app


def test_merge_writes_the_workbook_and_says_where_every_row_went(tmp_path):
    master = minimal_sheet(tmp_path / "主台账.xlsx", [
        (None, "内乡县赤眉镇中小河流治理项目", "内乡县水利局", 5000),
        (None, "@内乡县马山口镇污水处理项目", "内乡县水利局", 10)])
    unit = minimal_sheet(tmp_path / "水利局报送.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5200)])
    out = tmp_path / "merged.xlsx"
    result = CliRunner().invoke(app, ["merge", str(master), str(unit), "--out", str(out),
                                      "--year", "2022"])
    assert result.exit_code == 0, result.output
    assert "主台账.xlsx（master）：2 行 · 链接 1 · 仅此一方 1 · 未采用 0" in result.output
    assert "每行均有去向：True" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["合并后项目", "字段冲突", "待人工确认", "已链接", "仅一方有",
                               "未采用行", "行数核对", "取值来源"]
    names = [r[1] for r in book["合并后项目"].iter_rows(min_row=2, values_only=True)]
    assert "'@内乡县马山口镇污水处理项目" in names  # neutralised, not a formula
    conflicts = list(book["字段冲突"].iter_rows(min_row=2, values_only=True))
    assert {r[2] for r in conflicts} >= {"total_investment"}


def test_merge_refuses_a_bad_precedence_file_with_exit_2(tmp_path):
    master = minimal_sheet(tmp_path / "a.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5000)])
    unit = minimal_sheet(tmp_path / "b.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5000)])
    bad = tmp_path / "sources.yaml"
    bad.write_text("default: [master, nobody]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["merge", str(master), str(unit), "--precedence", str(bad),
                                      "--out", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 2
    assert "precedence.default" in result.output and not (tmp_path / "m.xlsx").exists()
