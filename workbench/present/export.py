"""Spreadsheet exports that a spreadsheet program cannot mistake for formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.words import error_message
from workbench.exceptions import ExportError
from workbench.present.xlsx import write_xlsx

#: A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The most rows (header included) and columns one Excel sheet holds.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def formula_safe(value):
    """`value` with a leading apostrophe when, as text, it would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and headers are formula-safe (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == "str" or out[column].dtype == object:
            out[column] = out[column].map(formula_safe)
    out.columns = [formula_safe(str(c)) for c in out.columns]
    return out


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write named tables to .xlsx (one sheet each) or .csv (first table; UTF-8 with BOM).

    The .xlsx is streamed by `workbench.present.xlsx.write_xlsx` (values only, text as shared
    strings made formula-safe once per distinct text), fast and lean for 750,000-row tables.

    Raises ExportError (with ``file``) for another file type, when there is no table to write,
    or (with ``sheet``) when a table is larger than an Excel sheet holds.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ExportError(error_message("export_table_suffix", name=path.name), file=str(path))
    if not tables:
        raise ExportError(error_message("export_nothing", name=path.name), file=str(path))
    if suffix != ".csv":
        for name, frame in tables.items():
            if len(frame) + 1 > EXCEL_ROWS or frame.shape[1] > EXCEL_COLUMNS:
                raise ExportError(error_message("export_too_big", sheet=name, rows=len(frame),
                                       columns=frame.shape[1]), file=str(path), sheet=name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        # CRLF rows (RFC 4180, as Excel writes): a CR or LF inside a cell is then quoted
        formula_safe_frame(next(iter(tables.values()))).to_csv(
            path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return path
    return write_xlsx(tables, path, safe=formula_safe)
