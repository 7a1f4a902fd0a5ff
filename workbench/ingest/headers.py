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


def flatten_headers(top: list, sub: list | None, merged: list, row: int) -> list[str]:
    """One header per column from a one- or two-row header (group row forward-filled across
    its merged range, or across blank cells when merges are unknown): "2022年月度完成投资/3月"."""
    top_s = [t.strip() for t in _cells(top)]
    if sub is None:
        return top_s
    sub_s = [s.strip() for s in _cells(sub)]
    width = max(len(top_s), len(sub_s))
    top_s += [""] * (width - len(top_s))
    sub_s += [""] * (width - len(sub_s))
    group = list(top_s)
    spans = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in merged if r0 <= row <= r1 and c1 > c0]
    if spans:
        for (_r0, c0), (_r1, c1) in spans:
            for c in range(c0 + 1, min(c1 + 1, width)):
                if not group[c]:
                    group[c] = top_s[c0]
    else:
        last = ""
        for c in range(width):
            if top_s[c]:
                last = top_s[c]
            elif sub_s[c]:
                group[c] = last
    out = []
    for g, s in zip(group, sub_s, strict=True):
        if g and s and g != s:
            out.append(f"{g}/{s}")
        else:
            out.append(g or s)
    return out


def recognise(raw: RawSheet, aliases: Aliases | None = None) -> SheetLayout:
    """The layout of one sheet (kind "unrecognised" when no header row matches a table)."""
    aliases = aliases or load_aliases()
    rows = raw.rows
    best = None
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        headers = _cells(rows[i])
        if not any(headers):
            continue
        if i + 1 < len(rows):
            two = flatten_headers(rows[i], rows[i + 1], raw.merged, i)
        else:
            two = headers
        for candidate, nrows in ((headers, 1), (two, 2)):
            for kind, (score, usable) in _kind_scores(candidate, aliases).items():
                if usable and (best is None or score > best[0]):
                    best = (score, i, kind, nrows)
    layout = SheetLayout(raw.name, "unrecognised")
    if best is None:
        return layout
    _, header_row, kind, _ = best
    layout.kind = kind
    sub = rows[header_row + 1] if header_row + 1 < len(rows) else None
    key_col = _key_column(_cells(rows[header_row]), kind, aliases)
    spans_down = any(r0 == header_row and r1 > r0 for (r0, _), (r1, _) in raw.merged)
    if kind == "projects" and sub is not None and (
            _is_sub_header(sub, key_col, rows[header_row])
            or (spans_down and not any(c not in ("", None) for c in sub))):
        layout.header_rows = [header_row, header_row + 1]
        layout.headers = flatten_headers(rows[header_row], sub, raw.merged, header_row)
    else:
        layout.header_rows = [header_row]
        layout.headers = flatten_headers(rows[header_row], None, raw.merged, header_row)
    _read_preamble(layout, rows[:header_row])
    _map_columns(layout, aliases)
    return layout


def _key_column(headers: list[str], kind: str, aliases: Aliases) -> int | None:
    key = aliases.sheet_kinds[kind]["key"]
    for col, header in enumerate(headers):
        if header and match_field(header, kind, aliases)[0] == key:
            return col
    return None


def _is_sub_header(row: list, key_col: int | None, top: list) -> bool:
    cells = _cells(row)
    if not any(c.strip() for c in cells) or _has_number(row):
        return False
    if any(not isinstance(c, str) and c not in ("", None) for c in row):
        return False  # dates or other values: a data row
    top_cells = _cells(top) + [""] * max(0, len(cells) - len(top))
    if not any(c.strip() and not top_cells[i].strip() for i, c in enumerate(cells)):
        return False  # a sub-header names columns under a group (blank above)
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


def _map_columns(layout: SheetLayout, aliases: Aliases) -> None:
    seen: set[str] = set()
    month_keys: set[tuple[str, int, int, bool]] = set()
    for col, header in enumerate(layout.headers):
        if not header:
            continue
        matched, factor = match_field(header, layout.kind, aliases)
        if factor is not None:
            layout.factors[col] = factor
        if matched:
            if matched in seen:
                layout.duplicate_cols.append((col, matched))
                layout.extras.append(col)
            else:
                seen.add(matched)
                layout.fields[matched] = col
            continue
        if layout.kind != "projects":
            layout.extras.append(col)
            continue
        base = split_header(header)[0]
        spec = month_column(col, header, aliases, layout.year)
        if spec is not None:
            key = (spec.kind, spec.first, spec.last, spec.cumulative)
            if key in month_keys:
                layout.duplicate_cols.append((col, f"{spec.kind}:{spec.first}-{spec.last}"))
                layout.extras.append(col)
            else:
                month_keys.add(key)
                layout.monthly.append(spec)
        elif base in aliases.approval_items or header_key(header) in aliases.approval_items:
            layout.approval_cols[col] = aliases.approval_items.get(base) or aliases.approval_items[
                header_key(header)]
        elif base in aliases.funding_sources:
            layout.funding_cols[col] = aliases.funding_sources[base]
        else:
            layout.extras.append(col)
    if layout.year is None:
        years = [m.year for m in layout.monthly if m.year]
        if years:
            layout.year = years[0]
