"""Plausibility checks on a whole Ledger: each names the column and the count; a plausible
ledger has none; thresholds come from config/plausibility.yaml and are checked."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from tests.report_ledger import small_ledger
from workbench.exceptions import ConfigError
from workbench.model.findings import Findings
from workbench.model.plausibility import (
    check_plausibility,
    load_plausibility,
    plausibility_issues,
)


def _mapping(field: str, column: str, header: str, hidden: bool = False) -> pd.DataFrame:
    return pd.DataFrame({"sheet": ["台账"], "table": ["projects"], "field": [field],
                         "column": [column], "header": [header], "hidden": [hidden],
                         "unit": ["万元"], "factor": [1.0], "samples": ["1 | 2 | 3"]})


def test_a_plausible_ledger_has_no_issue():
    assert plausibility_issues(small_ledger()).empty


def test_an_empty_annual_plan_names_the_column_and_the_count():
    ledger = small_ledger()
    ledger = ledger.replace(projects=ledger.projects.assign(annual_plan=0.0),
                            mapping=_mapping("annual_plan", "F", "年度计划投资"))
    issues = plausibility_issues(ledger)
    row = issues[issues["check"] == "field_empty"].iloc[0]
    assert (row["field"], row["column"], row["count"], row["n"]) == ("annual_plan", "F", 4, 4)
    assert "年度计划投资（列 F“年度计划投资”）在 4 个项目中 4 个为空" in row["message_zh"]
    assert "column F" in row["message_en"]


def test_annual_plan_above_total_for_many_rows():
    ledger = small_ledger()
    p = ledger.projects
    ledger = ledger.replace(projects=p.assign(annual_plan=p["total_investment"] * 2))
    checks = set(plausibility_issues(ledger)["check"])
    assert "annual_above_total" in checks


def test_completed_an_order_of_magnitude_above_plan():
    ledger = small_ledger()
    progress = ledger.progress.assign(completed=ledger.progress["completed"] * 100)
    issues = plausibility_issues(ledger.replace(progress=progress))
    assert "completed_over_plan" in set(issues["check"])


def test_a_hidden_column_used_for_a_field_is_an_issue():
    ledger = small_ledger().replace(mapping=_mapping("annual_plan", "G", "2021年计划投资", True))
    issues = plausibility_issues(ledger)
    assert list(issues["check"]) == ["hidden_mapped", "other_year_mapped"]  # last year's, hidden
    assert "列 G" in issues["message_zh"].iloc[0] and "隐藏" in issues["message_zh"].iloc[0]


def test_a_total_that_disagrees_stops_too():
    findings = Findings("x.xlsx")
    findings.add("total_mismatch", "台账", 5, "总投资", 100, limit=90, extra="合计")
    ledger = small_ledger().replace(findings=findings.frame())
    issues = plausibility_issues(ledger)
    assert list(issues["check"]) == ["total_mismatch"]
    assert "合计" in issues["message_zh"].iloc[0]


def test_thresholds_are_checked_when_read():
    data = copy.deepcopy(load_plausibility())
    data["checks"]["field_empty"]["min_share"] = 2
    with pytest.raises(ConfigError, match="min_share"):
        check_plausibility(data)
    data = copy.deepcopy(load_plausibility())
    del data["messages"]["field_empty"]
    with pytest.raises(ConfigError, match="messages.field_empty"):
        check_plausibility(data)


def test_an_amount_read_from_another_years_column_is_an_issue():
    ledger = small_ledger()  # year 2022
    issues = plausibility_issues(ledger.replace(mapping=_mapping("annual_plan", "G", "2021年计划投资")))
    assert list(issues["check"]) == ["other_year_mapped"]
    assert "2021年" in issues["message_zh"].iloc[0] and "列 G" in issues["message_zh"].iloc[0]
    same_year = _mapping("annual_plan", "H", "2022年计划投资/全年")
    assert plausibility_issues(ledger.replace(mapping=same_year)).empty
