"""`workbench report --year`: the ledger is read as that year's (issue 12, the ledger's year)."""

from __future__ import annotations

from pathlib import Path

from workbench.publish.reports import _cached_loader

BASE = Path(__file__).parents[1] / "fixtures" / "ledgers" / "base.xlsx"


def test_the_report_year_is_the_ledgers_year_and_the_ledger_is_read_once():
    calls = []
    loaded = _cached_loader(None, 2021)
    ledger = loaded(str(BASE))
    assert ledger.year == 2021 and ledger.extras.attrs["year_source"] == "given"
    assert loaded(str(BASE)) is ledger
    inferred = _cached_loader(lambda p: calls.append(p) or p)(str(BASE))
    assert inferred == str(BASE) and calls == [str(BASE)]
