"""The offline what-if panel for leaders: Vega-Lite charts whose sliders work with no kernel.

Weight sliders (altair ``param`` + ``binding_range``, one per planning dimension) re-rank
projects and responsible units: each project's score is recomputed in a Vega expression from
its per-dimension shares carried in the data (dimension points / rubric weight), exactly as
`workbench.whatif.outcome.reweighted` does in Python. An office dropdown (``binding_select``) narrows the
ranking. A slip slider picks, from curves the engine computed for 0…N months
(`workbench.whatif.applied.scenario_curve` with ``slip_all``), the year's cumulative investment forecast.

The returned chart is an ordinary altair chart: displayed in the quarterly-review notebook it
becomes a Vega-Lite output, which `workbench.publish` draws with its one inline Vega bundle.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.core.vocabulary import DIMENSIONS, OFFICES
from workbench.core.words import column_label, value_label, word
from workbench.present.theme import FONT
from workbench.whatif._dates import as_of_for
from workbench.whatif.applied import scenario_curve
from workbench.whatif.forecast import forecast_curve
from workbench.whatif.scenario import Scenario

#: The value of the office dropdown meaning "every office".
ALL = "__all__"


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
    as_of = as_of_for(ledger, as_of)
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
