"""A small hand-built 2022 ledger for the what-if tests (no sample, no loader needed)."""

from __future__ import annotations

import pandas as pd

from workbench.model.ledger import Ledger

MONTHS = pd.date_range("2022-01-01", periods=12, freq="MS")

#: id, name, nature, stage, office, sector, unit, total, annual, planned start, actual start, completion
PROJECTS = [
    ("P1", "城区供水管网改造", "续建", "在建", "城镇建设", "城建", "住建局", 40000.0, 12000.0,
     "2021-03-01", "2021-03-15", "2023-06-30"),
    ("P2", "县医院新院区", "新开工", "前期", "社会事业", "民生", "卫健委", 60000.0, 18000.0,
     "2022-05-01", None, "2024-12-31"),
    ("P3", "产业园标准化厂房", "新开工", "前期", "工业发展", "工业", "产业集聚区", 30000.0, 15000.0,
     "2022-07-01", None, "2023-12-31"),
    ("P4", "高标准农田", "新开工", "在建", "农业经济", "农业", "农业农村局", 8000.0, 8000.0,
     "2022-02-01", "2022-02-10", "2022-11-30"),
    ("P5", "乡村道路提升", "新开工", "前期", "政府投资", "交通", "交通局", 12000.0, 6000.0,
     "2022-03-01", None, "2023-03-31"),
    ("P6", "文旅综合体", "前期", "储备", "城镇建设", "文旅", "住建局", 90000.0, 0.0,
     None, None, None),
]


def _spread(annual: float, start: pd.Timestamp | None) -> list[float]:
    first = 0 if start is None or start.year < 2022 else start.month - 1
    months = 12 - first
    return [0.0] * first + [annual / months] * months


def small_ledger() -> Ledger:
    """Six projects, monthly plans for 2022, completed investment reported for January–April."""
    rows = []
    for pid, name, nature, stage, office, sector, unit, total, annual, ps, ast, pc in PROJECTS:
        rows.append({
            "project_id": pid, "name": name, "owner": f"{name}建设单位", "location": "内乡县",
            "nature": nature, "stage": stage, "level": "县", "batch_quarter": None,
            "batch_kind": None, "programme_982": False, "tier_531": "1", "office": office,
            "sector": sector, "category": None, "scope": None, "total_investment": total,
            "annual_plan": annual, "planned_start": ps, "actual_start": ast,
            "planned_completion": pc, "actual_completion": None, "responsible_unit": unit,
            "leader": "张三", "physical_progress_note": None,
        })
    projects = pd.DataFrame(rows)
    progress = []
    for pid, *_rest in PROJECTS:
        r = projects.set_index("project_id").loc[pid]
        start = None if pd.isna(r["planned_start"]) else pd.Timestamp(r["planned_start"])
        plan = _spread(r["annual_plan"], start)
        started = pd.notna(r["actual_start"])
        for i, month in enumerate(MONTHS):
            done = plan[i] * 0.9 if started and i < 4 else 0.0
            progress.append({"project_id": pid, "month": month, "planned": plan[i],
                             "completed": done, "physical_progress": None})
    approvals = pd.DataFrame([
        {"project_id": "P2", "item": "用地", "status": "in_progress", "approved_on": None, "expires_on": None},
        {"project_id": "P3", "item": "用地", "status": "done", "approved_on": "2022-01-10", "expires_on": None},
        {"project_id": "P5", "item": "施工许可", "status": "not_started", "approved_on": None, "expires_on": None},
    ])
    funding = pd.DataFrame([
        {"project_id": "P1", "source": "地方政府专项债券", "amount": 10000.0, "status": "received", "dated": None},
        {"project_id": "P1", "source": "银行贷款", "amount": 10000.0, "status": "approved", "dated": None},
        {"project_id": "P2", "source": "地方政府专项债券", "amount": 18000.0, "status": "approved", "dated": None},
        {"project_id": "P3", "source": "企业自筹", "amount": 15000.0, "status": "received", "dated": None},
        {"project_id": "P4", "source": "中央预算内投资", "amount": 8000.0, "status": "received", "dated": None},
        {"project_id": "P5", "source": "财政资金", "amount": 3000.0, "status": "approved", "dated": None},
    ])
    return Ledger(projects=projects, progress=pd.DataFrame(progress), approvals=approvals,
                  funding=funding, year=2022, source="tests/whatif_ledger.py")
