"""Small escaped HTML fragments shared by the card and the overview: notes, tables, badges."""

from __future__ import annotations

import html

import pandas as pd

from workbench.core.numbers import is_missing
from workbench.core.words import value_label, word
from workbench.present.display import table


def note(text: str) -> str:
    """A muted line of text (a missing section, a chart that could not be drawn)."""
    return f"<div style='color:#666'>{html.escape(text)}</div>"


def frame_html(frame: pd.DataFrame | None, lang: str, amount_unit: str) -> str:
    """`frame` as a labelled, escaped table; a "none" note when it is empty."""
    if frame is None or frame.empty:
        return note(word("ui_none", lang))
    return table(frame, lang, amount_unit=amount_unit).to_html()


def badge(code, colours: dict, lang: str, label: str) -> str:
    """A coloured pill "label: value" for a band or RAG code ('' when the code has no colour)."""
    if is_missing(code) or code not in colours:
        return ""
    background, text = colours[code]
    return (
        f"<span style='background:{background};color:{text};padding:1px 8px;border-radius:8px;"
        f"margin-left:6px'>{html.escape(label)}: {html.escape(str(value_label(code, lang)))}</span>"
    )
