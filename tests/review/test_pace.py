"""Months behind by earned schedule, the pace still needed (全年红) and re-baselines counted,
checked against figures worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.small_ledger import HOSPITAL, TCM, small_ledger
from workbench.review import rebaseline_counts, schedule_measures
from workbench.review.pace import earned_months, is_slip


def test_earned_month_interpolates_the_cumulative_plan():
    cumulative = np.cumsum([100, 100, 100] + [300] * 9)  # 100 200 300 600 900 …
    earned = earned_months(np.vstack([cumulative] * 5), np.array([750, 0, 300, 3000, 5000]))
    # 750 lies between P(4) = 600 and P(5) = 900: 4 + 150 / 300
    assert earned[0] == pytest.approx(4.5)
    assert earned[1] == 0.0  # nothing done, something planned from January
    assert earned[2] == pytest.approx(3.0)
    assert earned[3] == 12.0 and earned[4] == 12.0  # the whole year's plan reached


def test_earned_month_skips_months_with_nothing_planned_and_none_without_a_plan():
    cumulative = np.cumsum([0, 0, 0, 100] + [100] * 8)  # nothing planned before April
    earned = earned_months(np.vstack([cumulative, np.zeros(12)]), np.array([0.0, 10.0]))
    assert earned[0] == 3.0  # the plan starts in April: three months earned with nothing done
    assert np.isnan(earned[1])


def _edited_hospital():
    ledger = small_ledger()
    progress = ledger.progress.copy()
    rows = progress["project_id"].eq(HOSPITAL)
    progress.loc[rows, "planned"] = [100.0] * 3 + [300.0] * 9
    progress.loc[rows, "completed"] = [50.0] * 3 + [200.0] * 3 + [0.0] * 6
    return ledger.replace(progress=progress)


def test_months_behind_and_pace_needed_per_project():
    out = schedule_measures(_edited_hospital(), "2022-06-30", by="project").set_index("project_id")
    hospital = out.loc[HOSPITAL]
    assert hospital["ytd_completed"] == pytest.approx(750.0)
    assert hospital["ytd_planned"] == pytest.approx(1200.0)
    assert hospital["earned_month"] == pytest.approx(4.5)
    assert hospital["months_behind"] == pytest.approx(1.5)
    assert hospital["months_left"] == 6
    assert hospital["pace_needed"] == pytest.approx((12000 - 750) / 6)  # 1875 a month
    assert hospital["pace_so_far"] == pytest.approx(125.0)
    # the other projects: 1/12 of the plan a month, 80% of it done each month to September
    tcm = out.loc[TCM]  # as of June: 6 × 0.8 = 4.8 months earned
    assert tcm["earned_month"] == pytest.approx(4.8)
    assert tcm["months_behind"] == pytest.approx(1.2)
    assert tcm["pace_needed"] == pytest.approx((8000 - 8000 * 0.4) / 6)


def test_months_behind_per_unit_and_county_sum_the_curves():
    ledger = small_ledger()
    unit = schedule_measures(ledger, "2022-09-30", by="unit").set_index("responsible_unit")
    # every project runs at 80% of an even plan: 9 × 0.8 = 7.2 months earned, 1.8 behind
    assert unit.loc["县卫健委", "projects"] == 2
    assert unit.loc["县卫健委", "months_behind"] == pytest.approx(1.8)
    county = schedule_measures(ledger, "2022-09-30", by="county")
    assert len(county) == 1
    plan = 12000 + 8000 + 30000 + 1000 + 1500
    assert county.loc[0, "annual_plan"] == pytest.approx(plan)
    assert county.loc[0, "months_behind"] == pytest.approx(1.8)
    assert county.loc[0, "pace_needed"] == pytest.approx(plan * 0.4 / 3)
    edited = schedule_measures(_edited_hospital(), "2022-06-30", by="unit")
    health = edited.set_index("responsible_unit").loc["县卫健委"]
    # hospital + TCM curves: P(4) = 600 + 2666.67, P(5) = 900 + 3333.33; C = 750 + 3200
    low, high = 600 + 8000 / 3, 900 + 8000 * 5 / 12
    assert health["earned_month"] == pytest.approx(4 + (3950 - low) / (high - low))  # 4.707


def test_no_month_left_in_december():
    out = schedule_measures(small_ledger(), "2022-12-31", by="county")
    assert out.loc[0, "months_left"] == 0 and np.isnan(out.loc[0, "pace_needed"])


def test_rebaselines_counted_per_project_with_slips():
    history = pd.DataFrame([
        ("K1", "P1", "路", "2022-03-31", "planned_start", "2022-04-01", "2022-06-01"),
        ("K1", "P1", "路", "2022-03-31", "annual_plan", "1000", "800"),
        ("K1", "P1b", "道路", "2022-06-30", "planned_completion", "2023-06-30", "2023-03-31"),
        ("K2", "P2", "桥", "2022-05-31", "planned_completion", "2023-01-31", "2023-12-31"),
    ], columns=["project_key", "project_id", "name", "as_of", "field", "old", "new"])
    assert is_slip(history).tolist() == [True, False, False, True]
    out = rebaseline_counts(history).set_index("project_key")
    assert out.loc["K1", "rebaselines"] == 2 and out.loc["K1", "changes"] == 3
    assert out.loc["K1", "slips"] == 1 and out.loc["K1", "project_id"] == "P1b"
    assert out.loc["K2", "rebaselines"] == 1 and out.loc["K2", "slips"] == 1
    assert rebaseline_counts(history.iloc[:0]).empty
