"""What calamine does not report about an .xlsx/.xlsm sheet, read from the sheet's XML in one
streaming pass: hidden rows (``<row hidden="1">``), hidden columns (``<col hidden="1">``) and
formula cells saved without a computed result.

The XML is read from the zip in chunks and scanned with byte patterns (no DOM, no openpyxl), so
a sheet of any size is covered in time linear in its size and memory of one chunk.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

_CHUNK = 8 << 20  # bytes of XML scanned at a time

_FORMULA_NO_VALUE = re.compile(
    rb"<c\b[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_COL_TAG = re.compile(rb"<col\b([^>]*)/?>")
_ATTR = re.compile(rb'\b(r|min|max|hidden)\s*=\s*"([^"]*)"')
_TRUE = (b"1", b"true")


@dataclass
class SheetScan:
    """One sheet's hidden rows and columns (0-based grid indices) and uncalculated formulas."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    uncalculated: int = 0


def sheet_members(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its XML) in workbook order."""
    book = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(
        rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = []
    for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets.get(m.group(2), b"").decode()
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out.append((html.unescape(m.group(1).decode("utf-8")), member))
    return out


def scan_workbook(path: Path) -> dict[str, SheetScan]:
    """Each sheet's scan by name; {} when the file is not a readable workbook zip."""
    out: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name, member in sheet_members(z):
                try:
                    with z.open(member) as stream:
                        out[name] = scan_sheet(stream)
                except KeyError:
                    continue
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return {}
    return out


def scan_sheet(stream) -> SheetScan:
    """Scan one sheet's XML from a binary stream, chunk by chunk (cut after a closing tag)."""
    scan = SheetScan()
    carry = b""
    state = {"row": 0}
    while True:
        chunk = stream.read(_CHUNK)
        buf = carry + chunk
        if not chunk:
            _scan_part(buf, scan, state)
            return scan
        cut = buf.rfind(b"</row>")
        if cut < 0:
            cut = buf.rfind(b"</cols>")
        if cut < 0:
            carry = buf
            continue
        cut = buf.index(b">", cut) + 1
        _scan_part(buf[:cut], scan, state)
        carry = buf[cut:]


def _has_formula(part: bytes) -> bool:
    """True when `part` holds an ``<f`` element. Searching for "<f" directly costs a scan of
    every "<"; sheet XML has very few "f" outside formulas, so look at each "f" instead."""
    pos, seen = part.find(b"f"), 0
    while pos != -1:
        if pos and part[pos - 1] == 60:  # "<"
            return True
        seen += 1
        if seen > 256:  # text full of "f" (inline strings): search the plain way
            return b"<f" in part
        pos = part.find(b"f", pos + 1)
    return False


def _scan_part(part: bytes, scan: SheetScan, state: dict) -> None:
    if _has_formula(part):
        scan.uncalculated += len(_FORMULA_NO_VALUE.findall(part))
    if not state.get("data") and b"<col" in part:
        for m in _COL_TAG.finditer(part):
            attrs = dict(_ATTR.findall(m.group(1)))
            if attrs.get(b"hidden") in _TRUE:
                try:
                    first, last = int(attrs[b"min"]), int(attrs[b"max"])
                except (KeyError, ValueError):
                    continue
                scan.hidden_cols.update(range(first - 1, min(last, 16384)))
    state["data"] = True  # columns are declared once, before the rows
    if b'hidden="' not in part:  # only keep the row count (for rows written without r=)
        last = part.rfind(b"<row")
        m = _ROW_TAG.match(part, last) if last >= 0 else None
        if m:
            number = dict(_ATTR.findall(m.group(1))).get(b"r")
            state["row"] = int(number) if number and number.isdigit() else (
                state["row"] + part.count(b"<row") - part.count(b"<rowB"))
        return
    for m in _ROW_TAG.finditer(part):
        attrs = dict(_ATTR.findall(m.group(1)))
        number = attrs.get(b"r")
        state["row"] = int(number) if number and number.isdigit() else state["row"] + 1
        if attrs.get(b"hidden") in _TRUE:
            scan.hidden_rows.add(state["row"] - 1)
