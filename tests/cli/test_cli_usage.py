"""click's own usage errors (a missing argument, an unknown option or command, a value of the
wrong kind, an invalid choice) and the help's usage line are Chinese by default and English
with --lang en or WORKBENCH_LANG=en: one line saying what is wrong (the valid choices listed),
the usage line, where help is; exit 2, no English box."""

from __future__ import annotations

import enum
import os
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import ROOT
from workbench.cli import WorkbenchCommands, app
from workbench.core.usage import usage_error_text


def run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="workbench")


class Lang(enum.StrEnum):
    zh = "zh"
    en = "en"


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["validate"], "缺少参数 path", "missing argument path"),
    (["report", "--quater", "2022Q1"], "没有选项 --quater（是否要用：--quarter",
     "no such option: --quater (did you mean: --quarter"),
    (["frob"], "没有命令 frob；可用的命令：backtest, brief, diff, load, map, merge, report, sample, "
               "score, snapshot, validate, whatif", "no such command frob; the commands are: backtest"),
    (["score", "x.xlsx", "--year", "abc"], "--year 的值 'abc' 无效：应为整数",
     "--year: 'abc' is not valid, expected a whole number"),
    (["load", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx", "unexpected extra argument(s): b.xlsx"),
    (["report", "--quarter"], "选项 --quarter 后面需要一个值", "option --quarter needs a value"),
    (["snapshot", "remove"], "缺少参数 snapshot_id", "missing argument snapshot_id"),
])
def test_usage_errors_are_chinese_by_default_and_english_with_lang_en(args, zh, en, monkeypatch):
    result = run(*args)
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first == zh or first.startswith(zh), result.output
    assert "Usage" not in result.output and "Error" not in result.output and "╭" not in result.output
    if len(result.output.splitlines()) > 1:
        command = "workbench " + " ".join(a for a in args if not a.startswith("-")
                                          and a in ("validate", "report", "score", "load",
                                                    "snapshot", "remove")) if args[0] != "frob" \
            else "workbench"
        assert f"用法：{command} [选项]" in result.output
        assert f"运行 {command} --help 查看帮助。" in result.output
    monkeypatch.setenv("WORKBENCH_LANG", "en")
    english = run(*args)
    assert english.exit_code == 2 and english.output.splitlines()[0].startswith(en), english.output
    assert "[OPTIONS]" in english.output or len(english.output.splitlines()) == 1


def test_an_invalid_choice_lists_the_valid_ones():
    """An enumerated option (click's Choice or a typer Enum) names the value and the choices."""
    demo = typer.Typer(cls=WorkbenchCommands)

    @demo.command()
    def pick(lang: Lang = typer.Option(Lang.zh, "--lang"), n: int = typer.Option(1, "--n")):
        typer.echo(lang.value)

    @demo.command()
    def other():
        pass

    result = CliRunner().invoke(demo, ["pick", "--lang", "fr"], prog_name="demo")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == "--lang 不能是 'fr'；可选：zh, en", result.output


def test_the_help_usage_line_and_the_workbench_own_choices_are_chinese():
    helped = run("validate", "--help")
    assert "用法：workbench validate [选项] {path}" in helped.output and helped.exit_code == 0
    assert "Usage" not in helped.output and "OPTIONS" not in helped.output
    wrong = run("validate", "x.xlsx", "--lang", "fr")  # a choice the workbench checks itself
    assert wrong.exit_code == 2 and "zh" in wrong.output and "en" in wrong.output


def test_the_installed_command_speaks_chinese_in_a_real_process():
    """As cron or a terminal runs it: stderr holds the Chinese lines, exit 2."""
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBENCH_LANG", "LC_ALL",
                                                             "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "workbench.cli", "report", "--bogus"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("没有选项 --bogus"), done.stderr
    assert "Traceback" not in done.stderr and "No such option" not in done.stderr
    english = subprocess.run([sys.executable, "-m", "workbench.cli", "report", "--bogus",
                              "--lang", "en"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert english.returncode == 2 and english.stderr.startswith("no such option: --bogus")


def test_an_error_click_does_not_describe_keeps_its_text_under_a_chinese_prefix():
    from typer._click.exceptions import UsageError

    assert usage_error_text(UsageError("something odd"), "zh") == "命令行有误：something odd"
