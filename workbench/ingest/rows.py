"""The rows below a sheet's header: the grid of cells, and the kind of each row (data, blank,
category "一、工业项目（12个）", total 合计/小计, note 注/填表说明).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.ingest.aliases import header_key, load_aliases
from workbench.ingest.layout import SheetLayout
from workbench.ingest.values import normalise_text

CATEGORY_ROW = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.,]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十百]+$)\s*"
    r"(.*?)\s*(?:\((?:共)?\s*(\d+)\s*个(?:项目)?\s*\))?$"
)
TOTAL_ROW = re.compile(r"^(?:全县|全市|总)?(合计|总计|小计|共计|总合计)")
NOTE_ROW = re.compile(r"^(注|备注|说明|填表说明|填报说明|编制说明|附注|制表|填报人|填表人|审核人|审核|负责人|"
                      r"联系人|联系电话|填报单位)")
#: A line that can only open a note, wherever it stands: "注：", "备注1.", "填报说明", "制表人：".
STRONG_NOTE = re.compile(r"^(?:(?:注|备注|说明|附注)\s*[:\d]|(?:填表说明|填报说明|编制说明|制表人|填报人|填表人|"
                         r"审核人|联系人|联系电话|单位负责人|分管领导)(?::|$)|(?:制表|审核|填报日期|填表日期):)")


def grid_of(rows: list[list], start: int, width: int) -> np.ndarray:
    """Rows from `start` as a 2-D object array of `width` columns ('' for empty)."""
    body = rows[start:]
    if not body:
        return np.empty((0, width), dtype=object)
    if all(len(r) == width for r in body):
        return np.array(body, dtype=object).reshape(len(body), width)
    out = np.full((len(body), width), "", dtype=object)
    for i, r in enumerate(body):
        n = min(len(r), width)
        out[i, :n] = r[:n]
    return out


def filled_mask(grid: np.ndarray) -> np.ndarray:
    """True where a cell holds something (not '' / None)."""
    if grid.size == 0:
        return np.zeros(grid.shape, dtype=bool)
    return (grid != "") & (grid != None)  # noqa: E711 (element-wise)


_LABEL_START = r"^[\s\u3000]*[一二三四五六七八九十百(（合总小共全注备说填制审负联编附单分]"


def text_keys(values: np.ndarray, labels_only: bool = False) -> pd.Series:
    """``header_key`` of each text cell ('' for numbers, dates, blanks), column-wise.

    With ``labels_only`` only texts that could open a category, total or note row are keyed
    (the rest give ''), which spares normalising every project name of a large ledger.
    """
    if labels_only:
        start = re.compile(_LABEL_START)
        cand = np.fromiter((type(v) is str and start.match(v) is not None for v in values),
                           dtype=bool, count=len(values))
        keys = np.full(len(values), "", dtype=object)
        if cand.any():
            keys[cand] = text_keys(values[cand]).to_numpy()
        return pd.Series(keys, dtype="str")
    series = pd.Series(values, dtype=object)
    is_text = series.map(type).eq(str)
    out = series.where(is_text, "").astype("str")
    return out.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.casefold()


def _match(keys: pd.Series, pattern: str, full: bool = False) -> np.ndarray:
    """`pattern` matched at the start (or in full) of each key; '' (no label) never matches."""
    out = np.zeros(len(keys), dtype=bool)
    keyed = (keys != "").to_numpy(dtype=bool)
    if keyed.any():
        some = keys[keyed]
        out[keyed] = (some.str.fullmatch(pattern) if full else some.str.match(pattern)).to_numpy(dtype=bool)
    return out


def classify_rows(layout: SheetLayout, grid: np.ndarray) -> np.ndarray:
    """The kind of each row below the header: data, blank, category, total, note."""
    n = grid.shape[0]
    kinds = np.full(n, "data", dtype=object)
    if n == 0:
        return kinds
    filled = filled_mask(grid)
    count = filled.sum(axis=1)
    serial = layout.fields.get("serial")
    name_col = layout.fields.get(_key_field(layout))
    label_cols = [c for c in (serial, layout.fields.get("project_id"), name_col) if c is not None]
    label_cols = label_cols or [0]
    first_col = filled.argmax(axis=1)
    ser = text_keys(grid[:, serial], labels_only=True) if serial is not None else None
    label = _first_cell_keys(grid, first_col, serial, ser)
    numbers = np.frompyfunc(lambda c: isinstance(c, (int, float)) and not isinstance(c, bool), 1, 1)
    only_label = count <= 1
    other_count = count.copy()
    if serial is not None:
        other_count = count - filled[:, serial].astype(int)
    kinds[count == 0] = "blank"
    in_label_cols = np.isin(first_col, label_cols) | only_label
    is_total = _match(label, TOTAL_ROW.pattern) & in_label_cols
    if name_col is not None:
        name_text = text_keys(grid[:, name_col], labels_only=True)
        is_total |= _match(name_text, TOTAL_ROW.pattern)
    kinds[is_total & (count > 0)] = "total"
    name_empty = ~filled[:, name_col] if name_col is not None else np.ones(n, dtype=bool)
    cat_text = _match(label, CATEGORY_ROW.pattern) & in_label_cols
    if name_col is not None and serial is not None:
        # "一" in 序号 and the category in 项目名称
        cat_text |= _match(ser, r"[一二三四五六七八九十百]+[、.]?", full=True)
    is_category = cat_text & (kinds == "data")
    kinds[is_category] = "category"
    is_note = _match(label, NOTE_ROW.pattern) & name_empty & (kinds == "data")
    kinds[is_note & (count <= 3)] = "note"
    strong = _match(label, STRONG_NOTE.pattern) & (kinds == "data") & (count <= 6)
    kinds[strong] = "note"
    # lines continuing a note ("2. 金额单位为万元。"): text only, no name, after a note
    noted = np.flatnonzero(kinds == "note")
    if len(noted):
        cand = (np.arange(n) > noted[0]) & (kinds == "data") & name_empty & (count <= 2)
        for i in np.flatnonzero(cand):
            if not any(numbers(grid[i]).astype(bool) & filled[i]):
                kinds[i] = "note"
        # below the last project, a notes block's numbered lines ("一、本表……", or 序号 "2"
        # beside text) are notes too
        projects = np.flatnonzero((kinds == "data") & (count >= 3))
        last = projects[-1] if len(projects) else -1
        tail = (np.arange(n) > max(last, noted[0])) & np.isin(kinds, ("category", "data")) & (count <= 2)
        for i in np.flatnonzero(tail):
            amounts = numbers(grid[i]).astype(bool) & filled[i]
            if serial is not None:
                amounts[serial] = False
            if not amounts.any():
                kinds[i] = "note"
    # a row with nothing but its 序号 (an unused numbered line) holds no data
    if serial is not None:
        lone = np.flatnonzero((other_count == 0) & (count > 0) & (kinds == "data"))
        for i in lone:
            if re.fullmatch(r"\d+(?:\.0)?", str(grid[i, serial]).strip()):
                kinds[i] = "blank"
    # a line holding only "其中：" opens the parts of the row above (ingest.bundles); no data
    within = np.flatnonzero((count == 1) & (kinds == "data"))
    for i in within:
        if re.fullmatch(r"其中\s*[:：]?", str(grid[i, first_col[i]]).strip()):
            kinds[i] = "blank"
    return kinds


def _first_cell_keys(grid: np.ndarray, first_col: np.ndarray, serial: int | None,
                     serial_keys: pd.Series | None) -> pd.Series:
    """``text_keys(labels_only=True)`` of each row's first filled cell; where that cell is the
    序号 (most rows), the keys of the 序号 column already made are taken."""
    first_val = grid[np.arange(grid.shape[0]), first_col]
    if serial_keys is None:
        return text_keys(first_val, labels_only=True)
    keys = serial_keys.to_numpy(dtype=object).copy()
    other = first_col != serial
    if other.any():
        keys[other] = text_keys(first_val[other], labels_only=True).to_numpy(dtype=object)
    return pd.Series(keys, dtype="str")


def fill_merged_down(grid: np.ndarray, kinds: np.ndarray, merged: list, start: int,
                     skip: set[int], amounts: set[int] = frozenset()) -> tuple[dict, dict]:
    """Fill each vertically merged cell below the header (责任单位, 包联领导, a category …) down
    to the data rows it covers, in place. Only empty cells of data rows are filled (a merge
    reaching a blank or total row leaves that row alone), never the columns in `skip` (序号: a
    merged serial is a bundle, not a repeated number), and never an amount column (`amounts`:
    one amount merged over several projects is their sum, which copying would count again).
    Returns the cells filled per column, and per amount column the grid rows left empty."""
    counts: dict[int, int] = {}
    held: dict[int, list[int]] = {}
    n, width = grid.shape
    if not merged or not n:
        return counts, held
    # every merge at once: its top cell, column and last row
    spans = np.array([(r0, c0, r1) for (r0, c0), (r1, _c1) in merged], dtype=np.int64).reshape(-1, 3)
    top, col, bottom = spans[:, 0] - start, spans[:, 1], np.minimum(spans[:, 2] - start, n - 1)
    keep = (spans[:, 2] > spans[:, 0]) & (top >= 0) & (top < n) & (col < width)
    keep &= ~np.isin(col, list(skip))
    top, col, bottom = top[keep], col[keep], bottom[keep]
    values = grid[top, col]
    keep = (kinds[top] == "data") & (values != None) & (values != "")  # noqa: E711 (element-wise)
    top, col, bottom, values = top[keep], col[keep], bottom[keep], values[keep]
    # the rows each merge covers below its top cell, in merge order
    lengths = np.maximum(bottom - top, 0)
    which = np.repeat(np.arange(len(top)), lengths)
    rows = top[which] + 1 + np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = col[which]
    cells = grid[rows, cols]
    empty = (kinds[rows] == "data") & ((cells == None) | (cells == ""))  # noqa: E711
    rows, cols, which = rows[empty], cols[empty], which[empty]
    is_amount = np.isin(cols, list(amounts))
    for c in dict.fromkeys(cols[is_amount].tolist()):
        held[c] = rows[is_amount & (cols == c)].tolist()
    fill = ~is_amount
    grid[rows[fill], cols[fill]] = values[which[fill]]
    for c in dict.fromkeys(cols[fill].tolist()):
        counts[c] = int((cols[fill] == c).sum())
    return counts, held


def _key_field(layout: SheetLayout) -> str:
    return load_aliases().sheet_kinds.get(layout.kind, {}).get("key", "name")


def category_of(text) -> tuple[str, int | None]:
    """("工业项目", 12) from a category row "一、工业项目（12个）"."""
    key = header_key(text)
    match = CATEGORY_ROW.match(key)
    if not match:
        return normalise_text(text), None
    raw = normalise_text(text)
    # keep the category as written (not lower-cased), without numbering and count
    raw = re.sub(r"^\s*(?:[一二三四五六七八九十百]+\s*[、.,，．]|[(（][一二三四五六七八九十]+[)）])\s*", "", raw)
    raw = re.sub(r"\s*[(（]\s*(?:共)?\s*\d+\s*个(?:项目)?\s*[)）]\s*$", "", raw)
    count = int(match.group(2)) if match.group(2) else None
    return raw.strip(), count
