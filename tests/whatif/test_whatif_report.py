"""`workbench report --scenario FILE`: the scenario is checked before any kernel starts, and the
published quarterly review carries the leaders' panel and a base vs scenario section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser_cdp import Browser
from tests.whatif.test_whatif_browser import _RANKING, _move
from workbench.exceptions import ParameterError
from workbench.publish import DEFAULT_NOTEBOOK, checked_report, publish_report
from workbench.sample import generate_sample
from workbench.whatif import Scenario, save_scenario

SCENARIO = Scenario(
    name="专项债到位七成",
    description="专项债资金缺口30%，城镇建设科室未开工项目推迟2个月",
    slip_by_office={"城镇建设": 2},
    shortfall_by_source={"地方政府专项债券": 30.0},
    weights={"approvals": 35.0},
)


def test_a_scenario_naming_an_unknown_project_is_refused_before_any_kernel(tmp_path, sample_path):
    bad = save_scenario(Scenario(slip_by_project={"no-such-project": 2}), tmp_path / "bad.yaml")
    ledger = generate_sample(2022, 50, 2022)
    given = {"quarter": "2022Q2", "ledger_path": str(sample_path), "scenario": str(bad)}
    with pytest.raises(ParameterError, match="情景 .*slip_by_project.no-such-project"):
        checked_report(DEFAULT_NOTEBOOK, given, load=lambda _path: ledger)
    given["scenario"] = str(tmp_path / "missing.yaml")
    with pytest.raises(ParameterError, match="scenario 文件不存在"):  # Chinese by default
        checked_report(DEFAULT_NOTEBOOK, given, load=lambda _path: ledger)


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_path):
    folder = tmp_path_factory.mktemp("report")
    scenario = save_scenario(SCENARIO, folder / "bonds.yaml")
    return publish_report("2022Q2", sample_path, out=folder / "reports", scenario=scenario,
                          pdf=False, log=lambda _m: None)


@pytest.mark.slow
def test_report_carries_the_panel_and_base_vs_scenario(published):
    page = Path(published.html).read_text("utf-8")
    assert "情景推演面板" in page and "情景推演：基准与情景对比：专项债到位七成" in page
    assert "全年完成投资预测" in page and "分季度开工率" in page
    specs = [json.loads(s) for s in _specs(page)]
    panel = [s for s in specs if any(p.get("name") == "w_approvals" for p in s.get("params", []))]
    assert len(panel) == 1


def _specs(page: str) -> list[str]:
    import html
    import re

    return [html.unescape(m) for m in re.findall(r'data-wb-spec="([^"]*)"', page)]


@pytest.mark.slow
@pytest.mark.browser
def test_moving_a_weight_slider_in_the_published_report_reranks_projects(published, chromium, tmp_path):
    browser = Browser(chromium, tmp_path / "profile")
    try:
        browser.call("Page.enable")
        browser.call("Page.navigate", url=Path(published.html).as_uri())
        browser.wait_for("document.querySelector('g.wb_whatif_projects_group') !== null", timeout=60)
        before = browser.js(_RANKING)
        assert len(before[0]) == 15
        for dim in ("policy_fit", "definition", "approvals", "funding", "responsibility"):
            browser.js(_move(f"w_{dim}", 0))
        browser.js(_move("w_schedule", 50))
        after = browser.wait_for(f"(() => {{ const r = {_RANKING}; "
                                 f"return JSON.stringify(r) !== {json.dumps(json.dumps(before))} && r; }})()")
        assert after[0] != before[0]
    finally:
        browser.close()


def test_whatif_command_prints_the_comparison_and_refuses_bad_scenarios(tmp_path, sample_path):
    from typer.testing import CliRunner

    from workbench.cli import app

    good = save_scenario(SCENARIO, tmp_path / "bonds.yaml")
    result = CliRunner().invoke(app, ["whatif", str(good), "--ledger", str(sample_path),
                                      "--as-of", "2022-06-30"])
    assert result.exit_code == 0, result.output
    assert "全年完成投资预测" in result.output and "2022Q3" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("slip_all: -3\n", "utf-8")
    result = CliRunner().invoke(app, ["whatif", str(bad), "--ledger", str(sample_path)])
    assert result.exit_code == 2 and "slip_all" in result.output
