"""Delivery as of a date: year-to-date plan vs completion, SPI, 序时进度, slips, RAG."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.scoring_fixtures import CODE_A, CODE_B, ledger_of, monthly, project, ts
from workbench.core.periods import elapsed_share
from workbench.exceptions import ParameterError
from workbench.model.asof import default_as_of
from workbench.scoring.delivery import delivery

C = "WB-0000000003"


def ledger():
    a = project(CODE_A, annual_plan=12000.0)
    b = project(CODE_B, planned_start=ts("2022-02-01"), actual_start=pd.NaT,
                planned_completion=ts("2022-05-31"), annual_plan=6000.0)
    c = project(C, nature="前期", stage="储备", annual_plan=0.0)
    progress = (monthly(CODE_A, [1000.0] * 6, [1000.0, 1000.0, 900.0, 900.0, 0.0, 0.0])
                + monthly(CODE_B, [500.0] * 6, [400.0] * 6))
    return ledger_of([a, b, c], progress)


def test_elapsed_share_is_the_share_of_the_year_gone():
    assert elapsed_share("2022-12-31") == 1.0
    assert elapsed_share("2022-06-30") == pytest.approx(181 / 365)
    assert elapsed_share("2024-12-31") == 1.0  # leap year
    assert elapsed_share(pd.Timestamp("2022-01-01")) == pytest.approx(1 / 365)
    with pytest.raises(ParameterError, match="不是日期"):
        elapsed_share("yesterday-ish")


def test_year_to_date_counts_months_up_to_the_as_of_month():
    d = delivery(ledger(), "2022-03-15").set_index("project_id")
    assert d.loc[CODE_A, "ytd_planned"] == 3000 and d.loc[CODE_A, "ytd_completed"] == 2900
    assert d.loc[CODE_A, "spi"] == pytest.approx(2900 / 3000)
    assert d.loc[CODE_A, "rag"] == "green"
    assert d.loc[CODE_B, "spi"] == pytest.approx(0.8) and d.loc[CODE_B, "rag"] == "red"
    assert pd.isna(d.loc[C, "rag"]) and pd.isna(d.loc[C, "spi"])  # nothing was due


def test_points_vs_elapsed_and_completion_share():
    d = delivery(ledger(), "2022-06-30").set_index("project_id")
    assert d.loc[CODE_A, "completion_share"] == pytest.approx(3800 / 12000)
    assert d.loc[CODE_A, "points_vs_elapsed"] == pytest.approx((3800 / 12000 - 181 / 365) * 100)
    assert d.loc[CODE_A, "spi"] == pytest.approx(3800 / 6000)
    assert d.loc[CODE_A, "rag"] == "red"


def test_start_and_completion_slips_in_months():
    d = delivery(ledger(), "2022-06-30").set_index("project_id")
    assert d.loc[CODE_A, "start_slip_months"] == 0  # planned March, started March
    assert d.loc[CODE_B, "start_slip_months"] == 4  # planned Feb, not started by June
    assert d.loc[CODE_B, "completion_slip_months"] == 1  # due May, not done by June
    early = delivery(ledger(), "2022-01-15").set_index("project_id")
    assert early.loc[CODE_B, "start_slip_months"] == 0  # not yet due


def test_rag_thresholds_come_from_the_rubric():
    from workbench.scoring.rubric import load_rubric

    strict = load_rubric().merged({"delivery": {"rag": {"green_min": 0.99, "amber_min": 0.9}}})
    d = delivery(ledger(), "2022-03-15", strict).set_index("project_id")
    assert d.loc[CODE_A, "rag"] == "amber"


def test_default_as_of_is_the_end_of_the_last_reported_month():
    assert default_as_of(ledger()) == pd.Timestamp("2022-06-30")


def planned_ahead_ledger():
    """Plans filled in for the whole year, completions reported up to June only."""
    a = project(CODE_A, annual_plan=12000.0)
    b = project(CODE_B, annual_plan=6000.0)
    progress = (monthly(CODE_A, [1000.0] * 12, [1000.0] * 6 + [0.0] * 6)
                + monthly(CODE_B, [500.0] * 12, [450.0] * 6 + [0.0] * 6))
    return ledger_of([a, b], progress)


@pytest.mark.slow  # imports the explore and what-if layers (altair, widgets)
def test_scoring_explore_and_whatif_default_to_the_same_as_of_date():
    """A month whose plan is filled in has not been reported: all three speak for 30 June.

    Scoring used to take the last progress row (31 December here) and call every project late.
    """
    import workbench

    led = planned_ahead_ledger()
    assert default_as_of(led) == pd.Timestamp("2022-06-30")
    scored = workbench.score(led)
    assert scored.as_of == pd.Timestamp("2022-06-30")
    assert workbench.overview(led).as_of == scored.as_of
    assert workbench.WhatIf(led).base.as_of == scored.as_of
    assert (scored.delivery["ytd_planned"] == [6000.0, 3000.0]).all()


def test_elapsed_share_is_one_definition():
    import workbench
    from workbench.core import periods

    assert workbench.elapsed_share is periods.elapsed_share
