"""What readers see: 风险预警 in the quarterly review and on the project card, a planning score
that never claims to forecast delivery, foreign amounts in their own currency, and the
`workbench backtest` command printing its pass line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from workbench.cli import app
from workbench.explore.card import project_card
from workbench.ingest import load_ledger
from workbench.review.risk_view import risk_section
from workbench.review.sections import planning_tables

PUBLIC = Path(__file__).parents[1] / "fixtures" / "public"
ROOT = Path(__file__).parents[2]


def test_the_review_section_lists_probabilities_with_factors_and_disowns_the_planning_score(sample_path):
    ledger = load_ledger(sample_path)
    page = str(risk_section(ledger, "2022-12-31", "zh"))
    assert "延期概率" in page and "主要因素" in page and "不是延期风险指标" in page
    assert re.search(r"<td>(高|中|低)</td>", page)  # bands in words
    assert "推高" in page  # each listed project says which fields raise its probability
    english = str(risk_section(ledger, "2022-12-31", "en"))
    assert "not a delivery-risk measure" in english


def test_the_quarterly_review_notebook_shows_the_section():
    import json

    cells = json.loads((ROOT / "notebooks" / "quarterly_review.ipynb").read_text("utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert any('section_heading("h_risk"' in s and "risk_section(" in s for s in sources)
    golden = (ROOT / "tests" / "fixtures" / "golden" / "quarterly_review_2022Q4_zh.html").read_text("utf-8")
    assert "风险预警" in golden and "不是延期风险指标" in golden


def test_the_card_shows_the_probability_and_each_fields_effect(sample_path):
    ledger = load_ledger(sample_path)
    card = project_card(ledger, ledger.projects["name"].iloc[3], as_of="2022-12-31")
    html = card.to_html()
    assert "风险预警" in html and "未来一年计划竣工推迟超过90天的概率" in html
    assert card.risk_factors["risk_contribution"].abs().is_monotonic_decreasing
    assert "对延期概率的影响" in html and "contribution" not in html  # headings in words
    assert "非延期风险" in html  # the planning score's heading says what it is not


def test_the_planning_score_is_never_worded_as_a_delivery_risk(sample_path):
    from workbench.review import quarterly_review

    review = quarterly_review(load_ledger(sample_path), "2022Q4")
    assert "不预测项目是否延期" in str(planning_tables(review, "zh"))
    # every word file entry that names the planning score and risk says it is not a risk measure
    for name in ("report.yaml", "labels.yaml", "cli.yaml"):
        data = yaml.safe_load((ROOT / "workbench" / "config" / name).read_text("utf-8"))
        for section in data.values():
            for key, entry in (section or {}).items():
                if not isinstance(entry, dict) or "zh" not in entry:
                    continue
                zh = str(entry["zh"])
                if "谋划质量" in zh and "风险" in zh and "比较" not in zh:
                    assert re.search("不是|非|不参与|不预测", zh), f"{name}: {key}"


def test_foreign_amounts_are_shown_in_their_currency_never_yi_yuan():
    result = CliRunner().invoke(app, ["load", str(PUBLIC / "nyc_capital_projects_excerpt.csv"),
                                      "--profile", "nyc", "--as-of", "2015-12-31"])
    assert result.exit_code == 0, result.output
    assert "$" in result.output and "亿元" not in result.output
    assert ": 2015" in result.output.splitlines()[0]


def test_score_reads_a_portfolio_through_its_profile():
    result = CliRunner().invoke(app, ["score", str(PUBLIC / "nyc_capital_projects_excerpt.csv"),
                                      "--profile", "nyc"])
    assert result.exit_code == 0, result.output
    assert "项目数 7" in result.output


def test_backtest_command_writes_the_report_and_prints_the_pass_line(tmp_path, monkeypatch):
    import workbench.risk.backtest as backtest
    from tests.risk.test_model_and_backtest import FAST

    monkeypatch.setattr(backtest, "risk_settings", lambda: FAST)
    out = tmp_path / "bt.md"
    result = CliRunner().invoke(app, ["backtest", "--profile", "nyc", "--no-planning", "--out", str(out),
                                      str(ROOT / "data" / "reference" / "nyc" / "NYC_capital_projects_20190901.csv")])
    assert result.exit_code == 0, result.output
    assert re.match(r"(PASS|FAIL) nyc: model AUC − time-to-end rule AUC", result.output)
    text = out.read_text("utf-8")
    assert "延期风险预测回测" in text and "workbench backtest --profile nyc" in text
    assert "到期区之外" in text and "退出组合" in text


@pytest.mark.slow
def test_the_backtest_notebook_publishes_an_offline_page(tmp_path):
    from workbench.publish import backtest_page

    page = backtest_page("nyc", ROOT / "data" / "reference" / "nyc" / "NYC_capital_projects_20190901.csv",
                         tmp_path / "bt.html", planning=False, command="workbench backtest --profile nyc …")
    html = page.read_text("utf-8")
    assert "<h1>延期风险预测回测：nyc" in html
    assert "PASS nyc" in html or "FAIL nyc" in html
    assert "可靠性" in html and 'src="http' not in html  # the chart is drawn offline
    assert not list(tmp_path.glob(".backtest-*"))  # nothing half-written left behind


def test_a_pound_ledger_in_jupyter_and_on_its_card_is_never_yuan():
    from workbench.present.display import ledger_summary_html

    ledger = load_ledger(PUBLIC / "uk_gmpp_years", profile="uk_gmpp")
    page = ledger_summary_html(ledger)
    assert "£" in page and "亿元" not in page
    card = project_card(ledger, ledger.projects["name"].iloc[0])
    assert any("不是人民币" in n for n in card.notes) and card.risk is not None
