"""The browser check itself, and a ledger with markup in a project name, opened in Chromium."""

from __future__ import annotations

import pytest

from tests.browser_cdp import visit
from tests.report_ledger import XSS_NAME, small_ledger
from workbench.publish import publish_report

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_browser_check_sees_requests_and_dialogs(tmp_path, chromium):
    """Negative control: a page that loads from the network and alerts is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png">'
                    "<script>alert('hi')</script></body></html>", encoding="utf-8")
    seen = visit(page, chromium, settle=2)
    assert seen.remote_requests == ["http://example.invalid/x.png"]
    assert seen.dialogs == ["hi"]


@pytest.fixture(scope="module")
def xss_report(tmp_path_factory):
    from workbench.sample.workbook import write_ledger_workbook

    folder = tmp_path_factory.mktemp("xss")
    ledger = write_ledger_workbook(small_ledger(), folder / "xss.xlsx")
    return publish_report("2022Q1", ledger, out=folder / "reports", pdf=False, progress=False,
                          log=lambda m: None)


def test_a_project_named_script_renders_as_text(xss_report, chromium):
    page = xss_report.html.read_text(encoding="utf-8")
    assert XSS_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    seen = visit(xss_report.html, chromium)
    assert seen.dialogs == []
    assert XSS_NAME in seen.probe["text"]  # shown to the reader as text
    assert seen.probe["drawn"] == seen.probe["charts"] > 0
    assert seen.remote_requests == []
