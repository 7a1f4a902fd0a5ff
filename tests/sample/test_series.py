"""The sample year: ledgers at month ends and Q4 Fridays, and a change log that lists every change.

The change log is checked against a small diff written here, independently of the generator:
consecutive Ledgers compared table by table (pandas merges on project_id and the item's key).
"""

from __future__ import annotations

from collections import Counter

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.sample import generate_sample, sample_series, write_sample_series
from workbench.sample.changelog import CHANGE_COLUMNS, CHANGE_KINDS
from workbench.sample.workbook import write_ledger_workbook

BASELINE = ("planned_start", "planned_completion", "total_investment", "annual_plan")
ITEM_KEYS = {"problems": "problem", "approvals": "item", "funding": "source"}


@pytest.fixture(scope="module")
def series():
    return sample_series()


@pytest.fixture(scope="module")
def ledgers(series):
    return series[0]


@pytest.fixture(scope="module")
def log(series):
    return series[1]


# --- an independent diff of two ledgers ------------------------------------------------------------


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:g}" if value == round(value, 2) and abs(value) < 1e15 else str(value)
    return str(value)


def _diff(old, new) -> list[tuple]:
    """(project_id, kind, field, old, new) of every change from ledger `old` to `new`."""
    po, pn = old.projects.set_index("project_id"), new.projects.set_index("project_id")
    rows = [(pid, "added", "", "", pn.at[pid, "name"]) for pid in pn.index.difference(po.index)]
    rows += [(pid, "dropped", "", po.at[pid, "name"], "") for pid in po.index.difference(pn.index)]
    common = po.index.intersection(pn.index)
    both = po.loc[common].add_suffix("_o").join(pn.loc[common].add_suffix("_n"))
    for field, kind in [("name", "renamed"), ("stage", "stage"), *[(f, "rebaseline") for f in BASELINE]]:
        for pid, a, b in zip(both.index, both[f"{field}_o"], both[f"{field}_n"], strict=True):
            if _text(a) != _text(b):
                rows.append((pid, kind, field, _text(a), _text(b)))
    for table, item in ITEM_KEYS.items():
        a = getattr(old, table)
        b = getattr(new, table)
        b = b[b["project_id"].isin(common)]
        m = b.merge(a, on=["project_id", item], how="left", suffixes=("", "_o"), indicator=True)
        appeared = m["_merge"] == "left_only"
        if table == "problems":
            closed = m["resolved_on"].notna() & m["resolved_on_o"].isna()
            rows += [(r.project_id, "problem_opened", r.problem, "", "") for r in m[appeared].itertuples()]
            rows += [(r.project_id, "problem_closed", r.problem, "", "") for r in m[closed].itertuples()]
        elif table == "approvals":
            done = (m["status"] == "done") & (m["status_o"] != "done")
            rows += [(r.project_id, "approval_done", r.item, _text(r.status_o), "done")
                     for r in m[done].itertuples()]  # fmt: skip
        else:
            moved = appeared | (m["status"] != m["status_o"])
            rows += [(r.project_id, "funding", r.source, _text(r.status_o), r.status)
                     for r in m[moved].itertuples()]  # fmt: skip
    return rows


def _latest_month(ledger) -> pd.Series:
    p = ledger.progress
    return p[p["completed"] > 0].merge(ledger.projects[["project_id", "responsible_unit"]]).groupby(
        "responsible_unit")["month"].max()


# --- the series ---------------------------------------------------------------------------------------


def test_ledgers_stand_at_month_ends_then_each_friday_of_the_last_quarter(ledgers):
    days = [d.strftime("%Y-%m-%d") for d, _ in ledgers]
    assert days[:9] == ["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-30", "2022-05-31",
                        "2022-06-30", "2022-07-31", "2022-08-31", "2022-09-30"]  # fmt: skip
    assert days[9] == "2022-10-07" and days[-2:] == ["2022-12-30", "2022-12-31"]
    assert all(d.day_of_week == 4 for d, _ in ledgers[9:-1]) and len(ledgers) == 23


def test_change_log_lists_exactly_what_a_diff_of_consecutive_ledgers_finds(ledgers, log):
    assert list(log.columns) == CHANGE_COLUMNS
    assert set(log["kind"]) == set(CHANGE_KINDS)  # every kind of change happens in the year
    for (_, old), (day, new) in zip(ledgers, ledgers[1:], strict=False):
        rows = log[(log["as_of"] == f"{day:%Y-%m-%d}") & (log["kind"] != "late_unit")]
        logged = Counter(map(tuple, rows[["project_id", "kind", "field", "old", "new"]].to_numpy()))
        found = Counter(_diff(old, new))
        assert logged == found, f"{day:%Y-%m-%d}: only logged {logged - found}, only found {found - logged}"


def test_a_late_unit_repeats_its_previous_ledger_and_catches_up_in_the_next(ledgers, log):
    late = log[log["kind"] == "late_unit"]
    assert 1 <= len(late) <= 2
    days = [f"{d:%Y-%m-%d}" for d, _ in ledgers]
    for as_of, unit in zip(late["as_of"], late["field"], strict=True):
        k = days.index(as_of)
        before, now, after = (ledgers[j][1] for j in (k - 1, k, k + 1))
        ids = set(before.projects.loc[before.projects["responsible_unit"] == unit, "project_id"])
        assert ids
        for name, frame in now.tables().items():
            mine = frame[frame["project_id"].isin(ids)].reset_index(drop=True)
            then = getattr(before, name)
            pd.testing.assert_frame_equal(mine, then[then["project_id"].isin(ids)].reset_index(drop=True))
        stale = _latest_month(now) <= _latest_month(before).reindex(_latest_month(now).index)
        assert list(stale[stale].index) == [unit]  # everyone else reported a new month
        assert (_latest_month(after)[unit] > _latest_month(now)[unit])


def test_year_end_ledger_is_the_bundled_sample_less_the_projects_dropped(ledgers, log):
    truth = generate_sample()
    last = ledgers[-1][1]
    dropped = set(log.loc[log["kind"] == "dropped", "project_id"])
    for name, frame in truth.tables().items():
        kept = frame[~frame["project_id"].isin(dropped)].reset_index(drop=True)
        pd.testing.assert_frame_equal(getattr(last, name), kept, obj=name)


def test_each_ledger_reports_only_what_had_happened_by_its_date(ledgers):
    for day, ledger in ledgers:
        p, progress = ledger.projects, ledger.progress
        assert not (p["actual_start"] > day).any() and not (p["actual_completion"] > day).any()
        assert not (progress.loc[progress["month"] > day, "completed"] > 0).any()
        assert not (ledger.problems["raised_on"] > day).any()
        assert not (ledger.funding["dated"] > day).any()
        plans = progress.groupby("project_id")["planned"].sum()
        annual = p.set_index("project_id")["annual_plan"].reindex(plans.index)
        assert (plans - annual).abs().max() < 0.011, f"{day:%Y-%m-%d}: monthly plans ≠ annual plan"


def test_the_change_log_says_the_edits_of_the_brief(log):
    counts = log["kind"].value_counts()
    assert counts["added"] >= 5 and counts["dropped"] >= 4 and counts["renamed"] >= 4
    assert counts["rebaseline"] >= 30 and set(log.loc[log["kind"] == "rebaseline", "field"]) == set(BASELINE)
    renamed = log[log["kind"] == "renamed"]
    assert all(abs(len(a) - len(b)) <= 2 for a, b in zip(renamed["old"], renamed["new"], strict=True))
    assert log["as_of"].str.fullmatch(r"2022-\d\d-\d\d").all()
    dates = log[log["field"].isin(["planned_start", "planned_completion"])]
    assert dates[["old", "new"]].stack().str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    amounts = log[log["field"].isin(["total_investment", "annual_plan"])]
    assert pd.to_numeric(amounts[["old", "new"]].stack()).gt(0).all()


def test_the_series_is_the_same_for_the_same_seed(log):
    again = sample_series(seed=2022)[1]
    pd.testing.assert_frame_equal(log, again)


# --- the workbooks --------------------------------------------------------------------------------------


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:2])).reset_index(drop=True)


@pytest.mark.slow  # writes and reads two 300-project workbooks
@pytest.mark.parametrize("as_of", ["2022-03-31", "2022-10-07"])
def test_a_series_workbook_loads_back_to_its_ledger(ledgers, tmp_path, as_of):
    load = pytest.importorskip("workbench.ingest.load")
    day, ledger = next((d, led) for d, led in ledgers if f"{d:%Y-%m-%d}" == as_of)
    path = write_ledger_workbook(ledger, tmp_path / f"neixiang_{as_of}.xlsx", report_day=day.date())
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    title, stamp = (row[0] for row in sheet.iter_rows(max_row=2, max_col=1, values_only=True))
    assert title.startswith("2022年") and stamp == f"填报时间：2022年{day.month}月{day.day}日"
    loaded = load.load_ledger(path)
    assert not (loaded.findings["severity"] == "error").any() and len(loaded.rejected) == 0
    for name, frame in ledger.tables().items():
        pd.testing.assert_frame_equal(_sorted(getattr(loaded, name)), _sorted(frame), obj=name)


@pytest.mark.slow  # writes 23 small workbooks
def test_cli_writes_the_series_and_its_change_log(tmp_path):
    result = CliRunner().invoke(app, ["sample", "--series", "--seed", "5", "--projects", "30",
                                      "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    series = tmp_path / "series"
    books = sorted(series.glob("neixiang_2022-*.xlsx"))
    assert len(books) == 23 and (tmp_path / "neixiang_2022_ledger.xlsx").exists()
    raw = (series / "changes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    written = pd.read_csv(series / "changes.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    _, log = write_sample_series(tmp_path / "again", seed=5, projects=30)
    pd.testing.assert_frame_equal(written, log)
    assert "changes.csv" in result.output


def test_committed_series_matches_a_fresh_generation(ledgers, log, repo_root):
    """data/sample/series is `make sample`'s output: regenerate it, never edit it by hand."""
    folder = repo_root / "data" / "sample" / "series"
    written = pd.read_csv(folder / "changes.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(written, log, obj="changes.csv: run `make sample` to regenerate")
    names = sorted(p.name for p in folder.glob("*.xlsx"))
    assert names == sorted(f"neixiang_{d:%Y-%m-%d}.xlsx" for d, _ in ledgers)
