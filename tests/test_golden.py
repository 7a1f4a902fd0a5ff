"""What a reader receives is unchanged by reorganising the code: the sample's report pages and
score workbook equal the golden copies made before the move (see tests/golden.py)."""

from __future__ import annotations

import difflib

import pandas as pd
import pytest

from tests.golden import (
    GOLDEN,
    REPORTS,
    golden_page_name,
    render_report,
    workbook_sheets,
    write_scores,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("quarter, lang", REPORTS)
def test_report_page_equals_golden_copy(tmp_path, quarter, lang):
    page = render_report(quarter, lang, tmp_path)
    golden = (GOLDEN / golden_page_name(quarter, lang)).read_text(encoding="utf-8")
    if page != golden:
        diff = difflib.unified_diff(golden.splitlines(), page.splitlines(), "golden", "now", n=1,
                                    lineterm="")
        pytest.fail("report page differs from the golden copy:\n" + "\n".join(list(diff)[:40]))


def test_score_workbook_equals_golden_copy(tmp_path):
    now = workbook_sheets(write_scores(tmp_path))
    golden = workbook_sheets(GOLDEN / "scores.xlsx")
    assert list(now) == list(golden)
    for sheet, frame in golden.items():
        pd.testing.assert_frame_equal(now[sheet], frame, check_exact=True, obj=sheet)
