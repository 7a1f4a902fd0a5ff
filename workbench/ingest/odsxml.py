"""What calamine does not report about an OpenDocument (.ods) sheet, read from the file's
``content.xml`` in one streaming pass: hidden rows and hidden columns.

In ODF a row or column is hidden by ``table:visibility="collapse"`` (hidden by hand) or
``"filter"`` (hidden by an autofilter); ``table:number-rows-repeated`` and
``table:number-columns-repeated`` stand for runs of identical rows or columns, and rows and
columns may sit inside header, group and ``table:table-rows`` wrappers. Indices are 0-based, as
in the grid calamine gives (read from A1).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from workbench.ingest.sheetxml import SheetScan

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NAME, _VISIBILITY = f"{{{_TABLE}}}name", f"{{{_TABLE}}}visibility"
_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_COLS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_SHEET, _ROW, _COLUMN = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-column"
_HIDDEN = {"collapse", "filter"}
#: A sheet's last rows are often one run of a million empty rows: hidden runs are kept up to here.
_MAX_ROWS, _MAX_COLS = 1 << 20, 1 << 14


def scan_ods(path: Path) -> dict[str, SheetScan]:
    """Each sheet's hidden rows and columns by name; {} when the file is not a readable .ods."""
    out: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as stream:
            depth, scan, row, col = 0, None, 0, 0
            for event, element in ET.iterparse(stream, events=("start", "end")):
                tag = element.tag
                if tag == _SHEET:
                    depth += 1 if event == "start" else -1
                    if event == "start" and depth == 1:
                        scan, row, col = SheetScan(), 0, 0
                        out[element.get(_NAME, "")] = scan
                    continue
                if event != "start" or scan is None or depth != 1:
                    if event == "end" and tag == _ROW:
                        element.clear()  # a row's cells are not needed: keep memory flat
                    continue
                if tag == _ROW:
                    repeated = _count(element.get(_ROWS_REPEATED))
                    if element.get(_VISIBILITY) in _HIDDEN:
                        scan.hidden_rows.update(range(row, min(row + repeated, _MAX_ROWS)))
                    row += repeated
                elif tag == _COLUMN:
                    repeated = _count(element.get(_COLS_REPEATED))
                    if element.get(_VISIBILITY) in _HIDDEN:
                        scan.hidden_cols.update(range(col, min(col + repeated, _MAX_COLS)))
                    col += repeated
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ET.ParseError):
        return {}
    return out


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1
