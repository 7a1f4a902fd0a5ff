"""The offline what-if panel for leaders: Vega-Lite charts whose sliders work with no kernel.

Weight sliders (altair ``param`` + ``binding_range``, one per planning dimension) re-rank
projects and responsible units: each project's score is recomputed in a Vega expression from
its per-dimension shares carried in the data (dimension points / rubric weight), exactly as
`workbench.whatif.whatif.reweighted` does in Python. An office dropdown (``binding_select``) narrows the
ranking. A slip slider picks, from curves the engine computed for 0…N months
(`workbench.whatif.whatif.apply` with ``slip_all``), the year's cumulative investment forecast.

The returned chart is an ordinary altair chart: displayed in the quarterly-review notebook it
becomes a Vega-Lite output, which `workbench.publish.publish` draws with its one inline Vega bundle.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.core.vocabulary import DIMENSIONS, OFFICES
from workbench.core.words import column_label, value_label, word
from workbench.present.theme import chart_svg
from workbench.whatif.whatif import Scenario, data_as_of, forecast_curve, scenario_curve

#: The value of the office dropdown meaning "every office".
ALL = "__all__"
FONT = "Noto Sans CJK SC"


def weight_param(dimension: str, weight: float, lang: str = "zh", top: float = 50) -> alt.Parameter:
    """A slider (0…`top` points) for one dimension's weight, starting at the rubric's weight."""
    label = f"{column_label(dimension, lang)} {word('whatif_weight', lang)}"
    return alt.param(
        name=f"w_{dimension}",
        value=weight,
        bind=alt.binding_range(min=0, max=top, step=1, name=label),
    )


def office_param(lang: str = "zh") -> alt.Parameter:
    """A dropdown of offices ("all" first) narrowing the project ranking."""
    return alt.param(
        name="office_pick",
        value=ALL,
        bind=alt.binding_select(
            options=[ALL, *OFFICES],
            labels=[word("ui_all", lang), *(value_label(o, lang) for o in OFFICES)],
            name=column_label("office", lang) + " ",
        ),
    )


def slip_param(max_slip: int, lang: str = "zh") -> alt.Parameter:
    """A slider of months every unstarted project slips (0…`max_slip`)."""
    return alt.param(
        name="slip",
        value=0,
        bind=alt.binding_range(min=0, max=max_slip, step=1, name=word("whatif_slip", lang) + " "),
    )


def score_expression(dimensions=DIMENSIONS) -> str:
    """The Vega expression of a project's score from its shares and the weight parameters."""
    weighted = " + ".join(f"datum.share_{d} * w_{d}" for d in dimensions)
    total = " + ".join(f"w_{d}" for d in dimensions)
    return f"round(1000 * ({weighted}) / max(0.000001, {total})) / 10"


def ranking_data(planning: pd.DataFrame, projects: pd.DataFrame, rubric, lang: str = "zh") -> pd.DataFrame:
    """One row a project: name, office, unit and each dimension's share of its weight (0–1)."""
    p = projects.set_index("project_id")
    s = planning.set_index("project_id").reindex(p.index)
    data = pd.DataFrame(
        {
            "project_id": p.index,
            "name": p["name"].to_numpy(),
            "office": p["office"].to_numpy(),
            "office_label": [value_label(o, lang) for o in p["office"]],
            "unit": p["responsible_unit"].fillna(word("ui_none", lang)).to_numpy(),
        }
    )
    for d, w in rubric.weights().items():
        data[f"share_{d}"] = (s[d] / w).fillna(0).round(4).to_numpy() if w else 0.0
    return data


def slip_curves(ledger, as_of=None, max_slip: int = 12) -> pd.DataFrame:
    """The year's cumulative forecast (亿元) by month for every slip of 0…`max_slip` months."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    frames = []
    for n in range(max_slip + 1):
        curve = scenario_curve(ledger, Scenario(slip_all=n), as_of)
        frames.append(pd.DataFrame({"month": curve["month"], "slip": n,
                                    "forecast_yi": (curve["forecast"] / 1e4).round(2)}))
    out = pd.concat(frames, ignore_index=True)
    plan = forecast_curve(ledger, as_of)
    out["plan_yi"] = out["month"].map(dict(zip(plan["month"], (plan["plan"] / 1e4).round(2), strict=True)))
    return out


def project_ranking_chart(data: pd.DataFrame, top: int, lang: str = "zh") -> alt.Chart:
    """Bars of the `top` projects by the re-weighted score, re-sorted as the sliders move."""
    score = column_label("score", lang)
    return (
        alt.Chart(data, title=word("whatif_top_projects", lang).format(n=top))
        .transform_calculate(score=score_expression())
        .transform_filter(f"office_pick == '{ALL}' || datum.office == office_pick")
        .transform_window(rank="row_number()", sort=[alt.SortField("score", order="descending"),
                                                     alt.SortField("project_id")])
        .transform_filter(f"datum.rank <= {int(top)}")
        .mark_bar(color="#2f6f9f")
        .encode(
            x=alt.X("score:Q", title=score, scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(values=[0, 25, 50, 75, 100])),
            y=alt.Y("name:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
            tooltip=[alt.Tooltip("rank:Q", title="#"), alt.Tooltip("name:N", title=column_label("name", lang)),
                     alt.Tooltip("office_label:N", title=column_label("office", lang)),
                     alt.Tooltip("score:Q", title=score)],
        )
        .properties(width=360, height=alt.Step(16), name="wb_whatif_projects")
    )


def unit_ranking_chart(data: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Bars of responsible units by mean re-weighted score, re-sorted as the sliders move."""
    score = word("whatif_mean_score", lang)
    return (
        alt.Chart(data, title=word("whatif_units", lang))
        .transform_calculate(score=score_expression())
        .transform_aggregate(mean_score="mean(score)", groupby=["unit"])
        .transform_calculate(mean_score="round(10 * datum.mean_score) / 10")
        .mark_bar(color="#6a8f3a")
        .encode(
            x=alt.X("mean_score:Q", title=score, scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(values=[0, 25, 50, 75, 100])),
            y=alt.Y("unit:N", title=None, sort="-x"),
            tooltip=[alt.Tooltip("unit:N", title=column_label("responsible_unit", lang)),
                     alt.Tooltip("mean_score:Q", title=score)],
        )
        .properties(width=300, height=alt.Step(16), name="wb_whatif_units")
    )


def forecast_chart(curves: pd.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """The cumulative plan and the forecast for the slip the slider picks (亿元)."""
    month = column_label("month", lang)
    yi = word("ui_yi", lang)
    base = alt.Chart(curves).encode(x=alt.X("month:T", title=month, axis=alt.Axis(format="%m")))
    plan = base.transform_filter("datum.slip == 0").mark_line(strokeDash=[4, 3], color="#888").encode(
        y=alt.Y("plan_yi:Q", title=f"{word('whatif_forecast', lang)} ({yi})"),
        tooltip=[alt.Tooltip("month:T", format="%Y-%m", title=month),
                 alt.Tooltip("plan_yi:Q", title=word("ui_cumulative_planned", lang))],
    )
    forecast = base.transform_filter("datum.slip == slip").mark_line(point=True, color="#c0392b").encode(
        y="forecast_yi:Q",
        tooltip=[alt.Tooltip("month:T", format="%Y-%m", title=month),
                 alt.Tooltip("forecast_yi:Q", title=word("whatif_forecast_line", lang))],
    )
    end = (
        base.transform_filter("datum.slip == slip && month(datum.month) == 11")
        .mark_text(align="right", dx=-6, dy=-10, color="#c0392b")
        .encode(y="forecast_yi:Q", text=alt.Text("forecast_yi:Q", format=".2f"))
    )
    return alt.layer(plan, forecast, end, title=word("whatif_forecast_title", lang)).properties(
        width=420, height=240, name="wb_whatif_forecast"
    )


def whatif_panel(ledger, planning: pd.DataFrame, rubric, as_of=None, lang: str = "zh", top: int = 15,
                 max_slip: int = 12) -> alt.VConcatChart:
    """The leaders' what-if panel: weight sliders, office dropdown, slip slider and three charts."""
    data = ranking_data(planning, ledger.projects, rubric, lang)
    curves = slip_curves(ledger, as_of, max_slip)
    params = [weight_param(d, w, lang) for d, w in rubric.weights().items()]
    params += [office_param(lang), slip_param(max_slip, lang)]
    ranks = alt.hconcat(project_ranking_chart(data, top, lang), unit_ranking_chart(data, lang))
    return (
        alt.vconcat(ranks, forecast_chart(curves, lang))
        .add_params(*params)
        .configure(font=FONT)
        .configure_view(stroke=None)
    )


# --- base vs scenario: the tables and the chart (analysts' notebook and the quarterly review) ---

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


def show_comparison(comparison, lang: str = "zh") -> None:
    """Display `comparison_sections` (in a notebook, inside the widgets' output area)."""
    from IPython.display import display

    display(*comparison_sections(comparison, lang))


def comparison_html(comparison, lang: str = "zh") -> str:
    """`comparison_sections` as one HTML fragment (charts as inline SVG)."""
    return "".join(chart_svg(item) if isinstance(item, alt.TopLevelMixin) else str(item)
                   for item in comparison_sections(comparison, lang))


def live_comparison(session, controls: dict, lang: str = "zh"):
    """An HTML widget showing the comparison of the controls' scenario, redrawn in place on
    every change (widget state, so it also updates in Voilà; a refused scenario shows why)."""
    import html

    import ipywidgets as ipw

    from workbench.exceptions import WorkbenchError
    from workbench.present.widgets import values_of
    from workbench.whatif.whatif import scenario_from_values

    view = ipw.HTML(layout=ipw.Layout(width="100%"))

    def update(_change=None) -> None:
        try:
            comparison = session.run(scenario_from_values(**values_of(controls)))
        except WorkbenchError as exc:
            view.value = f'<p class="wb-note">{html.escape(str(exc))}</p>'
            return
        view.value = comparison_html(comparison, lang)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    view.update = update  # callable from code and tests
    return view


def report_section(ledger, as_of, lang: str = "zh", rubric=None, scenario: str = "") -> list:
    """The quarterly review's what-if part: the leaders' offline panel, then, when a scenario
    file is given, base vs scenario (`comparison_sections`)."""
    from workbench.present.html import Html, esc
    from workbench.whatif.whatif import WhatIf, load_scenario

    session = WhatIf(ledger, as_of, rubric)
    items = [
        Html(f"<h2>{esc(word('whatif_panel_heading', lang))}</h2>"),
        whatif_panel(ledger, session.base.planning, session.rubric, session.base.as_of, lang),
    ]
    if scenario:
        items += comparison_sections(session.run(load_scenario(scenario)), lang)
    return items


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
