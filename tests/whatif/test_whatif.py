"""What-if engine on a small hand-built ledger: levers, invariants, YAML and refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.whatif.small_ledger import small_ledger
from workbench.core.words import messages_in
from workbench.exceptions import ScenarioError
from workbench.model.asof import default_as_of
from workbench.whatif import (
    ApprovalDelay,
    Scenario,
    apply,
    effects,
    forecast_curve,
    load_scenario,
    save_scenario,
    scenario_from_dict,
    year_forecast,
)
from workbench.whatif.respread import s_curve
from workbench.whatif.starts import quarter_starts


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the scenario checks' messages in English; their Chinese default is
    shown by tests/test_messages.py and the first test of test_whatif.py."""
    with messages_in("en"):
        yield


LEDGER = small_ledger()
AS_OF = pd.Timestamp("2022-04-30")


def _forecast(ledger, as_of=AS_OF) -> float:
    return float(year_forecast(ledger, as_of)["forecast"].sum())


def test_the_default_as_of_is_the_last_reported_month():
    assert default_as_of(LEDGER) == AS_OF


def test_zero_scenario_changes_nothing():
    before = {name: frame.copy() for name, frame in LEDGER.tables().items()}
    after = apply(LEDGER, Scenario(name="zero"), AS_OF)
    assert after is not LEDGER
    for name, frame in after.tables().items():
        pd.testing.assert_frame_equal(frame, before[name])
        pd.testing.assert_frame_equal(getattr(LEDGER, name), before[name])
    assert _forecast(after) == _forecast(LEDGER)


def test_explicit_zero_levers_change_nothing():
    zero = Scenario(
        slip_by_office={"城镇建设": 0},
        shortfall_by_source={"银行贷款": 0},
        approval_delays=(ApprovalDelay("用地", 0),),
    )
    assert zero.is_zero()
    after = apply(LEDGER, zero, AS_OF)
    for name, frame in after.tables().items():
        pd.testing.assert_frame_equal(frame, getattr(LEDGER, name))


def test_apply_leaves_the_input_ledger_untouched():
    before = {name: frame.copy() for name, frame in LEDGER.tables().items()}
    apply(LEDGER, Scenario(slip_all=3, shortfall_by_source={"地方政府专项债券": 50},
                           bring_forward={"P6": "2022Q3"}), AS_OF)
    for name, frame in LEDGER.tables().items():
        pd.testing.assert_frame_equal(frame, before[name])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=0, max_value=36), month=st.integers(min_value=1, max_value=12))
def test_slipping_every_start_never_raises_the_years_forecast(n, month):
    as_of = pd.Timestamp(year=2022, month=month, day=1) + pd.offsets.MonthEnd(0)
    base = _forecast(LEDGER, as_of)
    slipped = apply(LEDGER, Scenario(slip_all=n), as_of)
    assert _forecast(slipped, as_of) <= base + 1e-6
    more = apply(LEDGER, Scenario(slip_all=min(n + 1, 36)), as_of)
    assert _forecast(more, as_of) <= _forecast(slipped, as_of) + 1e-6


def test_a_slip_moves_dates_and_pushes_investment_out_of_the_year():
    after = apply(LEDGER, Scenario(slip_all=2), AS_OF)
    p0, p1 = LEDGER.projects.set_index("project_id"), after.projects.set_index("project_id")
    assert p1.loc["P2", "planned_start"] == pd.Timestamp("2022-07-01")
    assert p1.loc["P2", "planned_completion"] == pd.Timestamp("2025-02-28")
    # started projects do not move; history is never rewritten
    assert p1.loc["P1", "planned_start"] == p0.loc["P1", "planned_start"]
    hist0 = LEDGER.progress[LEDGER.progress["month"] <= AS_OF].reset_index(drop=True)
    hist1 = after.progress[after.progress["month"] <= AS_OF].reset_index(drop=True)
    pd.testing.assert_frame_equal(hist0, hist1)
    f0 = year_forecast(LEDGER, AS_OF).set_index("project_id")["forecast"]
    f1 = year_forecast(after, AS_OF).set_index("project_id")["forecast"]
    assert f1["P2"] < f0["P2"] and f1["P1"] == f0["P1"]
    # P2's plan starts in the new start month, not before
    p2 = after.progress[after.progress["project_id"] == "P2"].set_index("month")["planned"]
    assert p2[pd.Timestamp("2022-06-01")] == 0 and p2[pd.Timestamp("2022-07-01")] > 0


def test_slips_by_office_sector_unit_and_project_take_the_largest():
    s = Scenario(slip_by_office={"工业发展": 1}, slip_by_sector={"工业": 3},
                 slip_by_unit={"卫健委": 2}, slip_by_project={"P3": 2})
    eff = effects(LEDGER, s, AS_OF).set_index("project_id")["slip_months"]
    assert eff.to_dict() == {"P1": 0, "P2": 2, "P3": 3, "P4": 0, "P5": 0, "P6": 0}


def test_approval_delays_push_only_projects_whose_item_is_pending():
    s = Scenario(approval_delays=(ApprovalDelay("用地", 2), ApprovalDelay("施工许可", 4, "P5")))
    eff = effects(LEDGER, s, AS_OF).set_index("project_id")["slip_months"]
    assert eff["P2"] == 2  # land in progress
    assert eff["P3"] == 0  # land already approved
    assert eff["P5"] == 4
    after = apply(LEDGER, s, AS_OF)
    assert after.projects.set_index("project_id").loc["P2", "planned_start"] == pd.Timestamp("2022-07-01")


def test_full_shortfall_stops_projects_that_depend_on_the_source_alone():
    s = Scenario(shortfall_by_source={"地方政府专项债券": 100})
    eff = effects(LEDGER, s, AS_OF).set_index("project_id")
    assert eff["stopped"].to_dict() == {"P1": False, "P2": True, "P3": False, "P4": False,
                                        "P5": False, "P6": False}
    after = apply(LEDGER, s, AS_OF)
    f0 = year_forecast(LEDGER, AS_OF).set_index("project_id")
    f1 = year_forecast(after, AS_OF).set_index("project_id")
    assert f1.loc["P2", "remaining_plan"] == 0  # P2: special bonds only → stops
    assert f1.loc["P2", "forecast"] == f0.loc["P2", "completed_to_date"]
    assert after.projects.set_index("project_id")["planned_start"].isna()["P2"]
    # P1 is half special bonds, half bank loan: half its remaining plan goes
    assert f1.loc["P1", "remaining_plan"] == pytest.approx(f0.loc["P1", "remaining_plan"] / 2)
    assert f1.loc["P3", "forecast"] == f0.loc["P3", "forecast"]
    bonds = after.funding[after.funding["source"] == "地方政府专项债券"]["amount"]
    assert (bonds == 0).all()


def test_partial_shortfall_scales_funding_and_plan():
    after = apply(LEDGER, Scenario(shortfall_by_source={"企业自筹": 30}), AS_OF)
    f = after.funding.set_index("project_id")["amount"]
    assert f["P3"] == pytest.approx(15000 * 0.7)
    rest = year_forecast(after, AS_OF).set_index("project_id")["remaining_plan"]
    assert rest["P3"] == pytest.approx(15000 * 0.7)


def test_bringing_a_reserve_project_forward_adds_its_s_curve_share():
    after = apply(LEDGER, Scenario(bring_forward={"P6": "2022Q3"}), AS_OF)
    p6 = after.projects.set_index("project_id").loc["P6"]
    assert p6["planned_start"] == pd.Timestamp("2022-07-01")
    assert p6["batch_quarter"] == "2022Q3" and p6["nature"] == "新开工"
    plan = after.progress[after.progress["project_id"] == "P6"]
    assert plan["planned"].sum() == pytest.approx(p6["annual_plan"])
    assert 0 < p6["annual_plan"] < p6["total_investment"]
    # 24-month default duration: six months in the year on the S-curve
    assert p6["annual_plan"] == pytest.approx(90000 * float(s_curve(6 / 24)))
    assert _forecast(after) == pytest.approx(_forecast(LEDGER) + p6["annual_plan"])
    starts = quarter_starts(LEDGER, after, AS_OF).set_index("quarter")
    assert starts.loc["2022Q3", "scenario_starts"] == starts.loc["2022Q3", "base_starts"] + 1


def test_quarter_start_rates_fall_when_starts_slip():
    after = apply(LEDGER, Scenario(slip_by_project={"P2": 2}), AS_OF)
    q = quarter_starts(LEDGER, after, AS_OF).set_index("quarter")
    assert q.loc["2022Q2", "planned_starts"] == 1
    assert q.loc["2022Q2", "base_rate"] == 1.0 and q.loc["2022Q2", "scenario_rate"] == 0.0
    assert q.loc["2022Q2", "rate_change_points"] == -100


def test_s_curve_is_a_monotone_cdf():
    x = np.linspace(0, 1, 101)
    y = s_curve(x)
    assert y[0] == pytest.approx(0) and y[-1] == pytest.approx(1)
    assert (np.diff(y) >= 0).all()
    assert s_curve(np.array([-1.0, 2.0])).tolist() == [0.0, 1.0]


def test_forecast_curve_ends_at_the_years_forecast():
    curve = forecast_curve(LEDGER, AS_OF)
    assert len(curve) == 12
    assert curve["forecast"].iloc[-1] == pytest.approx(_forecast(LEDGER))
    assert curve["actual"].sum() == 4


def test_saved_yaml_round_trips(tmp_path):
    s = Scenario(
        name="用地延误两个月",
        description="专项债到位七成",
        slip_all=1,
        slip_by_project={"P2": 2},
        slip_by_office={"城镇建设": 1},
        slip_by_sector={"工业": 3},
        slip_by_unit={"卫健委": 2},
        shortfall_by_source={"地方政府专项债券": 30.0},
        approval_delays=(ApprovalDelay("用地", 2), ApprovalDelay("施工许可", 1, "P5")),
        bring_forward={"P6": "2022Q4"},
        weights={"approvals": 35.0},
    )
    path = save_scenario(s, tmp_path / "s.yaml")
    text = path.read_text("utf-8")
    assert "用地延误两个月" in text  # Chinese stays readable
    assert load_scenario(path) == s


@pytest.mark.parametrize(
    ("data", "field", "why"),
    [
        ({"slip_all": -1}, "slip_all", "negative"),
        ({"slip_all": 120}, "slip_all", "absurd"),
        ({"slip_all": 1.5}, "slip_all", "whole number"),
        ({"slip_by_office": {"城镇建设": -2}}, "slip_by_office.城镇建设", "negative"),
        ({"shortfall_by_source": {"地方政府专项债券": 130}}, "shortfall_by_source.地方政府专项债券", "above 100"),
        ({"shortfall_by_source": {"彩票资金": 10}}, "shortfall_by_source.彩票资金", "unknown funding source"),
        ({"approval_delays": [{"item": "土地证", "months": 1}]}, "approval_delays[0].item", "unknown approval"),
        ({"approval_delays": [{"item": "用地"}]}, "approval_delays[0]", "months"),
        ({"weights": {"luck": 10}}, "weights.luck", "unknown rubric dimension"),
        ({"weights": {"approvals": -5}}, "weights.approvals", "negative"),
        ({"weights": dict.fromkeys(["policy_fit", "definition", "approvals", "funding", "schedule",
                                    "responsibility"], 0)}, "weights", "every weight is 0"),
        ({"bring_forward": {"P6": "2022-07"}}, "bring_forward.P6", "not a quarter"),
        ({"slip_everything": 2}, "slip_everything", "unknown"),
    ],
)
def test_bad_values_are_refused_naming_the_field(data, field, why):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert field in str(err.value) and why in str(err.value)


@pytest.mark.parametrize(
    ("scenario", "field", "why"),
    [
        (Scenario(slip_by_project={"P99": 2}), "slip_by_project.P99", "unknown project_id"),
        (Scenario(slip_by_office={"财政局": 2}), "slip_by_office.财政局", "unknown office"),
        (Scenario(slip_by_unit={"无此单位": 2}), "slip_by_unit.无此单位", "unknown responsible_unit"),
        (Scenario(approval_delays=(ApprovalDelay("用地", 1, "P99"),)), "approval_delays[0].project", "unknown"),
        (Scenario(bring_forward={"P99": "2022Q3"}), "bring_forward.P99", "unknown project"),
        (Scenario(bring_forward={"P1": "2022Q3"}), "bring_forward.P1", "not a reserve project"),
        (Scenario(bring_forward={"P6": "2022Q1"}), "bring_forward.P6", "already begun"),
        (Scenario(bring_forward={"P6": "2023Q1"}), "bring_forward.P6", "outside the ledger's year"),
    ],
)
def test_names_the_ledger_lacks_are_refused(scenario, field, why):
    with pytest.raises(ScenarioError) as err:
        apply(LEDGER, scenario, AS_OF)
    assert field in str(err.value) and why in str(err.value)


def test_load_scenario_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("shortfall_by_source:\n  银行贷款: 250\n", "utf-8")
    with pytest.raises(ScenarioError, match="bad.yaml.*shortfall_by_source.银行贷款"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def _year_to_date_only(ledger):
    """The ledger as many are kept: monthly columns only up to the data month."""
    return ledger.replace(progress=ledger.progress[ledger.progress["month"] <= AS_OF])


def test_a_ledger_without_future_months_forecasts_the_rest_of_its_annual_plan():
    short = _year_to_date_only(LEDGER)
    full, part = year_forecast(LEDGER, AS_OF), year_forecast(short, AS_OF)
    # the sample plans spread the annual plan evenly, so both ways give the same forecast
    assert part["forecast"].sum() == pytest.approx(full["forecast"].sum())
    assert forecast_curve(short, AS_OF)["forecast"].iloc[-1] == pytest.approx(part["forecast"].sum())


@settings(max_examples=15, deadline=None)
@given(n=st.integers(min_value=0, max_value=24))
def test_slips_on_a_year_to_date_ledger_never_raise_the_forecast(n):
    short = _year_to_date_only(LEDGER)
    after = apply(short, Scenario(slip_all=n), AS_OF)
    assert _forecast(after) <= _forecast(short) + 1e-6
    assert (after.progress.groupby(["project_id", "month"]).size() == 1).all()


def test_a_full_shortfall_also_stops_spending_on_a_year_to_date_ledger():
    short = _year_to_date_only(LEDGER)
    after = apply(short, Scenario(shortfall_by_source={"地方政府专项债券": 100}), AS_OF)
    f0 = year_forecast(short, AS_OF).set_index("project_id")
    f1 = year_forecast(after, AS_OF).set_index("project_id")
    assert f0.loc["P2", "remaining_plan"] > 0 and f1.loc["P2", "remaining_plan"] == 0
    assert f1.loc["P4", "forecast"] == pytest.approx(f0.loc["P4", "forecast"])  # untouched
