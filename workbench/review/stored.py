"""The snapshot store as the dispatch, the assessment and the quarterly comparison read it.

Every read goes through the ``workbench.history`` facade. A store that does not exist is
refused before history is asked (it would create an empty one): ParameterError; a store
without the snapshot a report needs: LedgerDataError. Messages come from report.yaml, in the
report's language (Chinese by default).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.paths import resolved_path
from workbench.core.words import error_message
from workbench.exceptions import LedgerDataError, ParameterError


def store_path(store=None) -> Path:
    """The store file (``history.store_path``): `store` as given (relative to the repository when
    not found, as notebook parameters are), else the default."""
    from workbench.history import store_path as history_store_path

    return history_store_path(resolved_path(store) if store else None)


def checked_store(store=None, lang: str | None = None) -> Path:
    """The store file, refused when missing (ParameterError) or holding no snapshot
    (LedgerDataError); messages in `lang` (default: the messages' language)."""
    path = store_path(store)
    if not path.is_file():
        raise ParameterError(error_message("err_store_missing", lang, store=str(path)), file=str(path),
                             field="store")
    if not len(snapshots(path)):
        raise LedgerDataError(error_message("err_store_empty", lang, store=str(path)), file=str(path),
                              field="store")
    return path


def snapshots(store=None) -> pd.DataFrame:
    """The store's snapshots, oldest first, `as_of` as a Timestamp (``history.list_snapshots``)."""
    from workbench.history import list_snapshots

    frame = list_snapshots(str(store_path(store)))
    frame = frame.assign(as_of=pd.to_datetime(frame["as_of"]).dt.normalize())
    return frame.sort_values(["as_of", "snapshot_id"], kind="stable").reset_index(drop=True)


def snapshot_on_or_before(day, store=None, *, what: str = "", lang: str | None = None,
                          frame: pd.DataFrame | None = None) -> pd.Series:
    """The last snapshot on or before `day`; LedgerDataError (naming `what`) when there is none."""
    found = last_snapshot(day, store, frame=frame, inclusive=True)
    if found is None:
        path = store_path(store)
        raise LedgerDataError(error_message("err_no_snapshot", lang, store=str(path), what=what,
                                            day=f"{pd.Timestamp(day):%Y-%m-%d}"),
                              file=str(path), field="store", value=what)
    return found


def snapshot_before(day, store=None, *, frame: pd.DataFrame | None = None) -> pd.Series | None:
    """The last snapshot strictly before `day`, or None."""
    return last_snapshot(day, store, frame=frame, inclusive=False)


def last_snapshot(day, store=None, *, frame=None, inclusive: bool = True) -> pd.Series | None:
    """The last snapshot on (or, not `inclusive`, strictly) before `day`, or None."""
    frame = snapshots(store) if frame is None else frame
    day = pd.Timestamp(day).normalize()
    keep = frame["as_of"].le(day) if inclusive else frame["as_of"].lt(day)
    found = frame[keep]
    return None if not len(found) else found.iloc[-1]


def snapshot_in(start, end, store=None, *, frame=None) -> pd.Series | None:
    """The last snapshot dated within [start, end], or None (a period the store does not hold)."""
    found = last_snapshot(end, store, frame=frame)
    if found is None or found["as_of"] < pd.Timestamp(start):
        return None
    return found
