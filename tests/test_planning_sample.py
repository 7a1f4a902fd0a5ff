"""Scores of the bundled sample county (workbench.sample, seed 2022): spread and hand-checked pins."""

from __future__ import annotations

import pytest

from workbench.rubric import BANDS

sample = pytest.importorskip("workbench.sample", reason="the sample generator is not there yet")


@pytest.fixture(scope="module")
def scored():
    from workbench.scoring import score

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
    # 装配式建筑构件 (前期, 市级, no 531 tier, no scope, no location, no code, almost no approvals,
    # no funding, no milestones, no unit or leader, one problem overdue since 21 Oct)
    _, s = scored
    pid = "WB-DCA84CB9D0"
    row = s.planning.set_index("project_id").loc[pid]
    assert row[["policy_fit", "definition", "approvals", "funding", "schedule",
                "responsibility", "score"]].tolist() == [8.0, 9.0, 1.8, 0.0, 12.0, 5.0, 35.8]
    assert row["band"] == "red" and row["flags"] == "problems_overdue; funding_low"
    assert _reasons(s, pid) == [
        ("list_level", 3.0, "仅列入市级重点项目，未进入省级或982补短板（-3）"),
        ("tier_531", 4.0, "未纳入“531”项目库（-4）"),
        ("scope", 5.0, "未填写建设规模及主要建设内容（-5）"),
        ("location", 1.0, "未填写建设地点（-1）"),
        ("project_code", 2.0, "未取得全国投资项目在线审批平台项目代码（-2）"),
        ("approval_items", 6.0, "立项/可研手续未办理，计划2024年6月开工（-6）"),
        ("approval_items", 6.0, "用地手续未办理，计划2024年6月开工（-6）"),
        ("approval_items", 4.0, "规划许可手续未办理，计划2024年6月开工（-4）"),
        ("approval_items", 2.1, "环评手续办理中，计划2024年6月开工（-2.1）"),
        ("approval_items", 1.0, "能评手续未办理，计划2024年6月开工（-1）"),
        ("approval_items", 2.1, "施工许可手续办理中，计划2024年6月开工（-2.1）"),
        ("funding_secured", 20.0, "未落实任何资金来源（-20）"),
        ("milestones_missing", 3.0, "未制定节点计划（-3）"),
        ("unit_missing", 2.0, "未明确责任单位（-2）"),
        ("leader_missing", 2.0, "未明确包联领导（-2）"),
        ("problems_overdue", 1.0, "1个问题逾期未销号（-1）"),
    ]


def test_hand_checked_amber_green_project_with_red_delivery(scored):
    # 13兆瓦农光互补光伏: 用地 done 3 Nov, 立项/规划/能评 in progress, 环评/施工许可 not started;
    # 96 of 147 万元 secured (65.3%); 114.61 of 147 万元 completed → SPI 0.78 (red)
    _, s = scored
    pid = "2212-411325-05-03-703526"
    row = s.planning.set_index("project_id").loc[pid]
    assert row[["policy_fit", "definition", "approvals", "funding", "schedule",
                "responsibility", "score"]].tolist() == [12.0, 15.0, 11.3, 13.1, 12.0, 10.0, 73.4]
    assert row["band"] == "amber_green"
    assert [r[1] for r in _reasons(s, pid)] == [3.0, 4.2, 2.8, 3.0, 0.7, 3.0, 6.9, 3.0]
    assert ("funding_secured", 6.9, "已落实资金占年度计划65.3%（-6.9）") in _reasons(s, pid)
    d = s.delivery.set_index("project_id").loc[pid]
    assert d["spi"] == pytest.approx(114.61 / 147) and d["rag"] == "red"
