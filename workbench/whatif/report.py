"""The quarterly review's what-if part: the leaders' offline panel, then base vs scenario."""

from __future__ import annotations

from workbench.core import words as w
from workbench.core.words import phrase, word
from workbench.present.html import Html, esc
from workbench.whatif.comparison_view import comparison_sections
from workbench.whatif.panel import whatif_panel
from workbench.whatif.scenario import load_scenario
from workbench.whatif.session import WhatIf


def report_section(ledger, as_of, lang: str = "zh", rubric=None, scenario: str = "") -> list:
    """The quarterly review's what-if part: the leaders' offline panel, then, when a scenario
    file is given, base vs scenario (`comparison_sections`).

    `as_of` is the report's own as-of date (required: the panel never falls back to another
    date); the intro under the heading states it, in the report's language."""
    if as_of is None or as_of == "":
        raise TypeError("report_section needs the report's as-of date")
    session = WhatIf(ledger, as_of, rubric)
    intro = phrase("whatif_asof", lang, as_of=w.date(session.base.as_of))
    screen = "wb-screen-only"  # how to drag the sliders: not on paper (report.css)
    items = [
        Html(f"<h2>{esc(word('whatif_panel_heading', lang))}"
             f'<span class="{screen}">{esc(word("whatif_panel_hint", lang))}</span></h2>'
             f'<p class="wb-note">{esc(intro)}'
             f'<span class="{screen}"> {esc(phrase("whatif_howto", lang))}</span></p>'),
        whatif_panel(ledger, session.base.planning, session.rubric, session.base.as_of, lang),
    ]
    if scenario:
        items += comparison_sections(session.run(load_scenario(scenario)), lang)
    return items
