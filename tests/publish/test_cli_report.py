"""`workbench report`: parameter errors exit 2 before any kernel starts; a bad ledger keeps the
last good report."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.publish.conftest import snapshot
from workbench.cli import app


@pytest.mark.slow
def test_a_broken_ledger_is_refused_before_any_kernel_and_keeps_the_report(good_report, tmp_path):
    out, published, before, _ = good_report
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--ledger", str(broken),
                                      "--out", str(out), "--no-pdf"])
    assert result.exit_code == 2
    assert "broken.xlsx" in result.output and "Traceback" not in result.output
    assert snapshot(published.folder) == before
    assert not (out / "_failed").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quarter", "2022Q5"], "YYYYQn"),
        (["--quarter", "22Q1"], "YYYYQn"),
        (["--quarter", "2023Q1"], "outside the data"),
        (["--quarter", "2022Q1", "--lang", "fr"], "lang"),
        (["--quarter", "2022Q1", "--ledger", "/no/such/ledger.xlsx"], "not found"),
        (["--quarter", "2022Q1", "--rubric", "/no/such/rubric.yaml"], "not found"),
        (["--quarter", "2022Q1", "--as-of", "2022-07-01"], "outside quarter"),
        (["--quarter", "2022Q1", "--as-of", "soon"], "not a date"),
        (["--quarter", "2022Q1", "--office", "外交部"], "does not occur"),
        (["--quarter", "2022Q1", "--year", "2022"], "either"),
        (["--year", "1999"], "no data for 1999"),
    ],
)
def test_parameter_errors_exit_2_with_a_message(tmp_path, small_xlsx, args, message):
    out = tmp_path / "reports"
    if "--ledger" not in args:
        args = args + ["--ledger", str(small_xlsx)]
    if "--lang" not in args:  # the library's own checks speak English (--lang en)
        args = args + ["--lang", "en"]
    result = CliRunner().invoke(app, ["report", *args, "--out", str(out), "--no-pdf"])
    assert result.exit_code == 2, result.output
    prefix = "parameter error: " if "en" in args else "参数错误："
    assert message in result.output and prefix in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())  # nothing ran, nothing written
