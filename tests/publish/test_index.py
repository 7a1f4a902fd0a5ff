"""The index page: every published report, newest first, relative links, every value escaped."""

from __future__ import annotations

import json

from tests.report_ledger import XSS_NAME
from workbench.publish import write_index
from workbench.publish.index import index_html
from workbench.publish.offline_html import remote_references


def test_index_is_newest_first_relative_and_escaped(tmp_path):
    for folder, published, title in [("2022Q1", "2023-01-01T10:00:00", "一季度"),
                                     ("2022Q2", "2023-02-01T10:00:00", XSS_NAME)]:
        (tmp_path / folder).mkdir()
        meta = {"quarter": folder, "lang": "zh", "title": title, "published": published,
                "files": ["quarterly_review.html", "quarterly_review.pdf"]}
        (tmp_path / folder / "report.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "_failed" / "x").mkdir(parents=True)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert page.index("2022Q2/quarterly_review.html") < page.index("2022Q1/quarterly_review.html")
    assert XSS_NAME not in page and "&lt;script&gt;" in page
    assert "_failed" not in page and not remote_references(page)
    assert "尚无" in index_html([])
