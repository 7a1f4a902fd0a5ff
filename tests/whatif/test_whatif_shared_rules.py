"""The what-if shares its rules with the rest of the workbench: reserve, as-of date, errors, memo."""

from __future__ import annotations

import pandas as pd
import pytest

import workbench.whatif._arrays as arrays
from tests.whatif.small_ledger import small_ledger
from workbench.core.vocabulary import RESERVE_STAGES, STAGES
from workbench.core.words import messages_in
from workbench.exceptions import ParameterError, ScenarioError
from workbench.scoring import score
from workbench.whatif import (
    Scenario,
    WhatIf,
    apply,
    check_scenario,
    load_scenario,
    reserve_projects,
    scenario_from_dict,
    year_forecast,
)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the scenario checks' messages in English; their Chinese default is
    shown by tests/test_messages.py and the first test of test_whatif.py."""
    with messages_in("en"):
        yield


LEDGER = small_ledger()
AS_OF = pd.Timestamp("2022-04-30")


def _with_p6(stage: str, total: float = 90000.0):
    """The small ledger with P6 (not started, no planned start) in `stage` and of `total`."""
    p = LEDGER.projects
    p6 = (p["project_id"] == "P6").to_numpy()
    return LEDGER.replace(projects=p.assign(stage=p["stage"].mask(p6, stage),
                                            total_investment=p["total_investment"].mask(p6, total)))


def _reserve_multiple(ledger) -> float:
    health = score(ledger, AS_OF).health.set_index("measure")
    return float(health.loc["reserve_multiple", "value"])


@pytest.mark.parametrize("stage", STAGES)
def test_what_may_be_brought_forward_is_the_reserve_the_health_score_counts(stage):
    """Drift guard: the reserve is one notion. A stage whose projects swell the portfolio
    health's reserve multiple is exactly a stage whose unstarted projects may be brought
    forward (the what-if once added 前期 on its own)."""
    counted_by_health = _reserve_multiple(_with_p6(stage)) != _reserve_multiple(_with_p6(stage, 45000.0))
    offered = "P6" in set(reserve_projects(_with_p6(stage), AS_OF)["project_id"])
    assert offered == counted_by_health == (stage in RESERVE_STAGES)
    forward = Scenario(bring_forward={"P6": "2022Q3"})
    if offered:
        check_scenario(forward, _with_p6(stage), AS_OF)
    else:
        with pytest.raises(ScenarioError, match="not a reserve project"):
            check_scenario(forward, _with_p6(stage), AS_OF)


def test_a_project_in_preparation_is_moved_by_a_slip_not_brought_forward():
    with pytest.raises(ScenarioError) as err:
        apply(LEDGER, Scenario(bring_forward={"P3": "2022Q4"}), AS_OF)  # P3: 前期, starts 2022-07
    assert err.value.field == "bring_forward.P3"
    slipped = apply(LEDGER, Scenario(slip_by_project={"P3": 2}), AS_OF)
    assert slipped.projects.set_index("project_id").loc["P3", "planned_start"] == pd.Timestamp("2022-09-01")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slip_by_office": ["城镇建设", 2]}, "slip_by_office"),
        ({"shortfall_by_source": "地方政府专项债券"}, "shortfall_by_source"),
        ({"weights": 35}, "weights"),
        ({"bring_forward": ["P6"]}, "bring_forward"),
        ({"approval_delays": "用地"}, "approval_delays"),
        ({"approval_delays": 3}, "approval_delays"),
        ({"approval_delays": {"item": "用地", "months": 2}}, "approval_delays"),
        ({"approval_delays": [{"item": "用地", "months": 2, "project": ["P2"]}]}, "approval_delays[0].project"),
        ({"bring_forward": {"P6": "2022Q5"}}, "bring_forward.P6"),
        ({"slip_all": "two"}, "slip_all"),
    ],
)
def test_wrong_kinds_of_value_are_scenario_errors_with_the_field(data, field):
    """No bare TypeError or AttributeError from a hand-written YAML: the field is named."""
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert err.value.field == field and f"'{field}'" in str(err.value)
    assert err.value.exit_code == 2


def test_a_refused_file_carries_the_file_and_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("weights:\n  luck: 10\n", "utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.file == str(path) and err.value.field == "weights.luck"
    assert err.value.value == "luck"


def test_quarters_follow_the_one_quarter_rule_and_are_stored_canonically():
    assert Scenario(bring_forward={"P6": " 2022Q3 "}).bring_forward == {"P6": "2022Q3"}
    with pytest.raises(ScenarioError, match="YYYYQn") as err:
        Scenario(bring_forward={"P6": "2022-07"})
    assert err.value.field == "bring_forward.P6"


def test_a_date_that_is_no_date_is_a_parameter_error_naming_as_of():
    with pytest.raises(ParameterError) as err:
        year_forecast(LEDGER, "end of April")
    assert err.value.field == "as_of"
    with pytest.raises(ParameterError):
        WhatIf(LEDGER, "2022-13-45")


def test_the_default_as_of_is_the_models():
    from workbench.model.asof import default_as_of

    session = WhatIf(LEDGER)
    assert session.base.as_of == default_as_of(LEDGER) == AS_OF
    unreported = LEDGER.replace(progress=LEDGER.progress.assign(completed=0.0))
    assert WhatIf(unreported).base.as_of == pd.Timestamp("2021-12-31")


def test_the_memo_is_bounded_and_holds_what_it_keys_on():
    frames = [LEDGER.progress.copy() for _ in range(3 * arrays.MEMO_SIZE)]
    for frame in frames:
        arrays.months_of(frame, "month")
    assert len(arrays._MEMO) <= arrays.MEMO_SIZE
    # each remembered value keeps its frames alive, so an id is never reused while remembered
    assert all(any(f is frames[-1] for f in held) for held, _ in list(arrays._MEMO.values())[-1:])


def test_no_public_what_if_name_is_shadowed_by_a_module():
    """``import workbench.whatif.x`` binds x on the package: no exported name may be a module."""
    import importlib
    import pkgutil
    import types

    import workbench.whatif as whatif

    for info in pkgutil.iter_modules(whatif.__path__):
        importlib.import_module(f"workbench.whatif.{info.name}")
    for name in whatif.__all__:
        assert not isinstance(getattr(whatif, name), types.ModuleType), f"workbench.whatif.{name}"
