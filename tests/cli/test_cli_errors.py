"""The command line maps errors to exit codes in one place: a WorkbenchError's own code and its
message with the fields it does not name; anything else is a bug and keeps its traceback."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from workbench.cli import WorkbenchCommands, app, error_text, exit_code_of
from workbench.exceptions import (
    EXIT_FAILED,
    EXIT_USAGE,
    ExportError,
    LedgerDataError,
    ParameterError,
    ProjectNotFound,
    PublishError,
    WorkbenchError,
)


def _app_raising(exc: BaseException) -> typer.Typer:
    """A command group like the workbench's whose one command raises `exc`."""
    test_app = typer.Typer(cls=WorkbenchCommands, pretty_exceptions_enable=False)

    @test_app.command()
    def boom() -> None:
        raise exc

    @test_app.command()
    def fine() -> None:
        typer.echo("fine")

    return test_app


@pytest.mark.parametrize(
    "exc, code",
    [
        (PublishError("report 2022Q1 failed", kept="/r/_failed/x"), EXIT_FAILED),
        (LedgerDataError("no project accepted"), EXIT_FAILED),
        (ParameterError("quarter 'x' is not of the form YYYYQn"), EXIT_USAGE),
        (ExportError("cannot write scores to x.txt"), EXIT_USAGE),
        (WorkbenchError("something the user can fix"), EXIT_USAGE),
    ],
)
def test_every_command_exits_with_the_errors_own_code(exc, code):
    assert exit_code_of(exc) == code == exc.exit_code
    result = CliRunner().invoke(_app_raising(exc), ["boom"])
    assert result.exit_code == code
    assert exc.message in result.output and "Traceback" not in result.output


def test_a_bug_is_not_turned_into_an_exit_code():
    result = CliRunner().invoke(_app_raising(ValueError("a bug")), ["boom"])
    assert isinstance(result.exception, ValueError)


def test_the_message_shows_the_fields_it_does_not_name():
    exc = ParameterError("the as-of date lies outside the quarter", field="as_of",
                         value="2022-07-01", file="/data/ledger.xlsx")
    assert error_text(exc, "en").splitlines() == [
        "parameter error: the as-of date lies outside the quarter",
        "  file: /data/ledger.xlsx", "  value: 2022-07-01"]
    assert error_text(exc).splitlines() == [  # Chinese by default: prefix and field names
        "参数错误：the as-of date lies outside the quarter",
        "  文件：/data/ledger.xlsx", "  值：2022-07-01"]
    named = PublishError("report 2022Q1 failed; see /r/_failed/x", kept="/r/_failed/x")
    assert error_text(named) == "report 2022Q1 failed; see /r/_failed/x"
    several = PublishError("2 of 4 quarters failed", kept=["/r/_failed/a", "/r/_failed/b"])
    assert error_text(several, "en").splitlines()[1] == "  kept: /r/_failed/a, /r/_failed/b"
    near = ProjectNotFound("no project 'bridge'", candidates=[("P-1", "Bridge No. 1")])
    assert "  P-1 Bridge No. 1" in error_text(near).splitlines()


def test_score_to_an_unknown_file_type_is_an_export_error_exit_2(sample_path, tmp_path):
    result = CliRunner().invoke(app, ["score", str(sample_path), "--out",
                                      str(tmp_path / "scores.txt")])
    assert result.exit_code == 2, result.output
    assert "无法把评分写入 scores.txt：请用 .xlsx 或 .csv" in result.output
    assert not (tmp_path / "scores.txt").exists()


def test_score_in_an_unknown_language_exits_2_before_reading(tmp_path):
    result = CliRunner().invoke(app, ["score", str(tmp_path / "nope.xlsx"), "--lang", "fr"])
    assert result.exit_code == 2 and "fr" in result.output


def test_the_cli_has_no_error_handling_of_its_own_in_commands():
    """One place: no command catches errors itself (the group does)."""
    import ast
    import inspect

    import workbench.cli as cli

    tree = ast.parse(inspect.getsource(cli))
    handlers = [node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)]
    [group] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "WorkbenchCommands"]
    inside = [n for n in ast.walk(group) if isinstance(n, ast.ExceptHandler)]
    assert handlers == inside and len(inside) == 3  # the group's invoke (2) and parse_args
