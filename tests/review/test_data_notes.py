"""The first page's warning box and the 数据说明 appendix: nothing added for a plausible ledger,
the warnings stated (escaped) otherwise, the file's hash and the mapping in the appendix."""

from __future__ import annotations

import hashlib

import pandas as pd

from tests.report_ledger import XSS_NAME, small_ledger
from workbench.review.data_notes import data_appendix, warning_box


def test_no_box_for_a_plausible_ledger():
    assert warning_box(small_ledger()) == ""
    assert warning_box(None) == ""


def test_the_box_states_each_warning_escaped():
    ledger = small_ledger()
    ledger = ledger.replace(projects=ledger.projects.assign(annual_plan=0.0))
    box = warning_box(ledger, "zh")
    assert "年度计划投资（台账中无此列）在 4 个项目中 4 个为空或为零" in box
    assert "Annual plan" in warning_box(ledger, "en")


def test_the_appendix_names_file_hash_mapping_reconciliation(tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"not really a workbook")
    mapping = pd.DataFrame({"sheet": ["台账"], "table": ["projects"], "field": ["name"],
                            "column": ["C"], "header": ["项目<名称>"], "hidden": [False],
                            "unit": [""], "factor": [1.0], "samples": [XSS_NAME]})
    recon = pd.DataFrame([{"file": "ledger.xlsx", "sheet": "台账", "table": "projects", "rows": 9,
                           "title": 1, "unit": 1, "header": 1, "blank": 0, "category": 0,
                           "total": 1, "note": 0, "data": 5, "accepted": 5, "rejected": 0,
                           "skipped": 0, "balanced": True}])
    html = data_appendix(small_ledger().replace(mapping=mapping, reconciliation=recon), "zh", path)
    assert hashlib.sha256(b"not really a workbook").hexdigest() in html
    assert "ledger.xlsx" in html and "项目&lt;名称&gt;" in html and XSS_NAME not in html
    assert "行数核对" in html and "已读入" in html
