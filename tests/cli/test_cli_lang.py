"""The command line speaks Chinese by default: --help, messages, error prefixes and field names,
progress lines; --lang en switches, and without --lang WORKBENCH_LANG or an English locale
switches the messages (never a report or an exported file). Enumerated choices are listed.
Every word comes from config/cli.yaml."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from workbench.cli import app
from workbench.core.words import cli_word, message, message_lang
from workbench.exceptions import ParameterError

HAN = re.compile(r"[\u4e00-\u9fff]")


def commands(group=None, path=""):
    """Every (path, click command) of the workbench, subcommands included."""
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        full = f"{path} {name}".strip()
        yield full, command
        if hasattr(command, "commands"):
            yield from commands(command, full)


@pytest.mark.parametrize("path", [p for p, _ in commands()])
def test_every_help_text_is_chinese_by_default_and_english_with_lang_en(path, monkeypatch):
    zh = CliRunner().invoke(app, [*path.split(), "--help"])
    assert zh.exit_code == 0, zh.output
    option_lines = [line for line in zh.output.splitlines() if "--" in line and "│" in line]
    assert "选项" in zh.output and "显示本帮助并退出" in zh.output
    untranslated = [line for line in option_lines if line.strip("│ ").startswith("--")
                    and not HAN.search(line) and "<" in line]
    assert not untranslated, untranslated
    command = dict(commands())[path]
    if any(p.name == "lang" for p in command.params):
        en = CliRunner().invoke(app, [*path.split(), "--help", "--lang", "en"])
    else:  # a command or group without --lang: the environment's language
        monkeypatch.setenv("WORKBENCH_LANG", "en")
        en = CliRunner().invoke(app, [*path.split(), "--help"])
    assert "Options" in en.output and "Show this message and exit." in en.output, en.output
    assert not HAN.search(en.output.split("Options")[1].replace("周调度", "")
                          .replace("月考核通报", "").replace("季度讲评", "")
                          .replace("政府投资/城镇建设/…", "").replace("保存情景", "")
                          .replace("亿元", "").replace("月考核", "")), en.output


def test_every_option_of_every_command_has_words_in_both_languages():
    for path, command in commands():
        key = path.replace(" ", ".")
        assert cli_word("commands", key, "zh") and cli_word("commands", key, "en"), path
        for param in command.params:
            for lang in ("zh", "en"):
                assert (cli_word("options", f"{key}.{param.name}", lang)
                        or cli_word("options", param.name, lang)), f"{path} {param.name}"


def test_the_messages_language_precedence():
    assert message_lang(None, {}) == "zh"
    assert message_lang(None, {"LANG": "C.UTF-8"}) == "zh"
    assert message_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert message_lang(None, {"LANG": "en_US.UTF-8"}) == "en"
    assert message_lang(None, {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}) == "zh"
    assert message_lang(None, {"LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}) == "en"
    assert message_lang(None, {"LC_ALL": "en_US.UTF-8", "WORKBENCH_LANG": "zh"}) == "zh"
    assert message_lang("en", {"WORKBENCH_LANG": "zh"}) == "en"
    with pytest.raises(ParameterError, match="zh, en"):
        message_lang("fr")


def test_an_english_locale_switches_the_messages_not_the_report(monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--week", "2022-W01"])
    assert result.exit_code == 2 and result.output.startswith("parameter error: give either")
    help_text = CliRunner().invoke(app, ["report", "--help"]).output
    assert "Quarter to review" in help_text
    monkeypatch.setenv("WORKBENCH_LANG", "zh")
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--week", "2022-W01"])
    assert result.output.startswith("参数错误：请只给出")


def test_errors_are_chinese_by_default_with_chinese_field_names():
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--week", "2022-W01"])
    assert result.exit_code == 2
    assert result.output.startswith("参数错误：请只给出 --quarter")
    assert "parameter error" not in result.output


def test_an_unknown_office_or_unit_lists_the_valid_ones(sample_path, tmp_path):
    for option, wrong, valid in (("--office", "外交部", "政府投资"), ("--unit", "县外交局", "县发改委")):
        result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", option, wrong,
                                          "--ledger", str(sample_path), "--out", str(tmp_path),
                                          "--no-pdf"])
        assert result.exit_code == 2, result.output
        assert wrong in result.output and "可选：" in result.output and valid in result.output


def test_progress_lines_come_from_the_words_table():
    assert message("run_cell", "zh", n=1, total=3, took=0.25) == "  第 1/3 个单元格完成（0.2 秒）"
    assert message("run_cell", "en", n=1, total=3, took=0.25) == "  cell 1/3 done (0.2 s)"


def test_validate_json_prints_json_with_read_error_for_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    for path in (bad, tmp_path / "missing.xlsx"):
        result = CliRunner().invoke(app, ["validate", str(path), "--json"])
        assert result.exit_code == 2
        payload = json.loads(result.stdout)
        assert payload["exit_code"] == 2 and path.name in payload["read_error"]
        assert payload["findings"] == []


def test_the_reports_parameter_checks_are_chinese_by_default(sample_path, tmp_path):
    base = ["report", "--ledger", str(sample_path), "--out", str(tmp_path), "--no-pdf"]
    for args, text in ((["--quarter", "2023Q1"], "不在"), (["--quarter", "2022Q1", "--as-of",
                                                             "2022-07-01"], "不在 2022Q1 季度内"),
                       (["--quarter", "2022Q1", "--rubric", "/no/rubric.yaml"], "文件不存在")):
        result = CliRunner().invoke(app, [*base, *args])
        assert result.exit_code == 2 and result.output.startswith("参数错误："), result.output
        assert text in result.output, result.output


def test_sample_and_snapshot_messages_follow_the_language(tmp_path, monkeypatch):
    result = CliRunner().invoke(app, ["sample", "--projects", "12", "--out", str(tmp_path)])
    assert "合成示例县" in result.output and "月度进度" in result.output
    result = CliRunner().invoke(app, ["snapshot", "remove", "7", "--yes", "--store",
                                      str(tmp_path / "h.duckdb")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    monkeypatch.setenv("WORKBENCH_LANG", "en")
    result = CliRunner().invoke(app, ["sample", "--projects", "12", "--out", str(tmp_path)])
    assert "synthetic sample" in result.output and "重点" not in result.output
