"""A ledger file into the snapshot store: hashed, skipped when stored before, else loaded
through `load_ledger` and added (`workbench snapshot add`). The file itself is only read."""

from __future__ import annotations

from pathlib import Path

from workbench.core.paths import file_sha256
from workbench.core.words import error_message
from workbench.exceptions import LedgerReadError
from workbench.history import SnapshotInfo, add_loaded
from workbench.ingest import load_ledger


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes (``core.paths.file_sha256``); the file is not changed."""
    try:
        return file_sha256(path)
    except OSError as exc:
        raise LedgerReadError(error_message("ledger_unreadable", path=path, reason=exc.strerror),
                              file=str(path)) from None


def snapshot_ledger(ledger_path: str | Path, store: str | Path | None = None, as_of=None,
                    source: str = "", year: int | None = None,
                    profile: str | None = None) -> SnapshotInfo:
    """Add the ledger at `ledger_path` to the store as a snapshot dated `as_of` (default: its
    report date, else its default as-of date); nothing is loaded or written when a file with
    the same content is stored already (``SnapshotInfo.added`` is then False)."""
    return add_loaded(file_hash(ledger_path),
                      lambda: load_ledger(ledger_path, year=year, profile=profile), store,
                      file=str(ledger_path), as_of=as_of, source=source)
