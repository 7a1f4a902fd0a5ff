"""The weekly dispatch (周调度) on hand-made edits of the small ledger: the week's changes, the
督办 action list by unit (overdue problems with owner and age, slips, starts not ready) and
what was closed; then read from a small store, and refused without one."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.small_ledger import HOSPITAL, PARK, SEWAGE, TCM, small_ledger, with_values
from workbench.exceptions import LedgerDataError, ParameterError
from workbench.history import add_snapshot, diff_ledgers
from workbench.review import dispatch_of, weekly_dispatch
from workbench.review import dispatch_view as view

AS_OF = pd.Timestamp("2022-10-14")  # the Friday of 2022-W41


def _week():
    old = small_ledger()
    new = with_values(old, "projects", PARK, planned_completion=pd.Timestamp("2023-12-31"))
    new = with_values(new, "projects", TCM, planned_start=pd.Timestamp("2022-02-01"))  # earlier: no slip
    new = with_values(new, "projects", SEWAGE, planned_start=AS_OF + pd.Timedelta(days=20),
             leader="张三")
    problems = new.problems.copy()
    problems.loc[problems["problem"].eq("+电力接入"), "resolved_on"] = pd.Timestamp("2022-10-12")
    new = new.replace(problems=problems)
    old = with_values(old, "projects", PARK, planned_completion=pd.Timestamp("2023-06-30"))
    return old, new


def test_the_action_list_names_overdue_problems_slips_and_starts_not_ready():
    old, new = _week()
    diff = diff_ledgers(old, new, "2022-10-07", AS_OF)
    d = dispatch_of(diff, new, "2022-W41")
    assert (d.start, d.end, d.as_of) == (pd.Timestamp("2022-10-10"), pd.Timestamp("2022-10-16"),
                                          AS_OF)
    kinds = d.actions.set_index("action")
    overdue = kinds.loc["act_overdue"]
    # raised 2022-04-01, due 06-30, still open on 10-14: 196 days old; owner as written
    assert (overdue["project_id"], overdue["detail"], overdue["owner"], overdue["days"]) == (
        HOSPITAL, "用地指标未落实", "县自然资源局", 196)
    slips = kinds.loc["act_slip"].set_index("project_id")
    assert set(slips.index) == {PARK, SEWAGE}  # the sewage plant's start moved later too
    assert slips.loc[PARK, "days"] == 184  # the park's completion moved half a year later
    assert slips.loc[PARK, "detail"] == "计划竣工时间 2023-06-30 → 2023-12-31"
    assert slips.loc[SEWAGE, "days"] == 247 and slips.loc[SEWAGE, "owner"] == "张三"
    unready = kinds.loc["act_unready"]  # no 用地 (in progress) and no 施工许可 row at all
    assert (unready["project_id"], unready["owner"], unready["days"]) == (SEWAGE, "张三", 20)
    assert unready["detail"] == "用地、施工许可未办结"
    assert TCM not in set(d.actions["project_id"])  # a start moved earlier is no slip
    assert d.closed[["project_id", "detail"]].values.tolist() == [[PARK, "+电力接入"]]
    assert d.counts["rebaselines"] == 3 and d.counts["problems_closed"] == 1


def test_pages_escape_the_data_and_speak_both_languages():
    old, new = _week()
    evil = '<script>alert(1)</script>'
    new = with_values(new, "projects", HOSPITAL, responsible_unit=evil)
    d = dispatch_of(diff_ledgers(old, new, "2022-10-07", AS_OF), new, "2022-W41")
    zh = "".join(f(d, "zh") for f in (view.title_block, view.headline_cards, view.change_tables,
                                      view.action_list, view.closed_table))
    assert "2022年第41周重点项目周调度" in zh and "问题逾期未销号" in zh
    assert evil not in zh and "&lt;script&gt;" in zh
    en = view.action_list(d, "en") + view.title_block(d, "en")
    assert "Problem overdue" in en and "week 41 of 2022" in en and "问题逾期未销号" not in en


def test_without_an_earlier_snapshot_the_actions_still_stand():
    _, new = _week()
    d = dispatch_of(None, new, "2022-W41", as_of=AS_OF)
    assert d.diff is None and d.from_as_of is None and len(d.closed) == 0
    assert set(d.actions["action"]) == {"act_overdue", "act_unready"}
    assert "本周不列变化" in view.title_block(d, "zh")


def test_read_from_the_store_last_snapshot_of_the_week_against_the_one_before(tmp_path):
    store = tmp_path / "h.duckdb"
    old, new = _week()
    add_snapshot(old, store, as_of="2022-10-07")
    add_snapshot(new, store, as_of="2022-10-14")
    d = weekly_dispatch("2022-W41", store)
    assert d.from_as_of == pd.Timestamp("2022-10-07") and d.as_of == AS_OF
    assert set(d.actions["action"]) == {"act_overdue", "act_slip", "act_unready"}
    later = weekly_dispatch("2022-W42", store)  # no new ledger that week
    assert later.as_of == AS_OF and later.counts["rebaselines"] == 0
    assert "本周没有新的台账" in view.title_block(later, "zh")
    with pytest.raises(LedgerDataError, match="没有2022-10-02或之前的台账快照"):
        weekly_dispatch("2022-W39", store)


def test_a_missing_store_is_refused_in_chinese_and_not_created(tmp_path):
    store = tmp_path / "none.duckdb"
    with pytest.raises(ParameterError, match="历史库不存在") as caught:
        weekly_dispatch("2022-W41", store)
    assert caught.value.exit_code == 2 and not store.exists()
    with pytest.raises(ParameterError, match="ISO 周"):
        weekly_dispatch("2022-49", tmp_path)
