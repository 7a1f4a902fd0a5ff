"""The workbench's look: fonts, colours and the altair theme every chart uses.

Large type in Noto Sans CJK SC (the font the PDF printer has for Chinese), a restrained
palette, and one set of RAG and band colours for charts, tables, cards and the report's CSS.
Charts are shown in notebooks as Vega-Lite mime bundles, which the published page draws offline
with its one inline copy of Vega.
"""

from __future__ import annotations

import altair as alt

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
#: Text colour readable on each band or RAG colour (cells, badges, cards).
TEXT_ON = {"green": "#ffffff", "amber_green": INK, "amber": INK, "amber_red": "#ffffff",
           "red": "#ffffff", "none": "#ffffff"}
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


def themed(chart):
    """`chart` configured with the workbench theme (fonts, sizes, palette)."""
    return chart.configure(**CONFIG)


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


def chart_svg(chart) -> str:
    """An altair chart drawn as inline SVG by vl-convert (offline: no script, no network)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())
