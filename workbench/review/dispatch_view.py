"""The weekly dispatch's HTML (周调度): title, headline cards, the week's changes, the action
list by unit and what was closed. Every value from the data is escaped (`present.html`)."""

from __future__ import annotations

import pandas as pd

from workbench.core import words as w
from workbench.core.words import column_label, phrase
from workbench.present.html import Html, esc, html_table
from workbench.review.dispatch import CHANGE_TABLES
from workbench.review.sections import section_heading

__all__ = ["section_heading"]  # headings of report.yaml, as in the quarterly review

ROWS = 30


def week_words(week: str, lang: str) -> str:
    """An ISO week as the office says it: '2022年第49周' / 'week 49 of 2022'."""
    year, n = week.split("-W")
    return phrase("week_name", lang, year=year, n=int(n))


def dispatch_title(week: str, lang: str = "zh") -> str:
    """The page title of a weekly dispatch."""
    return phrase("dispatch_title", lang, week=week_words(week, lang))


def _note(key: str, lang: str, **values) -> str:
    return f'<p class="wb-note">{esc(phrase(key, lang, **values))}</p>'


def title_block(d, lang: str = "zh") -> Html:
    """Title, the week, the snapshots compared; a note when there is no earlier or no new one."""
    parts = [f"<h1>{esc(dispatch_title(d.week, lang))}</h1>"]
    subtitle = phrase("dispatch_subtitle", lang, start=w.date(d.start), end=w.date(d.end),
                      as_of=w.date(d.as_of), from_as_of=w.date(d.from_as_of)
                      if d.from_as_of is not None else w.MISSING)
    parts.append(f'<p class="wb-subtitle">{esc(subtitle)}</p>')
    if d.from_as_of is None:
        parts.append(_note("dispatch_first", lang))
    elif d.as_of < d.start:
        parts.append(_note("dispatch_no_new", lang, as_of=w.date(d.as_of)))
    return Html("".join(parts))


def headline_cards(d, lang: str = "zh") -> Html:
    """Actions, overdue problems, slips, starts not ready, closed, investment added."""
    kinds = d.actions["action"].value_counts()
    cards = [
        ("k_actions", w.count(len(d.actions)), "wb-behind" if len(d.actions) else ""),
        ("k_overdue", w.count(kinds.get("act_overdue", 0)), ""),
        ("k_slips", w.count(kinds.get("act_slip", 0)), ""),
        ("k_unready", w.count(kinds.get("act_unready", 0)), ""),
        ("k_closed", w.count(len(d.closed)), "wb-ahead" if len(d.closed) else ""),
        ("k_invest_change", w.yi(d.investment_change), ""),
    ]
    html_cards = "".join(
        f'<div class="wb-kpi"><div class="wb-kpi-value {cls}">{esc(value)}</div>'
        f'<div class="wb-kpi-label">{esc(phrase(key, lang))}</div></div>'
        for key, value, cls in cards)
    return Html(f'<div class="wb-kpis">{html_cards}</div>')


def _h(key: str, lang: str, level: int = 3) -> str:
    return f"<h{level}>{esc(phrase(key, lang))}</h{level}>"


def _present(frame, columns):
    """`columns` [(name, kind)] of `frame` that it has."""
    return [(c, k) for c, k in columns if frame is not None and c in frame.columns]


def change_tables(d, lang: str = "zh") -> Html:
    """The week's changes: counted by kind, then stages, re-baselines, projects added, dropped
    and renamed, problems raised."""
    if d.diff is None:
        return Html(_note("dispatch_first", lang))
    counts = pd.DataFrame({"change": [f"change_{t}" for t in CHANGE_TABLES],
                           "changes_count": [d.counts[t] for t in CHANGE_TABLES]})
    parts = [html_table(counts, [("change", "label"), ("changes_count", "count")], lang)]
    project = [("name", "text"), ("responsible_unit", "text")]
    stages = getattr(d.diff, "stages", None)
    parts += [_h("h_stages", lang), html_table(
        _events(stages), project + _present(stages, [("old", "label"), ("new", "label"),
                                                     ("event", "label")]), lang, limit=ROWS)]
    rebaselines = getattr(d.diff, "rebaselines", None)
    if rebaselines is not None and len(rebaselines):
        rebaselines = rebaselines.assign(
            field_label=rebaselines["field"].map(lambda f: column_label(f, lang)),
            old=rebaselines["old"].map(_shown), new=rebaselines["new"].map(_shown))
    parts += [_h("h_rebaselines", lang), html_table(
        rebaselines, project + [("field_label", "text"), ("old", "text"), ("new", "text")],
        lang, limit=ROWS)]
    for table, key in (("added", "h_added"), ("dropped", "h_dropped")):
        frame = getattr(d.diff, table, None)
        parts += [_h(key, lang), html_table(frame, project, lang, limit=ROWS)]
    renamed = getattr(d.diff, "renamed", None)
    parts += [_h("h_renamed", lang), html_table(
        renamed, _present(renamed, [("old", "text"), ("new", "text"),
                                    ("responsible_unit", "text")]),
        lang, limit=ROWS)]
    opened = getattr(d.diff, "problems_opened", None)
    parts += [_h("h_opened", lang), html_table(
        opened, project + _present(opened, [("problem", "text"), ("due_on", "date")]), lang,
        limit=ROWS)]
    return Html("".join(parts))


def _events(stages):
    """Stage changes with their event as a word code (event_start, event_complete …)."""
    if stages is None or not len(stages) or "event" not in stages:
        return stages
    return stages.assign(event="event_" + stages["event"].astype(str))


def _shown(value) -> str:
    """A baseline value as text: dates as YYYY-MM-DD, amounts without trailing zeros."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return w.MISSING
    if isinstance(value, pd.Timestamp):
        return w.date(value)
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else text


ACTION_COLUMNS = [("action", "label"), ("name", "text"), ("detail", "text"),
                  ("answerable", "text"), ("days", "count"), ("dated", "date")]


def action_list(d, lang: str = "zh") -> Html:
    """督办清单: one table per responsible unit, the unit with the most actions first."""
    if not len(d.actions):
        return Html(f'<p class="wb-note">{esc(phrase("none_listed", lang))}</p>')
    actions = d.actions.rename(columns={"owner": "answerable"})
    actions["responsible_unit"] = actions["responsible_unit"].fillna(w.MISSING)
    order = actions["responsible_unit"].value_counts(sort=True)
    parts = [_note("actions_note", lang)]
    for unit in order.index:
        rows = actions[actions["responsible_unit"].eq(unit)]
        parts.append(f"<h3>{esc(phrase('unit_count', lang, unit=unit, n=len(rows)))}</h3>")
        parts.append(html_table(rows, ACTION_COLUMNS, lang))
    return Html("".join(parts))


def closed_table(d, lang: str = "zh") -> Html:
    """What the week closed: problems resolved and approvals done, by unit."""
    return html_table(d.closed, [("responsible_unit", "text"), ("action", "label"),
                                 ("name", "text"), ("detail", "label")], lang, limit=ROWS * 2)
