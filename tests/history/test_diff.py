"""What changed between two snapshots, on hand-made edits of a small ledger: each kind of change
is found with its old and new values, renames keep the project, doubtful pairs are left open."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.small_ledger import HOSPITAL, PARK, SEWAGE, TCM, small_ledger, with_values
from workbench.history import (
    add_snapshot,
    baseline_history,
    diff_ledgers,
    diff_snapshots,
    name_key,
)
from workbench.history.identity import Thresholds, project_keys


def test_an_unchanged_ledger_has_no_changes():
    ledger = small_ledger()
    diff = diff_ledgers(ledger, ledger, "2022-09-30", "2022-09-30")
    assert {k: v for k, v in diff.counts().items()
            if k not in ("investment", "problems_overdue")} == dict.fromkeys(
        ["added", "dropped", "renamed", "uncertain", "stages", "rebaselines", "problems_opened",
         "problems_closed", "approvals_done", "funding", "stale_units"], 0)


def test_rebaselines_and_stage_changes_carry_old_and_new_values():
    old = small_ledger()
    new = with_values(old, "projects", SEWAGE, stage="在建", actual_start=pd.Timestamp("2022-10-08"),
             planned_completion=pd.Timestamp("2024-06-30"))
    new = with_values(new, "projects", TCM, total_investment=26000.0)
    diff = diff_ledgers(old, new, "2022-09-30", "2022-10-14")
    stage = diff.stages.iloc[0]
    assert (stage["project_id"], stage["old"], stage["new"], stage["event"]) == (
        SEWAGE, "前期", "在建", "start")
    got = {(r.project_id, r.field, None if pd.isna(r.old) else r.old, r.new)
           for r in diff.rebaselines.itertuples()}
    assert got == {(SEWAGE, "planned_completion", None, pd.Timestamp("2024-06-30")),
                   (TCM, "total_investment", 20000.0, 26000.0)}
    assert len(diff.rebaselines) == 2


def test_problems_opened_closed_and_overdue_with_their_age():
    old = small_ledger()
    problems = old.problems.copy()
    problems.loc[0, "resolved_on"] = pd.Timestamp("2022-10-10")  # 用地指标未落实 closed
    problems.loc[len(problems)] = [TCM, "施工许可未办", "县住建局", pd.Timestamp("2022-10-01"),
                                   pd.Timestamp("2022-10-05"), pd.NaT]
    new = old.replace(problems=problems)
    diff = diff_ledgers(old, new, "2022-09-30", "2022-10-14")
    assert diff.problems_closed[["project_id", "problem"]].values.tolist() == [
        [HOSPITAL, "用地指标未落实"]]
    assert diff.problems_opened[["project_id", "problem"]].values.tolist() == [
        [TCM, "施工许可未办"]]
    overdue = diff.problems_overdue.set_index("problem")
    assert overdue.loc["施工许可未办", "days_overdue"] == 9  # due 10-05, as of 10-14
    assert overdue.loc["施工许可未办", "age_days"] == 13
    assert "用地指标未落实" not in overdue.index and "+电力接入" not in overdue.index


def test_approvals_done_and_funding_status_changes():
    old = small_ledger()
    approvals = old.approvals.copy()
    row = approvals.index[(approvals["project_id"] == PARK) & (approvals["item"] == "用地")][0]
    approvals.loc[row, ["status", "approved_on"]] = ["done", pd.Timestamp("2022-10-09")]
    funding = old.funding.copy()
    funding.loc[funding["project_id"] == HOSPITAL, "status"] = "received"
    funding.loc[len(funding)] = [TCM, "中央预算内投资", 3000.0, "applied", pd.Timestamp("2022-10-01")]
    new = old.replace(approvals=approvals, funding=funding)
    diff = diff_ledgers(old, new, "2022-09-30", "2022-10-14")
    assert diff.approvals_done[["project_id", "item", "old"]].values.tolist() == [
        [PARK, "用地", "in_progress"]]
    got = {(r.project_id, r.source, r.old, r.new) for r in diff.funding.itertuples()}
    assert got == {(HOSPITAL, "地方政府专项债券", "approved", "received"),
                   (TCM, "中央预算内投资", "", "applied")}


def test_a_unit_that_did_not_update_its_month_is_named():
    old = small_ledger()
    progress = old.progress.copy()
    october = progress["month"] == pd.Timestamp("2022-10-01")
    hospital = progress["project_id"].isin([HOSPITAL, TCM])
    progress.loc[october & ~hospital, "completed"] = 100.0  # everyone but 县卫健委 reported October
    new = old.replace(progress=progress)
    diff = diff_ledgers(old, new, "2022-09-30", "2022-10-31")
    assert diff.stale_units["responsible_unit"].tolist() == ["县卫健委"]
    assert diff.investment.set_index("project_id").loc[PARK, "done_in_period"] == 100.0


def test_a_renamed_project_keeps_its_key_and_is_listed():
    old = small_ledger()
    road = old.projects["project_id"].iat[4]  # WB- id: derived from name and owner
    projects = old.projects.copy()
    projects.loc[1, ["project_id", "name"]] = ["WB-NEWID00001", "县中医院门诊楼改扩建工程"]
    new = old.replace(projects=projects, progress=old.progress.replace(TCM, "WB-NEWID00001"))
    diff = diff_ledgers(old, new, "2022-09-30", "2022-10-14")
    assert diff.added.empty and diff.dropped.empty
    assert diff.renamed[["project_key", "old", "new"]].values.tolist() == [
        [TCM, "县中医院门诊楼改扩建项目", "县中医院门诊楼改扩建工程"]]
    assert road not in set(diff.renamed["project_key"])


def test_a_doubtful_pair_is_never_linked_but_listed_for_a_person():
    old = small_ledger().projects.assign(project_key=lambda f: f["project_id"])
    new = old.iloc[[1]].assign(project_id="WB-OTHER00001", name="县中医院住院楼建设项目")
    keys, links = project_keys(new, {}, old, Thresholds(link=0.95, review=0.5, owner_floor=0.5))
    assert keys.tolist() == ["WB-OTHER00001"]  # a key of its own
    assert links[["candidate_id", "decision"]].values.tolist() == [[TCM, "review"]]


def test_names_are_compared_without_place_prefix_suffix_or_punctuation():
    assert name_key("内乡县 人民医院（新院区）建设项目") == name_key("人民医院新院区")
    assert name_key("内乡县产业园标准化厂房") != name_key("内乡县产业园污水处理厂")


@pytest.fixture
def store_of_three(tmp_path):
    store = tmp_path / "h.duckdb"
    june = small_ledger()
    sept = with_values(june, "projects", PARK, planned_completion=pd.Timestamp("2023-12-31"))
    dec = with_values(sept, "projects", PARK, planned_completion=pd.Timestamp("2024-06-30"))
    dec = dec.replace(projects=dec.projects[dec.projects["project_id"] != SEWAGE])
    for ledger, day in ((june, "2022-06-30"), (sept, "2022-09-30"), (dec, "2022-12-31")):
        add_snapshot(ledger, store, as_of=day)
    return store


def test_stored_snapshots_diff_like_the_ledgers_and_print_json(store_of_three):
    diff = diff_snapshots(store=store_of_three)  # the latest against the one before
    assert (diff.from_as_of, diff.to_as_of) == (pd.Timestamp("2022-09-30"),
                                                pd.Timestamp("2022-12-31"))
    assert diff.dropped["project_id"].tolist() == [SEWAGE]
    assert diff.rebaselines["new"].tolist() == [pd.Timestamp("2024-06-30")]
    parsed = json.loads(diff.to_json())
    assert parsed["counts"]["dropped"] == 1 and parsed["rebaselines"][0]["field"] == (
        "planned_completion")
    whole = diff_snapshots("2022-06-30", "2022-12-31", store_of_three)
    # over two periods: one re-baseline, from the June plan straight to the December one
    assert whole.rebaselines["new"].tolist() == [pd.Timestamp("2024-06-30")]
    assert whole.rebaselines["old"].isna().all()  # June had no planned completion


def test_baseline_history_keeps_every_rebaseline(store_of_three):
    history = baseline_history(store_of_three)
    park = history[history["project_id"] == PARK]
    assert park["as_of"].dt.strftime("%Y-%m").tolist() == ["2022-09", "2022-12"]
    assert park["new"].tolist() == [pd.Timestamp("2023-12-31"), pd.Timestamp("2024-06-30")]
