"""Read a ledger file into raw sheets: a grid of cell values per sheet, Excel row 1 = index 0.

Excel workbooks (.xlsx/.xlsm/.xls/.xlsb/.ods) are read with calamine (fast, no formulas
evaluated: the cached values Excel saved are used); merged ranges come from calamine too, hidden
rows and columns from the sheet XML (``sheetxml``), so openpyxl is not needed. UTF-16 text
(Excel's "Unicode text") is read like a CSV. CSV text is decoded strictly as UTF-8 (with or without BOM), then
GB18030 (a superset of GBK); a decode that does not look like Chinese text is refused rather
than guessed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.speedups import collector_paused
from workbench.core.words import error_message
from workbench.exceptions import LedgerReadError
from workbench.ingest.odsxml import scan_ods
from workbench.ingest.sheetxml import SheetScan, scan_workbook

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted .xlsx


@dataclass
class RawSheet:
    """One sheet as read: rows of cell values ('' or None for empty), merged ranges."""

    name: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    encoding: str | None = None
    uncalculated: int = 0  # formula cells saved without a computed value (read as empty)
    hidden_rows: frozenset[int] = frozenset()  # grid indices of rows hidden in Excel
    hidden_cols: frozenset[int] = frozenset()  # grid indices of hidden columns
    read_as: str | None = None  # what a misnamed file was read as ("csv" for text named .xlsx)
    hidden_unknown: str = ""  # the format, when it does not tell what is hidden (".xlsb")


def read_sheets(path: Path, encoding: str | None = None) -> list[RawSheet]:
    """Every sheet of a ledger file, in workbook order; LedgerReadError when unreadable."""
    path = Path(path)
    if not path.exists():
        raise LedgerReadError(error_message("file_not_found", path=path), file=str(path))
    if path.is_dir():
        raise LedgerReadError(error_message("file_is_folder", path=path), file=str(path))
    if path.stat().st_size == 0:
        raise LedgerReadError(error_message("file_empty", path=path), file=str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [read_csv_sheet(path, encoding)]
    if suffix in EXCEL_SUFFIXES:
        return read_excel_sheets(path)
    raise LedgerReadError(error_message("not_a_spreadsheet", path=path, suffix=suffix or "—"),
                          file=str(path), value=suffix)


def read_excel_sheets(path: Path) -> list[RawSheet]:
    """All visible worksheets of an Excel workbook through calamine, with what the sheet XML
    adds (hidden rows and columns, formulas saved without results); a text file named like a
    workbook is read as text, anything else that is no workbook is refused with its own message."""
    with path.open("rb") as f:
        head = f.read(8192)
    suffix = path.suffix.lower()
    if not head.startswith((b"PK", _OLE_MAGIC)):
        return [_not_a_workbook(path, head)]
    read_as = None
    if suffix in {".xlsx", ".xlsm"} and head.startswith(_OLE_MAGIC):
        if _ole_encrypted(path):
            raise LedgerReadError(error_message("workbook_encrypted", path=path, name=path.name),
                                  file=str(path))
        read_as = "xls"  # an old-format workbook renamed .xlsx: read as what it is
    zipped = head.startswith(b"PK") and suffix in {".xlsx", ".xlsm", ".xls"}
    if zipped:
        if not zipfile.is_zipfile(path):
            raise LedgerReadError(error_message("workbook_cut_short", path=path, name=path.name,
                                                suffix=suffix), file=str(path))
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
        if "xl/workbook.xml" not in names:
            kind = "Word" if "word/document.xml" in names else (
                "PowerPoint" if "ppt/presentation.xml" in names else "")
            what = error_message("zip_document", kind=kind) if kind else \
                error_message("zip_without_workbook")
            raise LedgerReadError(error_message("workbook_zip", path=path, name=path.name,
                                                suffix=suffix, what=what), file=str(path))
        if suffix == ".xls":
            read_as = "xlsx"  # a new-format workbook named .xls
    # the sheet XML is scanned (hidden rows and columns, formulas without results) in a thread
    # while calamine reads the cells: zlib and calamine both run without the GIL
    # (an old .xls has no XML: xlrd reads its row and column records for what is hidden)
    # (an .ods keeps them in its content.xml; an .xlsb in binary records nothing here reads)
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(_hidden_scanner(path, head, zipped), path)
        sheets = _calamine_sheets(path, by_content=read_as is not None)
        scans = scanning.result()
    for sheet in sheets:
        scan = scans.get(sheet.name)
        if scan is not None:
            sheet.uncalculated = scan.uncalculated
            sheet.hidden_rows = frozenset(scan.hidden_rows)
            sheet.hidden_cols = frozenset(scan.hidden_cols)
    for sheet in sheets:
        sheet.read_as = read_as
        if suffix == ".xlsb" and head.startswith(b"PK"):
            sheet.hidden_unknown = suffix
    return sheets


def _hidden_scanner(path: Path, head: bytes, zipped: bool):
    """The reader of what is hidden in this workbook's format (a function of the path)."""
    if zipped:
        return scan_workbook
    if head.startswith(b"PK") and path.suffix.lower() == ".ods":
        return scan_ods
    if head.startswith(_OLE_MAGIC) and not _ole_encrypted(path):
        return _xls_hidden
    return lambda _path: {}


def _xls_hidden(path: Path) -> dict:
    """Hidden rows and columns of each sheet of an old-format .xls (0-based, as the grid),
    through xlrd's formatting records; an empty answer when xlrd cannot read them."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # calamine reports an unreadable file; here nothing is known to be hidden
        return {}
    out = {}
    try:
        for name in book.sheet_names():
            sheet = book.sheet_by_name(name)
            out[name] = SheetScan(
                hidden_rows={r for r, info in sheet.rowinfo_map.items() if info.hidden},
                hidden_cols={c for c, info in sheet.colinfo_map.items() if info.hidden})
            book.unload_sheet(name)
    finally:
        book.release_resources()
    return out


def _calamine_sheets(path: Path, by_content: bool = False) -> list[RawSheet]:
    """The visible worksheets' cells and merged ranges through calamine (the format told by the
    file's content rather than its name when `by_content`)."""
    from python_calamine import CalamineWorkbook

    try:
        if by_content:
            book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        else:
            book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise LedgerReadError(error_message("workbook_unreadable", path=path, name=path.name,
                                            reason=exc), file=str(path)) from None
    sheets = []
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet") is False or not str(meta.visible).endswith("Visible"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows, merged = _cells_of(sheet)
            sheets.append(RawSheet(meta.name, rows, merged))
    except LedgerReadError:
        raise
    except Exception as exc:
        raise LedgerReadError(error_message("sheets_unreadable", path=path, name=path.name,
                                            reason=exc), file=str(path)) from None
    finally:
        book.close()
    if not any(any(cell not in ("", None) for cell in row) for s in sheets for row in s.rows):
        raise LedgerReadError(error_message("workbook_no_data", path=path, name=path.name),
                              file=str(path))
    return sheets


def _cells_of(sheet) -> tuple[list[list], list]:
    """A calamine sheet's rows as lists and its merged ranges, with the cyclic garbage collector
    paused meanwhile (`workbench.core.speedups.collector_paused`: plain lists and tuples hold no
    reference cycles, and a large sheet's tens of thousands of them would set off full
    collections over everything alive)."""
    with collector_paused():
        return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def uncalculated_formulas(path: Path) -> dict[str, int]:
    """Formula cells without a saved value, per sheet name (files not saved by Excel/WPS).

    calamine reads the values Excel saved with each formula; a workbook written by a program
    that does not calculate leaves them out, and those cells would silently read as empty.
    Every sheet is scanned, whatever its size (streamed, see ``sheetxml``).
    """
    return {name: scan.uncalculated for name, scan in scan_workbook(path).items() if scan.uncalculated}


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: `encoding` if given, else UTF-8(-BOM) then GB18030, strictly."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise LedgerReadError(error_message("text_not_decoded", path=path, encoding=encoding,
                                                reason=exc), file=str(path),
                                  value=encoding) from None
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise LedgerReadError(error_message("utf16_damaged", path=path, name=path.name),
                                  file=str(path)) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text, "gb18030"
    raise LedgerReadError(error_message("encoding_unknown", path=path, name=path.name),
                          file=str(path))


def _looks_chinese(text: str) -> bool:
    """True when the non-ASCII characters of `text` are mostly common CJK text and punctuation."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return True
    common = sum(
        1 for c in wide
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or c in "—…‘’“”·×√℃"
    )
    return common / len(wide) >= 0.9


def read_csv_sheet(path: Path, encoding: str | None = None) -> RawSheet:
    """A CSV file as one sheet named after the file (cells are text; empty cells '')."""
    data = path.read_bytes()
    if b"\x00" in data[:4096] and encoding is None and _utf16(data) is None:
        raise LedgerReadError(error_message("csv_binary", path=path, name=path.name),
                              file=str(path))
    text, used = decode_text(data, path, encoding)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise LedgerReadError(error_message("csv_malformed", path=path, name=path.name, reason=exc),
                              file=str(path)) from None
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise LedgerReadError(error_message("file_no_data", path=path, name=path.name),
                              file=str(path))
    return RawSheet(path.stem, rows, [], used)


def _utf16(data: bytes) -> str | None:
    """"utf-16" for text with a UTF-16 BOM (Excel's "Unicode text"), "utf-16-le"/"-be" for
    UTF-16 without one (every other byte zero in ASCII-heavy text), else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 8 and len(head) % 2 == 0:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    return None


def _ole_encrypted(path: Path) -> bool:
    """True when an OLE file holds an encrypted OOXML package (its stream names, UTF-16)."""
    with path.open("rb") as f:
        data = f.read(1 << 20)
    return any(word.encode(enc) in data for word in ("EncryptionInfo", "EncryptedPackage")
               for enc in ("utf-16-le", "ascii"))


def _not_a_workbook(path: Path, head: bytes) -> RawSheet:
    """A file named like a workbook that is not one: a CSV or tab-separated text is read as what
    it is (``read_as`` "csv", a warning later); anything else is refused with its own message."""
    suffix = path.suffix.lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"%pdf"):
        raise LedgerReadError(error_message("workbook_is_pdf", path=path, name=path.name,
                                            suffix=suffix), file=str(path))
    if _utf16(head) is None and (stripped.startswith((b"<!doctype", b"<html", b"<?xml", b"<table"))
                                 or b"<table" in stripped[:2048]):
        raise LedgerReadError(error_message("workbook_is_html", path=path, name=path.name,
                                            suffix=suffix), file=str(path))
    try:
        sheet = read_csv_sheet(path)
    except LedgerReadError:
        sheet = None
    if sheet is not None and sum(1 for row in sheet.rows if sum(1 for c in row if c.strip()) >= 2) >= 2:
        sheet.read_as = "csv"
        return sheet
    raise LedgerReadError(error_message("workbook_invalid", path=path, name=path.name,
                                        suffix=suffix), file=str(path))
