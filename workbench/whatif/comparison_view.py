"""Base vs scenario for reading: headline table, curve chart, sections, HTML and plain text.

The analysts' notebook (`workbench.whatif.controls.live_comparison`), the quarterly review
(`workbench.whatif.report.report_section`) and the ``workbench whatif`` command all show a
`Comparison` through these.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.core.words import column_label, word
from workbench.present.theme import chart_svg

#: How each headline measure is written (see workbench.core.words).
MEASURE_KINDS = {
    "annual_target": "yi",
    "completed_to_date": "yi",
    "year_end_forecast": "yi",
    "forecast_share_of_target": "pct",
    "gap_to_target": "yi",
    "projects_slipped": "count",
    "projects_stopped": "count",
    "projects_brought_forward": "count",
    "mean_planning_score": "score",
}


def headline_frame(comparison, lang: str = "zh") -> pd.DataFrame:
    """The headline measures, base vs scenario, written for reading (亿元, %, counts)."""
    from workbench.core import words as w

    write = {"yi": w.yi, "pct": w.pct, "count": w.count, "score": w.score}
    rows = []
    for record in comparison.headline.to_dict("records"):
        kind = MEASURE_KINDS[record["measure"]]
        suffix = {"yi": word("ui_yi", lang), "pct": "%"}.get(kind)
        unit = "" if suffix is None else (f"（{suffix}）" if lang == "zh" else f" ({suffix})")
        rows.append({
            "measure": word(f"whatif_{record['measure']}", lang) + unit,
            "base": write[kind](record["base"]),
            "scenario": write[kind](record["scenario"]),
            "change": write[kind](record["change"]),
        })
    return pd.DataFrame(rows)


def movers(comparison, n: int = 10) -> pd.DataFrame:
    """The `n` projects whose rank or forecast moves most (rank first, then forecast)."""
    p = comparison.projects
    moved = p.assign(_r=p["rank_change"].abs(), _f=p["forecast_change"].abs())
    moved = moved[(moved["_r"] > 0) | (moved["_f"] > 0.005)]
    return moved.sort_values(["_r", "_f"], ascending=False).head(n).drop(columns=["_r", "_f"])


def curve_chart(comparison, lang: str = "zh") -> alt.Chart:
    """Cumulative investment through the year: plan, base forecast, scenario forecast (亿元)."""
    c = comparison.curve
    series = {"plan": word("whatif_plan", lang), "base": word("whatif_base", lang),
              "scenario": word("whatif_scenario", lang)}
    long = pd.concat(
        [pd.DataFrame({"month": c["month"], "series": label, "yi": (c[key] / 1e4).round(2)})
         for key, label in series.items()],
        ignore_index=True,
    )
    month = column_label("month", lang)
    return (
        alt.Chart(long, title=word("whatif_curve_title", lang))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title=month, axis=alt.Axis(format="%m")),
            y=alt.Y("yi:Q", title=word("ui_yi", lang)),
            color=alt.Color("series:N", title=None, sort=list(series.values()),
                            scale=alt.Scale(range=["#9aa5b1", "#1d5fa8", "#c62828"])),
            strokeDash=alt.StrokeDash("series:N", sort=list(series.values()), legend=None,
                                      scale=alt.Scale(range=[[4, 3], [1, 0], [1, 0]])),
            tooltip=[alt.Tooltip("month:T", format="%Y-%m", title=month),
                     alt.Tooltip("series:N", title=" "), alt.Tooltip("yi:Q", title=word("ui_yi", lang))],
        )
        .properties(width=560, height=260)
    )


def comparison_sections(comparison, lang: str = "zh") -> list:
    """Everything a reader needs about one scenario: headline, curve, starts, RAG, ranks, movers."""
    from workbench.present.html import Html, esc
    from workbench.present.html import html_table as table

    def heading(key: str, level: int = 3) -> Html:
        return Html(f"<h{level}>{esc(word(key, lang))}</h{level}>")

    s = comparison.scenario
    title = f"{word('whatif_heading', lang)}：{s.name}" if lang == "zh" else \
        f"{word('whatif_heading', lang)}: {s.name}"
    intro = Html(f"<h2>{esc(title)}</h2>" + (f"<p>{esc(s.description)}</p>" if s.description else ""))
    units = comparison.units.sort_values(["rank_scenario", "responsible_unit"])
    return [
        intro,
        table(headline_frame(comparison, lang),
              [("measure", "text"), ("base", "text"), ("scenario", "text"), ("change", "text")], lang),
        curve_chart(comparison, lang),
        heading("whatif_quarters"),
        table(comparison.quarters,
              [("quarter", "text"), ("planned_starts", "count"), ("base_rate", "pct"),
               ("scenario_rate", "pct"), ("rate_change_points", "points"),
               ("base_starts", "count"), ("scenario_starts", "count")], lang),
        heading("whatif_rags"),
        table(comparison.rag, [("rag", "rag"), ("base", "count"), ("scenario", "count"), ("change", "count")], lang),
        heading("whatif_bands"),
        table(comparison.bands,
              [("band", "band"), ("base", "count"), ("scenario", "count"), ("change", "count")], lang),
        heading("whatif_units_table"),
        table(units, [("responsible_unit", "text"), ("total_base", "score"), ("rank_base", "count"),
                      ("total_scenario", "score"), ("rank_scenario", "count"),
                      ("forecast_share_base", "pct"), ("forecast_share_scenario", "pct"),
                      ("forecast_rank_change", "count")], lang),
        heading("whatif_movers"),
        table(movers(comparison), [("name", "text"), ("responsible_unit", "text"),
                                   ("score_base", "score"), ("score_scenario", "score"),
                                   ("rank_base", "count"), ("rank_scenario", "count"),
                                   ("forecast_base", "yi"), ("forecast_scenario", "yi"),
                                   ("slip_months", "count")], lang),
    ]


def comparison_html(comparison, lang: str = "zh") -> str:
    """`comparison_sections` as one HTML fragment (charts as inline SVG)."""
    return "".join(chart_svg(item) if isinstance(item, alt.TopLevelMixin) else str(item)
                   for item in comparison_sections(comparison, lang))


def comparison_text(comparison, lang: str = "zh") -> str:
    """The headline and the quarter start rates as plain text (for the terminal)."""
    from workbench.core import words as w
    from workbench.core.words import column_labels

    head = headline_frame(comparison, lang)
    quarters = comparison.quarters.assign(
        base_rate=comparison.quarters["base_rate"].map(w.pct),
        scenario_rate=comparison.quarters["scenario_rate"].map(w.pct),
        rate_change_points=comparison.quarters["rate_change_points"].map(w.points),
    )[["quarter", "planned_starts", "base_rate", "scenario_rate", "rate_change_points"]]
    s = comparison.scenario
    lines = [f"{word('whatif_heading', lang)}: {s.name} ({comparison.as_of:%Y-%m-%d})"]
    for frame in (head, quarters):
        lines += ["", frame.rename(columns=column_labels(frame.columns, lang)).to_string(index=False)]
    return "\n".join(lines)
