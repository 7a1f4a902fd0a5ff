"""Files as they arrive from county offices: Excel's "Unicode text" export, a CSV named .xlsx,
files that only look like workbooks (each refused with its own message naming the file), and
formulas saved without results in sheets of any size."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbench.exceptions import LedgerReadError
from workbench.ingest import sheetxml
from workbench.ingest.load import load_ledger
from workbench.ingest.readers import read_sheets, uncalculated_formulas

LEDGERS = Path(__file__).parents[1] / "fixtures" / "ledgers"
TABLE = [["某县2022年重点项目台账", "", "", ""], ["项目名称", "建设性质", "总投资", "年度计划投资"],
         ["县医院综合楼", "新建", "30,000", "8000"], ["智慧城市一期", "续建", "10000", "2500"]]


def _text(rows, sep):
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("name", ["unicode.txt", "unicode.csv"])
def test_excel_unicode_text_utf16_tab_separated_loads(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_text(TABLE, "\t").encode("utf-16"))  # BOM FF FE, as Excel writes it
    assert path.read_bytes()[:2] == b"\xff\xfe"
    ledger = load_ledger(path)
    assert list(ledger.projects["total_investment"]) == [30000.0, 10000.0]
    assert ledger.year == 2022


def test_utf16_without_bom_loads(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes(_text(TABLE, "\t").encode("utf-16-le"))
    assert list(load_ledger(path).projects["name"]) == ["县医院综合楼", "智慧城市一期"]


@pytest.mark.parametrize("suffix, encoding, sep", [(".xlsx", "gb18030", ","), (".xls", "utf-16", "\t"),
                                                   (".xlsx", "utf-8-sig", ",")])
def test_text_named_like_a_workbook_is_read_as_text_with_a_warning(tmp_path, suffix, encoding, sep):
    path = tmp_path / f"台账{suffix}"
    path.write_bytes(_text(TABLE, sep).encode(encoding))
    ledger = load_ledger(path)
    assert list(ledger.projects["annual_plan"]) == [8000.0, 2500.0]
    found = ledger.findings[ledger.findings["rule"] == "file_misnamed"]
    assert len(found) == 1
    assert suffix in found.iloc[0]["message_zh"] and "CSV" in found.iloc[0]["message_zh"]


def _truncated(tmp_path):
    whole = (LEDGERS / "base.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _word(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize("source, name, kind", [("layout_xls.xls", "old.xlsx", "XLS"),
                                                ("layout_one_row_yi.xlsx", "new.xls", "XLSX")])
def test_a_workbook_of_the_other_format_is_read_as_what_it_is(tmp_path, source, name, kind):
    shutil.copy(LEDGERS / source, tmp_path / name)
    ledger = load_ledger(tmp_path / name)
    assert ledger.projects.equals(load_ledger(LEDGERS / source).projects)
    found = ledger.findings[ledger.findings["rule"] == "file_misnamed"]
    assert len(found) == 1 and kind in found.iloc[0]["message_zh"]


def _pdf(tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return path


def _html(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>项目名称</td></tr></table></body></html>", encoding="utf-8")
    return path


def _binary(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    return path


@pytest.mark.parametrize("make, words", [
    (_truncated, "已损坏（文件不完整"), (_word, "Word文档"),
    (_pdf, "PDF文件"), (_html, "网页（HTML）"), (_binary, "不是有效的Excel文件"),
])
def test_each_unreadable_case_has_its_own_chinese_message_naming_the_file(tmp_path, make, words):
    path = make(tmp_path)
    with pytest.raises(LedgerReadError) as info:
        read_sheets(path)
    assert words in str(info.value)
    assert f"“{path.name}”" in str(info.value)
    assert info.value.file == str(path)


def _formula_book(path, rows=3000, hidden=(10, 2500)):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for r in range(1, rows + 1):
        ws.cell(r, 1, r)
        ws.cell(r, 2, f"=A{r}*2")  # openpyxl saves formulas without a computed value
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["C"].hidden = True
    wb.save(path)
    return path


def test_formula_scan_is_streamed_and_has_no_size_limit(tmp_path, monkeypatch):
    path = _formula_book(tmp_path / "f.xlsx")
    assert uncalculated_formulas(path) == {"台账": 3000}
    monkeypatch.setattr(sheetxml, "_CHUNK", 997)  # cut the XML anywhere: the counts hold
    scans = sheetxml.scan_workbook(path)
    assert scans["台账"].uncalculated == 3000
    assert scans["台账"].hidden_rows == {9, 2499}
    assert scans["台账"].hidden_cols == {2}
    assert not hasattr(sheetxml, "_SCAN_LIMIT")


def test_hidden_rows_and_columns_reach_the_raw_sheet(tmp_path):
    sheet = read_sheets(_formula_book(tmp_path / "h.xlsx", rows=20, hidden=(3,)))[0]
    assert (sheet.hidden_rows, sheet.hidden_cols, sheet.uncalculated) == (frozenset({2}), frozenset({2}), 20)
