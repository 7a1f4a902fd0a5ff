"""The analysts' what-if controls: values become a Scenario, "save scenario" writes its YAML."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.whatif.small_ledger import small_ledger
from workbench.exceptions import ScenarioError
from workbench.present.widgets import values_of
from workbench.scoring import load_rubric
from workbench.whatif import (
    ApprovalDelay,
    Scenario,
    load_scenario,
    reserve_projects,
    save_control,
    scenario_from_values,
    whatif_controls,
)
from workbench.whatif.check import later_quarters

LEDGER = small_ledger()
AS_OF = pd.Timestamp("2022-04-30")


def test_untouched_controls_give_the_rubric_as_it_is():
    controls = whatif_controls(LEDGER, None, AS_OF)
    scenario = scenario_from_values(**values_of(controls))
    assert scenario.weights == load_rubric().weights()
    assert scenario.slip_all == 0 and not scenario.slip_by_office and not scenario.bring_forward


def test_control_values_become_a_scenario():
    s = scenario_from_values(
        name="测试", slip_all=1, slip_offices=("城镇建设",), slip_office_months=2,
        slip_projects=("P2",), slip_project_months=3, shortfall_sources=("地方政府专项债券",),
        shortfall_percent=30, delay_item="用地", delay_months=2, forward_projects=("P6",),
        forward_quarter="2022Q3", w_approvals=35,
    )
    assert s == Scenario(
        name="测试", slip_all=1, slip_by_office={"城镇建设": 2}, slip_by_project={"P2": 3},
        shortfall_by_source={"地方政府专项债券": 30.0},
        approval_delays=(ApprovalDelay("用地", 2),), bring_forward={"P6": "2022Q3"},
        weights={"approvals": 35.0},
    )


def test_a_chosen_list_without_months_moves_nothing():
    s = scenario_from_values(slip_offices=("城镇建设",), slip_office_months=0,
                             shortfall_sources=("银行贷款",), shortfall_percent=0, delay_item="用地")
    assert s.is_zero()


def test_unknown_controls_are_refused():
    with pytest.raises(ScenarioError, match="没有这些控件：speed"):
        scenario_from_values(speed=3)


def test_reserve_choices_and_quarters():
    assert list(reserve_projects(LEDGER, AS_OF)["project_id"]) == ["P6"]
    assert later_quarters(LEDGER, AS_OF) == ["2022Q3", "2022Q4"]


def test_save_button_writes_the_controls_scenario(tmp_path):
    controls = whatif_controls(LEDGER, None, AS_OF)
    controls["name"].value = "用地推迟"
    controls["slip_all"].value = 2
    controls["shortfall_sources"].value = ("地方政府专项债券",)
    controls["shortfall_percent"].value = 40
    controls["forward_projects"].value = ("P6",)
    controls["forward_quarter"].value = "2022Q4"
    controls["w_approvals"].value = 40
    box = save_control(controls, tmp_path / "scenarios")
    box.children[0].value = "land.yaml"
    box.children[1].click()
    path = tmp_path / "scenarios" / "land.yaml"
    assert path.is_file() and "land.yaml" in box.children[2].value
    saved = load_scenario(path)
    assert saved == scenario_from_values(**values_of(controls))
    assert saved.slip_all == 2 and saved.bring_forward == {"P6": "2022Q4"}
    assert saved.weights["approvals"] == 40
