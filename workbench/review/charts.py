"""The quarterly review's charts (altair) in one theme a leader can read.

Large type in Noto Sans CJK SC, a restrained palette, and the RAG colours used everywhere in
the report. Every chart takes a `Review` and a language, and returns an altair chart whose
Vega-Lite spec carries its data inline (nothing is fetched when it is drawn).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.core import words as w
from workbench.core.vocabulary import BANDS
from workbench.core.vocabulary import RAG_STATES as RAGS
from workbench.core.words import phrase, rag_word, value_label
from workbench.present.theme import (
    ACCENT,
    BAND_COLOURS,
    FUNDING_COLOURS,
    INK,
    MUTED,
    PLAN,
    RAG_COLOURS,
    WIDTH,
)
from workbench.present.theme import (
    themed as _themed,
)


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
