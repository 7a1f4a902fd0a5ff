"""The diff against the sample year's answer key: every ledger of the year goes through the
loader into a store, and the diff of each snapshot against the one before finds every edit the
generator logged in changes.csv, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.history import diff_snapshots, list_snapshots
from workbench.publish import snapshot_ledger

SERIES = Path(__file__).parents[2] / "data" / "sample" / "series"


def normal(value) -> str:
    """A value as the change log writes it: dates ISO, amounts as numbers, blanks empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    try:
        return f"{round(float(value), 2):g}" if not isinstance(value, str) or value.replace(
            ".", "", 1).isdigit() else value
    except ValueError:
        return str(value)


def rows_of(diff) -> set[tuple]:
    """The diff as change-log rows (project_id, kind, field, old, new)."""
    rows = set()
    for r in diff.added.itertuples():
        rows.add((r.project_id, "added", "", "", r.name))
    for r in diff.dropped.itertuples():
        rows.add((r.project_id, "dropped", "", r.name, ""))
    for r in diff.renamed.itertuples():
        rows.add((r.project_id, "renamed", "name", r.old, r.new))
    for r in diff.stages.itertuples():
        rows.add((r.project_id, "stage", "stage", r.old, r.new))
    for r in diff.rebaselines.itertuples():
        rows.add((r.project_id, "rebaseline", r.field, normal(r.old), normal(r.new)))
    for r in diff.problems_opened.itertuples():
        rows.add((r.project_id, "problem_opened", r.problem, "", ""))
    for r in diff.problems_closed.itertuples():
        rows.add((r.project_id, "problem_closed", r.problem, "", ""))
    for r in diff.approvals_done.itertuples():
        rows.add((r.project_id, "approval_done", r.item, r.old, "done"))
    for r in diff.funding.itertuples():
        rows.add((r.project_id, "funding", r.source, r.old, r.new))
    for r in diff.stale_units.itertuples():
        rows.add(("", "late_unit", r.responsible_unit, "", ""))
    return {tuple(normal(v) for v in row) for row in rows}


@pytest.fixture(scope="module")
def year_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("year") / "history.duckdb"
    for path in sorted(SERIES.glob("*.xlsx")):
        snapshot_ledger(path, store)
    return store


@pytest.mark.slow
def test_every_logged_edit_is_found_and_nothing_else(year_store):
    log = pd.read_csv(SERIES / "changes.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    snapshots = list_snapshots(year_store)
    assert len(snapshots) == len(list(SERIES.glob("*.xlsx"))) == 23
    dates = snapshots["as_of"].dt.strftime("%Y-%m-%d").tolist()
    assert set(log["as_of"]) <= set(dates[1:])  # every logged edit shows in a later snapshot
    assert set(log["kind"]) == {"added", "dropped", "renamed", "stage", "rebaseline", "funding",
                                "problem_opened", "problem_closed", "approval_done", "late_unit"}
    found_total = 0
    for day in dates[1:]:
        diff = diff_snapshots(to=day, store=year_store)
        assert diff.uncertain.empty, day
        expected = {tuple(normal(v) for v in row) for row in log.loc[
            log["as_of"] == day, ["project_id", "kind", "field", "old", "new"]].itertuples(
            index=False)}
        found = rows_of(diff)
        assert found - expected == set(), f"{day}: reported but not logged"
        assert expected - found == set(), f"{day}: logged but not found"
        found_total += len(found)
    assert found_total == len(log) > 1000
