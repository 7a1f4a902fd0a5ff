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

from workbench.core.words import check_lang
from workbench.ingest.profiles import load_with_profile
from workbench.ingest.readers import read_sheets
from workbench.ingest.sheets import ledger_from_sheets
from workbench.model.ledger import Ledger


def load_ledger(path, sheet=None, profile=None, lang: str = "zh") -> Ledger:
    """The Ledger in a ledger file (.xlsx/.xlsm/.xls/.csv); `sheet` picks sheet(s) by name,
    `profile` maps another portfolio's columns (a profile name or YAML path)."""
    check_lang(lang)
    path = Path(path)
    if profile is not None:
        return load_with_profile(path, profile, sheet=sheet)
    return ledger_from_sheets(read_sheets(path), source=str(path), sheet=sheet)
