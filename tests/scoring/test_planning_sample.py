"""Scores of the bundled sample county (workbench.sample.generate, seed 2022): spread and hand-checked pins."""

from __future__ import annotations

import pytest

from workbench.core.vocabulary import BANDS

sample = pytest.importorskip("workbench.sample.generate", reason="the sample generator is not there yet")


@pytest.fixture(scope="module")
def scored():
    from workbench.scoring.scores import score

    ledger = sample.generate_sample()
    return ledger, score(ledger)  # as of the end of the last reported month


def test_sample_scores_spread_across_all_bands_and_rags(scored):
    _, s = scored
    assert s.as_of.strftime("%Y-%m-%d") == "2022-12-31"
    bands = s.planning["band"].value_counts()
    assert set(bands.index) == set(BANDS), bands.to_dict()
    rags = s.delivery["rag"].value_counts()
    assert set(rags.index) == {"green", "amber", "red"}, rags.to_dict()
    assert s.units["rank"].min() == 1 and s.units["rank"].notna().sum() >= 20


def _reasons(s, pid):
    r = s.reasons[s.reasons["project_id"] == pid]
    return list(zip(r["rule"].astype(str), r["points_lost"], r["message_zh"].astype(str),
                    strict=True))


def test_hand_checked_red_project(scored):
    # 乍曲镇农村公路安防工程: county list, no 531 tier, no sector, public but no higher-level funding;
    # no scope, 1960 万元 total (< 5000); no code; 用地/规划 not started, 环评/施工许可 in progress;
    # no funding; 2 of 6 milestones without owner, 2 overdue; planned start Nov, not started; no owner
    _, s = scored
    pid = "WB-1EDC76D1C6"
    row = s.planning.set_index("project_id").loc[pid]
    assert row[["policy_fit", "definition", "approvals", "funding", "schedule",
                "responsibility", "score"]].tolist() == [0.0, 7.0, 8.8, 0.0, 11.7, 8.0, 35.5]
    assert row["band"] == "red" and row["flags"] == "start_overdue; funding_low"
    assert _reasons(s, pid) == [
        ("list_level", 6.0, "仅列入县级重点项目，未进入省级或982补短板（-6）"),
        ("tier_531", 4.0, "未纳入“531”项目库（-4）"),
        ("sector", 2.0, "未明确所属板块（-2）"),
        ("upper_funding", 3.0, "公益类项目未申报中央预算内投资或专项债券（-3）"),
        ("scope", 5.0, "未填写建设规模及主要建设内容（-5）"),
        ("size", 3.0, "总投资0.2亿元，低于重点项目规模门槛0.5亿元（-3）"),
        ("project_code", 2.0, "未取得全国投资项目在线审批平台项目代码（-2）"),
        ("approval_items", 6.0, "用地手续未办理，计划11月开工（-6）"),
        ("approval_items", 4.0, "规划许可手续未办理，计划11月开工（-4）"),
        ("approval_items", 2.1, "环评手续办理中，计划11月开工（-2.1）"),
        ("approval_items", 2.1, "施工许可手续办理中，计划11月开工（-2.1）"),
        ("funding_secured", 20.0, "未落实任何资金来源（-20）"),
        ("milestone_owner", 0.3, "2个节点未明确责任人（-0.3）"),
        ("milestones_overdue", 2.0, "2个节点逾期未完成（-2）"),
        ("start_slip", 1.0, "开工滞后1个月，计划11月开工（-1）"),
        ("owner_missing", 2.0, "未填写建设单位（-2）"),
    ]
    d = s.delivery.set_index("project_id").loc[pid]
    assert d["spi"] == 0 and d["rag"] == "red" and d["start_slip_months"] == 1


def test_hand_checked_amber_green_project_with_red_delivery(scored):
    # 年产20万吨肉制品深加工 (续建, provincial, tier 1): all approvals done but 能评; 18,600 of
    # 52,900 万元 secured (35.2%) → 20 × 0.648 = 13.0 lost; no leader; 41,002.44 of 52,900
    # 万元 completed → SPI 0.775 (red)
    _, s = scored
    pid = "2010-411325-04-03-874613"
    row = s.planning.set_index("project_id").loc[pid]
    assert row[["policy_fit", "definition", "approvals", "funding", "schedule",
                "responsibility", "score"]].tolist() == [15.0, 15.0, 24.0, 7.0, 15.0, 8.0, 84.0]
    assert row["band"] == "amber_green" and row["flags"] == "funding_low"
    assert _reasons(s, pid) == [
        ("approval_items", 1.0, "能评手续未办理，已于2020年12月开工（-1）"),
        ("funding_secured", 13.0, "已落实资金占年度计划35.2%（-13）"),
        ("leader_missing", 2.0, "未明确包联领导（-2）"),
    ]
    d = s.delivery.set_index("project_id").loc[pid]
    assert d["spi"] == pytest.approx(41002.44 / 52900) and d["rag"] == "red"


def test_every_sample_project_s_reasons_add_to_100_minus_its_score(scored):
    """Issue 14: dropping the reasons worth 0.1 point passed every test, and a sample project's
    reasons then no longer added to 100 − score. The sample has such reasons: pin that too."""
    _, s = scored
    assert (s.reasons["points_lost"] == 0.1).sum() > 0
    lost = s.reasons.groupby("project_id")["points_lost"].sum()
    lost = lost.reindex(s.planning["project_id"], fill_value=0.0)
    gap = (100 - s.planning.set_index("project_id")["score"]) - lost
    assert gap.abs().max() < 1e-9, gap[gap.abs() >= 1e-9].head()
