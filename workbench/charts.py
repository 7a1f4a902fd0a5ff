"""The quarterly review's charts (altair) in one theme a leader can read.

Large type in Noto Sans CJK SC, a restrained palette, and the RAG colours used everywhere in
the report. Every chart takes a `Review` and a language, and returns an altair chart whose
Vega-Lite spec carries its data inline (nothing is fetched when it is drawn).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

if os.environ.get("WORKBENCH_REPORT_RUN"):
    # In a report run's kernel only. altair imports jsonschema, which imports rfc3987_syntax
    # (IRI format checks nothing here uses) and so compiles a grammar for seconds
    # (the same as workbench.publish.skip_iri_format_checks).
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
    # papermill waits for the kernel to exit; its last garbage collection would walk every
    # pandas and altair object only to discard them (0.4 s). Frozen objects are skipped.
    atexit.register(gc.freeze)

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

from workbench import wording as w
from workbench.labels import value_label
from workbench.review import BANDS, RAGS
from workbench.wording import phrase

FONT = "Noto Sans CJK SC"
INK, MUTED, RULE = "#1f2933", "#52606d", "#d9dee3"
ACCENT, PLAN = "#1d5fa8", "#9aa5b1"
#: Delivery RAG colours (also the report's CSS).
RAG_COLOURS = {"green": "#2e7d32", "amber": "#e0a100", "red": "#c62828", "none": "#9aa5b1"}
#: Planning-quality band colours, green to red.
BAND_COLOURS = {
    "green": "#2e7d32",
    "amber_green": "#8bb43a",
    "amber": "#e0a100",
    "amber_red": "#e8702a",
    "red": "#c62828",
}
FUNDING_COLOURS = ["#b7c9e2", "#6f97c9", ACCENT]
WIDTH = 640

#: The workbench's altair theme (also registered as ``alt.theme`` "workbench").
CONFIG = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
    "title": {"font": FONT, "fontSize": 20, "fontWeight": "bold", "color": INK, "anchor": "start",
              "offset": 12},
    "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 15, "titleFontSize": 15,
             "labelColor": INK, "titleColor": MUTED, "gridColor": RULE, "domainColor": MUTED,
             "tickColor": MUTED, "labelLimit": 260, "titleFontWeight": "normal"},
    "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 15, "titleFontSize": 15,
               "orient": "top", "labelColor": INK, "titleColor": MUTED,
               "titleFontWeight": "normal", "symbolSize": 180},
    "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 15, "titleFontSize": 15},
    "text": {"font": FONT, "fontSize": 15, "color": INK},
    "bar": {"color": ACCENT},
    "line": {"color": ACCENT, "strokeWidth": 3},
    "range": {"category": [ACCENT, PLAN, "#e8702a", "#2e7d32", "#7b5ea7", "#c62828"]},
}


@alt.theme.register("workbench", enable=False)
def workbench_theme() -> alt.theme.ThemeConfig:
    """The workbench theme, for charts made by hand in a notebook."""
    return {"config": CONFIG}


def _themed(chart):
    return chart.configure(**CONFIG)


def rag_word(rag: str, lang: str) -> str:
    """The display word of a delivery RAG value ('none': nothing due yet)."""
    return phrase("rag_none", lang) if rag == "none" else value_label(rag, lang)


def cumulative_chart(review, lang: str = "zh"):
    """Cumulative planned vs completed investment month by month (亿元)."""
    m = review.monthly
    plan_word, done_word = phrase("series_plan", lang), phrase("series_completed", lang)
    frame = pd.concat(
        [
            pd.DataFrame({"month": m["month"], "series": plan_word,
                          "value": m["cumulative_planned"] / 1e4}),
            pd.DataFrame({"month": m["month"], "series": done_word,
                          "value": m["cumulative_completed"] / 1e4}),
        ]
    ).dropna(subset=["value"])
    frame["month"] = frame["month"].dt.strftime("%Y-%m-01")
    frame["value"] = frame["value"].round(2)
    colour = alt.Color("series:N", title=None,
                       scale=alt.Scale(domain=[plan_word, done_word], range=[PLAN, ACCENT]))
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%m" if lang == "zh" else "%b",
                                                   labelExpr=_month_label(lang), tickCount=12))
    y = alt.Y("value:Q", title=phrase("c_amount_yi", lang))
    base = alt.Chart(frame).encode(x=x, y=y, color=colour)
    lines = base.mark_line(point=alt.OverlayMarkDef(size=70))
    last = frame[frame["series"] == done_word].tail(1)
    label = alt.Chart(last).mark_text(align="left", dx=8, dy=-8, fontWeight="bold",
                                       color=ACCENT).encode(x=x, y=y, text=alt.Text("value:Q",
                                                                                   format=".2f"))
    chart = (lines + label).properties(title=phrase("c_cumulative", lang), width=WIDTH,
                                       height=300)
    return _themed(chart)


def _month_label(lang: str) -> str:
    if lang == "zh":
        return "timeFormat(datum.value, '%-m') + '月'"
    return "timeFormat(datum.value, '%b')"


def office_chart(review, lang: str = "zh"):
    """Each office's share of its annual plan completed, against the 序时进度 line."""
    table = review.completion["office"]
    elapsed = review.headline["elapsed_share"] * 100
    frame = pd.DataFrame(
        {
            "office": [value_label(o, lang) for o in table["group"]],
            "share": (table["completion_share"] * 100).round(1),
            "status": ["ahead" if v >= elapsed else "behind"
                       for v in (table["completion_share"] * 100).fillna(0)],
        }
    )
    order = list(frame["office"])
    bars = alt.Chart(frame).mark_bar(size=34).encode(
        y=alt.Y("office:N", sort=order, title=None),
        x=alt.X("share:Q", title=phrase("c_share_pct", lang)),
        color=alt.Color("status:N", legend=None,
                        scale=alt.Scale(domain=["ahead", "behind"],
                                        range=[ACCENT, RAG_COLOURS["red"]])),
    )
    text = bars.mark_text(align="left", dx=6, color=INK).encode(
        text=alt.Text("share:Q", format=".1f"), color=alt.value(INK)
    )
    line = pd.DataFrame({"elapsed": [round(elapsed, 1)],
                         "label": [phrase("c_elapsed_line", lang, elapsed=w.pct(elapsed / 100))]})
    rule = alt.Chart(line).mark_rule(color=RAG_COLOURS["red"], strokeDash=[6, 4],
                                     strokeWidth=2.5).encode(x="elapsed:Q")
    rule_text = alt.Chart(line).mark_text(align="left", dx=6, dy=-8, color=RAG_COLOURS["red"],
                                          fontWeight="bold").encode(
        x="elapsed:Q", y=alt.value(0), text="label:N"
    )
    chart = (bars + text + rule + rule_text).properties(
        title=phrase("c_offices", lang), width=WIDTH - 120, height=max(48 * len(frame), 120)
    )
    return _themed(chart)


def funnel_chart(review, lang: str = "zh"):
    """The pipeline as a funnel: projects per stage, 谋划 to 投产, with their investment."""
    p = review.pipeline
    frame = pd.DataFrame(
        {
            "stage": [value_label(s, lang) for s in p["stage"]],
            "projects": p["projects"].astype(int),
            "label": [f"{int(n)}（{w.yi(v)}）" if lang == "zh" else f"{int(n)} ({w.yi(v)})"
                      for n, v in zip(p["projects"], p["total_investment"], strict=True)],
        }
    )
    order = list(frame["stage"])
    base = alt.Chart(frame).encode(y=alt.Y("stage:N", sort=order, title=None))
    bars = base.mark_bar(size=34, color=ACCENT).encode(
        x=alt.X("projects:Q", title=phrase("c_projects", lang))
    )
    text = base.mark_text(align="left", dx=6).encode(x="projects:Q", text="label:N")
    chart = (bars + text).properties(title=phrase("c_funnel", lang), width=WIDTH - 120,
                                     height=48 * len(frame))
    return _themed(chart)


def rag_matrix_chart(review, lang: str = "zh"):
    """Offices against delivery RAG: a grid of project counts in the RAG colours."""
    m = review.rag_matrix
    words = {r: rag_word(r, lang) for r in RAGS}
    frame = pd.DataFrame(
        {
            "office": [value_label(o, lang) for o in m["office"]],
            "rag": [words[r] for r in m["rag"]],
            "projects": m["projects"].astype(int),
        }
    )
    x = alt.X("rag:N", sort=[words[r] for r in RAGS], title=None,
              axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("office:N", sort=[value_label(o, lang) for o in dict.fromkeys(m["office"])],
              title=None)
    cells = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=3).encode(
        x=x,
        y=y,
        color=alt.Color("rag:N", legend=None,
                        scale=alt.Scale(domain=[words[r] for r in RAGS],
                                        range=[RAG_COLOURS[r] for r in RAGS])),
        opacity=alt.condition("datum.projects > 0", alt.value(0.9), alt.value(0.12)),
    )
    text = alt.Chart(frame).mark_text(fontSize=18, fontWeight="bold").encode(
        x=x, y=y, text="projects:Q",
        color=alt.condition("datum.projects > 0", alt.value("white"), alt.value(MUTED)),
    )
    chart = (cells + text).properties(title=phrase("c_rag_matrix", lang), width=420,
                                      height=52 * frame["office"].nunique())
    return _themed(chart)


def band_chart(review, lang: str = "zh"):
    """Projects per planning-quality band, in the band colours."""
    b = review.bands
    words = [value_label(x, lang) for x in BANDS]
    frame = pd.DataFrame({"band": [value_label(x, lang) for x in b["band"]],
                          "projects": b["projects"].astype(int)})
    base = alt.Chart(frame).encode(x=alt.X("band:N", sort=words, title=None,
                                           axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=60).encode(
        y=alt.Y("projects:Q", title=phrase("c_projects", lang)),
        color=alt.Color("band:N", legend=None,
                        scale=alt.Scale(domain=words, range=[BAND_COLOURS[x] for x in BANDS])),
    )
    text = base.mark_text(dy=-10).encode(y="projects:Q", text="projects:Q")
    chart = (bars + text).properties(title=phrase("c_bands", lang), width=480, height=260)
    return _themed(chart)


def funding_chart(review, lang: str = "zh"):
    """Funding applied / approved / received per source (亿元), side by side."""
    f = review.funding[review.funding["source"] != "total"]
    statuses = ["applied", "approved", "received"]
    words = [value_label(s, lang) for s in statuses]
    rows = []
    for _, row in f.iterrows():
        for status in statuses:
            rows.append({"source": value_label(row["source"], lang),
                         "status": value_label(status, lang),
                         "value": round(row[status] / 1e4, 2)})
    frame = pd.DataFrame(rows, columns=["source", "status", "value"])
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("source:N", title=None),
        yOffset=alt.YOffset("status:N", sort=words),
        x=alt.X("value:Q", title=phrase("c_amount_yi", lang)),
        color=alt.Color("status:N", sort=words, title=None,
                        scale=alt.Scale(domain=words, range=FUNDING_COLOURS)),
    ).properties(title=phrase("c_funding", lang), width=WIDTH - 120,
                 height=alt.Step(16))
    return _themed(chart)


#: The mime type charts are shown as (altair 6's own "mimetype" renderer writes
#: ``application/vnd.vegalite.v6.json``, which nbformat rejects as invalid JSON output).
MIMETYPE = "application/vnd.vegalite.v6+json"


def vegalite_bundle(spec: dict, **_options) -> dict:
    """The display bundle of one chart: its Vega-Lite spec and a plain-text title."""
    title = spec.get("title", "")
    title = title.get("text", "") if isinstance(title, dict) else title
    return {MIMETYPE: spec, "text/plain": f"<chart: {title}>"}


alt.renderers.register("workbench", vegalite_bundle)


def use_in_notebook() -> None:
    """Show altair charts as Vega-Lite mime bundles (drawn offline by the published page)."""
    alt.renderers.enable("workbench")
    alt.theme.enable("workbench")
