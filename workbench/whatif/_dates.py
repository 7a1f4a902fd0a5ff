"""The dates the engine counts from: the as-of date a scenario speaks for, and month numbers."""

from __future__ import annotations

import pandas as pd

from workbench.core.periods import as_of_timestamp, month_index
from workbench.model.asof import default_as_of


def as_of_for(ledger, as_of=None) -> pd.Timestamp:
    """`as_of` as a day, or the ledger's default as-of date (`workbench.model.asof`) when None.

    A text that is no date raises ParameterError naming ``as_of``.
    """
    return default_as_of(ledger) if as_of is None else as_of_timestamp(as_of)


def month_number(day) -> int:
    """`month_index` of one day as an int: months since year 0 (year × 12 + month − 1)."""
    return int(month_index([pd.Timestamp(day)])[0])
