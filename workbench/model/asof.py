"""The date a ledger speaks for: the one default as-of date of scores, views, what-if and reports."""

from __future__ import annotations

import pandas as pd

from workbench.core.periods import month_end


def default_as_of(ledger) -> pd.Timestamp:
    """The last day of the last month in which any project reported completed investment.

    This is the rule everywhere a date is not given (scores, the analyst's views, the what-if).
    Only months with completed investment above zero count: a ledger carries planned amounts
    for the months ahead, and a month whose plan is filled in has not been reported. When no
    month has a completed amount, nothing of the year has been reported yet: the ledger speaks
    for the eve of its year (31 December before ``ledger.year``, else before the current year),
    so nothing is counted as due. (Taking the end of the year instead would call every project
    of a freshly planned ledger late.)
    """
    progress = ledger.progress
    reported = progress.loc[progress["completed"] > 0, "month"]
    if len(reported):
        return month_end(reported.max())
    year = ledger.year or pd.Timestamp.today().year
    return pd.Timestamp(year=int(year) - 1, month=12, day=31).as_unit("us")
