"""The offline page: charts become escaped placeholders, nothing is loaded from elsewhere."""

from __future__ import annotations

import nbformat
import pytest

from workbench.exceptions import PublishError
from workbench.publish.offline_html import (
    chart_div,
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
    with pytest.raises(PublishError, match="would load from elsewhere") as err:
        notebook_html(nb, title="t")
    assert "example.com" in err.value.value and err.value.exit_code == 1
