"""Vectorised per-project arithmetic the engine shares, with a small memo per process.

Everything here works on whole columns at once (numpy), so a slider move in the analysts'
notebook recomputes a county's scenario in milliseconds. Months are counted with
`workbench.core.periods.month_index` (year × 12 + month − 1).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd

from workbench.core.periods import month_index

#: How many computed values `_memo` keeps (the oldest go first).
MEMO_SIZE = 8

# Module state, so one per process: nothing is shared between processes or kept on disk.
_MEMO: OrderedDict = OrderedDict()


def _memo(name: str, frames: tuple, compute):
    """`compute()` remembered for these exact frame objects (Ledger tables are never mutated).

    The frames are held with the value so their ids cannot be reused while remembered; a
    slider session re-reads the base ledger's tables on every move, and this saves re-hashing
    project ids and re-parsing months there. At most `MEMO_SIZE` values are kept.
    """
    key = (name, *map(id, frames))
    hit = _MEMO.get(key)
    if hit is not None:
        _MEMO.move_to_end(key)
        return hit[1]
    value = compute()
    _MEMO[key] = (frames, value)
    while len(_MEMO) > MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


def positions(projects: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """Row position in `projects` of each row of `frame` (by project_id; -1 when unknown)."""
    return _memo("positions", (projects, frame),
                 lambda: pd.Index(projects["project_id"]).get_indexer(frame["project_id"]))


def months_of(frame: pd.DataFrame, column: str) -> np.ndarray:
    """`month_index` of a frame's date column, remembered per frame."""
    return _memo(f"months:{column}", (frame,), lambda: month_index(frame[column]))


def sum_by(positions: np.ndarray, values: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Sum of `values` where `mask`, per position 0…size-1."""
    keep = mask & (positions >= 0)
    # float even with nothing to sum (numpy's bincount of no values is int64)
    return np.bincount(positions[keep], weights=values[keep], minlength=size).astype("float64", copy=False)


def shift_months(dates: pd.Series, months: np.ndarray) -> pd.Series:
    """`dates` moved by whole `months` (day kept, clipped to the month's length); NaT stays NaT."""
    values = dates.to_numpy(dtype="datetime64[us]")
    month = values.astype("datetime64[M]")
    day = (values.astype("datetime64[D]") - month.astype("datetime64[D]")).astype("int64")
    new_month = month + months.astype("int64")
    length = ((new_month + 1).astype("datetime64[D]") - new_month.astype("datetime64[D]")).astype("int64")
    out = (new_month.astype("datetime64[D]") + np.minimum(day, length - 1)).astype("datetime64[us]")
    out[np.isnat(values)] = np.datetime64("NaT")
    return pd.Series(out, index=dates.index)


def by_project(frame: pd.DataFrame, ids: np.ndarray, columns: list[str]) -> dict[str, np.ndarray]:
    """`frame`'s columns as arrays in the order of `ids` (positional when already aligned)."""
    own = frame["project_id"].to_numpy(dtype=object)
    if len(own) == len(ids) and np.array_equal(own, ids):
        take = None
    else:
        take = pd.Index(own).get_indexer(ids)
    out = {}
    for c in columns:
        values = frame[c].to_numpy()
        if take is not None:
            values = pd.Series(values).reindex(take).to_numpy() if (take < 0).any() else values[take]
        out[c] = values
    return out
