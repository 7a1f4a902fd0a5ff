"""`workbench snapshot add/list/show/remove` and `workbench diff`, as a user types them."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from tests.small_ledger import PARK, small_ledger
from workbench.cli import app
from workbench.history import add_snapshot, list_snapshots

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_add_twice_list_and_show(sample_path, tmp_path):
    store = tmp_path / "h.duckdb"
    first = run("snapshot", "add", sample_path, "--store", store, "--source", "县发改委")
    assert first.exit_code == 0 and "已加入快照 #1（2022-12-31）" in first.output
    again = run("snapshot", "add", sample_path, "--store", store)
    assert again.exit_code == 0 and "未重复加入" in again.output
    listed = run("snapshot", "list", "--store", store)
    assert "2022-12-31" in listed.output and "县发改委" in listed.output
    assert len(listed.output.strip().splitlines()) == 1
    shown = run("snapshot", "show", "1", "--store", store)
    assert "306  项目" in shown.output and "总投资 1,468.73 亿元" in shown.output


def test_remove_asks_first(tmp_path):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-06-30")
    declined = runner.invoke(app, ["snapshot", "remove", "1", "--store", str(store)], input="n\n")
    assert declined.exit_code == 1 and "未删除" in declined.output
    assert len(list_snapshots(store)) == 1
    agreed = runner.invoke(app, ["snapshot", "remove", "1", "--store", str(store)], input="y\n")
    assert agreed.exit_code == 0 and "已删除快照 #1" in agreed.output
    assert list_snapshots(store).empty
    missing = run("snapshot", "remove", "7", "--store", store, "--yes")
    assert missing.exit_code == 2 and "没有快照 #7" in missing.output


def test_diff_text_and_json(tmp_path):
    store = tmp_path / "h.duckdb"
    june = small_ledger()
    projects = june.projects.copy()
    projects.loc[projects["project_id"] == PARK, "planned_completion"] = pd.Timestamp("2023-12-31")
    add_snapshot(june, store, as_of="2022-06-30")
    add_snapshot(june.replace(projects=projects), store, as_of="2022-09-30")
    text = run("diff", "--store", store)
    assert text.exit_code == 0
    assert "2022-06-30 → 2022-09-30 的变化" in text.output
    assert "计划调整（重定基线）：1" in text.output and "计划竣工时间" in text.output
    english = run("diff", "--store", store, "--lang", "en")
    assert "Re-baselines: 1" in english.output
    parsed = json.loads(run("diff", "--store", store, "--json").output)
    assert parsed["rebaselines"][0]["project_id"] == PARK


def test_a_missing_store_is_one_clear_line(tmp_path):
    result = run("diff", "--store", tmp_path / "none.duckdb")
    assert result.exit_code == 1 and "快照库不存在" in result.output
    assert "Traceback" not in result.output
