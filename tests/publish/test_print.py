"""The quarterly review on paper: no sliders or dropdowns, cards and table rows kept whole.

The sample's 2022Q4 review is published with its PDF; ``pdftotext`` reads what was printed.
A second print of the same page, with invisible markers in every table row
(`tests.print_check`), shows on which page each row landed.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.print_check import bound_inputs, break_problems, marked_page, page_texts, row_pages
from workbench.core.words import word
from workbench.publish import publish_report
from workbench.publish.pdf import print_pdf

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def review(tmp_path_factory, sample_path, chromium):
    folder = tmp_path_factory.mktemp("print")
    return publish_report("2022Q4", sample_path, out=folder / "reports", progress=False,
                          log=lambda m: None)


@pytest.fixture(scope="module")
def marked(review, chromium, tmp_path_factory):
    """The review's page printed again with a marker in every table row: (pdf, rows a table)."""
    page, counts = marked_page(review.html.read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("marked")
    (folder / "marked.html").write_text(page, encoding="utf-8")
    return print_pdf(folder / "marked.html", folder / "marked.pdf", chromium), counts


def test_no_slider_or_dropdown_is_printed_and_paper_says_where_the_live_version_is(review):
    page = review.html.read_text(encoding="utf-8")
    inputs = bound_inputs(page)
    assert len(inputs) >= 8, inputs  # the what-if panel's weights, office and slip
    printed = _flat("".join(page_texts(review.pdf)))
    assert [i for i in inputs if i in printed] == []
    assert _flat(word("print_live_chart")) in printed
    assert "交互版本见HTML报告" in printed
    assert "拖动" not in printed and "滑块" not in printed  # no instructions to drag paper


def test_the_live_version_line_is_not_on_screen(review):
    page = review.html.read_text(encoding="utf-8")
    assert page.count('class="wb-print-note"') == 1
    assert re.search(r"\.wb-print-note\s*\{\s*display:\s*none", page)


def test_markers_do_not_move_the_layout(review, marked):
    pdf, _ = marked
    assert len(page_texts(pdf)) == len(page_texts(review.pdf))


def test_no_table_row_is_split_stranded_or_left_without_its_header(marked):
    pdf, counts = marked
    assert sum(counts.values()) > 100
    assert break_problems(pdf, counts) == []
    rows, _ = row_pages(pdf)
    spans = {t: {p for (tt, _), pages in rows.items() if tt == t for p in pages} for t in counts}
    assert max(len(pages) for pages in spans.values()) >= 2  # a table does continue on a new page


def test_the_headline_cards_share_one_row(review):
    """Six cards fit one row of A4; before, the sixth wrapped alone onto a second row."""
    page = review.html.read_text(encoding="utf-8")
    values = [v.strip() for v in re.findall(r'<div class="wb-kpi-value[^"]*">([^<]*)<', page)]
    assert 2 <= len(values) <= 6, values
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(review.pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    line = next(line for line in text.splitlines() if values[0] in line.split())
    assert line.split() == values, line
