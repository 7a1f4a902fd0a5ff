"""Load a hand-kept ledger (Excel or CSV, in any of the layouts ``docs/ledgers.md``
describes) into a Ledger.

``load_ledger(path)`` reads every sheet, recognises the project sheets (main list, reserve
list) and the linked sheets (前期手续, 资金来源, 存在问题, 节点计划, monthly progress), parses
values, validates rows and returns one Ledger whose ``findings``, ``rejected``, ``extras`` and
``reconciliation`` account for every input row. With a ``profile`` another portfolio's file
is read through its mapping (``profiles``).
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.speedups import collector_paused
from workbench.core.words import check_lang, error_message
from workbench.exceptions import ParameterError
from workbench.ingest.dates import YEARS
from workbench.ingest.profiles import load_with_profile
from workbench.ingest.readers import read_sheets
from workbench.ingest.sheets import ledger_from_sheets
from workbench.model.ledger import Ledger


def load_ledger(path, sheet=None, profile=None, lang: str = "zh", year: int | None = None,
                as_of=None) -> Ledger:
    """The Ledger in a ledger file (.xlsx/.xlsm/.xls/.csv); `sheet` picks sheet(s) by name,
    `profile` maps another portfolio's columns (a profile name or YAML path), `year` is the
    ledger's year when the file does not say it right (else found as ``years`` says).
    `as_of` (a profile with snapshots only) takes the last report on or before that date."""
    check_lang(lang)
    year = check_year(year)
    path = Path(path)
    with collector_paused():  # a process-level speed-up (workbench.core.speedups)
        if profile is not None:
            return load_with_profile(path, profile, sheet=sheet, as_of=as_of, year=year)
        if as_of is not None:
            raise ParameterError(error_message("as_of_needs_profile", value=as_of), field="as_of",
                                 value=str(as_of))
        return ledger_from_sheets(read_sheets(path), source=str(path), sheet=sheet, year=year)



def check_year(year) -> int | None:
    """`year` as a ledger year (1900–2100) or None; ParameterError otherwise."""
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEARS:
        raise ParameterError(error_message("year_range", value=year), field="year",
                             value=repr(year))
    return year
