"""The date a ledger speaks for: the one default as-of date of scores, views, what-if and reports."""

from __future__ import annotations

import pandas as pd

from workbench.core.periods import month_end


def default_as_of(ledger) -> pd.Timestamp:
    """The last day of the last month in which any project reported completed investment.

    This is the rule everywhere a date is not given (scores, the analyst's views, the what-if).
    Only months with completed investment above zero count: a ledger carries planned amounts
    for the months ahead, and a month whose plan is filled in has not been reported. When no
    month has a completed amount, the ledger speaks for the end of its year (31 December of
    ``ledger.year``, else of the current year).
    """
    progress = ledger.progress
    reported = progress.loc[progress["completed"] > 0, "month"]
    if len(reported):
        return month_end(reported.max())
    year = ledger.year or pd.Timestamp.today().year
    return pd.Timestamp(year=int(year), month=12, day=31).as_unit("us")
