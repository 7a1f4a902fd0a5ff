"""Magnitudes of a sample ledger, for the README and the command line's summary."""

from __future__ import annotations

from workbench.core.vocabulary import LEVELS, NATURES, RESERVE_STAGES
from workbench.model.ledger import Ledger, is_project_code


def sample_facts(ledger: Ledger) -> dict:
    """Magnitudes of a sample ledger: counts, totals (亿元), mix, reserve multiple, start clustering."""
    p = ledger.projects
    reserve = p["stage"].isin(RESERVE_STAGES)
    listed, held = p[~reserve], p[reserve]
    new = listed[listed["nature"] == NATURES[0]]
    months = new["planned_start"].dt.month
    plan = float(listed["annual_plan"].sum())
    ratio = new["annual_plan"] / new["total_investment"]
    late = new["actual_start"].dt.to_period("M") > new["planned_start"].dt.to_period("M")
    return {
        "projects": len(listed),
        "province_city": int(listed["level"].isin(LEVELS[:2]).sum()),
        "province": int((listed["level"] == LEVELS[0]).sum()),
        "reserve_projects": len(held),
        "total_investment_yi": round(float(listed["total_investment"].sum()) / 1e4, 2),
        "annual_plan_yi": round(plan / 1e4, 2),
        "completed_yi": round(float(ledger.progress["completed"].sum()) / 1e4, 2),
        "reserve_investment_yi": round(float(held["total_investment"].sum()) / 1e4, 2),
        "reserve_multiple": round(float(held["total_investment"].sum()) / plan, 2)
        if plan
        else None,
        "median_size_yi": round(float(listed["total_investment"].median()) / 1e4, 2),
        "max_size_yi": round(float(listed["total_investment"].max()) / 1e4, 2),
        "min_size_wan": float(listed["total_investment"].min()),
        "nature_mix": {k: round(float((listed["nature"] == k).mean()), 3) for k in NATURES},
        "new_start_plan_ratio": (round(float(ratio.min()), 3), round(float(ratio.max()), 3))
        if len(new)
        else None,
        "q1_start_share": round(float((months <= 3).mean()), 3) if len(new) else None,
        "quarter_opening_share": round(float(months.isin([1, 4, 7, 10]).mean()), 3)
        if len(new)
        else None,
        "late_starts": int(late.sum()),
        "not_started": int(new["actual_start"].isna().sum()),
        "without_code": int((~p["project_id"].map(is_project_code)).sum()),
        "rows": {name: len(frame) for name, frame in ledger.tables().items()},
    }
