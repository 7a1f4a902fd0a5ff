"""The quarterly review compared with the previous quarter and the same quarter a year earlier,
when the snapshot store holds them; one plain sentence when it does not.

A quarter is held when the store has a snapshot dated within it (the last one counts); its
review is computed from that snapshot exactly as this quarter's is from the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.core import words as w
from workbench.core.periods import parse_quarter, quarter_bounds
from workbench.core.words import heading, phrase
from workbench.present.html import Html, esc, html_table

#: The measures compared: (headline figure, its label key, formatter of a value, of a change).
MEASURES = (
    ("ytd_completed", "k_completed", w.yi, lambda v: _signed(w.yi, v)),
    ("completion_share", "k_share", w.pct, lambda v: w.points(v * 100)),
    ("points_vs_elapsed", "k_vs_elapsed", w.points, w.points),
    ("start_rate", "k_start_rate", w.pct, lambda v: w.points(v * 100)),
    ("reserve_multiple", "k_reserve", w.multiple, lambda v: _signed(w.multiple, v)),
    ("rag_red", "k_red", w.count, lambda v: f"{int(v):+d}"),
    ("overdue_problems", "problems_overdue", w.count, lambda v: f"{int(v):+d}"),
)


def _signed(fmt, value) -> str:
    text = fmt(abs(value))
    return text if text == w.MISSING else ("+" if value >= 0 else "-") + text


def previous_quarter(quarter: str) -> str:
    """The quarter before `quarter` (2022Q1 → 2021Q4)."""
    year, n = parse_quarter(quarter)
    return f"{year}Q{n - 1}" if n > 1 else f"{year - 1}Q4"


def year_earlier(quarter: str) -> str:
    """The same quarter a year earlier (2022Q2 → 2021Q2)."""
    year, n = parse_quarter(quarter)
    return f"{year - 1}Q{n}"


@dataclass(frozen=True)
class Comparison:
    """This quarter's headline beside the previous quarter's and a year earlier's (None: not held)."""

    quarter: str
    now: dict
    previous: dict | None
    last_year: dict | None


def comparison_of(review, store, rubric=None) -> Comparison:
    """Compare `review` with the quarters the snapshot `store` holds (same office/unit filter)."""
    from workbench.history import read_snapshot
    from workbench.review.quarterly import quarterly_review
    from workbench.review.stored import snapshot_in, snapshots, store_path

    path = str(store_path(store))
    frame = snapshots(path)
    found = {}
    for name, quarter in (("previous", previous_quarter(review.quarter)),
                          ("last_year", year_earlier(review.quarter))):
        start, end = quarter_bounds(quarter)
        snapshot = snapshot_in(start, end, path, frame=frame)
        if snapshot is None:
            found[name] = None
            continue
        ledger = read_snapshot(int(snapshot["snapshot_id"]), path)
        found[name] = quarterly_review(ledger, quarter, rubric, office=review.office,
                                       unit=review.unit).headline
    return Comparison(review.quarter, review.headline, found["previous"], found["last_year"])


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """One row a measure: its label key and the texts of now, previous, change, a year earlier, change."""
    rows = []
    for key, label, fmt, change in MEASURES:
        now = comparison.now.get(key)
        row = {"measure": label, "now": fmt(now)}
        for name, delta in (("previous", "vs_previous"), ("last_year", "vs_last_year")):
            then = (getattr(comparison, name) or {}).get(key)
            row[name] = fmt(then) if then is not None else w.MISSING
            ok = then is not None and now is not None and not (pd.isna(then) or pd.isna(now))
            row[delta] = change(now - then) if ok else w.MISSING
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_block(comparison: Comparison | None, lang: str = "zh") -> Html:
    """The comparison's heading, a sentence when a quarter is not held, and its table; only the
    sentence when neither is; nothing without a comparison (no store given)."""
    if comparison is None:
        return Html("")
    title = f"<h3>{esc(phrase('h_compare', lang))}</h3>"
    if comparison.previous is None and comparison.last_year is None:
        return Html(title + f'<p class="wb-note">{esc(phrase("compare_none", lang))}</p>')
    missing = [w.quarter_words(q, lang) for q, h in (
        (previous_quarter(comparison.quarter), comparison.previous),
        (year_earlier(comparison.quarter), comparison.last_year)) if h is None]
    note = (f'<p class="wb-note">{esc(phrase("compare_missing", lang, periods=missing[0]))}</p>'
            if missing else "")
    table = comparison_table(comparison)
    table["measure"] = [phrase(k, lang) if k.startswith("k_") else heading(k, lang)
                        for k in table["measure"]]
    columns = [("measure", "text"), ("now", "text"), ("previous", "text"),
               ("vs_previous", "text"), ("last_year", "text"), ("vs_last_year", "text")]
    return Html(title + note + html_table(table, columns, lang))


def compare_section(review, store: str = "", rubric=None, lang: str = "zh") -> list:
    """What the review notebook displays for the comparison: nothing when no store is given."""
    if not store:
        return []
    return [comparison_block(comparison_of(review, store, rubric), lang)]
