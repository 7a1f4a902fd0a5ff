"""The quarterly review executed on the bundled sample: every quarter of 2022, Chinese and English.

Slow by nature (one notebook execution per quarter and language, run once for the module);
each published page is then opened in headless Chromium, offline.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import nbformat
import pytest

from tests.browser_cdp import visit
from workbench.core import words as w
from workbench.publish import publish_year
from workbench.publish.index import published_reports
from workbench.publish.offline_html import remote_references

pytestmark = pytest.mark.slow  # one notebook run per quarter and language

QUARTERS = ["2022Q1", "2022Q2", "2022Q3", "2022Q4"]
LANGS = ["zh", "en"]
CHARTS = 6  # the review's own: cumulative, offices, funnel, funding, RAG matrix, bands
# (the what-if section appended by workbench.whatif.panel may add its own)


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_path):
    """Every quarter of 2022 in both languages, published once (PDFs for the Chinese ones)."""
    out = tmp_path_factory.mktemp("reports")
    pdf = shutil.which("chromium") is not None
    reports = {}
    for lang in LANGS:
        for p in publish_year(2022, sample_path, out=out, lang=lang, pdf=pdf and lang == "zh",
                              progress=False, log=lambda m: None):
            reports[(p.quarter, lang)] = p
    return out, reports


@pytest.fixture(scope="module")
def reviews(sample_path):
    """The figures of each quarter, computed here independently of the notebook."""
    from workbench.ingest.load import load_ledger
    from workbench.review.quarterly import quarterly_review

    ledger = load_ledger(sample_path)
    return {q: quarterly_review(ledger, q) for q in QUARTERS}


CASES = [(q, lang) for q in QUARTERS for lang in LANGS]


@pytest.mark.parametrize("quarter, lang", CASES)
def test_notebook_executes_for_every_quarter_and_language(published, quarter, lang):
    _, reports = published
    p = reports[(quarter, lang)]
    nb = nbformat.read(p.notebook, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert f'quarter = "{quarter}"' in injected[0].source
    assert p.html.is_file()


@pytest.mark.parametrize("quarter, lang", CASES)
def test_html_is_offline_without_code_with_one_vega_bundle(published, reviews, quarter, lang):
    _, reports = published
    page = reports[(quarter, lang)].html.read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert page.count("window.vegaEmbed=") == 1
    assert page.count('class="wb-chart"') >= CHARTS
    assert 'class="jp-InputArea' not in page and 'class="jp-Cell-inputWrapper' not in page
    assert "use_in_notebook()" not in page and "quarterly_review(" not in page
    assert "Noto Sans CJK SC" in page
    h = reviews[quarter].headline
    title = "重点项目建设讲评" if lang == "zh" else "Key projects review"
    assert title in page
    assert w.yi(h["ytd_completed"]) in page


@pytest.mark.browser
@pytest.mark.parametrize("quarter, lang", CASES)
def test_browser_draws_every_chart_offline(published, chromium, quarter, lang):
    _, reports = published
    seen = visit(reports[(quarter, lang)].html, chromium)
    probe = seen.probe
    assert probe["charts"] >= CHARTS
    assert probe["drawn"] == probe["charts"], probe
    assert all(n > 5 for n in probe["marks"]), probe["marks"]
    assert probe["chart_errors"] == 0 and probe["code_cells"] == 0
    assert probe["scripts_with_src"] == 0
    assert "Error loading script" not in probe["text"]
    assert seen.remote_requests == [] and seen.failed == []
    assert seen.console_errors == []
    assert seen.dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("quarter", QUARTERS)
def test_pdf_states_the_headline_figures_in_chinese(published, reviews, chromium, quarter):
    _, reports = published
    pdf = reports[(quarter, "zh")].pdf
    assert pdf is not None and pdf.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    h = reviews[quarter].headline
    assert f"累计完成投资{w.yi(h['ytd_completed'])}亿元" in flat
    assert f"占年度计划{w.yi(h['annual_plan'])}亿元的{w.pct(h['completion_share'])}%" in flat
    assert f"序时进度（{w.pct(h['elapsed_share'])}%）{w.magnitude(h['points_vs_elapsed'])}个百分点" in flat
    assert "落后项目及存在问题" in flat


def test_index_lists_every_report_newest_first(published):
    out, reports = published
    listed = published_reports(out)
    assert len(listed) == len(CASES)
    assert [r["published"] for r in listed] == sorted((r["published"] for r in listed),
                                                      reverse=True)
    page = (out / "index.html").read_text(encoding="utf-8")
    for p in reports.values():
        assert f'href="{p.folder.name}/quarterly_review.html"' in page


@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("lang", LANGS)
def test_sample_narrative_numbers_equal_the_tables(reviews, quarter, lang):
    from tests.review.test_review import _narrative_numbers, _table_numbers

    numbers = _narrative_numbers(reviews[quarter], lang)
    assert len(numbers) >= 20
    missing = [n for n in numbers if n not in _table_numbers(reviews[quarter], lang)]
    assert not missing, missing
