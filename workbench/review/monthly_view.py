"""The monthly assessment report's HTML (月考核通报): title, ranking with its change, praise
and notices, the trend, the pace to the annual plan and, in December, the annual roll-up.
Every value from the data is escaped (`present.html`)."""

from __future__ import annotations

import pandas as pd

from workbench.core import words as w
from workbench.core.numbers import is_missing
from workbench.core.words import phrase
from workbench.present.html import Html, esc, html_table
from workbench.review.monthly import trend_table
from workbench.review.sections import section_heading

__all__ = ["section_heading"]  # headings of report.yaml, as in the quarterly review

ROWS = 20


def month_words(month: str, lang: str) -> str:
    """A month as the office says it: '2022年6月' / 'June 2022'."""
    day = pd.Timestamp(f"{month}-01")
    return phrase("month_name", lang, year=day.year, n=day.month, name=f"{day:%B}")


def assessment_title(month: str, lang: str = "zh") -> str:
    """The page title of a monthly assessment report."""
    return phrase("assessment_title", lang, month=month_words(month, lang))


def _note(key: str, lang: str, **values) -> str:
    return f'<p class="wb-note">{esc(phrase(key, lang, **values))}</p>'


def _h(key: str, lang: str, level: int = 3) -> str:
    return f"<h{level}>{esc(phrase(key, lang))}</h{level}>"


def title_block(a, lang: str = "zh") -> Html:
    """Title, the as-of date and the snapshot's; a note when last month is not in the store."""
    parts = [f"<h1>{esc(assessment_title(a.month, lang))}</h1>",
             f'<p class="wb-subtitle">{esc(phrase("assessment_subtitle", lang, as_of=w.date(a.as_of), snapshot=w.date(a.snapshot_as_of)))}</p>']
    if a.previous_as_of is None:
        parts.append(_note("assessment_no_previous", lang))
    return Html("".join(parts))


def _change(value) -> str:
    return w.MISSING if is_missing(value) else f"{int(value):+d}" if value else "0"


UNIT_COLUMNS = [("rank", "count"), ("previous_rank", "count"), ("rank_change", "text"),
                ("responsible_unit", "text"), ("projects", "count"),
                ("completion_rate", "pct"), ("completion", "score"), ("starts", "score"),
                ("management", "score"), ("planning", "score"), ("funding", "score"),
                ("total", "score")]


def ranking_table(a, lang: str = "zh") -> Html:
    """The unit ranking with last month's rank and the change (+ up, − down)."""
    frame = a.ranking.assign(rank_change=a.ranking["rank_change"].map(_change))
    return html_table(frame, [(c, k) for c, k in UNIT_COLUMNS if c in frame.columns], lang)


def notices_block(a, lang: str = "zh") -> Html:
    """表扬 and 通报, with the rules that chose them."""
    r = a.rules
    columns = [("responsible_unit", "text"), ("rank", "count"), ("total", "score"),
               ("reason", "text")]
    return Html("".join([
        _note("notices_rules", lang, top=r["praise_top"], min_total=w.score(r["praise_min_total"]),
              bottom=r["criticise_bottom"], max_total=w.score(r["criticise_max_total"]),
              drop=r["criticise_rank_drop"]),
        _h("h_praise", lang), html_table(a.praised, columns, lang),
        _h("h_criticise", lang), html_table(a.criticised, columns, lang),
    ]))


def trend_block(a, lang: str = "zh") -> Html:
    """The ranks of each unit at each month end of the year so far."""
    table = trend_table(a.trend)
    if not len(table):
        return Html(_note("none_listed", lang))
    columns = [("responsible_unit", "text")] + [(c, "count") for c in table.columns[1:]]
    return Html(_note("trend_note", lang) + html_table(table, columns, lang))


PACE_COLUMNS = [("projects", "count"), ("annual_plan", "yi"), ("ytd_planned", "yi"),
                ("ytd_completed", "yi"), ("earned_month", "multiple"),
                ("months_behind", "multiple"), ("remaining", "yi"), ("months_left", "count"),
                ("pace_needed", "yi"), ("pace_so_far", "yi")]


def pace_block(a, lang: str = "zh") -> Html:
    """Months behind and the pace still needed, for the county then each unit (most behind
    first), and the projects re-baselined most often."""
    county = a.county.assign(group="total")
    rebaselined = a.rebaselines[a.rebaselines["rebaselines"] > 1] if len(a.rebaselines) \
        else a.rebaselines
    return Html("".join([
        _note("pace_note", lang),
        html_table(county, [("group", "total")] + PACE_COLUMNS, lang),
        html_table(a.pace, [("responsible_unit", "text")] + PACE_COLUMNS, lang),
        _h("h_rebaseline_counts", lang),
        html_table(rebaselined, [("name", "text"), ("rebaselines", "count"), ("slips", "count"),
                                 ("last", "date")], lang, limit=ROWS),
    ]))


def annual_block(a, lang: str = "zh") -> Html:
    """December: the annual assessment with each unit's reward or penalty (nothing otherwise)."""
    if a.annual is None:
        return Html("")
    r = a.rules
    return Html("".join([
        _h("h_annual", lang, 2),
        _note("annual_rules", lang, reward=w.score(r["reward_min_total"]),
              penalty=w.score(r["penalty_max_total"])),
        html_table(a.annual, [("rank", "count"), ("responsible_unit", "text"),
                              ("total", "score"), ("award", "label")], lang),
    ]))
