"""The snapshot store: every ledger the workbench was given, dated, in one DuckDB file.

Opening creates the file and its tables on first use (nothing to install or start). A snapshot
is written in one transaction, so a process killed while adding leaves the store as it was.
DuckDB lets one process hold the file for writing: another waits up to
``store.busy_wait_seconds`` (``config/history.yaml``), then gets `StoreBusyError`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.core.paths import DEFAULT_STORE, resolved_path
from workbench.core.vocabulary import TABLE_NAMES
from workbench.core.words import config_error, error_message
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import StoreBusyError, StoreError
from workbench.history.schema import MIGRATIONS, SCHEMA_VERSION, all_ddl

Store = str | Path | None


@dataclass(frozen=True)
class SnapshotInfo:
    """What `add_snapshot` did: the snapshot's id and date, and whether it was new."""

    snapshot_id: int
    as_of: pd.Timestamp
    file: str
    content_hash: str
    added: bool  # False: the same content was stored before (nothing written)


def store_path(store: Store = None) -> Path:
    """The store file: `store` as given, else ``data/history.duckdb`` (in the working folder when
    it is there, else in the repository: notebooks run in ``notebooks/``)."""
    if store is not None and str(store):
        return Path(store).expanduser()
    return resolved_path(DEFAULT_STORE)


#: A writer adds one snapshot or removes one: one DuckDB thread does it (a second costs more to
#: start and stop than it saves), and the commit writes the tables into the file at once
#: (checkpoint) rather than into the log first and the file again at close.
_WRITING = {"threads": 1, "checkpoint_threshold": "1b"}


def _busy_wait() -> float:
    section = packaged_yaml("history.yaml").get("store") or {}
    value = section.get("busy_wait_seconds")
    if not isinstance(value, int | float) or value < 0:
        raise config_error("history.yaml", "store.busy_wait_seconds", "expect_number_min0", value)
    return float(value)


@contextlib.contextmanager
def connection(store: Store = None, write: bool = False) -> Iterator:
    """A DuckDB connection to the store, checked for its schema version, closed afterwards.

    Reading a store that does not exist raises StoreError (nothing is created by a read).
    """
    import duckdb

    path = store_path(store)
    if not write and not path.exists():
        raise StoreError(error_message("store_missing", path=path), file=str(path))
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (_busy_wait() if write else 0.0)
    while True:
        try:
            con = duckdb.connect(str(path), read_only=not write,
                                 config=_WRITING if write else {})
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(error_message("store_unopenable", path=path, reason=exc),
                                 file=str(path)) from None
            if time.monotonic() >= deadline:
                raise StoreBusyError(error_message("store_busy", path=path),
                                     file=str(path)) from None
            time.sleep(0.2)
    try:
        if not write and _older(con):  # an older store is upgraded once (additive), then read
            con.close()
            with connection(store, write=True):
                pass
            con = duckdb.connect(str(path), read_only=True)
        _prepare(con, path, write)
        yield con
    finally:
        con.close()


def _older(con) -> bool:
    """True when the store's schema version has an upgrade in MIGRATIONS."""
    import duckdb

    try:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return False
    return found is not None and found[0] in MIGRATIONS


@contextlib.contextmanager
def memory_store() -> Iterator:
    """An empty store in memory (gone when the block ends): two Ledgers compared in code go
    through the same tables and queries as stored snapshots."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        _prepare(con, Path(":memory:"), write=True)
        yield con
    finally:
        con.close()


def _prepare(con, path: Path, write: bool) -> None:
    import duckdb

    try:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:  # no meta table: a new file, or not a store at all
        tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
        if not write or tables:
            raise StoreError(error_message("store_not_a_store", path=path), file=str(path)) from None
        con.execute("BEGIN TRANSACTION")
        for statement in all_ddl():
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
        return
    while write and found is not None and found[0] in MIGRATIONS:
        con.execute("BEGIN TRANSACTION")
        for statement in MIGRATIONS[found[0]]:
            con.execute(statement)
        found = (str(int(found[0]) + 1),)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [found[0]])
        con.execute("COMMIT")
    if found is None or found[0] != str(SCHEMA_VERSION):
        raise StoreError(error_message("store_version", path=path, version=found[0] if found
                                       else "?", expected=SCHEMA_VERSION),
                         file=str(path), value=found[0] if found else None)


def list_snapshots(store: Store = None) -> pd.DataFrame:
    """Every snapshot, oldest first: id, as-of date, source, file, hash, when added, year,
    number of projects."""
    with connection(store) as con:
        frame = con.execute(
            "SELECT snapshot_id, as_of, source, file, content_hash, added_at, year, projects, "
            "reported_on FROM snapshots ORDER BY as_of, snapshot_id").df()
    frame["as_of"] = pd.to_datetime(frame["as_of"]).astype("datetime64[us]")
    return frame


def snapshot_id_of(con, snapshot="latest") -> int:
    """The id of a snapshot named by id, ISO date (the last on or before it) or "latest"."""
    if isinstance(snapshot, int) or (isinstance(snapshot, str) and snapshot.isdigit()):
        found = con.execute("SELECT snapshot_id FROM snapshots WHERE snapshot_id = ?",
                            [int(snapshot)]).fetchone()
    elif snapshot in (None, "", "latest"):
        found = con.execute("SELECT snapshot_id FROM snapshots ORDER BY as_of DESC, "
                            "snapshot_id DESC LIMIT 1").fetchone()
    else:
        try:
            day = pd.Timestamp(snapshot).date()
        except ValueError:
            raise StoreError(error_message("store_bad_snapshot", value=snapshot),
                             value=str(snapshot)) from None
        found = con.execute("SELECT snapshot_id FROM snapshots WHERE as_of <= ? ORDER BY as_of "
                            "DESC, snapshot_id DESC LIMIT 1", [day]).fetchone()
    if found is None:
        raise StoreError(error_message("store_no_snapshot", value=snapshot), value=str(snapshot))
    return int(found[0])


def remove_snapshot(snapshot_id: int, store: Store = None) -> int:
    """Delete one snapshot and its rows (in one transaction); returns the rows deleted."""
    with connection(store, write=True) as con:
        sid = snapshot_id_of(con, int(snapshot_id))
        con.execute("BEGIN TRANSACTION")
        deleted = 0
        for table in (*TABLE_NAMES, "links", "snapshots"):
            deleted += con.execute(f"DELETE FROM {table} WHERE snapshot_id = ?", [sid]).fetchone()[0]
        con.execute("COMMIT")
    return deleted


def in_transaction(con, write: Callable[[], None]) -> None:
    """Run `write` inside one transaction: all of it is stored, or (on any error) none."""
    con.execute("BEGIN TRANSACTION")
    try:
        write()
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
