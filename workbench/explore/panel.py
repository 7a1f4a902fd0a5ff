"""The interactive explorer: filters drive a linked overview; choosing a project opens its card.

>>> explorer(book)                                  # doctest: +SKIP
"""

from __future__ import annotations

import ipywidgets
from IPython.display import display

from workbench.core.vocabulary import FILTER_FIELDS
from workbench.core.words import check_lang
from workbench.explore.card import project_card
from workbench.explore.overviews import overview
from workbench.explore.project_list import filter_ledger, scores_or_none, view_date
from workbench.present import widgets as w


def explorer(ledger, scores=None, as_of=None, rubric=None, lang: str = "zh", max_rows: int = 60):
    """The panel: filter controls, a project picker, the chosen project's card, the overview.

    Without scores (and when the ledger cannot be scored) the band and RAG filters are left out.
    """
    check_lang(lang)
    when = view_date(ledger, as_of, scores)
    if scores is None:
        scores = scores_or_none(ledger, when, rubric)
    fields = FILTER_FIELDS if scores is not None else tuple(
        f for f in FILTER_FIELDS if f not in ("band", "rag"))
    controls = w.filter_controls(ledger, lang, fields)
    picker = w.project_picker(ledger.projects, lang)
    card_out = ipywidgets.Output()

    def render(**filters):
        view = filter_ledger(ledger, **filters, scores=scores)
        picker.options = w.project_options(view.projects)
        return overview(view, scores, when, lang=lang, max_rows=max_rows)

    def open_card(change) -> None:
        with card_out:
            card_out.clear_output(wait=True)
            if change["new"] is not None:
                display(project_card(ledger, change["new"], when, lang=lang, scores=scores))

    picker.observe(open_card, names="value")
    listing = w.bind(controls, render)
    return w.panel(controls, picker, card_out, listing)
