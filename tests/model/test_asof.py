"""The one default as-of date: the end of the last month with completed investment."""

from __future__ import annotations

import pandas as pd

from workbench.model.asof import default_as_of
from workbench.sample import generate_sample


def _with_progress(ledger, completed_until: str | None):
    """`ledger` whose plan covers the whole year but whose completions stop after a month."""
    progress = ledger.progress.copy()
    cut = pd.Timestamp(completed_until) if completed_until else pd.Timestamp("1900-01-01")
    progress["completed"] = progress["completed"].where(progress["month"] <= cut, 0.0)
    return ledger.replace(progress=progress)


def test_planned_months_ahead_do_not_move_the_as_of_date():
    ledger = _with_progress(generate_sample(projects=30), "2022-06-01")
    assert ledger.progress["month"].max() == pd.Timestamp("2022-12-01")  # planned to December
    assert default_as_of(ledger) == pd.Timestamp("2022-06-30")


def test_nothing_reported_means_the_eve_of_the_ledger_year():
    ledger = _with_progress(generate_sample(projects=30), None)
    assert default_as_of(ledger) == pd.Timestamp("2021-12-31")
