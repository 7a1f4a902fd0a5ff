"""The offline page: charts become escaped placeholders, nothing is loaded from elsewhere."""

from __future__ import annotations

import html

import nbformat
import pytest

from workbench.core.words import word
from workbench.exceptions import PublishError
from workbench.publish.offline_html import (
    WIDGET_MIME,
    chart_div,
    interactive,
    notebook_html,
    remote_references,
    with_chart_placeholders,
)


def test_chart_specs_are_escaped_into_placeholders():
    spec = {"title": "</script><script>alert(1)</script>", "mark": "bar"}
    div = chart_div(spec)
    assert "<script>" not in div and "&lt;/script&gt;" in div
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6+json": spec}),
        nbformat.v4.new_output("stream", name="stderr", text="a warning"),
    ]
    page_nb, charts = with_chart_placeholders(nb)
    assert charts == 1 and len(page_nb.cells[0].outputs) == 1
    assert page_nb.cells[0].outputs[0]["data"]["text/html"] == div


SLIDER = {"name": "w", "value": 3, "bind": {"input": "range", "min": 0, "max": 9, "name": "权重"}}


def test_a_chart_with_sliders_or_dropdowns_is_interactive():
    assert interactive({"vconcat": [{"mark": "bar"}], "params": [SLIDER]})
    assert interactive({"hconcat": [{"mark": "bar", "params": [SLIDER]}]})
    assert not interactive({"mark": "bar", "params": [{"name": "z", "bind": "scales",
                                                       "select": "interval"}]})
    assert not interactive({"mark": "bar", "params": [{"name": "p", "value": 1}]})


def _placeholders(*outputs, lang="zh"):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = list(outputs)
    page_nb, _ = with_chart_placeholders(nb, lang)
    return [o["data"]["text/html"] for o in page_nb.cells[0].outputs]


def test_paper_says_where_a_chart_with_sliders_is_live_in_the_pages_language():
    bound = {"mark": "bar", "params": [SLIDER]}
    plain = {"mark": "bar"}
    for lang in ("zh", "en"):
        html_bound, html_plain = _placeholders(
            nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6+json": bound}),
            nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6+json": plain}),
            lang=lang,
        )
        assert html_bound == (f'<p class="wb-print-note">{html.escape(word("print_live_chart", lang))}</p>'
                              + chart_div(bound))
        assert html_plain == chart_div(plain)
    assert "交互版本见 HTML 报告" in word("print_live_chart")


def test_a_widget_becomes_a_line_saying_where_it_works():
    widget = nbformat.v4.new_output("display_data", data={
        WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "VBox(children=(Dropdown(description='牵头科室'),))"})
    (shown,) = _placeholders(widget)
    assert shown == f'<p class="wb-note">{word("print_live_widget")}</p>'
    assert "VBox" not in shown and "make lab" in shown


def test_remote_references_are_found():
    assert remote_references('<script src="https://cdn.example/vega.js"></script>')
    assert remote_references('<link rel="stylesheet" href="https://fonts.example/x.css">')
    assert remote_references("<style>@import url(x.css)</style>")
    assert remote_references('<img src="http://example.com/a.png">')
    assert not remote_references('<img src="data:image/png;base64,AAA"><a href="#x">x</a>')
    assert not remote_references('<script>var s = "<img src=http://x>";</script>')


def test_a_page_that_would_load_from_elsewhere_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": '<img src="https://example.com/x.png">'})]
    with pytest.raises(PublishError, match="报告会从外部加载内容") as err:
        notebook_html(nb, title="t")
    assert "example.com" in err.value.value and err.value.exit_code == 1
