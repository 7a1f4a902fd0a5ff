"""Unit assessment (月考核, 年度兑现) and roll-ups by unit, office, sector, level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.scoring_fixtures import (
    CODE_A,
    CODE_B,
    full_approvals,
    ledger_of,
    monthly,
    perfect_ledger,
    project,
    ts,
)
from workbench.exceptions import ParameterError
from workbench.scoring import annual_assessment, rollup
from workbench.scoring.scores import score
from workbench.scoring.units import rank_of


def three_units():
    ids = [CODE_A, CODE_B, "WB-0000000003", "WB-0000000004"]
    projects = [
        project(ids[0], responsible_unit="县交通局", office="政府投资"),
        project(ids[1], responsible_unit="县水利局", office="政府投资"),
        project(ids[2], responsible_unit="县工信局", office="工业发展", sector=None,
                planned_start=ts("2022-02-01"), actual_start=pd.NaT),
        project(ids[3], responsible_unit=None, office="工业发展"),
    ]
    progress = (monthly(ids[0], [1000.0] * 6, [1000.0] * 6) + monthly(ids[1], [1000.0] * 6, [1000.0] * 6)
                + monthly(ids[2], [1000.0] * 6, [500.0] * 6) + monthly(ids[3], [100.0] * 6, [100.0] * 6))
    approvals = sum((full_approvals(i) for i in ids), [])
    funding = [dict(project_id=i, source="地方政府专项债券", amount=20000.0, status="received",
                    dated=ts("2022-01-05")) for i in ids]
    milestones = [dict(project_id=i, milestone="主体完工", owner="李四", planned_on=ts("2022-12-01"),
                       done_on=pd.NaT) for i in ids]
    return ledger_of(projects, progress, approvals, funding, (), milestones)


def test_monthly_assessment_points_ranks_and_ties():
    s = score(three_units(), "2022-06-30")
    u = s.units.set_index("responsible_unit")
    # 交通局 and 水利局 are identical: they tie at rank 1 and the next unit is 3rd
    assert u.loc["县交通局", "total"] == u.loc["县水利局", "total"] == 100
    assert u.loc["县交通局", "rank"] == u.loc["县水利局", "rank"] == 1
    # 工信局: completion 50% → 40 − 0.1 × 50 = 35; one late start → 25 − 3 = 22
    assert u.loc["县工信局", "completion"] == 35 and u.loc["县工信局", "starts"] == 22
    assert u.loc["县工信局", "rank"] == 3
    # projects with no unit are listed last, not ranked
    assert s.units["responsible_unit"].iloc[-1] == "未明确" and pd.isna(s.units["rank"].iloc[-1])
    comps = ["completion", "starts", "management", "planning", "funding"]
    assert np.allclose(s.units[comps].sum(axis=1), s.units["total"], atol=0.05 + 1e-9)


def test_a_unit_without_investment_data_is_listed_unranked_as_data_missing():
    """Issue 14: a unit with nothing planned and nothing completed kept all 40 completion points
    (its rate was read as 100 %) and ranked above units that report."""
    ledger = three_units()
    reserve = project("WB-0000000005", responsible_unit="县林业局", stage="储备", nature="前期",
                      annual_plan=0.0, planned_start=ts("2023-03-01"), actual_start=pd.NaT)
    ledger = ledger.replace(projects=pd.concat([ledger.projects, pd.DataFrame([reserve])],
                                               ignore_index=True))
    s = score(ledger, "2022-06-30")
    u = s.units.set_index("responsible_unit")
    assert pd.isna(u.loc["县林业局", "rank"])
    assert pd.isna(u.loc["县林业局", "total"]) and pd.isna(u.loc["县林业局", "completion"])
    assert u.loc["县林业局", "assessment_note"] == "data_missing"
    assert u.loc["县林业局", "starts"] == 25  # the components it can be judged on are shown
    # ranked units first (1, 1, 3), then the unit without data, then the unassigned group
    assert s.units["responsible_unit"].tolist() == ["县交通局", "县水利局", "县工信局", "县林业局", "未明确"]
    assert s.units["rank"].tolist()[:3] == [1, 1, 3]
    assert s.units["assessment_note"].isna().sum() == 4
    # the export says 数据缺失 in Chinese
    from workbench.scoring.scores import score_tables

    table = score_tables(ledger, s, "zh")["责任单位考核排名"]
    assert table.loc[table["责任单位"] == "县林业局", "考核说明"].tolist() == ["数据缺失"]
    # a unit that completed investment with nothing planned did report: it keeps its points
    done_early = ledger.replace(progress=pd.concat([ledger.progress, pd.DataFrame(
        monthly("WB-0000000005", [0.0] * 6, [0.0] * 5 + [50.0]))], ignore_index=True))
    v = score(done_early, "2022-06-30").units.set_index("responsible_unit")
    assert v.loc["县林业局", "completion"] == 40 and v.loc["县林业局", "rank"] >= 1
    assert pd.isna(v.loc["县林业局", "assessment_note"])


def test_rank_of_uses_min_ranking_on_totals_rounded_to_a_tenth():
    assert rank_of(np.array([90.0, 95.04, 95.0, 80.0])).tolist() == [3, 1, 1, 4]


def test_annual_assessment_uses_the_same_scheme_at_year_end():
    ledger = three_units()
    annual = annual_assessment(ledger)
    assert list(annual.columns) == list(score(ledger, "2022-06-30").units.columns)
    assert (annual["ytd_planned"].sum()) == ledger.progress["planned"].sum()


@pytest.mark.parametrize("by", ["responsible_unit", "office", "sector", "level"])
def test_rollups_add_up_to_the_portfolio(by):
    ledger = three_units()
    s = score(ledger, "2022-06-30")
    r = rollup(s, ledger, by=by)
    assert r["projects"].sum() == 4
    assert r["ytd_completed"].sum() == pytest.approx(s.delivery["ytd_completed"].sum())
    assert (r[["rag_green", "rag_amber", "rag_red"]].sum(axis=1) <= r["projects"]).all()
    assert r["planning_score"].between(0, 100).all()


def test_rollup_by_office_by_hand_and_from_a_frame_alone():
    ledger = three_units()
    s = score(ledger, "2022-06-30")
    r = rollup(s, ledger, by="office").set_index("office")
    assert r.loc["工业发展", "ytd_planned"] == 6600 and r.loc["工业发展", "ytd_completed"] == 3600
    assert r.loc["工业发展", "spi"] == pytest.approx(3600 / 6600)
    only_delivery = rollup(s.delivery, ledger, by="office")
    assert "planning_score" not in only_delivery.columns
    with pytest.raises(ParameterError, match="不能按 'town' 汇总"):
        rollup(s, ledger, by="town")


def test_sector_missing_goes_to_the_unassigned_group():
    ledger = three_units()
    r = rollup(score(ledger, "2022-06-30"), ledger, by="sector")
    assert "未明确" in set(r["sector"])


def test_perfect_ledger_units():
    s = score(perfect_ledger(), "2022-06-30")
    assert s.units.loc[s.units["rank"] == 1, "responsible_unit"].tolist() == ["县交通局"]


def test_rollup_by_an_unknown_key_names_the_field():
    with pytest.raises(ParameterError) as err:
        rollup(score(perfect_ledger(), "2022-06-30"), perfect_ledger(), by="county")
    assert (err.value.field, err.value.value) == ("by", "county")


def test_no_facade_name_is_shadowed_by_a_submodule():
    """``import workbench.scoring.<module>`` binds the module on the package: no name may clash."""
    import importlib
    import pkgutil

    import workbench.scoring as facade

    for info in pkgutil.iter_modules(facade.__path__):
        importlib.import_module(f"workbench.scoring.{info.name}")
    for name in facade.__all__:
        assert callable(getattr(facade, name)) and not isinstance(getattr(facade, name), type(facade)), name
