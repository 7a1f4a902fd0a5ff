"""The quarterly review's HTML sections: headings, headline cards, narrative and tables.

Each function takes a `Review` and a language and returns an `Html` fragment a notebook
displays. Every value from the data is HTML-escaped; numbers are written by
`workbench.core.words`, the same formatters the narrative uses.
"""

from __future__ import annotations

import pandas as pd

from workbench.core import words as w
from workbench.core.words import phrase, value_label
from workbench.present.html import Html, esc, html_table
from workbench.review.data_notes import data_appendix, warning_box
from workbench.review.goals import verdict
from workbench.review.narrative import narrative
from workbench.review.population import population_words
from workbench.review.rated import LIST_LENGTH

#: How many rows a list of projects shows at most (the rest are counted in a note).
ROWS = 20


def report_title(quarter: str, lang: str, office: str = "", unit: str = "", county: str = "") -> str:
    """The page title of a quarterly review, led by the county's name when it is known."""
    quarter_text = w.quarter_words(quarter, lang)
    title = phrase("report_title_county", lang, county=county, quarter=quarter_text) if county \
        else phrase("report_title", lang, quarter=quarter_text)
    return " · ".join([title] + [v for v in (office, unit) if v])


__all__ = ["data_appendix", "warning_box"]  # the 数据说明 appendix and the first page's warnings


def title_block(review, lang: str = "zh", source: str = "", ledger=None) -> Html:
    """The page title, the as-of date, the source and the scope of the review; with `ledger`,
    the plausibility warnings its publishing accepted (a box under the title)."""
    title = report_title(review.quarter, lang, county=review.county)
    parts = [f"<h1>{esc(title)}</h1>"]
    subtitle = phrase("subtitle", lang, as_of=w.date(review.as_of), source=source)
    parts.append(f'<p class="wb-subtitle">{esc(subtitle)}</p>')
    scope = [value_label(v, lang) for v in (review.office, review.unit) if v]
    if scope:
        parts.append(f'<p class="wb-subtitle">{esc(phrase("filter_note", lang, scope=" · ".join(scope)))}</p>')
    if ledger is not None:
        parts.append(warning_box(ledger, lang))
    return Html("".join(parts))


def section_heading(key: str, lang: str = "zh", level: int = 2) -> Html:
    """A section heading from report.yaml."""
    return Html(f"<h{level}>{esc(phrase(key, lang))}</h{level}>")


def counted_heading(key: str, table: str, lang: str = "zh", level: int = 3, **fields) -> Html:
    """A table's heading naming the population it counts: 前期手续办结情况（全部项目（含谋划、储备））
    (`fields` fill the heading's own placeholders)."""
    text = phrase("counted_heading", lang, heading=phrase(key, lang, **fields),
                  population=population_words(table, lang))
    return Html(f"<h{level}>{esc(text)}</h{level}>")


def narrative_block(review, lang: str = "zh", comparison=None) -> Html:
    """The narrative summary as escaped paragraphs (`comparison`: `compare.comparison_of`'s
    result, None when no snapshot store was given)."""
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in narrative(review, lang, comparison))
    return Html(f'<div class="wb-narrative">{paragraphs}</div>')


def headline_cards(review, lang: str = "zh") -> Html:
    """The headline figures as cards: completed, share of plan, vs 序时进度, starts, reserve, red."""
    h = review.headline
    cards = [
        ("k_completed", w.yi(h["ytd_completed"]), ""),
        ("k_share", w.pct(h["completion_share"]), ""),
        ("k_vs_elapsed", w.points(h["points_vs_elapsed"]),
         "wb-ahead" if h["points_vs_elapsed"] >= 0 else "wb-behind"),
        ("k_start_rate", w.pct(h["start_rate"]), ""),
        ("k_reserve", w.multiple(h["reserve_multiple"]), ""),
        ("k_red", w.count(h["rag_red"]), "wb-behind" if h["rag_red"] else ""),
    ]
    html_cards = "".join(
        f'<div class="wb-kpi"><div class="wb-kpi-value {cls}">{esc(value)}</div>'
        f'<div class="wb-kpi-label">{esc(phrase(key, lang))}</div></div>'
        for key, value, cls in cards
    )
    return Html(f'<div class="wb-kpis">{html_cards}</div>')


COMPLETION_COLUMNS = [
    ("group", "label"), ("projects", "count"), ("annual_plan", "yi"), ("ytd_planned", "yi"),
    ("ytd_completed", "yi"), ("completion_share", "pct"), ("elapsed_share", "pct"),
    ("points_vs_elapsed", "points"), ("plan_rate", "pct"),
]


def headline_table(review, lang: str = "zh") -> Html:
    """The whole portfolio's completion row, then the quarter's goal judged part by part."""
    h = review.headline
    total = pd.DataFrame([{**h, "group": "total"}])
    columns = [("group", "total")] + COMPLETION_COLUMNS[1:]
    return Html(html_table(total, columns, lang) + goal_table(review, lang))


def goal_table(review, lang: str = "zh") -> Html:
    """开门红 … 全年红: each part's value, the rubric's target, the difference and 达标/未达标
    (the figures the narrative's verdict states)."""
    v = verdict(review.quarter, review.headline, review.goal_rules or None)
    rows = [{"measure": phrase(f"goal_{name}", lang), "value": part["value"],
             "target": part["target"], "gap": part["points"],
             "met": phrase("health_met" if part["met"] else "health_missed", lang)}
            for name, part in (("completion", v["completion"]), ("starts", v["starts"]))]
    heading = counted_heading("h_goal", "goal", lang, goal=phrase(v["goal"], lang))
    return Html(heading + html_table(pd.DataFrame(rows), [
        ("measure", "text"), ("value", "pct"), ("target", "pct"), ("gap", "points"),
        ("met", "text")], lang))


def completion_tables(review, lang: str = "zh") -> Html:
    """Completion against 序时进度 by level, office and 板块."""
    parts = []
    for key, by in (("h_by_level", "level"), ("h_by_office", "office"), ("h_by_sector", "sector")):
        parts.append(section_heading(key, lang, 3))
        parts.append(html_table(review.completion[by], COMPLETION_COLUMNS, lang))
    return Html("".join(parts))


def starts_tables(review, lang: str = "zh") -> Html:
    """Starts and completions counted, early and late starts named, this year's completions."""
    counts = html_table(pd.DataFrame([review.headline]),
                   [("starts_due", "count"), ("starts_due_made", "count"), ("start_rate", "pct"),
                    ("starts_early", "count"), ("starts_late", "count"),
                    ("completions_due", "count"), ("completions_made", "count")], lang)
    columns = [("name", "text"), ("office", "label"), ("responsible_unit", "text"),
               ("planned_start", "date"), ("actual_start", "date"), ("months", "count")]
    late = review.starts_late.assign(start_state=[
        w.date(d) if started else phrase("not_started", lang)
        for d, started in zip(review.starts_late["actual_start"],
                              review.starts_late.get("started", review.starts_late["actual_start"].notna()),
                              strict=True)])
    late_columns = [("name", "text"), ("office", "label"), ("responsible_unit", "text"),
                    ("planned_start", "date"), ("start_state", "text"), ("months_late", "count")]
    parts = [counts, section_heading("h_starts_early", lang, 3),
             html_table(review.starts_early, columns, lang, limit=ROWS),
             section_heading("h_starts_late", lang, 3),
             html_table(late.assign(months_late=late["months"]), late_columns, lang, limit=ROWS),
             section_heading("h_completions", lang, 3),
             html_table(review.completions,
                   [("name", "text"), ("office", "label"), ("responsible_unit", "text"),
                    ("planned_completion", "date"), ("actual_completion", "date"),
                    ("total_investment", "yi")], lang, limit=ROWS)]
    return Html("".join(parts))


def batch_tables(review, lang: str = "zh") -> Html:
    """This quarter's 三个一批 and the pipeline by stage."""
    return Html("".join([
        section_heading("h_batches_quarter", lang, 3),
        html_table(review.batches, [("batch_kind", "label"), ("projects", "count"),
                               ("total_investment", "yi"), ("converted", "count"),
                               ("conversion_rate", "pct")], lang),
        section_heading("h_pipeline", lang, 3),
        html_table(review.pipeline, [("stage", "label"), ("projects", "count"),
                                ("total_investment", "yi")], lang),
    ]))


def support_tables(review, lang: str = "zh") -> Html:
    """Funding by source and status, and approval completeness by item."""
    return Html("".join([
        counted_heading("h_funding", "funding", lang),
        html_table(review.funding.assign(pending=review.funding["applied"] - review.funding["received"]),
                   [("source", "total"), ("applied", "yi"), ("approved", "yi"), ("received", "yi"),
                    ("pending", "yi"), ("received_share", "pct")], lang),
        f'<p class="wb-note">{esc(phrase("funding_note", lang))}</p>',
        counted_heading("h_approvals", "approvals", lang),
        html_table(review.approvals, [("item", "total"), ("required", "count"), ("done", "count"),
                                 ("completeness", "pct")], lang),
    ]))


def overdue_tables(review, lang: str = "zh") -> Html:
    """Overdue open problems and overdue milestones, named."""
    return Html("".join([
        counted_heading("h_overdue_problems", "overdue_problems", lang),
        html_table(review.overdue_problems, [("name", "text"), ("problem", "text"), ("owner", "text"),
                                        ("due_on", "date"), ("days_overdue", "count")], lang,
              limit=ROWS),
        counted_heading("h_overdue_milestones", "overdue_milestones", lang),
        html_table(review.overdue_milestones, [("name", "text"), ("milestone", "text"),
                                          ("owner", "text"), ("planned_on", "date"),
                                          ("days_overdue", "count")], lang, limit=ROWS),
    ]))


def next_step_tables(review, lang: str = "zh") -> Html:
    """下步工作重点: the units with most overdue problems and the starts due soon that lack
    approvals (what the narrative's last paragraph names)."""
    sep = phrase("list_sep", lang)
    unready = review.starts_unready.assign(missing_items=[
        sep.join(str(value_label(i, lang)) for i in items)
        for items in review.starts_unready.get("missing", [])])
    return Html("".join([
        section_heading("h_next", lang, 3),
        section_heading("h_unit_problems", lang, 4),
        html_table(review.unit_problems, [("responsible_unit", "text"),
                                          ("overdue_problems", "count")], lang, limit=LIST_LENGTH),
        section_heading("h_starts_unready", lang, 4),
        html_table(unready, [("name", "text"), ("responsible_unit", "text"),
                             ("planned_start", "date"), ("missing_items", "text")], lang,
                   limit=ROWS),
    ]))


#: How a health measure's value is written, by its unit (scoring.health).
HEALTH_FORMATS = {"share": (lambda v: w.pct(v), "health_share"),
                  "times": (lambda v: w.multiple(v), "health_times"),
                  "projects": (lambda v: w.count(v), "health_projects"),
                  "points": (lambda v: w.points(v), "health_points")}


def health_table(review, lang: str = "zh") -> pd.DataFrame:
    """Portfolio health for leaders: each value, target and gap written in its own unit (% for
    shares, whole numbers for counts), a missed target marked 未达标."""
    rows = []
    for r in review.health.to_dict("records"):
        fmt, key = HEALTH_FORMATS.get(r["unit"], (lambda v: w.multiple(v), "health_times"))
        gap_fmt = (lambda v: w.points(v * 100)) if r["unit"] == "share" else fmt

        def text(value, f=fmt, k=key):
            return w.MISSING if value is None or pd.isna(value) else phrase(k, lang, v=f(value))
        has_target = not pd.isna(r["target"])
        gap = r["gap"] if has_target else None
        rows.append({"measure": r["measure"], "value_text": text(r["value"]),
                     "target_text": text(r["target"]) if has_target else w.MISSING,
                     "gap_text": w.MISSING if gap is None or pd.isna(gap) else
                     (phrase("health_points", lang, v=gap_fmt(gap)) if r["unit"] == "share"
                      else text(gap) if r["unit"] != "times" else gap_fmt(gap)),
                     "met": w.MISSING if not has_target or pd.isna(r["value"]) else
                     phrase("health_met" if r["gap"] >= -1e-9 else "health_missed", lang)})
    return pd.DataFrame(rows, columns=["measure", "value_text", "target_text", "gap_text", "met"])


def rag_tables(review, lang: str = "zh") -> Html:
    """The RAG mix, the unit ranking (月考核) and portfolio health."""
    units = [(c, k) for c, k in (("rank", "count"), ("responsible_unit", "text"),
                                 ("projects", "count"), ("completion_rate", "pct"),
                                 ("completion", "score"), ("starts", "score"),
                                 ("management", "score"), ("planning", "score"),
                                 ("funding", "score"), ("total", "score"),
                                 ("assessment_note", "label"))
             if c in review.units.columns]
    return Html("".join([
        counted_heading("h_rag_mix", "rag", lang),
        html_table(review.rag, [("rag", "rag"), ("projects", "count")], lang),
        f'<p class="wb-note">{esc(phrase("rag_note", lang))}</p>',
        counted_heading("h_units", "units", lang),
        html_table(review.units.sort_values("rank") if "rank" in review.units else review.units,
              units, lang),
        section_heading("h_health", lang, 3),
        html_table(health_table(review, lang), [("measure", "label"), ("value_text", "text"),
                                                ("target_text", "text"), ("gap_text", "text"),
                                                ("met", "text")], lang),
    ]))


def planning_tables(review, lang: str = "zh") -> Html:
    """Planning-quality bands and the weakest projects with their reasons."""
    reasons = "reasons_zh" if lang == "zh" else "reasons_en"
    h, key = review.headline, phrase("pop_key", lang)
    populations = pd.DataFrame([
        {"population": key, "projects": h["projects"], "planning_score": h["planning_mean"],
         "planning_green": h["planning_green"], "planning_red": h["planning_red"]},
        {"population": phrase("pop_reserve", lang), "projects": h["reserve_projects"],
         "planning_score": h["reserve_planning_mean"], "planning_green": None,
         "planning_red": h["reserve_planning_red"]},
        {"population": phrase("total", lang), "projects": h["all_projects"]},
    ])
    return Html("".join([
        f'<p class="wb-note">{esc(phrase("planning_not_risk", lang))}</p>',
        f"<h3>{esc(phrase('h_bands', lang))}（{esc(key)}）</h3>",
        html_table(review.bands, [("band", "band"), ("projects", "count")], lang),
        html_table(populations, [("population", "text"), ("projects", "count"),
                                 ("planning_score", "score"), ("planning_green", "count"),
                                 ("planning_red", "count")], lang),
        f"<h3>{esc(phrase('h_weakest', lang))}（{esc(key)}）</h3>",
        html_table(review.weakest, [("name", "text"), ("office", "label"), ("score", "score"),
                               ("band", "band"), (reasons, "text")], lang, limit=LIST_LENGTH),
    ]))


def laggard_table(review, lang: str = "zh") -> Html:
    """落后项目 with their open problems (存在问题)."""
    return html_table(review.laggards, [("name", "text"), ("office", "label"),
                                   ("responsible_unit", "text"), ("leader", "text"),
                                   ("ytd_planned", "yi"), ("ytd_completed", "yi"),
                                   ("behind", "yi"), ("spi", "multiple"), ("problems", "text")],
                      lang, limit=LIST_LENGTH)
