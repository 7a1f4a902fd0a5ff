"""Adding a Ledger to the store and reading it back.

A stored row keeps its table's columns, the snapshot it belongs to, the project's key across
snapshots (``identity``), its position in the table and where it was read (sheet, Excel row),
so a snapshot read back equals the Ledger that was added and any number traces to its cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from workbench.core.vocabulary import TABLE_NAMES
from workbench.history.identity import project_keys
from workbench.history.schema import PROVENANCE_COLUMNS
from workbench.history.store import (
    SnapshotInfo,
    Store,
    connection,
    in_transaction,
    snapshot_id_of,
    store_path,
)
from workbench.model.asof import default_as_of
from workbench.model.ledger import Ledger, declared_dtypes


def snapshot_date(ledger: Ledger, as_of=None) -> pd.Timestamp:
    """The date a snapshot speaks for: `as_of` when given, else the report date written in the
    ledger (填报时间), else its default as-of date (end of the last month with investment)."""
    if as_of is not None and str(as_of):
        return pd.Timestamp(as_of).normalize()
    if ledger.reported_on is not None and not pd.isna(ledger.reported_on):
        return pd.Timestamp(ledger.reported_on).normalize()
    return pd.Timestamp(default_as_of(ledger)).normalize()


def ledger_hash(ledger: Ledger) -> str:
    """A content hash of a Ledger made in code (a file's own bytes are hashed instead)."""
    digest = hashlib.sha256()
    for name in TABLE_NAMES:
        frame = getattr(ledger, name)
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return "ledger:" + digest.hexdigest()


def stored_snapshot(content_hash: str, store: Store = None) -> SnapshotInfo | None:
    """The snapshot already holding this content, or None (also when there is no store yet)."""
    if not store_path(store).exists():
        return None
    with connection(store) as con:
        return _stored_in(con, content_hash)


def add_snapshot(ledger: Ledger, store: Store = None, *, file: str = "", content_hash: str = "",
                 as_of=None, source: str = "",
                 before_commit: Callable[[], None] | None = None) -> SnapshotInfo:
    """Store `ledger` as a dated snapshot; a no-op when the same content is stored already.

    `file` and `content_hash` name the file it was read from (``publish.snapshot_ledger`` fills
    them); `source` says where it came from (a unit, the provincial platform …).
    `before_commit` runs inside the transaction just before it commits (tests use it to kill a
    process mid-write).
    """
    with connection(store, write=True) as con:
        return add_to(con, ledger, file=file, content_hash=content_hash, as_of=as_of,
                      source=source, before_commit=before_commit)


def add_loaded(content_hash: str, load: Callable[[], Ledger], store: Store = None, *,
               file: str = "", as_of=None, source: str = "") -> SnapshotInfo:
    """The snapshot holding `content_hash`, else ``load()`` stored as a new one, under one
    write lock. An existing store is opened and searched for the content on a second thread
    while ``load()`` runs (an opening starts a DuckDB instance, about 15 ms with the GIL
    released), and the check and the write share that one opening. Content stored before is
    never stored again, even when ``load()`` now fails on it. A new store is only created once
    the load has succeeded."""
    if not store_path(store).exists():
        ledger = load()
        return add_snapshot(ledger, store, file=file, content_hash=content_hash, as_of=as_of,
                            source=source)
    with contextlib.ExitStack() as opened, ThreadPoolExecutor(max_workers=1) as pool:
        def open_and_search() -> tuple:
            con = opened.enter_context(connection(store, write=True))
            return con, _stored_in(con, content_hash)

        opening = pool.submit(open_and_search)
        try:
            ledger = load()
        except Exception:
            found = _found_meanwhile(opening)
            if found is not None:
                return found
            raise
        con, found = opening.result()
        if found is not None:
            return found
        return add_to(con, ledger, file=file, content_hash=content_hash, as_of=as_of,
                      source=source)


def _found_meanwhile(opening) -> SnapshotInfo | None:
    """What the opening found, None when it found nothing or failed (the load's error wins)."""
    try:
        return opening.result()[1]
    except Exception:
        return None


def _stored_in(con, content_hash: str) -> SnapshotInfo | None:
    found = con.execute("SELECT snapshot_id, as_of, file FROM snapshots WHERE content_hash = ?",
                        [content_hash]).fetchone()
    if found is None:
        return None
    return SnapshotInfo(int(found[0]), pd.Timestamp(found[1]), found[2], content_hash, added=False)


def add_to(con, ledger: Ledger, *, file: str = "", content_hash: str = "", as_of=None,
           source: str = "", before_commit: Callable[[], None] | None = None) -> SnapshotInfo:
    """`add_snapshot` on an open connection (a store file, or an in-memory one for a diff)."""
    as_of = snapshot_date(ledger, as_of)
    content_hash = content_hash or ledger_hash(ledger)
    found = _stored_in(con, content_hash)
    if found is not None:
        return found
    sid = int(con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshots")
              .fetchone()[0])
    keys, links = _keys(con, ledger, as_of)

    def write() -> None:
        con.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, as_of.date(), source, file, content_hash,
             dt.datetime.now().replace(microsecond=0), ledger.year, len(ledger.projects),
             None if ledger.reported_on is None else pd.Timestamp(ledger.reported_on).date(),
             ledger.source])
        for name in TABLE_NAMES:
            _insert(con, name, _stored_rows(ledger, name, sid, keys))
        if len(links):
            _insert(con, "links", links.assign(snapshot_id=sid))
        if before_commit is not None:
            before_commit()

    in_transaction(con, write)
    return SnapshotInfo(sid, as_of, file, content_hash, added=True)


def _keys(con, ledger: Ledger, as_of: pd.Timestamp):
    """Each project id of `ledger` → its key across snapshots, and the link decisions."""
    known = dict(con.execute(
        "SELECT project_id, arg_max(project_key, snapshot_id) FROM projects GROUP BY project_id")
        .fetchall())
    previous = con.execute(
        "SELECT project_id, project_key, name, owner FROM projects WHERE snapshot_id = ("
        "SELECT snapshot_id FROM snapshots WHERE as_of <= ? ORDER BY as_of DESC, snapshot_id DESC "
        "LIMIT 1) ORDER BY position", [as_of.date()]).df()
    ids = set(ledger.projects["project_id"])
    vanished = previous[~previous["project_id"].isin(ids)
                        & ~previous["project_key"].isin(
                            {known[i] for i in ids if i in known})].reset_index(drop=True)
    keys, links = project_keys(ledger.projects, known, vanished)
    return dict(zip(ledger.projects["project_id"], keys, strict=True)), links


def _stored_rows(ledger: Ledger, name: str, sid: int, keys: dict) -> pd.DataFrame:
    frame = getattr(ledger, name)
    ids = frame["project_id"].to_numpy(dtype=object)
    # a row whose project is not in the projects table keeps its own id as key
    key = np.array([keys.get(i, i) for i in ids], dtype=object)
    where = ledger.provenance.get(name)
    if where is None or len(where) != len(frame):
        where = pd.DataFrame({"sheet": pd.Series(None, index=frame.index, dtype="str"),
                              "excel_row": pd.Series(pd.NA, index=frame.index, dtype="Int64")})
    added = pd.DataFrame({"snapshot_id": np.full(len(frame), sid, dtype="int64"),
                          "project_key": pd.array(key, dtype="str"),
                          "position": np.arange(len(frame), dtype="int64"),
                          "sheet": where["sheet"].to_numpy(),
                          "excel_row": where["excel_row"].to_numpy()}, index=frame.index)
    return pd.concat([frame, added], axis=1)


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    if not len(frame):
        return
    incoming = frame  # noqa: F841 (DuckDB reads the DataFrame by this name: a replacement scan,
    # which spares the two catalog changes of register/unregister, about 1 ms per table)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")


def read_snapshot(snapshot="latest", store: Store = None) -> Ledger:
    """The Ledger of a stored snapshot (by id, ISO date: the last on or before it, or "latest"),
    with its provenance (sheet, Excel row of every row)."""
    with connection(store) as con:
        sid = snapshot_id_of(con, snapshot)
        meta = con.execute("SELECT year, ledger_source, reported_on FROM snapshots "
                           "WHERE snapshot_id = ?", [sid]).fetchone()
        tables, provenance = {}, {}
        for name in TABLE_NAMES:
            columns = ", ".join(f'"{c}"' for c in (*declared_dtypes(name), *PROVENANCE_COLUMNS))
            frame = con.execute(f"SELECT {columns} FROM {name} WHERE snapshot_id = ? "
                                "ORDER BY position", [sid]).df()
            tables[name] = frame.drop(columns=list(PROVENANCE_COLUMNS))
            provenance[name] = pd.DataFrame({
                "sheet": frame["sheet"].astype("str"),
                "excel_row": pd.array(frame["excel_row"], dtype="Int64")})
    reported = None if meta[2] is None else pd.Timestamp(meta[2])
    return Ledger(**tables, year=meta[0], source=meta[1], reported_on=reported,
                  provenance=provenance)


def snapshot_panel(table: str, store: Store = None, columns=None) -> pd.DataFrame:
    """Every snapshot's rows of a canonical table, oldest snapshot first: ``snapshot_id``,
    ``as_of``, ``project_key``, the table's columns (or `columns`), ``sheet``, ``excel_row``."""
    if table not in TABLE_NAMES:
        raise KeyError(f"no table {table!r}; one of {', '.join(TABLE_NAMES)}")
    wanted = list(columns) if columns is not None else list(declared_dtypes(table))
    picked = ", ".join(f't."{c}"' for c in (*wanted, *PROVENANCE_COLUMNS))
    with connection(store) as con:
        frame = con.execute(
            f"SELECT t.snapshot_id, s.as_of, t.project_key, {picked} FROM {table} t JOIN "
            "snapshots s USING (snapshot_id) ORDER BY s.as_of, t.snapshot_id, t.position").df()
    frame["as_of"] = pd.to_datetime(frame["as_of"]).astype("datetime64[us]")
    return frame

