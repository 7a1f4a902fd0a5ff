"""The quarterly review's what-if part: the leaders' offline panel, then base vs scenario."""

from __future__ import annotations

from workbench.core.words import word
from workbench.present.html import Html, esc
from workbench.whatif.comparison_view import comparison_sections
from workbench.whatif.panel import whatif_panel
from workbench.whatif.scenario import load_scenario
from workbench.whatif.session import WhatIf


def report_section(ledger, as_of, lang: str = "zh", rubric=None, scenario: str = "") -> list:
    """The quarterly review's what-if part: the leaders' offline panel, then, when a scenario
    file is given, base vs scenario (`comparison_sections`)."""
    session = WhatIf(ledger, as_of, rubric)
    items = [
        Html(f"<h2>{esc(word('whatif_panel_heading', lang))}</h2>"),
        whatif_panel(ledger, session.base.planning, session.rubric, session.base.as_of, lang),
    ]
    if scenario:
        items += comparison_sections(session.run(load_scenario(scenario)), lang)
    return items
