"""No silent wrongness: a report on a ledger whose annual-plan column is empty exits 1 naming
the column and the count and publishes nothing; with --accept-warnings it publishes with the
warning on its first page (and the 数据说明 appendix at the end)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from tests.plausible_ledger import ledger_without_annual_plan
from workbench.cli import app


@pytest.fixture(scope="module")
def empty_plan(tmp_path_factory):
    return ledger_without_annual_plan(tmp_path_factory.mktemp("ledger") / "empty_plan.xlsx")


def test_a_ledger_with_an_empty_annual_plan_is_refused_naming_column_and_count(tmp_path, empty_plan):
    path, letter, _ = empty_plan
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--ledger", str(path),
                                      "--out", str(out), "--no-pdf"])
    assert result.exit_code == 1, result.output
    assert f"年度计划投资（列 {letter}“年度计划投资”）在 4 个项目中 4 个为空" in result.output
    assert "--accept-warnings" in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())  # nothing published, no kernel ran


@pytest.mark.slow
def test_with_accept_warnings_it_publishes_with_the_warning_on_the_first_page(tmp_path, empty_plan):
    path, letter, _ = empty_plan
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--ledger", str(path),
                                      "--out", str(out), "--no-pdf", "--accept-warnings"])
    assert result.exit_code == 0, result.output
    page = (out / "2022Q1" / "quarterly_review.html").read_text(encoding="utf-8")
    warning = f"年度计划投资（列 {letter}“年度计划投资”）在 4 个项目中 4 个为空"
    box = page.index('class="wb-warnings"')
    assert page.index("<h1") < box < page.index(warning) < page.index("一、总体情况")
    appendix = page.index("附：数据说明")
    assert appendix > page.index("九、落后项目及存在问题")
    tail = page[appendix:]
    assert "SHA-256：" in tail and re.search(r"[0-9a-f]{64}", tail)
    assert "读取映射" in tail and "行数核对" in tail and warning in tail
    assert "<script>alert(1)</script>" not in page  # the small ledger's hostile name, escaped
