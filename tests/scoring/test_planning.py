"""Planning quality of hand-built projects: scores, reasons and flags checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.scoring_fixtures import (
    CODE_A,
    CODE_B,
    full_approvals,
    ledger_of,
    monthly,
    perfect_ledger,
    project,
    ts,
)
from workbench.scoring.scores import score

B = "WB-0000000001"


def by_project(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("project_id")


def test_a_complete_project_scores_100_with_no_reasons():
    s = score(perfect_ledger(), "2022-06-30")
    a = by_project(s.planning).loc[CODE_A]
    assert a["score"] == 100 and a["band"] == "green" and a["flags"] == ""
    assert not (s.reasons["project_id"] == CODE_A).any()


def test_hand_checked_project_b_scores_and_reasons():
    s = score(perfect_ledger(), "2022-06-30")
    b = by_project(s.planning).loc[B]
    # policy 15-6-4-2, definition 15-3-3-4-2, approvals 25-2-6-4-2.1-1-3,
    # funding: 500 secured (1000 applied at half) of 2900 → 17.2% → 20 × 0.828 = 16.6 lost,
    # schedule 15-3 (no milestones)-2 (3 items cannot be ready in 32 days), responsibility 10-2
    assert b[["policy_fit", "definition", "approvals", "funding", "schedule",
              "responsibility"]].tolist() == [3.0, 3.0, 6.9, 3.4, 10.0, 8.0]
    assert b["score"] == 34.3 and b["band"] == "red"
    assert b["flags"] == "start_soon_no_land_or_permit; funding_low"
    reasons = s.reasons[s.reasons["project_id"] == B]
    assert reasons["points_lost"].sum() == pytest.approx(100 - 34.3)
    zh = reasons["message_zh"].astype(str).tolist()
    assert "用地手续未办理，计划8月开工（-6）" in zh
    assert "环评手续办理中，计划8月开工（-2.1）" in zh
    assert "已落实资金占年度计划17.2%（-16.6）" in zh
    assert "距计划开工32天，3项手续办理周期不足（-2）" in zh
    assert "总投资0.3亿元，低于重点项目规模门槛0.5亿元（-3）" in zh
    assert "年度计划占总投资97%，超出新开工项目合理区间10–60%（-4）" in zh
    en = reasons["message_en"].astype(str).tolist()
    assert "Land: not started, planned start Aug 2022 (-6)" in en
    assert list(reasons["dimension"].astype(str).unique()) == [
        "policy_fit", "definition", "approvals", "funding", "schedule", "responsibility"]


def _one(approvals=(), funding=(), as_of="2022-03-15", **kw):
    p = project(CODE_A, **kw)
    return score(ledger_of([p], monthly(CODE_A, [1000.0] * 2, [1000.0] * 2), approvals, funding),
                 as_of)


def _approval(item, status="done", approved=None, expires=None):
    return dict(project_id=CODE_A, item=item, status=status, approved_on=ts(approved),
                expires_on=ts(expires))


def test_approvals_done_after_as_of_do_not_count_yet():
    rows = [r for r in full_approvals(CODE_A) if r["item"] != "用地"]
    early = _one(rows + [_approval("用地", approved="2022-05-01")], as_of="2022-03-15")
    late = _one(rows + [_approval("用地", approved="2022-05-01")], as_of="2022-06-30")
    assert by_project(early.planning).loc[CODE_A, "approvals"] == 25 - 6 * 0.7
    assert by_project(late.planning).loc[CODE_A, "approvals"] == 25


def test_expired_approvals_count_zero_and_raise_a_flag():
    rows = [r for r in full_approvals(CODE_A) if r["item"] != "施工许可"]
    s = _one(rows + [_approval("施工许可", approved="2021-01-01", expires="2022-01-01")])
    assert by_project(s.planning).loc[CODE_A, "approvals"] == 22
    assert "approval_expired" in by_project(s.planning).loc[CODE_A, "flags"]
    msg = s.reasons.loc[s.reasons["rule"] == "approval_items", "message_zh"].astype(str).tolist()
    assert msg == ["施工许可手续已过期，已于3月开工（-3）"]


def test_start_within_90_days_without_land_raises_the_flag():
    rows = [r for r in full_approvals(CODE_A) if r["item"] != "用地"]
    s = _one(rows, as_of="2022-03-15", planned_start=ts("2022-05-01"), actual_start=pd.NaT)
    assert "start_soon_no_land_or_permit" in by_project(s.planning).loc[CODE_A, "flags"]
    far = _one(rows, as_of="2022-03-15", planned_start=ts("2022-09-01"), actual_start=pd.NaT)
    assert "start_soon_no_land_or_permit" not in by_project(far.planning).loc[CODE_A, "flags"]


def test_start_slip_and_overdue_start():
    s = _one(full_approvals(CODE_A), as_of="2022-06-30", planned_start=ts("2022-02-01"),
             actual_start=pd.NaT)
    row = by_project(s.planning).loc[CODE_A]
    assert "start_overdue" in row["flags"]
    slip = s.reasons[s.reasons["rule"] == "start_slip"]
    assert slip["points_lost"].tolist() == [3.0]  # 4 months late, capped at 3 points
    assert slip["message_zh"].astype(str).tolist() == ["开工滞后4个月，计划2月开工（-3）"]


def test_reserve_project_without_plan_needs_funding_for_its_first_year():
    s = _one([], [], nature="前期", stage="储备", annual_plan=0.0, total_investment=100000.0,
             planned_start=ts("2023-03-01"), actual_start=pd.NaT)
    funding = s.reasons[s.reasons["rule"] == "funding_secured"]
    assert funding["points_lost"].tolist() == [20.0]
    assert funding["message_zh"].astype(str).tolist() == ["未落实任何资金来源（-20）"]
    half = _one([], [dict(project_id=CODE_A, source="企业自筹", amount=15000.0, status="received",
                          dated=ts("2022-01-01"))],
                nature="前期", stage="储备", annual_plan=0.0, total_investment=100000.0,
                planned_start=ts("2023-03-01"), actual_start=pd.NaT)
    assert by_project(half.planning).loc[CODE_A, "funding"] == 10
    assert ("无年度计划，已落实资金占首年所需（总投资的30%）的50%（-10）"
            in half.reasons["message_zh"].astype(str).tolist())


def test_funding_dated_after_as_of_does_not_count():
    line = dict(project_id=CODE_A, source="银行贷款", amount=20000.0, status="approved",
                dated=ts("2022-09-01"))
    before = _one(full_approvals(CODE_A), [line], as_of="2022-06-30")
    after = _one(full_approvals(CODE_A), [line], as_of="2022-09-30")
    assert by_project(before.planning).loc[CODE_A, "funding"] == 0
    assert by_project(after.planning).loc[CODE_A, "funding"] == 20


def test_missing_monthly_reports_count_from_january_or_the_start_month():
    late = project(CODE_B, planned_start=ts("2022-05-10"), actual_start=ts("2022-05-20"))
    ledger = ledger_of(
        [project(CODE_A), late, project("WB-0000000003", annual_plan=0.0)],
        monthly(CODE_A, [1000.0] * 3, [1000.0] * 3)  # Jan–Mar only
        + [r for r in monthly(CODE_B, [500.0] * 6, [500.0] * 6) if r["month"].month >= 6],
        sum((full_approvals(i) for i in (CODE_A, CODE_B)), []))
    s = score(ledger, "2022-06-30")
    facts = s.facts.set_index("project_id")["reports_missing"]
    assert facts[CODE_A] == 3  # April, May, June
    assert facts[CODE_B] == 1  # started in May: May missing, June reported
    assert facts["WB-0000000003"] == 0  # nothing planned this year
    msg = s.reasons[(s.reasons["project_id"] == CODE_A) & (s.reasons["rule"] == "reports_missing")]
    assert msg["message_zh"].astype(str).tolist() == ["缺报3个月进度（-2）"]
