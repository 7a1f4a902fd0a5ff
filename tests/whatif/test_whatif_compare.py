"""What-if comparisons with real scoring: on the hand-built ledger and on the bundled sample generator."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from tests.whatif.small_ledger import small_ledger
from workbench.sample import generate_sample
from workbench.scoring import load_rubric
from workbench.whatif import ApprovalDelay, Scenario, WhatIf, compare, effects, year_forecast
from workbench.whatif.outcome import reweighted

AS_OF = pd.Timestamp("2022-04-30")
MID_YEAR = pd.Timestamp("2022-06-30")


@pytest.fixture(scope="module")
def session() -> WhatIf:
    return WhatIf(small_ledger(), AS_OF)


@pytest.fixture(scope="module")
def sample():
    return generate_sample(2022, 200, 2022)


@pytest.fixture(scope="module")
def sample_session(sample) -> WhatIf:
    return WhatIf(sample, MID_YEAR)


def test_zero_scenario_compares_equal(session):
    c = session.run(Scenario())
    assert (c.headline["change"] == 0).all()
    assert (c.rag["change"] == 0).all() and (c.bands["change"] == 0).all()
    assert (c.projects["rank_change"] == 0).all()
    # units without investment data by April (卫健委, 产业集聚区 start later) are unranked on both sides
    u = c.units
    assert u["rank_change"].isna().eq(u["rank_base"].isna()).all() and (u["rank_change"].dropna() == 0).all()
    assert u["rank_base"].isna().sum() == 2
    assert (c.projects["forecast_change"] == 0).all()
    q = c.quarters
    pd.testing.assert_series_equal(q["base_rate"], q["scenario_rate"], check_names=False)
    np.testing.assert_allclose(c.curve["base"], c.curve["scenario"])


def test_rubric_weights_as_they_are_change_no_score():
    ledger = small_ledger()
    rubric = load_rubric()
    base = WhatIf(ledger, AS_OF, rubric).base.planning
    same = reweighted(base, rubric, rubric.weights())
    np.testing.assert_allclose(same["score"], base["score"], atol=0.05)
    assert same["band"].tolist() == base["band"].tolist()


def test_weighing_approvals_more_moves_the_ranking(session):
    c = session.run(Scenario(weights={d: 0.0 for d in ("policy_fit", "definition", "funding",
                                                        "schedule", "responsibility")} | {"approvals": 25.0}))
    assert (c.projects["rank_change"] != 0).any()
    top = c.projects.iloc[0]
    assert top["project_id"] == "P3"  # the only project with its land approval done
    assert c.headline.set_index("measure").loc["year_end_forecast", "change"] == 0


def test_weights_only_runs_reuse_the_applied_ledger_and_match_a_fresh_compare(session):
    s1 = Scenario(slip_all=2, shortfall_by_source={"地方政府专项债券": 100})
    s2 = dataclasses.replace(s1, weights={"funding": 40.0})
    session.run(s1)
    cached = session.run(s2)
    fresh = compare(session.ledger, s2, AS_OF)
    pd.testing.assert_frame_equal(cached.projects, fresh.projects)
    pd.testing.assert_frame_equal(cached.headline, fresh.headline)
    pd.testing.assert_frame_equal(cached.units, fresh.units)


def test_full_shortfall_shows_stopped_projects_and_a_lower_forecast(session):
    c = session.run(Scenario(shortfall_by_source={"地方政府专项债券": 100}))
    h = c.headline.set_index("measure")
    assert h.loc["projects_stopped", "scenario"] == 1
    assert h.loc["year_end_forecast", "change"] < 0
    stopped = c.projects.set_index("project_id").loc["P2"]
    assert stopped["stopped"] and stopped["forecast_scenario"] == 0


def test_sample_slips_lower_forecast_and_start_rates(sample_session):
    c = sample_session.run(Scenario(slip_all=3))
    h = c.headline.set_index("measure")
    assert h.loc["projects_slipped", "scenario"] > 0
    assert h.loc["year_end_forecast", "change"] < 0
    assert h.loc["forecast_share_of_target", "scenario"] < h.loc["forecast_share_of_target", "base"]
    later = c.quarters[c.quarters["quarter"].isin(["2022Q3", "2022Q4"])]
    assert (later["scenario_rate"].fillna(0) <= later["base_rate"].fillna(0)).all()
    assert (later["scenario_on_time"] < later["base_on_time"]).any()
    assert (c.curve["scenario"] <= c.curve["base"] + 1e-6).all()


def test_sample_full_shortfall_stops_sole_source_projects(sample, sample_session):
    source = "地方政府专项债券"
    f = sample.funding
    sources = f.groupby("project_id")["source"].agg(set)
    alone = set(sources[sources.map(lambda s: s == {source})].index)
    assert alone, "the sample should have projects funded by special bonds alone"
    scenario = Scenario(shortfall_by_source={source: 100})
    eff = effects(sample, scenario, MID_YEAR).set_index("project_id")
    assert set(eff.index[eff["stopped"]]) == alone
    c = sample_session.run(scenario)
    rest = year_forecast(c.result.ledger, MID_YEAR).set_index("project_id")["remaining_plan"]
    assert (rest[list(alone)] == 0).all()


def test_sample_every_lever_at_once(sample, sample_session):
    p = sample.projects
    reserve = p[p["stage"].isin(["谋划", "储备"]) & p["actual_start"].isna()
                & (p["planned_start"].isna() | (p["planned_start"] > pd.Timestamp("2022-10-01")))]
    scenario = Scenario(
        slip_by_office={"城镇建设": 2},
        shortfall_by_source={"地方政府专项债券": 30.0},
        approval_delays=(ApprovalDelay("用地", 2),),
        bring_forward={pid: "2022Q4" for pid in reserve["project_id"].head(3)},
        weights={"approvals": 35.0},
    )
    c = sample_session.run(scenario)
    h = c.headline.set_index("measure")
    assert h.loc["projects_brought_forward", "scenario"] == min(3, len(reserve))
    assert len(c.projects) == len(p) and c.projects["score_scenario"].notna().all()
    assert set(c.units["responsible_unit"]) >= set(p["responsible_unit"].dropna())
