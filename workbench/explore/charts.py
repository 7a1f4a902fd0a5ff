"""The charts of the analyst's views (altair): a project's monthly curve, completion by group, RAG mix.

Colours come from `workbench.present.theme` (plan grey, accent blue, the RAG and band colours),
so a chart agrees with the tables and cards beside it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.core.numbers import ratio
from workbench.core.words import MISSING, column_label, value_label, word
from workbench.present.display import BAND_CELLS, RAG_CELLS
from workbench.present.theme import ACCENT, PLAN, RAG_COLOURS


def progress_chart(progress: pd.DataFrame, lang: str = "zh"):
    """Cumulative planned vs completed investment (万元) by month of one project (altair)."""
    planned, completed = word("ui_cumulative_planned", lang), word("ui_cumulative_completed", lang)
    long = pd.concat(
        [
            pd.DataFrame({"month": progress["month"], "series": planned,
                          "value": progress["cumulative_planned"]}),
            pd.DataFrame({"month": progress["month"], "series": completed,
                          "value": progress["cumulative_completed"]}),
        ],
        ignore_index=True,
    ).dropna(subset=["value"])
    long["month"] = long["month"].dt.strftime("%Y-%m")
    unit = word("ui_wan", lang)
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=column_label("month", lang)),
            y=alt.Y("value:Q", title=f"{column_label('amount', lang)} ({unit})"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=[planned, completed], range=[PLAN, ACCENT]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("month:O", title=column_label("month", lang)),
                     alt.Tooltip("series:N", title=" "),
                     alt.Tooltip("value:Q", title=unit, format=",.0f")],
        )
        .properties(width=420, height=200)
    )


def completion_chart(table_frame: pd.DataFrame, by: str = "office", lang: str = "zh",
                     elapsed_share: float | None = None):
    """Share of the annual plan completed, by office/unit/level (bars), against 序时进度 (rule)."""
    grouped = table_frame.groupby(by, dropna=False)[["annual_plan", "ytd_completed"]].sum()
    grouped = grouped.reset_index()
    grouped["share"] = ratio(grouped["ytd_completed"], grouped["annual_plan"])
    grouped["group"] = grouped[by].map(lambda v: value_label(v, lang)).fillna(MISSING)
    share_title = column_label("completion_share", lang)
    bars = (
        alt.Chart(grouped)
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y("group:N", title=column_label(by, lang), sort="-x"),
            x=alt.X("share:Q", title=share_title, axis=alt.Axis(format="%")),
            tooltip=[alt.Tooltip("group:N", title=column_label(by, lang)),
                     alt.Tooltip("share:Q", title=share_title, format=".1%")],
        )
    )
    layers = [bars]
    if elapsed_share is not None:
        rule = pd.DataFrame({"elapsed": [float(elapsed_share)]})
        layers.append(alt.Chart(rule).mark_rule(color=RAG_COLOURS["red"], strokeDash=[4, 3]).encode(
            x="elapsed:Q", tooltip=[alt.Tooltip("elapsed:Q", title=column_label("elapsed_share", lang),
                                                format=".1%")]))
    return alt.layer(*layers).properties(width=360, height=max(80, 24 * len(grouped)))


def status_chart(table_frame: pd.DataFrame, column: str = "rag", lang: str = "zh"):
    """How many projects have each delivery RAG (or planning band), in their colours."""
    colours = RAG_CELLS if column == "rag" else BAND_CELLS
    counts = table_frame[column].value_counts().reindex(list(colours), fill_value=0).reset_index()
    counts.columns = ["code", "count"]
    counts["label"] = counts["code"].map(lambda v: value_label(v, lang))
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("label:N", title=column_label(column, lang), sort=list(counts["label"]),
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=word("ui_projects_count", lang)),
            color=alt.Color("label:N", legend=None, scale=alt.Scale(
                domain=list(counts["label"]), range=[colours[c][0] for c in counts["code"]])),
            tooltip=[alt.Tooltip("label:N", title=column_label(column, lang)),
                     alt.Tooltip("count:Q", title=word("ui_projects_count", lang))],
        )
        .properties(width=220, height=160)
    )
