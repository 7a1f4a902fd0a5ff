"""The snapshot store: what goes in comes back, the same file twice is stored once, two writers
never corrupt it, a killed writer leaves it as it was, and a store of another version is refused."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.small_ledger import small_ledger
from workbench.exceptions import LedgerReadError, StoreBusyError, StoreError
from workbench.history import (
    add_loaded,
    add_snapshot,
    list_snapshots,
    read_snapshot,
    remove_snapshot,
    snapshot_panel,
)
from workbench.ingest import load_ledger
from workbench.publish import snapshot_ledger

FROZEN = Path(__file__).parents[1] / "fixtures" / "history" / "store_v1.duckdb"
#: A store made by this version (2): the small ledger at 2022-06-30, then with expert ratings at
#: 2022-09-30 (copied with 16 KB blocks to keep the file small).
FROZEN_V2 = Path(__file__).parents[1] / "fixtures" / "history" / "store_v2.duckdb"


def assert_same_ledger(a, b) -> None:
    for name, frame in a.tables().items():
        pd.testing.assert_frame_equal(frame, getattr(b, name), obj=name)
    assert (a.year, a.source, a.reported_on) == (b.year, b.source, b.reported_on)


def test_a_snapshot_read_back_equals_the_ledger_that_was_added(sample_path, tmp_path):
    ledger = load_ledger(sample_path)
    store = tmp_path / "h.duckdb"
    info = add_snapshot(ledger, store, file=str(sample_path), content_hash="h1")
    assert info.added and info.as_of == pd.Timestamp("2022-12-31")  # the 填报时间 of the file
    back = read_snapshot(info.snapshot_id, store)
    assert_same_ledger(ledger, back)
    # every stored row still names the sheet and Excel row it was read from
    for name, where in ledger.provenance.items():
        pd.testing.assert_frame_equal(where, back.provenance[name], obj=name)
    first = back.projects["project_id"].iat[0]
    panel = snapshot_panel("projects", store)
    row = panel[panel["project_id"] == first].iloc[0]
    assert (row["sheet"], row["excel_row"]) == ("重点项目台账", 7)


def test_adding_the_same_file_again_changes_nothing(sample_path, tmp_path):
    store = tmp_path / "h.duckdb"
    first = snapshot_ledger(sample_path, store)
    again = snapshot_ledger(sample_path, store, as_of="2022-06-30")
    assert first.added and not again.added
    assert again.snapshot_id == first.snapshot_id
    assert len(list_snapshots(store)) == 1


def test_a_file_stored_before_is_not_stored_again_even_when_it_no_longer_loads(sample_path, tmp_path):
    # the store is searched while the file loads: content found there is the answer, whatever
    # the load does (a loader that became stricter since must not turn a no-op into an error)
    store = tmp_path / "h.duckdb"
    first = snapshot_ledger(sample_path, store)

    def broken():
        raise LedgerReadError("台账无法读取")

    again = add_loaded(first.content_hash, broken, store, file="x.xlsx")
    assert not again.added and again.snapshot_id == first.snapshot_id
    assert len(list_snapshots(store)) == 1


def test_a_load_that_fails_on_new_content_says_why_and_stores_nothing(sample_path, tmp_path):
    store = tmp_path / "h.duckdb"
    snapshot_ledger(sample_path, store)

    def broken():
        raise LedgerReadError("台账无法读取")

    with pytest.raises(LedgerReadError, match="台账无法读取"):
        add_loaded("another", broken, store)
    assert len(list_snapshots(store)) == 1


def test_a_load_that_fails_creates_no_store(tmp_path):
    store = tmp_path / "h.duckdb"

    def broken():
        raise StoreError("台账无法读取")

    with pytest.raises(StoreError):
        add_loaded("h", broken, store)
    assert not store.exists()


def test_the_raw_file_is_never_modified(sample_path, tmp_path):
    copy = tmp_path / "ledger.xlsx"
    shutil.copy(sample_path, copy)
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    snapshot_ledger(copy, tmp_path / "h.duckdb")
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_a_date_picks_the_last_snapshot_on_or_before_it(tmp_path):
    store = tmp_path / "h.duckdb"
    ledger = small_ledger()
    june = add_snapshot(ledger, store, as_of="2022-06-30")
    edited = ledger.replace(projects=ledger.projects.assign(annual_plan=1.0))
    sept = add_snapshot(edited, store, as_of="2022-09-30")
    assert read_snapshot("2022-08-15", store).projects["annual_plan"].tolist() != [1.0] * 5
    assert read_snapshot("2022-09-30", store).projects["annual_plan"].eq(1.0).all()
    assert list_snapshots(store)["snapshot_id"].tolist() == [june.snapshot_id, sept.snapshot_id]
    with pytest.raises(StoreError, match="没有快照"):
        read_snapshot("2022-01-01", store)


def test_remove_deletes_one_snapshot_and_its_rows(tmp_path):
    store = tmp_path / "h.duckdb"
    ledger = small_ledger()
    one = add_snapshot(ledger, store, as_of="2022-06-30")
    add_snapshot(ledger.replace(projects=ledger.projects.assign(annual_plan=1.0)), store,
                 as_of="2022-07-31")
    assert remove_snapshot(one.snapshot_id, store) > 5
    assert list_snapshots(store)["as_of"].tolist() == [pd.Timestamp("2022-07-31")]
    assert snapshot_panel("progress", store)["snapshot_id"].nunique() == 1


def test_reading_a_missing_store_says_so_and_creates_nothing(tmp_path):
    with pytest.raises(StoreError, match="快照库不存在"):
        list_snapshots(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()


def test_a_frozen_store_of_version_1_is_upgraded_once_and_still_reads(tmp_path):
    import duckdb

    store = tmp_path / "store_v1.duckdb"
    shutil.copy(FROZEN, store)  # the fixture itself stays a version-1 store
    snapshots = list_snapshots(store)
    assert snapshots["as_of"].dt.strftime("%Y-%m-%d").tolist() == ["2022-06-30", "2022-09-30"]
    ledger = read_snapshot("latest", store)
    assert len(ledger.projects) == 5 and ledger.projects["annual_plan"].eq(1.0).all()
    assert ledger.projects["expert_rating"].isna().all()  # the column version 2 added
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
    add_snapshot(small_ledger(), store, as_of="2022-12-31")  # and it takes new snapshots
    assert len(list_snapshots(store)) == 3


def test_a_frozen_store_of_this_version_reads_as_it_was_written(tmp_path):
    store = tmp_path / "store_v2.duckdb"
    shutil.copy(FROZEN_V2, store)
    before = store.read_bytes()
    assert list_snapshots(store)["as_of"].dt.strftime("%Y-%m-%d").tolist() == ["2022-06-30",
                                                                               "2022-09-30"]
    assert_same_ledger(read_snapshot("2022-06-30", store), small_ledger())
    rated = read_snapshot("latest", store).projects["expert_rating"]
    assert rated.isna().tolist() == [False, True, False, False, True]
    assert rated.dropna().tolist() == ["Amber", "Green", "Red"]
    assert store.read_bytes() == before  # reading a store of this version writes nothing


def test_a_store_of_another_version_is_refused(tmp_path):
    import duckdb

    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-06-30")
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="结构版本为 99"):
        list_snapshots(store)


# --- two processes, killed processes ----------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys, time
    from tests.small_ledger import small_ledger
    import workbench.history.store as store_module
    from workbench.history import add_snapshot
    store, as_of, hold, wait = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    if wait != "default":
        store_module._busy_wait = lambda: float(wait)
    ledger = small_ledger()
    ledger = ledger.replace(projects=ledger.projects.assign(annual_plan=float(as_of[5:7])))
    def pause():
        print("in transaction", flush=True)
        time.sleep(hold)
    try:
        info = add_snapshot(ledger, store, as_of=as_of, before_commit=pause)
        print("stored", info.snapshot_id, flush=True)
    except Exception as exc:
        print(type(exc).__name__, exc, flush=True)
        sys.exit(3)
""")


def writer(store, as_of, hold=0.0, wait="default"):
    root = Path(__file__).parents[2]
    return subprocess.Popen([sys.executable, "-c", WRITER, str(store), as_of, str(hold), wait],
                            cwd=root, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)})


def wait_for(process, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"writer ended without '{text}'")
    raise AssertionError(f"no '{text}' within {timeout} s")


@pytest.mark.slow
def test_two_writers_at_once_are_both_stored(tmp_path):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-01-31")  # the store exists before the race
    first = writer(store, "2022-06-30", hold=1.0)
    second = writer(store, "2022-07-31")
    out = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], out
    stored = read_snapshot("2022-07-31", store)
    assert stored.projects["annual_plan"].eq(7.0).all()
    assert len(list_snapshots(store)) == 3


@pytest.mark.slow
def test_a_second_writer_that_cannot_wait_is_refused_and_writes_nothing(tmp_path):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-01-31")
    holder = writer(store, "2022-06-30", hold=5.0)
    wait_for(holder, "in transaction")
    refused = writer(store, "2022-07-31", wait="0")
    out = refused.communicate(timeout=60)[0]
    assert refused.returncode == 3 and StoreBusyError.__name__ in out and "另一进程" in out
    holder.communicate(timeout=60)
    assert list_snapshots(store)["as_of"].dt.month.tolist() == [1, 6]


@pytest.mark.slow
def test_a_writer_killed_mid_snapshot_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-01-31")
    before = {t: len(snapshot_panel(t, store)) for t in ("projects", "progress", "problems")}
    victim = writer(store, "2022-06-30", hold=60.0)
    wait_for(victim, "in transaction")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert len(list_snapshots(store)) == 1
    assert {t: len(snapshot_panel(t, store)) for t in before} == before
    assert add_snapshot(small_ledger().replace(projects=small_ledger().projects.assign(
        annual_plan=6.0)), store, as_of="2022-06-30").added  # and it still takes writes
