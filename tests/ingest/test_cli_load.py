"""`workbench load`: what loaded, in the reader's language; unreadable files exit 2."""

from __future__ import annotations

from typer.testing import CliRunner

from workbench.cli import app


def test_load_prints_counts_and_totals_in_yi(sample_path):
    result = CliRunner().invoke(app, ["load", str(sample_path)])
    assert result.exit_code == 0, result.output
    assert "项目" in result.output and "亿元" in result.output
    assert "错误 0 条" in result.output


def test_load_speaks_english_when_asked(sample_path):
    result = CliRunner().invoke(app, ["load", str(sample_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Projects" in result.output and "0 errors" in result.output


def test_load_of_a_missing_file_exits_2_without_a_traceback(tmp_path):
    result = CliRunner().invoke(app, ["load", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "nope.xlsx" in result.output and "Traceback" not in result.output
