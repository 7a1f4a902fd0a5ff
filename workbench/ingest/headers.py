"""Find a sheet's layout: the header row (one or two rows, group headers flattened), the
title and unit rows above it, and which column holds which field (``recognise``).
"""

from __future__ import annotations

import re

from workbench.ingest.aliases import (
    YEAR_IN_TEXT,
    Aliases,
    header_key,
    load_aliases,
    match_field,
    split_header,
)
from workbench.ingest.layout import SheetLayout
from workbench.ingest.months import month_column
from workbench.ingest.readers import RawSheet
from workbench.ingest.rows import CATEGORY_ROW, TOTAL_ROW
from workbench.ingest.values import UNIT_FACTORS, normalise_text

HEADER_SEARCH_ROWS = 30
_UNIT_ROW = re.compile(r"单位\s*[:：]?\s*(万元|亿元|元)")


def _cells(row: list) -> list[str]:
    return ["" if c is None else (c if isinstance(c, str) else str(c)) for c in row]


def _has_number(row: list) -> bool:
    return any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in row if c != "")


def _kind_scores(row_headers: list[str], aliases: Aliases) -> dict[str, tuple[int, bool]]:
    out = {}
    for kind, spec in aliases.sheet_kinds.items():
        found = set()
        for header in row_headers:
            if header:
                matched, _ = match_field(header, kind, aliases)
                if matched:
                    found.add(matched)
        out[kind] = (len(found), spec["key"] in found and len(found) >= spec["min_fields"])
    return out


def flatten_rows(block: list[list], merged: list, first: int) -> list[str]:
    """One header per column from header rows of any depth, the path of the groups above it as
    written: "2022年计划投资/其中/1-3月". A group is carried across its merged range, or across
    blank cells that have something below them when the sheet's merges are unknown (CSV)."""
    cells = [[t.strip() for t in _cells(r)] for r in block]
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    if len(cells) == 1:
        return cells[0]
    filled = [list(r) for r in cells]
    for k in range(len(cells) - 1):
        row = first + k
        spans = [(c0, c1) for (r0, c0), (r1, c1) in merged if r0 <= row <= r1 and c1 > c0]
        if spans:
            for c0, c1 in spans:
                for c in range(c0 + 1, min(c1 + 1, width)):
                    if not filled[k][c]:
                        filled[k][c] = cells[k][c0]
            continue
        last = ""
        for c in range(width):
            if cells[k][c]:
                last = cells[k][c]
            elif any(cells[j][c] for j in range(k + 1, len(cells))):
                filled[k][c] = last
    out = []
    for c in range(width):
        parts: list[str] = []
        for k in range(len(cells)):
            value = filled[k][c]
            if value and (not parts or parts[-1] != value):
                parts.append(value)
        out.append("/".join(parts))
    return out


def recognise(raw: RawSheet, aliases: Aliases | None = None) -> SheetLayout:
    """The layout of one sheet (kind "unrecognised" when no header row matches a table)."""
    aliases = aliases or load_aliases()
    rows = raw.rows
    # only merges that start near the top can shape the header (a large sheet has thousands)
    merged = [m for m in raw.merged if m[0][0] < HEADER_SEARCH_ROWS + MAX_HEADER_ROWS]
    best = None
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        headers = _cells(rows[i])
        if not any(headers):
            continue
        candidates = [headers]
        for depth in (2, 3):
            if i + depth <= len(rows):
                candidates.append(flatten_rows(rows[i:i + depth], merged, i))
        for candidate in candidates:
            for kind, (score, usable) in _kind_scores(candidate, aliases).items():
                if usable and (best is None or score > best[0]):
                    best = (score, i, kind)
    layout = SheetLayout(raw.name, "unrecognised", hidden_cols=raw.hidden_cols)
    if best is None:
        return layout
    _, header_row, kind = best
    layout.kind = kind
    key_col = _key_column(_cells(rows[header_row]), kind, aliases)
    layout.header_rows = _header_depth(rows, merged, header_row, key_col) if kind == "projects" else [
        header_row]
    layout.headers = flatten_rows([rows[r] for r in layout.header_rows], merged, header_row)
    below = layout.header_rows[-1] + 1
    units: dict[int, float] = {}
    written = None  # "单位：万元" on its own under the header, or in a header cell
    for _ in range(3):  # a 栏次 row, a row of units, a unit line, in any order
        if below < len(rows) and is_numbering_row(rows[below]):
            layout.numbering_row = below
        elif below < len(rows) and (found := _unit_cells(rows[below])) is not None:
            units = found
        elif below < len(rows) and (unit := _lone_unit(rows[below])):
            written = unit
        else:
            break
        layout.header_rows.append(below)
        below += 1
    for r in layout.header_rows:
        for c, cell in enumerate(rows[r]):
            unit = _lone_unit([cell], alone=False) if isinstance(cell, str) else None
            if unit:  # "单位：亿元" in a header cell says the unit; it names no column
                written = written or unit
                if c < len(layout.headers) and layout.headers[c] == cell.strip():
                    layout.headers[c] = ""
    _read_preamble(layout, rows[:header_row])
    if written and layout.unit_written is None:
        layout.unit_factor, layout.unit_written = UNIT_FACTORS[written], written
    _map_columns(layout, aliases)
    for col, factor in units.items():
        layout.factors.setdefault(col, factor)  # a header's own unit beats the row of units
    return layout


MAX_HEADER_ROWS = 4
_NUMBERING = re.compile(r"(\d+)(?:\.0)?(?:\s*[=＝].*)?")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_UNIT_CELL = re.compile(r"[(（]?(万元|亿元|元|%|％|个|亩|年|月|人|平方米|公里|米|千瓦|吨)[)）]?")


def _header_depth(rows: list[list], merged: list, top: int, key_col: int | None) -> list[int]:
    """The header rows from `top` down: each next row that names columns under a group above
    (or is blank under cells merged down from the header), up to MAX_HEADER_ROWS."""
    out = [top]
    while len(out) < MAX_HEADER_ROWS and out[-1] + 1 < len(rows):
        k = out[-1]
        nxt = rows[k + 1]
        if is_numbering_row(nxt) or _unit_cells(nxt) is not None:
            break
        grouped = {c for (r0, c0), (r1, c1) in merged if r0 <= k <= r1 and c1 > c0
                   for c in range(c0, c1 + 1)}
        covers = any(top <= r0 <= k < r1 for (r0, _), (r1, _) in merged)
        if _is_sub_header(nxt, key_col, rows[k], grouped) or (
                covers and not any(c not in ("", None) for c in nxt)):
            out.append(k + 1)
        else:
            break
    return out


def is_numbering_row(row: list) -> bool:
    """A 栏次 row: column numbers 1, 2, 3 … (or 甲, 乙 … / A, B …, "栏次", "4=5+6"), nothing else."""
    numbers, labels = [], 0
    for cell in row:
        if cell in ("", None):
            continue
        if isinstance(cell, bool):
            return False
        if isinstance(cell, (int, float)):
            if cell != int(cell):
                return False
            numbers.append(int(cell))
            continue
        text = normalise_text(str(cell)).strip()
        if not text:
            continue
        found = _NUMBERING.fullmatch(text)
        if found:
            numbers.append(int(found.group(1)))
        elif text in ("栏次", "栏号", "序列") or (len(text) == 1 and (text in _STEMS or "A" <= text <= "Z")):
            labels += 1
        else:
            return False
    if len(numbers) < 3 and labels < 3:
        return False
    rising = all(b > a for a, b in zip(numbers, numbers[1:], strict=False))
    return rising and (not numbers or numbers[0] <= 2 and numbers[-1] <= len(row) + 2)


def _unit_cells(row: list) -> dict[int, float] | None:
    """A row of units under the header ("万元", "亿元", "%" per column): column → factor of each
    money unit; None when the row is anything else."""
    texts = {c: normalise_text(str(v)).strip() for c, v in enumerate(row) if v not in ("", None)}
    texts = {c: t for c, t in texts.items() if t and t not in ("单位", "计量单位")}
    if len(texts) < 2 or not all(_UNIT_CELL.fullmatch(t) for t in texts.values()):
        return None
    out = {}
    for c, t in texts.items():
        unit = _UNIT_CELL.fullmatch(t).group(1)
        if unit in UNIT_FACTORS:
            out[c] = UNIT_FACTORS[unit]
    return out


def _lone_unit(row: list, alone: bool = True) -> str | None:
    """The unit of a "单位：万元" cell: the only filled cell of the row (`alone`), or any cell
    that holds nothing else (a header row with the unit in its last cell)."""
    texts = [normalise_text(str(c)).strip() for c in row if c not in ("", None)]
    texts = [t for t in texts if t]
    if alone and len(texts) != 1:
        return None
    for text in texts:
        found = _UNIT_ROW.search(text)
        if found and len(text) <= found.end() + 2 and found.start() <= 4:
            return found.group(1)
    return None


def _key_column(headers: list[str], kind: str, aliases: Aliases) -> int | None:
    key = aliases.sheet_kinds[kind]["key"]
    for col, header in enumerate(headers):
        if header and match_field(header, kind, aliases)[0] == key:
            return col
    return None


def _is_sub_header(row: list, key_col: int | None, top: list, grouped: set | frozenset = frozenset()) -> bool:
    cells = _cells(row)
    if not any(c.strip() for c in cells) or _has_number(row):
        return False
    if any(not isinstance(c, str) and c not in ("", None) for c in row):
        return False  # dates or other values: a data row
    top_cells = _cells(top) + [""] * max(0, len(cells) - len(top))
    if not any(c.strip() and (not top_cells[i].strip() or i in grouped) for i, c in enumerate(cells)):
        return False  # a sub-header names columns under a group (blank or merged above)
    if key_col is not None and key_col < len(cells) and cells[key_col].strip():
        return False
    return not any(TOTAL_ROW.match(header_key(c)) or CATEGORY_ROW.match(header_key(c)) for c in cells if c)


def _read_preamble(layout: SheetLayout, rows: list[list]) -> None:
    for i, row in enumerate(rows):
        texts = [c.strip() for c in _cells(row) if c and c.strip()]
        if not texts:
            layout.preamble[i] = "blank"
            continue
        joined = " ".join(texts)
        unit = _UNIT_ROW.search(normalise_text(joined))
        if unit:
            layout.unit_factor = UNIT_FACTORS[unit.group(1)]
            layout.unit_written = unit.group(1)
        if unit and len(texts) <= 2 and layout.title is not None:
            layout.preamble[i] = "unit"
        elif layout.title is None:
            layout.title = joined
            layout.preamble[i] = "title"
        else:
            layout.preamble[i] = "unit" if unit else "title"
        if layout.year is None:
            year = YEAR_IN_TEXT.search(normalise_text(joined))
            if year and layout.preamble[i] == "title":
                layout.year = int(year.group(1))


def _match_lower(header: str, kind: str, aliases: Aliases) -> tuple[str | None, float | None]:
    """The field the lower part of a header path names when the whole path names none:
    "2022年计划投资/年度计划投资" → annual_plan (the longest lower part that matches)."""
    parts = header.split("/")
    for k in range(1, len(parts)):
        matched, factor = match_field("/".join(parts[k:]), kind, aliases)
        if matched:
            return matched, factor
    return None, None


def _map_columns(layout: SheetLayout, aliases: Aliases) -> None:
    seen: set[str] = set()
    month_keys: set[tuple[str, int, int, bool]] = set()
    hidden = layout.hidden_cols
    # visible columns first: a hidden column is read as a field only when no visible one is
    order = sorted(range(len(layout.headers)), key=lambda c: (c in hidden, c))
    for col in order:
        header = layout.headers[col]
        if not header:
            continue
        matched, factor = match_field(header, layout.kind, aliases)
        if not matched and "/" in header and month_column(col, header, aliases, layout.year) is None:
            matched, own = _match_lower(header, layout.kind, aliases)
            factor = own if own is not None else factor
        if factor is not None:
            layout.factors[col] = factor
        if matched:
            if matched in seen:
                if col not in hidden:
                    layout.duplicate_cols.append((col, matched))
                layout.extras.append(col)
            else:
                seen.add(matched)
                layout.fields[matched] = col
                if col in hidden:
                    layout.hidden_used[col] = matched
            continue
        if layout.kind != "projects":
            layout.extras.append(col)
            continue
        base = split_header(header)[0]
        spec = month_column(col, header, aliases, layout.year)
        if spec is not None:
            key = (spec.kind, spec.first, spec.last, spec.cumulative)
            if key in month_keys:
                if col not in hidden:
                    layout.duplicate_cols.append((col, f"{spec.kind}:{spec.first}-{spec.last}"))
                layout.extras.append(col)
            else:
                month_keys.add(key)
                layout.monthly.append(spec)
                if col in hidden:
                    layout.hidden_used[col] = f"{spec.kind}:{spec.first}-{spec.last}月"
        elif base in aliases.approval_items or header_key(header) in aliases.approval_items:
            item = aliases.approval_items.get(base) or aliases.approval_items[header_key(header)]
            if col in hidden and item in layout.approval_cols.values():
                layout.extras.append(col)  # a visible column already holds this approval
            else:
                layout.approval_cols[col] = item
        elif base in aliases.funding_sources:
            source = aliases.funding_sources[base]
            if col in hidden and source in layout.funding_cols.values():
                layout.extras.append(col)
            else:
                layout.funding_cols[col] = source
        else:
            layout.extras.append(col)
    if hidden:
        layout.monthly.sort(key=lambda m: m.col)
        layout.extras.sort()
    if layout.year is None:
        years = [m.year for m in layout.monthly if m.year]
        if years:
            layout.year = years[0]
