"""Read a ledger file into raw sheets: a grid of cell values per sheet, Excel row 1 = index 0.

Excel workbooks (.xlsx/.xlsm/.xls/.xlsb/.ods) are read with calamine (fast, no formulas
evaluated: the cached values Excel saved are used); merged ranges come from calamine too, so
openpyxl is not needed. CSV text is decoded strictly as UTF-8 (with or without BOM), then
GB18030 (a superset of GBK); a decode that does not look like Chinese text is refused rather
than guessed.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.exceptions import LedgerReadError

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


def read_sheets(path: Path, encoding: str | None = None) -> list[RawSheet]:
    """Every sheet of a ledger file, in workbook order; LedgerReadError when unreadable."""
    path = Path(path)
    if not path.exists():
        raise LedgerReadError(f"{path}: file not found / 文件不存在", file=str(path))
    if path.is_dir():
        raise LedgerReadError(f"{path}: is a folder, not a ledger file / 这是文件夹，不是台账文件",
                              file=str(path))
    if path.stat().st_size == 0:
        raise LedgerReadError(f"{path}: the file is empty / 文件为空", file=str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [read_csv_sheet(path, encoding)]
    if suffix in EXCEL_SUFFIXES:
        return read_excel_sheets(path)
    raise LedgerReadError(
        f"{path}: not a spreadsheet ({suffix or 'no extension'}); use .xlsx, .xls or .csv / "
        "不是电子表格文件", file=str(path), value=suffix)


def read_excel_sheets(path: Path) -> list[RawSheet]:
    """All visible worksheets of an Excel workbook through calamine."""
    from python_calamine import CalamineWorkbook

    head = path.read_bytes()[:8]
    if path.suffix.lower() in {".xlsx", ".xlsm"} and head.startswith(_OLE_MAGIC):
        raise LedgerReadError(f"{path}: the workbook is encrypted (password-protected) / 工作簿已加密",
                              file=str(path))
    if path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        raise LedgerReadError(f"{path}: not a valid .xlsx workbook (damaged or renamed) / 不是有效的xlsx文件",
                              file=str(path))
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise LedgerReadError(f"{path}: cannot be read as a workbook ({exc}) / 无法读取工作簿",
                              file=str(path)) from None
    sheets = []
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet") is False or not str(meta.visible).endswith("Visible"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(RawSheet(meta.name, rows, merged))
    except LedgerReadError:
        raise
    except Exception as exc:
        raise LedgerReadError(f"{path}: cannot be read ({exc}) / 无法读取", file=str(path)) from None
    finally:
        book.close()
    if not any(any(cell not in ("", None) for cell in row) for s in sheets for row in s.rows):
        raise LedgerReadError(f"{path}: the workbook has no data / 工作簿没有数据", file=str(path))
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        counts = uncalculated_formulas(path)
        for sheet in sheets:
            sheet.uncalculated = counts.get(sheet.name, 0)
    return sheets


_FORMULA_NO_VALUE = re.compile(
    rb"<c\b[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_SCAN_LIMIT = 64_000_000  # bytes of sheet XML; larger sheets are not scanned (time)


def uncalculated_formulas(path: Path) -> dict[str, int]:
    """Formula cells without a saved value, per sheet name (files not saved by Excel/WPS).

    calamine reads the values Excel saved with each formula; a workbook written by a program
    that does not calculate leaves them out, and those cells would silently read as empty.
    """
    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            targets = {m.group(1): m.group(2) for m in re.finditer(
                rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
            targets.update({m.group(2): m.group(1) for m in re.finditer(
                rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
            for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
                target = targets.get(m.group(2), b"").decode()
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                try:
                    info = z.getinfo(member)
                except KeyError:
                    continue
                if info.file_size > _SCAN_LIMIT:
                    continue
                data = z.read(member)
                if b"<f" not in data:
                    continue
                name = html.unescape(m.group(1).decode("utf-8"))
                out[name] = len(_FORMULA_NO_VALUE.findall(data))
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    return out


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: `encoding` if given, else UTF-8(-BOM) then GB18030, strictly."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise LedgerReadError(f"{path}: cannot be decoded as {encoding} ({exc})", file=str(path),
                                  value=encoding) from None
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
    raise LedgerReadError(
        f"{path}: text encoding not recognised (tried UTF-8, UTF-8 with BOM, GB18030/GBK); "
        "save it as UTF-8 CSV or .xlsx / 无法识别文件编码，请另存为UTF-8 CSV或xlsx", file=str(path))


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
    if b"\x00" in data[:4096]:
        raise LedgerReadError(f"{path}: binary data, not a CSV text file / 不是CSV文本文件",
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
        raise LedgerReadError(f"{path}: malformed CSV ({exc}) / CSV格式错误", file=str(path)) from None
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise LedgerReadError(f"{path}: the file has no data / 文件没有数据", file=str(path))
    return RawSheet(path.stem, rows, [], used)
