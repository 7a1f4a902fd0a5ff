"""Mapping profiles: two real public portfolios (excerpts in tests/fixtures/public) loaded through
the packaged profiles; panels of snapshots become the latest Ledger plus monthly history."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

from workbench.exceptions import ConfigError, LedgerDataError, LedgerReadError, ParameterError
from workbench.ingest.load import load_ledger
from workbench.ingest.profiles import (
    load_profile,
    load_with_profile,
    profile_names,
    snapshot_history,
)

PUBLIC = Path(__file__).parents[1] / "fixtures" / "public"
NYC = PUBLIC / "nyc_capital_projects_excerpt.csv"
UK = PUBLIC / "uk_gmpp_excerpt.csv"
T = pd.Timestamp


def test_packaged_profiles():
    assert {"nyc", "uk_gmpp"} <= set(profile_names())
    with pytest.raises(ConfigError, match="未知的映射配置"):
        load_profile("nope")


def test_nyc_latest_snapshot_per_project():
    ledger = load_ledger(NYC, profile="nyc")
    p = ledger.projects.set_index("project_id")
    # PID 7's last snapshot (09/01/2019): budget 68,798,457 USD, completion 02/14/2020
    assert p.loc["NYC-7", "total_investment"] == pytest.approx(6879.8457)
    assert p.loc["NYC-7", "planned_completion"] == T("2020-02-14")
    assert p.loc["NYC-7", "planned_start"] == T("2013-05-01")  # Design Start, month first
    assert p.loc["NYC-7", "stage"] == "在建" and p.loc["NYC-7", "nature"] == "续建"
    assert p.loc["NYC-7", "level"] == "市"
    assert ledger.year == 2019
    # every input row is accounted for: latest snapshots read, earlier ones set aside as history
    rec = ledger.reconciliation.iloc[0]
    assert rec["balanced"] and rec["data"] + rec["skipped"] + rec["header"] == rec["rows"] == 66
    assert rec["data"] == 7  # seven projects
    # three projects' latest snapshot is a blank placeholder (no phase, budget or dates): each
    # keeps its last complete snapshot instead of being rejected (05/01/2019 here)
    assert rec["rejected"] == 0 and len(ledger.rejected) == 0
    assert p.loc["NYC-504", "total_investment"] == pytest.approx(4688.6493)
    assert p.loc["NYC-504", "planned_completion"] == T("2025-08-12")
    assert p.loc["NYC-504", "stage"] == "前期"
    swapped = ledger.findings[ledger.findings["rule"] == "snapshot_placeholder"]
    assert len(swapped) == 3 and (swapped["severity"] == "warning").all()  # each said, with its row
    assert "2019-05-01" in swapped["message_zh"].iat[0] and swapped["row"].notna().all()
    assert "Total Schedule Changes" in ledger.extras.columns


def test_nyc_as_of_picks_an_earlier_snapshot():
    ledger = load_with_profile(NYC, "nyc", as_of="2015-12-31")
    p = ledger.projects.set_index("project_id")
    assert p.loc["NYC-7", "total_investment"] == pytest.approx(6398.0485)  # 08/01/2015 snapshot
    assert p.loc["NYC-7", "planned_completion"] == T("2018-01-28")


def test_nyc_snapshots_become_monthly_history():
    history = snapshot_history(NYC, "nyc")
    pid7 = history[history["project_id"] == "NYC-7"].set_index("month")
    assert pid7.index.min() == T("2013-09-01") and pid7.index.max() == T("2019-09-01")
    assert len(pid7) == 73  # every month from Sep 2013 to Sep 2019
    assert pid7.loc[T("2013-12-01"), "total_investment"] == pytest.approx(5349.3)  # carried forward
    assert pid7.loc[T("2014-01-01"), "total_investment"] == pytest.approx(5801.8)
    assert pid7.loc[T("2019-09-01"), "completion_slip_days"] == (T("2020-02-14") - T("2018-03-31")).days
    assert history["month"].dt.day.eq(1).all()


def test_uk_gmpp_latest_report_with_pounds_and_mixed_dates():
    ledger = load_ledger(UK, profile="uk_gmpp")
    p = ledger.projects.set_index("name")
    a400m = p.loc["A400M"]
    assert a400m["total_investment"] == pytest.approx(381700.0)  # £3,817m → 万 units
    assert a400m["annual_plan"] == pytest.approx(22841.0)
    assert a400m["planned_completion"] == T("2024-03-31")
    assert a400m["stage"] == "在建" and a400m["level"] == "省"
    assert ledger.year == 2023
    assert a400m["expert_rating"] == "Amber"  # the 2023 report's DCA, a typed projects field
    rec = ledger.reconciliation.iloc[0]
    assert rec["balanced"] and rec["data"] == 15 and rec["skipped"] == 27


def test_uk_history_reads_every_year_format():
    history = snapshot_history(UK, "uk_gmpp", monthly=False)
    hub = history[history["project_id"] == history["project_id"].iloc[0]]
    esmcp = history.merge(load_ledger(UK, profile="uk_gmpp").projects[["project_id", "name"]])
    esmcp = esmcp[esmcp["name"].str.startswith("Emergency Services")].set_index("snapshot")
    assert esmcp.loc[T("2014-01-01"), "planned_completion"] == T("2020-12-31")  # 31/12/2020
    assert esmcp.loc[T("2020-01-01"), "planned_completion"] == T("2022-12-31")  # 31.12.22
    assert esmcp.loc[T("2016-01-01"), "total_investment"] == pytest.approx(531923.0)  # "Ĺ5,319.23"
    assert len(hub) >= 1


# --- a profile is checked when read: a user's mistake is a ConfigError naming the entry -------


def _nyc(**changes) -> dict:
    spec = copy.deepcopy(load_profile("nyc"))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = spec
        for key in parents:
            target = target[key]
        target[last] = value
    return spec


@pytest.mark.parametrize(("changes", "field"), [
    ({"read__date_order": "dym"}, "read.date_order"),
    ({"read__amount_factor": "0.0001"}, "read.amount_factor"),
    ({"read__amount_factor": 0}, "read.amount_factor"),
    ({"read__unit": "USD"}, "read.unit"),
    ({"columns__PID": ["project_id"]}, "columns"),
    ({"columns__PID": "pid"}, "columns"),
    ({"values__stage": {"Design": "designing"}}, "values.stage.Design"),
    ({"values__colour": {"Red": "red"}}, "values.colour"),
    ({"constants": {"stages": "在建"}}, "constants.stages"),
    ({"constants": {"stage": ["在建"]}}, "constants.stage"),
    ({"defaults__level": "国家"}, "defaults.level"),
    ({"snapshot": {"date": "Date Reported As Of"}}, "snapshot"),
    ({"year": "2019"}, "year"),
    ({"colums": {}}, "colums"),
])
def test_a_wrong_profile_entry_is_a_config_error_with_its_field(changes, field):
    with pytest.raises(ConfigError) as err:
        load_profile(_nyc(**changes))
    assert err.value.field == field and err.value.file == "<dict>"


def test_a_profile_file_is_named_in_its_errors(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("columns: {名称: name}\nread: {date_order: 2}\n", "utf-8")
    with pytest.raises(ConfigError, match="mine.yaml") as err:
        load_profile(path)
    assert err.value.file == str(path) and err.value.field == "read.date_order"
    with pytest.raises(ConfigError) as err:
        load_profile(tmp_path / "none.yaml")
    assert err.value.field == "profile"


def test_a_snapshot_column_the_file_lacks_names_file_sheet_and_column(tmp_path):
    spec = _nyc(snapshot={"date": "Reported On", "key": "PID"})
    with pytest.raises(LedgerReadError, match="Reported On") as err:
        load_with_profile(NYC, spec)
    assert err.value.file == str(NYC) and err.value.column == "Reported On" and err.value.sheet


def test_an_as_of_that_is_no_date_is_a_parameter_error():
    with pytest.raises(ParameterError) as err:
        load_with_profile(NYC, "nyc", as_of="last spring")
    assert err.value.field == "as_of"


def test_a_panel_without_a_readable_snapshot_date_has_no_history(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("PID,Project Name,Date Reported As Of\n1,A,soon\n2,B,later\n", "utf-8")
    with pytest.raises(LedgerDataError) as err:
        snapshot_history(path, "nyc")
    assert err.value.file == str(path) and err.value.column == "Date Reported As Of"
