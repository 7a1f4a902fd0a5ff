"""The monthly assessment report (月考核通报): the rubric's notice rules checked when read,
表扬/通报 chosen by them, the trend over snapshots worked out by hand, and the report read from
a small store with last month's rank change and the December roll-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.small_ledger import HOSPITAL, small_ledger
from workbench.exceptions import ConfigError
from workbench.history import add_snapshot
from workbench.review import monthly_report, notice_rules, unit_trend
from workbench.review import monthly_view as view
from workbench.review.notices import annual_awards, criticised, praised
from workbench.scoring import load_rubric


def _rubric(tmp_path, **notices):
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump({"notices": notices}, allow_unicode=True), encoding="utf-8")
    return load_rubric(path)


def test_the_packaged_rules_are_documented_defaults():
    assert notice_rules() == {"praise_top": 3, "praise_min_total": 85.0, "criticise_bottom": 3,
                              "criticise_max_total": 80.0, "criticise_rank_drop": 5,
                              "reward_min_total": 85.0, "penalty_max_total": 70.0}


@pytest.mark.parametrize("notices, setting", [
    ({"praise_top": -1}, "praise_top"),
    ({"praise_top": 2.5}, "praise_top"),
    ({"praise_min_total": 120}, "praise_min_total"),
    ({"reward_min_total": 60, "penalty_max_total": 70}, "penalty_max_total"),
])
def test_wrong_rules_are_refused_naming_the_setting(tmp_path, notices, setting):
    with pytest.raises(ConfigError, match=f"notices.{setting}"):
        notice_rules(_rubric(tmp_path, **notices))


def test_an_unknown_rule_is_refused_when_the_rubric_is_read(tmp_path):
    with pytest.raises(ConfigError, match="praise_best"):
        _rubric(tmp_path, praise_best=3)


RANKING = pd.DataFrame({
    "responsible_unit": ["甲", "乙", "丙", "丁", "戊", "未明确"],
    "total": [92.0, 84.0, 81.0, 79.0, 60.0, 50.0],
    "rank": [1, 2, 3, 4, 5, np.nan],
    "rank_change": [0, 1, -6, 0, 2, np.nan],
})


def test_praise_and_notices_follow_the_rules():
    rules = notice_rules()
    assert praised(RANKING, rules)["responsible_unit"].tolist() == ["甲"]  # 乙 is below 85
    named = criticised(RANKING, rules).set_index("responsible_unit")
    # the last three are 丙 (81: not below 80), 丁 (79) and 戊 (60); 丙 fell six places
    assert sorted(named.index) == ["丁", "丙", "戊"]
    assert named.loc["丙", "reason"] == "排名下降6位"
    assert named.loc["丁", "reason"] == "排名第4，得分79.0"
    awards = annual_awards(RANKING, rules).set_index("responsible_unit")["award"]
    assert awards.to_dict() == {"甲": "award_reward", "乙": "award_none", "丙": "award_none",
                                "丁": "award_none", "戊": "award_penalty"}  # 未明确 not ranked


def test_the_trend_ranks_units_by_completion_at_each_snapshot():
    projects = pd.DataFrame({
        "snapshot_id": [1, 1, 1, 2, 2, 2], "as_of": pd.to_datetime(["2022-01-31"] * 3 + ["2022-02-28"] * 3),
        "project_id": ["a", "b", "c"] * 2, "responsible_unit": ["U", "U", "V"] * 2,
        "annual_plan": [100.0, 100.0, 100.0] * 2, "parent_id": [None] * 6})
    rows = []
    for sid, as_of, done in ((1, "2022-01-31", {"a": 5, "b": 5, "c": 8}),
                             (2, "2022-02-28", {"a": 10, "b": 10, "c": 8})):
        for pid in "abc":
            for month in ("2022-01-01", "2022-02-01", "2022-03-01"):
                completed = done[pid] if month == "2022-01-01" else 10.0
                rows.append((sid, pd.Timestamp(as_of), pid, pd.Timestamp(month), 10.0, completed))
    progress = pd.DataFrame(rows, columns=["snapshot_id", "as_of", "project_id", "month",
                                           "planned", "completed"])
    out = unit_trend(projects, progress).set_index(["snapshot_id", "responsible_unit"])
    # January: U 10 of 20 = 0.5, V 8 of 10 = 0.8; February: U 40/40 = 1.0, V 18/20 = 0.9
    assert out.loc[(1, "U"), "completion_rate"] == pytest.approx(0.5)
    assert out.loc[(1, "V"), "rank"] == 1 and out.loc[(1, "U"), "rank"] == 2
    assert out.loc[(2, "U"), "completion_rate"] == pytest.approx(1.0)
    assert out.loc[(2, "V"), "completion_rate"] == pytest.approx(0.9)
    assert out.loc[(2, "U"), "rank"] == 1
    assert len(unit_trend(projects, progress, snapshots=[2])) == 2


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "h.duckdb"
    ledger = small_ledger()
    august = ledger.progress.copy()  # as reported at the end of August: September not yet
    august.loc[august["month"].ge(pd.Timestamp("2022-09-01")), "completed"] = 0.0
    add_snapshot(ledger.replace(progress=august), path, as_of="2022-08-31")
    add_snapshot(ledger, path, as_of="2022-09-30")
    progress = ledger.progress.copy()
    progress.loc[progress["project_id"].eq(HOSPITAL), "completed"] = 0.0  # the hospital stalls
    add_snapshot(ledger.replace(progress=progress), path, as_of="2022-12-31")
    return path


def test_the_report_reads_this_month_last_month_and_the_trend(store):
    a = monthly_report("2022-09", store)
    assert a.previous_as_of == pd.Timestamp("2022-08-31") and a.annual is None
    assert a.ranking["previous_rank"].notna().any()
    assert sorted(a.trend["as_of"].unique()) == [pd.Timestamp("2022-08-31"),
                                                 pd.Timestamp("2022-09-30")]
    assert a.county.loc[0, "months_behind"] == pytest.approx(1.8)  # 9 × 0.8 = 7.2 months earned
    page = "".join(f(a, "zh") for f in (view.title_block, view.ranking_table, view.notices_block,
                                        view.trend_block, view.pace_block, view.annual_block))
    assert "2022年9月重点项目责任单位考核通报" in page and "落后月数" in page
    en = view.title_block(a, "en") + view.pace_block(a, "en")
    assert "September 2022" in en and "Months behind" in en


def test_december_adds_the_annual_roll_up_and_no_previous_month_is_said(store):
    a = monthly_report("2022-12", store)
    assert a.previous_as_of is None and a.annual is not None
    assert set(a.annual["award"]) <= {"award_reward", "award_none", "award_penalty"}
    assert "历史库中没有上月的台账" in view.title_block(a, "zh")
    assert "五、年度目标兑现奖惩" in view.annual_block(a, "zh")
