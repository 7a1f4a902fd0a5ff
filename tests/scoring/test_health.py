"""Portfolio health: each measure beside its target and the gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.scoring_fixtures import ledger_of, monthly, project, ts
from workbench.scoring.scores import score


def portfolio():
    rows = [
        project("WB-1", nature="续建", annual_plan=10000.0, planned_start=ts("2021-05-01"),
                actual_start=ts("2021-05-01"), batch_kind=None),
        project("WB-2", nature="新开工", annual_plan=10000.0, planned_start=ts("2022-02-01"),
                actual_start=ts("2022-02-20"), batch_kind="开工"),
        project("WB-3", nature="新开工", annual_plan=5000.0, planned_start=ts("2022-03-10"),
                actual_start=pd.NaT, batch_kind="签约"),
        project("WB-4", nature="竣工", stage="投产", annual_plan=5000.0, batch_kind="投产",
                planned_start=ts("2020-03-01"), actual_start=ts("2020-03-01")),
        project("WB-5", nature="前期", stage="储备", annual_plan=0.0, total_investment=60000.0,
                planned_start=ts("2023-03-01"), actual_start=pd.NaT, batch_kind=None),
    ]
    progress = monthly("WB-1", [2500.0] * 3, [2500.0] * 3) + monthly("WB-2", [1000.0] * 3, [500.0] * 3)
    funding = [dict(project_id="WB-1", source="企业自筹", amount=15000.0, status="received",
                    dated=ts("2022-01-01")),
               dict(project_id="WB-2", source="银行贷款", amount=4000.0, status="applied",
                    dated=ts("2022-01-01"))]
    return ledger_of(rows, progress, (), funding)


def test_health_measures_values_targets_gaps():
    h = score(portfolio(), "2022-03-31").health.set_index("measure")
    assert list(h.columns) == ["value", "target", "gap", "unit"]
    assert h.loc["reserve_multiple", "value"] == pytest.approx(60000 / 30000)
    assert h.loc["reserve_multiple", "gap"] == pytest.approx(2 - 3)
    assert h.loc["pipeline_share_新开工", "value"] == 0.5  # reserve project not counted
    assert h.loc["pipeline_share_续建", "target"] == 0.49
    # secured capped at each plan: 10000 + 2000 (applied at half) of 30000
    assert h.loc["funding_secured_share", "value"] == pytest.approx(12000 / 30000)
    assert h.loc["q1_start_rate", "value"] == 0.5  # WB-2 started, WB-3 did not
    assert h.loc["signed_to_started", "value"] == pytest.approx(2 / 3)
    assert h.loc["started_to_operation", "value"] == pytest.approx(1 / 2)
    done = (7500 + 1500) / 30000
    assert h.loc["completion_vs_elapsed", "value"] == pytest.approx((done - 90 / 365) * 100)
    assert h.loc["completion_vs_elapsed", "unit"] == "points"


def test_reserve_multiple_reads_a_projects_table_or_stage_totals_and_a_plan():
    """One definition for scoring's health and the review's pipeline (stage totals + the plan)."""
    from workbench.scoring import reserve_multiple

    projects = pd.DataFrame({
        "stage": ["谋划", "储备", "前期", "在建"],
        "total_investment": [30000.0, 30000.0, 50000.0, 80000.0],
        "annual_plan": [0.0, 0.0, 10000.0, 20000.0],
    })
    assert reserve_multiple(projects) == pytest.approx(60000 / 30000)  # 前期 is not reserve
    pipeline = projects.groupby("stage", as_index=False)["total_investment"].sum()
    assert reserve_multiple(pipeline, 30000.0) == pytest.approx(2.0)
    assert np.isnan(reserve_multiple(pipeline, 0.0))  # no plan: no multiple, not infinity
