"""A small hand-made Ledger (and scores of the contract's shape) for the report tests.

Four projects whose figures are easy to check by hand; one of them is named
``<script>alert(1)</script>`` so that every rendering is tested against markup in data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.model.ledger import Ledger

XSS_NAME = "<script>alert(1)</script>"

T = pd.Timestamp


def small_projects() -> pd.DataFrame:
    """Four projects: two offices, three levels, starts early / late / on time, one completion."""
    rows = [
        # id, name, nature, stage, level, office, sector, total, plan, p.start, a.start, p.end, a.end, unit
        ("P1", "内乡县产业园标准化厂房建设项目", "续建", "在建", "省", "工业发展", "先进制造",
         50000.0, 12000.0, T("2021-04-01"), T("2021-04-10"), T("2023-06-30"), None, "产业集聚区管委会"),
        ("P2", XSS_NAME, "新开工", "在建", "市", "城镇建设", "城市更新",
         20000.0, 8000.0, T("2022-02-01"), T("2022-01-15"), T("2023-12-31"), None, "住建局"),
        ("P3", "内乡县第二高级中学新校区项目", "新开工", "前期", "县", "社会事业", "文化教育",
         10000.0, 4000.0, T("2022-03-01"), None, T("2023-08-31"), None, "教体局"),
        ("P4", "内乡县农产品冷链物流中心项目", "竣工", "投产", "县", "工业发展", "现代物流",
         6000.0, 2000.0, T("2021-03-01"), T("2021-03-05"), T("2022-03-31"), T("2022-03-20"),
         "产业集聚区管委会"),
        ("P5", "内乡县文旅康养综合体谋划项目", "前期", "谋划", "县", "社会事业", "文化旅游",
         60000.0, 0.0, T("2023-03-01"), None, T("2025-12-31"), None, "文广旅局"),
    ]
    cols = ["project_id", "name", "nature", "stage", "level", "office", "sector",
            "total_investment", "annual_plan", "planned_start", "actual_start",
            "planned_completion", "actual_completion", "responsible_unit"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["owner"] = "内乡县城市发展投资有限公司"
    frame["location"] = "内乡县"
    frame["batch_quarter"] = ["", "2022Q1", "2022Q1", "2022Q1", ""]
    frame["batch_quarter"] = frame["batch_quarter"].replace("", None)
    frame["batch_kind"] = [None, "开工", "开工", "投产", None]
    frame["programme_982"] = [True, False, False, False, False]
    frame["tier_531"] = ["1", "1", "1", "1", "3"]
    frame["category"] = None
    frame["scope"] = "建设厂房10万平方米"
    frame["leader"] = "张三"
    frame["physical_progress_note"] = None
    return frame


def small_progress() -> pd.DataFrame:
    """Monthly plan and completion for 2022 (完成 up to June)."""
    rows = []
    months = pd.date_range("2022-01-01", periods=12, freq="MS")
    plans = {"P1": 1000.0, "P2": 8000.0 / 12, "P3": 4000.0 / 12, "P4": 2000.0 / 3}
    done = {"P1": 900.0, "P2": 800.0, "P3": 0.0, "P4": 700.0}
    for pid, plan in plans.items():
        for i, month in enumerate(months):
            p = plan if pid != "P4" or i < 3 else 0.0
            c = (done[pid] if pid != "P4" or i < 3 else 0.0) if i < 6 else 0.0
            rows.append((pid, month, p, c, None))
    frame = pd.DataFrame(rows, columns=["project_id", "month", "planned", "completed",
                                        "physical_progress"])
    return frame


def small_ledger() -> Ledger:
    """The hand-made Ledger."""
    approvals = pd.DataFrame(
        [
            ("P1", "立项", "done", T("2021-01-10"), None),
            ("P1", "用地", "done", T("2021-02-10"), None),
            ("P2", "立项", "done", T("2021-11-10"), None),
            ("P2", "用地", "in_progress", None, None),
            ("P3", "立项", "done", T("2022-01-20"), None),
            ("P3", "施工许可", "not_started", None, None),
            ("P4", "能评", "not_required", None, None),
        ],
        columns=["project_id", "item", "status", "approved_on", "expires_on"],
    )
    funding = pd.DataFrame(
        [
            ("P1", "银行贷款", 10000.0, "received", T("2022-01-05")),
            ("P2", "地方政府专项债券", 5000.0, "approved", T("2022-02-01")),
            ("P3", "中央预算内投资", 3000.0, "applied", T("2022-02-15")),
        ],
        columns=["project_id", "source", "amount", "status", "dated"],
    )
    problems = pd.DataFrame(
        [
            ("P3", "施工许可未办理，影响开工", "住建局", T("2022-01-10"), T("2022-02-28"), None),
            ("P2", "<b>征地</b>拆迁未完成", "自然资源局", T("2022-01-10"), T("2022-06-30"), None),
            ("P1", "电力增容", "供电公司", T("2022-01-10"), T("2022-02-01"), T("2022-02-20")),
        ],
        columns=["project_id", "problem", "owner", "raised_on", "due_on", "resolved_on"],
    )
    milestones = pd.DataFrame(
        [("P3", "施工图审查", "教体局", T("2022-02-15"), None)],
        columns=["project_id", "milestone", "owner", "planned_on", "done_on"],
    )
    return Ledger(
        projects=small_projects(),
        progress=small_progress(),
        approvals=approvals,
        funding=funding,
        problems=problems,
        milestones=milestones,
        year=2022,
        source="tests/report_ledger.py",
    )


@dataclass(frozen=True)
class ContractScores:
    """Scores of the Scoring API's shape, fixed by hand (for tests independent of scoring)."""

    planning: pd.DataFrame
    reasons: pd.DataFrame
    delivery: pd.DataFrame
    units: pd.DataFrame
    health: pd.DataFrame
    as_of: pd.Timestamp
    rubric: object = None


def contract_scores(as_of="2022-03-31") -> ContractScores:
    """Hand-made scores for the small ledger."""
    planning = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4", "P5"],
            "score": [88.0, 52.5, 35.0, 71.0, 60.0],
            "band": ["green", "amber_red", "red", "amber_green", "amber"],
            "flags": ["", "", "start_without_permit", "", ""],
        }
    )
    reasons = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P2", "P3", "P3", "P4", "P5"],
            "dimension": ["funding", "approvals", "funding", "approvals", "schedule", "funding",
                          "funding"],
            "rule": ["r"] * 7,
            "points_lost": [12.0, 27.5, 20.0, 40.0, 25.0, 29.0, 40.0],
            "message_zh": ["资金缺口", "用地未批", "资金未到位", "缺施工许可", "节点不清",
                           "资金缺口", "未落实资金"],
            "message_en": ["gap", "no land", "no funds", "no permit", "no milestones", "gap",
                           "no funds"],
        }
    )
    delivery = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4", "P5"],
            "ytd_planned": [3000.0, 2000.0, 1000.0, 2000.0, 0.0],
            "ytd_completed": [2700.0, 2400.0, 0.0, 2100.0, 0.0],
            "spi": [0.9, 1.2, 0.0, 1.05, float("nan")],
            "rag": pd.Series(["amber", "green", "red", "green", None], dtype="str"),
        }
    )
    units = pd.DataFrame(
        {"responsible_unit": ["住建局", "产业集聚区管委会", "教体局", "文广旅局"],
         "total": [90.0, 80.0, 40.0, 60.0], "rank": [1, 2, 4, 3]}
    )
    health = pd.DataFrame(
        {"measure": ["reserve_depth"], "value": [1.0], "target": [3.0], "gap": [2.0],
         "unit": ["x"]}
    )
    return ContractScores(planning, reasons, delivery, units, health, pd.Timestamp(as_of))
