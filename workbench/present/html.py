"""Static HTML for reports: escaped text and labelled tables that print and work offline.

Every value from the data passes through `esc`; numbers are written by the formatters of
``workbench.core.words``, the same the narrative uses, so that a table and a sentence agree.
"""

from __future__ import annotations

import html

import pandas as pd

from workbench.core import words as w
from workbench.core.numbers import is_missing
from workbench.core.vocabulary import RAG_NONE
from workbench.core.words import heading, phrase, rag_word, value_label

#: How each kind of column is written (amounts in 亿元).
FORMATS = {
    "yi": w.yi,
    "wan": w.wan,
    "pct": w.pct,
    "points": w.points,
    "count": w.count,
    "date": w.date,
    "score": w.score,
    "multiple": w.multiple,
}
NUMERIC = set(FORMATS) - {"date"}
#: Unit suffix of a column heading per kind.
SUFFIX = {"yi": "unit_yi", "pct": "unit_pct", "points": "unit_points"}


class Html(str):
    """A fragment of HTML that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(value) -> str:
    """`value` as escaped text ('' for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def cell_text(value, kind: str, lang: str) -> str:
    """The text of one table cell (not yet escaped)."""
    if kind in FORMATS:
        return FORMATS[kind](value)
    if kind == "label":
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else \
            str(value_label(value, lang))
    if kind == "total":
        return phrase("total", lang) if value == "total" else str(value_label(value, lang))
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def html_table(frame: pd.DataFrame, columns: list[tuple[str, str]], lang: str = "zh",
          empty: str | None = None, limit: int | None = None) -> Html:
    """An HTML table of `frame`'s `columns` [(name, kind)], labelled and escaped.

    Kinds: text, label (a canonical value), total, rag, band, and the number kinds of FORMATS.
    With `limit`, only the first rows are shown, with a note saying how many there are.
    """
    if frame is None or not len(frame):
        return Html(f'<p class="wb-note">{esc(empty or phrase("none_listed", lang))}</p>')
    note = ""
    if limit is not None and len(frame) > limit:
        note = f'<p class="wb-note">{esc(phrase("first_rows", lang, total=len(frame), n=limit))}</p>'
        frame = frame.head(limit)
    head = []
    for name, kind in columns:
        label = heading(name, lang)
        if kind in SUFFIX:
            label += phrase(SUFFIX[kind], lang)
        cls = ' class="wb-num"' if kind in NUMERIC else ""
        head.append(f"<th{cls}>{esc(label)}</th>")
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for name, kind in columns:
            value = record.get(name)
            if kind in ("rag", "band"):
                code = RAG_NONE if is_missing(value) else str(value)
                word = rag_word(code, lang)  # a band or RAG label; "none": nothing due yet
                cells.append(f'<td><span class="wb-rag wb-rag-{esc(code)}">{esc(word)}</span></td>')
                continue
            text = cell_text(value, kind, lang)
            cls = []
            if kind in NUMERIC:
                cls.append("wb-num")
            elif kind in ("label", "date"):
                cls.append("wb-nowrap")
            if kind == "points" and text != w.MISSING:
                cls.append("wb-ahead" if float(value) >= 0 else "wb-behind")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            cells.append(f"<td{attr}>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Html(
        '<table class="wb-table"><thead><tr>' + "".join(head) + "</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>" + note
    )
