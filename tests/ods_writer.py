"""A minimal OpenDocument spreadsheet writer for tests (no ODS writer is a dependency): rows of
strings and numbers, hidden rows and columns marked as LibreOffice and WPS mark them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
             '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:media-type='
             '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
             'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def _cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list]], hidden_rows: dict[str, set[int]] = None,
              hidden_cols: dict[str, set[int]] = None, grouped: bool = False) -> Path:
    """Write `sheets` (name → rows) to `path`; hidden rows/columns are 0-based indices. With
    `grouped` the rows sit inside a ``table:table-row-group`` (an outline, as LibreOffice saves)."""
    hidden_rows, hidden_cols = hidden_rows or {}, hidden_cols or {}
    tables = []
    for name, rows in sheets.items():
        width = max(len(r) for r in rows)
        cols = "".join('<table:table-column table:visibility="collapse"/>'
                       if c in hidden_cols.get(name, set()) else "<table:table-column/>"
                       for c in range(width))
        body = "".join(
            "<table:table-row"
            + (' table:visibility="collapse"' if i in hidden_rows.get(name, set()) else "")
            + ">" + "".join(_cell(v) for v in row) + "</table:table-row>"
            for i, row in enumerate(rows))
        if grouped:
            body = f"<table:table-row-group>{body}</table:table-row-group>"
        tables.append(f"<table:table table:name={quoteattr(name)}>{cols}{body}</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} '
               f'office:version="1.2"><office:body><office:spreadsheet>{"".join(tables)}'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
