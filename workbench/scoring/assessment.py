"""The unit assessment as of a date: 月考核 (year to date) and 年度目标兑现 (the whole year).

Both score the ledger (`scores.score`) and return its unit table (`units.unit_assessment`):
the monthly assessment as of the date asked, the annual one as of 31 December of the ledger
year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.model.ledger import Ledger
from workbench.scoring.rubric import Rubric
from workbench.scoring.scores import score


def annual_assessment(ledger: Ledger, rubric: Rubric | str | Path | None = None) -> pd.DataFrame:
    """年度目标兑现: the unit assessment as of 31 December of the ledger year."""
    year = ledger.year or pd.Timestamp.today().year
    return score(ledger, pd.Timestamp(year=year, month=12, day=31), rubric).units


def monthly_assessment(ledger: Ledger, as_of, rubric: Rubric | str | Path | None = None
                       ) -> pd.DataFrame:
    """月考核: the unit assessment as of a date (year to date)."""
    return score(ledger, as_of, rubric).units
