"""Report parameters: checked against the notebook's parameters cell before any kernel starts.

Every mistake is a ParameterError (exit code 2) carrying the parameter it is about.
"""

from __future__ import annotations

import pytest

from tests.publish.conftest import tiny_notebook
from workbench.exceptions import EXIT_USAGE, ParameterError
from workbench.publish import DEFAULT_NOTEBOOK, checked_report, report_parameters
from workbench.publish.params import notebook_parameters, typed_parameters


def test_parameter_names_and_types_come_from_the_parameters_cell():
    declared = notebook_parameters(DEFAULT_NOTEBOOK)
    assert list(declared)[:7] == ["quarter", "ledger_path", "as_of", "lang", "rubric", "office", "unit"]
    assert declared["quarter"].type is str and declared["quarter"].default == "2022Q1"
    with pytest.raises(ParameterError, match="笔记本没有参数 quater") as err:
        typed_parameters(declared, {"quater": "2022Q1"})
    assert err.value.field == "quater" and err.value.value == "2022Q1"
    with pytest.raises(ParameterError, match="参数 quarter=2022 的类型为 int，笔记本要求 str") as err:
        typed_parameters(declared, {"quarter": 2022})
    assert err.value.field == "quarter" and err.value.value == 2022


def test_report_parameters_resolve_paths(small_xlsx):
    params = report_parameters(DEFAULT_NOTEBOOK, {"quarter": "2022Q2", "ledger_path": str(small_xlsx)})
    assert params["ledger_path"] == str(small_xlsx.resolve())
    assert params["lang"] == "zh" and params["as_of"] == ""


@pytest.mark.parametrize(
    "given, field, value",
    [
        ({"quarter": "2022Q5"}, "quarter", "2022Q5"),
        ({"quarter": "2023Q1"}, "quarter", "2023Q1"),
        ({"lang": "fr"}, "lang", "fr"),
        ({"as_of": "soon"}, "as_of", "soon"),
        ({"as_of": "2022-07-01"}, "as_of", "2022-07-01"),
        ({"office": "外交部"}, "office", "外交部"),
        ({"rubric": "/no/such/rubric.yaml"}, "rubric", None),
        ({"ledger_path": "/no/such/ledger.xlsx"}, "ledger_path", None),
    ],
)
def test_each_wrong_parameter_is_named_with_its_value(small_xlsx, given, field, value):
    given = {"quarter": "2022Q1", "ledger_path": str(small_xlsx)} | given
    with pytest.raises(ParameterError) as err:
        checked_report(DEFAULT_NOTEBOOK, given)
    assert err.value.field == field and err.value.exit_code == EXIT_USAGE
    if value is not None:
        assert err.value.value == value
    else:
        assert err.value.file == given[field]


def test_a_ledger_that_cannot_be_read_keeps_the_loaders_fields(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ParameterError, match="broken.xlsx") as err:
        checked_report(DEFAULT_NOTEBOOK, {"quarter": "2022Q1", "ledger_path": str(broken)})
    assert err.value.field == "ledger_path" and err.value.file == str(broken)


def test_a_bad_rubric_is_a_parameter_error_about_the_rubric(tmp_path, small_xlsx):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bands:\n  red: {min: 0, max: 30}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="没有对应评级") as err:
        checked_report(DEFAULT_NOTEBOOK, {"quarter": "2022Q1", "ledger_path": str(small_xlsx),
                                          "rubric": str(bad)})
    assert err.value.field == "rubric"


def test_the_quarter_is_written_yyyyqn(small_xlsx):
    params, _ = checked_report(DEFAULT_NOTEBOOK, {"quarter": " 2022Q3\n", "ledger_path": str(small_xlsx)})
    assert params["quarter"] == "2022Q3"


@pytest.mark.parametrize("content", [b"{ not json", b'{"cells": 3}', b"\xff\xfe"])
def test_a_notebook_that_cannot_be_read_is_a_parameter_error(tmp_path, content):
    path = tmp_path / "broken.ipynb"
    path.write_bytes(content)
    with pytest.raises(ParameterError, match="不是可读取的笔记本") as err:
        notebook_parameters(path)
    assert err.value.file == str(path) and err.value.field == "notebook"


def test_a_notebook_without_parameters_or_missing_is_a_parameter_error(tmp_path):
    import nbformat

    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), plain)
    with pytest.raises(ParameterError, match="没有标记为 parameters 的单元格"):
        notebook_parameters(plain)
    with pytest.raises(ParameterError, match="笔记本不存在"):
        notebook_parameters(tmp_path / "nope.ipynb")
    assert notebook_parameters(tiny_notebook(tmp_path / "ok.ipynb"))["quarter"].type is str
