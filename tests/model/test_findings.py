"""The findings collector and its rules (config/validation.yaml): checked when read, errors first."""

from __future__ import annotations

import copy

import pytest

from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError
from workbench.model.findings import Findings, check_rules, load_rules, rule_severity


def test_packaged_rules_are_valid_and_every_rule_has_a_severity():
    rules = load_rules()
    assert rules["rules"] and all(rule_severity(r) in ("error", "warning") for r in rules["rules"])


def _rules():
    return copy.deepcopy(packaged_yaml("validation.yaml"))


def test_a_message_with_an_unknown_placeholder_is_refused_naming_the_rule():
    data = _rules()
    data["rules"]["required_missing"]["en"] = "'{colum}' is empty"
    with pytest.raises(ConfigError, match="required_missing") as err:
        check_rules(data)
    assert err.value.file == "validation.yaml" and err.value.field == "required_missing"


def test_a_missing_tolerance_is_refused_naming_it():
    data = _rules()
    del data["tolerance"]["total_abs"]
    with pytest.raises(ConfigError, match="total_abs") as err:
        check_rules(data)
    assert err.value.field == "tolerance.total_abs"


def test_a_rule_without_a_severity_is_refused():
    data = _rules()
    data["rules"]["value_ignored"]["severity"] = "fatal"
    with pytest.raises(ConfigError, match="value_ignored"):
        check_rules(data)


def test_findings_come_errors_first_and_rows_with_an_error_are_listed():
    findings = Findings("x.xlsx")
    findings.add("value_ignored", "台账", 5, "开工时间", "明年")
    findings.add("required_missing", "台账", 7, "项目名称", None)
    findings.add("value_unreadable", "台账", 7, "总投资", "很多")
    frame = findings.frame()
    assert list(frame["severity"]) == ["error", "error", "warning"]
    assert frame["file"].eq("x.xlsx").all() and list(frame["row"]) == [7, 7, 5]
    errors = findings.error_rows("台账")
    assert list(errors["row"]) == [7] and errors["rules"].iat[0] == "required_missing; value_unreadable"


def test_a_non_finite_value_is_written_not_crashed_on():
    findings = Findings("x.xlsx")
    findings.add("value_ignored", "台账", 3, "总投资", float("inf"))
    assert findings.frame()["value"].tolist() == ["inf"]


def test_the_bundle_unit_of_count_must_be_parent_or_children():
    data = _rules()
    assert data["bundles"]["count"] == "parent"  # the documented default
    data["bundles"]["count"] = "both"
    with pytest.raises(ConfigError, match="bundles.count") as err:
        check_rules(data)
    assert err.value.field == "bundles.count"
