"""Report panels and their outcome pairs: a slip is a completion moved more than 90 days by the
report about a year later; a project missing from that report has exited and is counted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.ingest import load_ledger, snapshot_reports
from workbench.risk.panel import (
    as_panel,
    history_counts,
    outcome_counts,
    outcome_pairs,
    reported_at,
)

T = pd.Timestamp
YEARS = Path(__file__).parents[1] / "fixtures" / "public" / "uk_gmpp_years"


def _panel(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["project_id", "snapshot", "planned_completion", "blank"])
    return as_panel(frame.assign(name=frame["project_id"], stage="在建"))


def test_pairs_read_slip_held_exit_unknown_and_not_forecast():
    panel = _panel([
        ("slips", T("2020-01-01"), T("2023-01-01"), False),
        ("slips", T("2021-01-01"), T("2023-06-01"), False),   # moved 151 days
        ("holds", T("2020-01-01"), T("2023-01-01"), False),
        ("holds", T("2021-01-01"), T("2023-03-01"), False),   # moved 59 days: not a slip
        ("leaves", T("2020-01-01"), T("2024-01-01"), False),  # not in the 2021 report
        ("blanked", T("2020-01-01"), T("2024-01-01"), False),
        ("blanked", T("2021-01-01"), pd.NaT, True),           # a placeholder later: unknown
        ("empty", T("2020-01-01"), pd.NaT, True),             # nothing to forecast at t
        ("empty", T("2021-01-01"), T("2025-01-01"), False),
    ])
    pairs = outcome_pairs(panel).set_index("project_id")
    assert set(pairs["snapshot"]) == {T("2020-01-01")}  # 2021 has no later report: no pair
    assert pairs.loc["slips", "outcome"] == "slip" and pairs.loc["slips", "days_moved"] == 151
    assert pairs.loc["holds", "outcome"] == "held" and pairs.loc["holds", "slip"] == 0
    assert pairs.loc["leaves", "outcome"] == "exit" and pairs.loc["leaves", "slip"] == 0
    assert pairs.loc["blanked", "outcome"] == "unknown" and pd.isna(pairs.loc["blanked", "slip"])
    assert pairs.loc["empty", "outcome"] == "not_forecast"
    assert pairs.loc["empty", "reason"] == "blank_at_t"
    counts = outcome_counts(pairs.reset_index()).iloc[0]
    assert (counts["pairs"], counts["slip"], counts["held"], counts["exit"]) == (5, 1, 1, 1)
    assert counts["slip_rate"] == pytest.approx(1 / 3)  # slip / (slip + held + exit)


def test_the_later_report_is_the_one_closest_to_a_year_and_rebaselines_count_up():
    panel = _panel([
        ("p", T("2018-01-01"), T("2022-01-01"), False),
        ("p", T("2018-05-01"), T("2022-06-01"), False),   # +151 days: a re-baseline
        ("p", T("2019-01-01"), T("2022-06-01"), False),
        ("p", T("2019-04-01"), T("2023-01-01"), False),   # +214 days
    ])
    pairs = outcome_pairs(panel).set_index("snapshot")
    assert pairs.loc[T("2018-01-01"), "next_report"] == T("2019-01-01")
    assert pairs.loc[T("2018-05-01"), "next_report"] == T("2019-04-01")
    assert pairs.loc[T("2018-05-01"), "rebaselines"] == 1 and pairs.loc[T("2018-05-01"), "last_slip"] == 1
    assert pairs.loc[T("2018-01-01"), "outcome"] == "slip"  # 2022-01 → 2022-06 by 2019-01
    counts = history_counts(panel, 90).set_index("snapshot")
    assert counts["rebaselines"].tolist() == [0, 1, 1, 2] and counts["last_slip"].tolist() == [0, 1, 0, 1]
    assert reported_at(panel, "2018-12-31")["snapshot"].unique().tolist() == [T("2018-05-01")]


def test_per_year_gmpp_files_give_end_dates_pounds_and_the_expert_rating():
    reports = snapshot_reports(YEARS, "uk_gmpp")
    by = reports.set_index(["name", "snapshot"])
    smart = by.loc[("Smart Metering Implementation Programme", T("2022-01-01"))]
    assert smart["planned_completion"] == T("2025-12-31")  # 2022's end date, absent from the harmonised file
    assert by.loc[("Smart Metering Implementation Programme", T("2021-01-01")), "planned_completion"] == T("2025-06-30")
    gdf = by.loc[("Geological Disposal Facility Programme (GDF)", T("2018-01-01"))]
    assert gdf["total_investment"] == pytest.approx(1_213_150.0)  # "£12,131.50" (cp1252 file) → 万£
    assert gdf["expert_rating"] == "Amber/Red"
    pairs = outcome_pairs(as_panel(reports)).set_index("name")
    assert pairs.loc["Smart Metering Implementation Programme", "outcome"] == "slip"
    assert pairs.loc["Home Upgrade Grant (HUG)", "outcome"] == "exit"
    assert pairs.loc["Maritime Patrol Aircraft", "outcome"] == "held"


def test_a_folder_ledger_is_the_last_report_on_or_before_as_of_in_pounds():
    ledger = load_ledger(YEARS, profile="uk_gmpp", as_of="2021-06-30")
    assert ledger.year == 2021 and ledger.currency == "£"
    assert len(ledger.projects) + len(ledger.rejected) == 8  # the 2021 report's rows, each accounted for
    latest = load_ledger(YEARS, profile="uk_gmpp")
    assert len(latest.projects) == 6  # the two that left in 2022 are not current
    assert latest.projects["actual_start"].notna().all()  # started before the report: actual


def test_pound_signs_as_the_files_write_them_are_amounts():
    from workbench.ingest.values import parse_wan

    for text, wan in (("Ł1,186.00", 118_600.0), ("Ł26.19m", 2_619.0), ("£12,131.50", 1_213_150.0),
                      ("Ĺ\x815,319.23", 531_923.0)):
        assert parse_wan(text, 100.0) == (pytest.approx(wan), True), text
