"""A streaming .xlsx writer for large tables: values only, every text cell formula-safe.

openpyxl builds a Python object per cell and took about 100 s and 2 GB for a 50,000-project
score workbook (750,000 reason rows). This writer streams each sheet's XML into the zip a block
of rows at a time. Each column is factorized once and each distinct value's cell XML made once
(text made formula-safe and escaped once, stored once in the shared-strings table; numbers with
16 significant digits as openpyxl writes them); a block's rows are then joined from a grid built
column by column, and compressed on a second thread while the next block is built. No cell is
ever a formula: cells are shared strings, numbers, booleans or dates (headers are text).
Dates are Excel serials from 1899-12-30 (right from 1900-03-01 on, as in every writer).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.text import column_letter

#: Rows written per block (bounds the memory of the cells being formatted).
BLOCK_ROWS = 20_000
#: Deflate level: 1 is several times faster than zlib's default and the file barely larger.
COMPRESS_LEVEL = 1
#: Characters XML 1.0 cannot hold (openpyxl refuses them; we drop them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Characters a sheet name cannot hold in Excel.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_EPOCH = np.datetime64("1899-12-30", "us")
_DAY = np.timedelta64(86_400_000_000, "us")
#: Cell style ids (styles.xml below): 0 plain, 1 a date, 2 a date with time.
_DATE, _DATETIME = 1, 2
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def escape(text: str) -> str:
    """`text` as XML character data (CR kept as a reference, illegal characters dropped)."""
    text = _ILLEGAL.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


class SharedStrings:
    """The workbook's shared-strings table: each distinct (formula-safe) text stored once."""

    def __init__(self, safe: Callable[[str], str]):
        self.safe = safe
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        text = self.safe(text)
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> Iterator[str]:
        yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
               f'uniqueCount="{len(self.index)}">')
        texts = list(self.index)
        for start in range(0, len(texts), BLOCK_ROWS):
            yield "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>'
                          for text in texts[start:start + BLOCK_ROWS])
        yield "</sst>"


def _is_text(series: pd.Series) -> bool:
    """A column of text only (pandas' str dtype, or objects that are all str or missing)."""
    if series.dtype == object:
        return bool(series.dropna().map(type).eq(str).all())
    return isinstance(series.dtype, pd.StringDtype) or series.dtype == "str"


class _Column:
    """One column prepared for writing: each cell's XML after its reference, once per value.

    ``tails`` holds, row by row, what follows ``<c r="B7`` ("" for an empty cell, which is not
    written); the text of each distinct value is made once and shared between its rows.
    """

    def __init__(self, letter: str, series: pd.Series, strings: SharedStrings):
        self.head = f'<c r="{letter}'
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            series = series.astype(object).where(series.notna(), None)
            dtype = series.dtype
        if _is_text(series):
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            tails = [f'" t="s"><v>{strings.add(str(u))}</v></c>' for u in uniques]
        elif pd.api.types.is_bool_dtype(dtype) and not series.isna().any():
            codes, uniques = pd.factorize(series.to_numpy(dtype=bool))
            tails = [f'" t="b"><v>{int(u)}</v></c>' for u in uniques.tolist()]
        elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            codes, uniques = pd.factorize(series.to_numpy(dtype=float, na_value=np.nan))
            integral = pd.api.types.is_integer_dtype(dtype)
            tails = [_number_tail(u, integral) for u in uniques.tolist()]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            if getattr(dtype, "tz", None) is not None:
                series = series.dt.tz_localize(None)
            days = (series.to_numpy(dtype="datetime64[us]") - _EPOCH) / _DAY
            given = series.dropna()
            style = _DATE if given.dt.normalize().eq(given).all() else _DATETIME
            codes, uniques = pd.factorize(days)
            tails = [f'" s="{style}"><v>{u:.16g}</v></c>' for u in uniques.tolist()]
        else:
            codes, tails = np.arange(len(series)), [_mixed(v, strings) for v in series.tolist()]
        table = np.empty(len(tails) + 1, dtype=object)  # the last entry: an empty cell
        table[:-1] = [t or "" for t in tails]
        table[-1] = ""
        self.tails = table[np.where(codes >= 0, codes, len(tails))]
        self.present = self.tails != ""


def _number_tail(value: float, integral: bool) -> str | None:
    """A number's cell XML after its reference: 16 significant digits, as openpyxl and Excel
    write; an integer column's values as integers; NaN and infinities are empty cells."""
    if not np.isfinite(value):
        return None
    if integral and abs(value) < 2**53:
        return f'"><v>{int(value)}</v></c>'
    return f'"><v>{value:.16g}</v></c>'


def _mixed(value, strings: SharedStrings) -> str | None:
    """The cell XML after its reference for one value of a column of mixed types."""
    if not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value):
        return None  # None, NaN, NaT, pd.NA
    if isinstance(value, (bool, np.bool_)):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return _number_tail(float(value), abs(value) < 2**53)
    if isinstance(value, (float, np.floating)):
        return _number_tail(float(value), False)
    if isinstance(value, (dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        serial = (stamp.tz_localize(None) - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
        return f'" s="{_DATE if stamp == stamp.normalize() else _DATETIME}"><v>{serial:.16g}</v></c>'
    return f'" t="s"><v>{strings.add(str(value))}</v></c>'


def _sheet_xml(frame: pd.DataFrame, strings: SharedStrings, header: bool = True,
               merged: tuple[str, ...] = ()) -> Iterator[str]:
    letters = [column_letter(j) for j in range(max(len(frame.columns), 1))]
    columns = [_Column(letters[j], frame.iloc[:, j], strings) for j in range(len(frame.columns))]
    first = 2 if header else 1  # the sheet row of the frame's first row
    last = f"{letters[-1]}{max(len(frame) + first - 1, 1)}"
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
           f'<dimension ref="A1:{last}"/><sheetData>')
    if header:
        cells = "".join(f'<c r="{letters[j]}1" t="s"><v>{strings.add(str(name))}</v></c>'
                        for j, name in enumerate(frame.columns))
        yield f'<row r="1">{cells}</row>'
    for start in range(0, len(frame), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, len(frame))
        yield "".join(_block(columns, start, stop, first).ravel().tolist())
    yield "</sheetData>"
    if merged:
        yield (f'<mergeCells count="{len(merged)}">'
               + "".join(f'<mergeCell ref="{ref}"/>' for ref in merged) + "</mergeCells>")
    yield "</worksheet>"


def _block(columns: list[_Column], start: int, stop: int, first: int = 2) -> np.ndarray:
    """Rows `start`:`stop` as a grid of the strings to join, built column by column (no Python
    work per cell): ``<row r="7">``, then for each cell ``<c r="B`` ``7`` and its tail."""
    rows = np.array([str(r) for r in range(start + first, stop + first)], dtype=object)
    grid = np.empty((stop - start, 3 * len(columns) + 4), dtype=object)
    grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', rows, '">', "</row>"
    for j, column in enumerate(columns, start=1):
        present = column.present[start:stop]
        grid[:, 3 * j] = np.where(present, column.head, "")
        grid[:, 3 * j + 1] = np.where(present, rows, "")
        grid[:, 3 * j + 2] = column.tails[start:stop]
    return grid


def sheet_names(names) -> list[str]:
    """Valid, distinct Excel sheet names (31 characters, no []:*?/\\) for `names`, in order."""
    out: list[str] = []
    for name in names:
        base = _BAD_SHEET_CHARS.sub("_", str(name))[:31] or "Sheet"
        candidate, k = base, 1
        while candidate.lower() in {n.lower() for n in out}:
            suffix = str(k)
            candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
        out.append(candidate)
    return out


_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _package_parts(names: list[str], macro_enabled: bool = False) -> dict[str, str]:
    """The workbook's fixed parts: content types, relationships, workbook.xml, styles.

    A .xlsm must declare the macro-enabled main part, or Excel refuses to open it."""
    main = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro_enabled
            else f"{_CT}.sheet.main+xml")
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
                     f'ContentType="{_CT}.worksheet+xml"/>' for k in range(1, len(names) + 1))
    types = (f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
             f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
             f"{sheets}</Types>")
    root_rels = (f'{head}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                 f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    n = len(names)
    book_rels = "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" '
                        f'Target="worksheets/sheet{k}.xml"/>' for k in range(1, n + 1))
    book_rels = (f'{head}<Relationships xmlns="{_PKG_REL}">{book_rels}'
                 f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                 f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
                 'Target="sharedStrings.xml"/></Relationships>')
    sheet_list = "".join(f'<sheet name="{escape(name).replace(chr(34), "&quot;")}" sheetId="{k}" '
                         f'r:id="rId{k}"/>' for k, name in enumerate(names, start=1))
    book = (f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
            f"</bookViews><sheets>{sheet_list}</sheets></workbook>")
    return {"[Content_Types].xml": types, "_rels/.rels": root_rels,
            "xl/_rels/workbook.xml.rels": book_rels, "xl/workbook.xml": book,
            "xl/styles.xml": _STYLES}


def _write_part(archive: zipfile.ZipFile, name: str, chunks) -> None:
    """Write one part; a block is compressed on a second thread (zlib releases the GIL) while
    the next block is being built."""
    with archive.open(name, "w") as out, ThreadPoolExecutor(max_workers=1) as compressor:
        pending = None
        for chunk in ([chunks] if isinstance(chunks, str) else chunks):
            data = chunk.encode("utf-8")
            if pending is not None:
                pending.result()
            pending = compressor.submit(out.write, data)
        if pending is not None:
            pending.result()


def write_xlsx(tables: dict[str, pd.DataFrame], path: str | Path,
               safe: Callable[[str], str] = lambda text: text, header: bool = True,
               merged: dict[str, list[str]] | None = None) -> Path:
    """Write each table to its own sheet of a new .xlsx at `path` (header row, then values).

    Every text cell and header passes through `safe` (the formula guard) once per distinct text.
    ``header=False`` writes the values only (a frame laid out as the sheet itself); `merged`
    gives, by table name, cell ranges to merge ("A1:C1"). A partly written file is removed when
    writing fails.
    """
    path = Path(path)
    names = sheet_names(tables)
    strings = SharedStrings(safe)
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=COMPRESS_LEVEL) as archive:
            parts = _package_parts(names, macro_enabled=path.suffix.lower() == ".xlsm")
            for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                         "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
                _write_part(archive, name, parts[name])
            for k, (name, frame) in enumerate(tables.items(), start=1):
                ranges = tuple((merged or {}).get(name, ()))
                _write_part(archive, f"xl/worksheets/sheet{k}.xml",
                            _sheet_xml(frame, strings, header, ranges))
            _write_part(archive, "xl/sharedStrings.xml", strings.xml())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
