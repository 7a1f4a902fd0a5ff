"""Vectorised look-ups every score shares: rows matched to projects, values to codes, dates.

Rows of the other tables (progress, approvals, funding …) are matched to projects by position
(`project_positions`) and summed with ``numpy.bincount`` (`sum_by_position`); closed values
(levels, statuses, RAG colours) become integer codes (`codes_of`); a test on text runs once per
distinct value (`on_distinct`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.numbers import is_missing


@dataclass(frozen=True)
class ProjectIndex:
    """The projects' ids ready for look-ups: by value, and by object identity (a fast path)."""

    by_value: pd.Index
    by_identity: pd.Index


def project_index(project_ids: pd.Series) -> ProjectIndex:
    """The projects' ids as an index to look rows up in (build once, reuse)."""
    values = project_ids.to_numpy(dtype=object)
    addresses = np.fromiter(map(id, values), dtype="int64", count=len(values))
    return ProjectIndex(pd.Index(values, dtype=object, copy=False), pd.Index(addresses))


def project_positions(project_ids: pd.Series | ProjectIndex, ids: pd.Series) -> np.ndarray:
    """Row position in `project_ids` (a ProjectIndex is reused) of each id in `ids`; -1 if unknown."""
    # Rows of one project usually come together (progress months): each run is looked up once.
    # Ids that are the very same objects as the projects' (common: tables built from one
    # column) are matched by identity, which needs no string hashing; the rest by value.
    index = project_ids if isinstance(project_ids, ProjectIndex) else project_index(project_ids)
    values = ids.to_numpy(dtype=object)
    if len(values) == 0:
        return np.zeros(0, dtype="int64")
    change = np.empty(len(values), dtype=bool)
    change[0] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    heads = np.flatnonzero(change)
    head_values = values[heads]
    addresses = np.fromiter(map(id, head_values), dtype="int64", count=len(head_values))
    found = index.by_identity.get_indexer(addresses)
    missing = np.flatnonzero(found < 0)
    if len(missing):
        found[missing] = index.by_value.get_indexer(
            pd.Index(head_values[missing], dtype=object, copy=False))
    return np.repeat(found, np.diff(np.append(heads, len(values))))


def sum_by_position(positions: np.ndarray, values, n: int, mask=None) -> np.ndarray:
    """Sum of `values` per project position (rows at -1 or outside `mask` ignored)."""
    keep = positions >= 0 if mask is None else (positions >= 0) & mask
    weights = None if values is None else np.asarray(values, dtype="float64")[keep]
    return np.bincount(positions[keep], weights=weights, minlength=n).astype("float64")


def codes_of(series: pd.Series, values) -> np.ndarray:
    """Position of each row's value in `values` (-1 for other or missing values)."""
    index = pd.Index(list(values), dtype=object)
    return index.get_indexer(pd.Index(series.to_numpy(dtype=object), dtype=object, copy=False))


def on_distinct(series: pd.Series, test) -> np.ndarray:
    """`test(value)` for each row, evaluated once per distinct value (missing values get None)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    results = np.array([bool(test(v)) for v in uniques] + [bool(test(None))], dtype=bool)
    return results[codes]  # code -1 (missing) picks the last entry


def missing_text(series: pd.Series) -> np.ndarray:
    """True where a text column is missing or blank (`core.numbers.is_missing`)."""
    return on_distinct(series, is_missing)


def dates_of(series: pd.Series) -> np.ndarray:
    """A date column as a datetime64[us] array (NaT where missing)."""
    return series.to_numpy(dtype="datetime64[us]")
