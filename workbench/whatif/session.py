"""An analyst's what-if session: the base scored once, then one comparison per scenario."""

from __future__ import annotations

import dataclasses

from workbench.model.ledger import Ledger
from workbench.whatif.comparison import Comparison, comparison_of, scenario_outcome
from workbench.whatif.outcome import evaluate, reweighted
from workbench.whatif.scenario import Scenario


class WhatIf:
    """An analyst's session: the base scored once, then `run(scenario)` for each change."""

    def __init__(self, ledger: Ledger, as_of=None, rubric=None) -> None:
        from workbench.scoring.rubric import as_rubric

        self.rubric = as_rubric(rubric)
        self.base = evaluate(ledger, as_of, self.rubric)
        self.as_of_given = bool(as_of)
        self._last: tuple | None = None

    def as_of_note(self, lang: str = "zh") -> str:
        """One sentence saying which date the session starts from and why: the date given, or
        the ledger's own (the end of the last month it reports investment for)."""
        from workbench.core.words import date, phrase

        key = "whatif_asof_given" if self.as_of_given else "whatif_asof_ledger"
        return phrase(key, lang, as_of=date(self.base.as_of))

    @property
    def ledger(self) -> Ledger:
        """The base ledger."""
        return self.base.ledger

    def run(self, scenario: Scenario) -> Comparison:
        """The comparison of `scenario` against the cached base.

        When only the weights changed since the last run, the applied and scored ledger is
        reused and only re-weighted (weight sliders move most often).
        """
        key = repr(dataclasses.replace(scenario, name="", description="", weights={}).to_dict())
        if self._last is None or self._last[0] != key:
            plain = dataclasses.replace(scenario, weights={})
            self._last = (key, *scenario_outcome(self.base, plain, self.base.as_of, self.rubric))
        _, after, arrays = self._last
        planning = reweighted(after.scores.planning, self.rubric, scenario.weights)
        return comparison_of(self.base, scenario, dataclasses.replace(after, planning=planning), arrays)
