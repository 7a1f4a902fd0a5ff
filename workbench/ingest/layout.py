"""Recognise how a hand-made ledger sheet is laid out: title, unit row, one- or two-row header,
columns (by the synonyms of ``config/aliases.yaml``), monthly columns, and the kind of every
row below the header (data, category, total, note, blank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from workbench.core.words import _labels
from workbench.core.yamlfile import packaged_yaml
from workbench.ingest.readers import RawSheet
from workbench.ingest.values import UNIT_FACTORS, choice_key, normalise_text
from workbench.model.schemas import (
    APPROVAL_ITEMS,
    APPROVAL_STATUSES,
    BATCH_KINDS,
    FUNDING_SOURCES,
    FUNDING_STATUSES,
    LEVELS,
    NATURES,
    OFFICES,
    STAGES,
    TIERS_531,
)

HEADER_SEARCH_ROWS = 30
_DOMAINS = {
    "nature": NATURES, "stage": STAGES, "level": LEVELS, "office": OFFICES,
    "batch_kind": BATCH_KINDS, "tier_531": TIERS_531, "approval_status": APPROVAL_STATUSES,
    "funding_status": FUNDING_STATUSES, "approval_item": APPROVAL_ITEMS,
    "funding_source": FUNDING_SOURCES,
}
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10, "十一": 11, "十二": 12}
_PARENS = re.compile(r"\(([^()]*)\)")
_YEAR_PREFIX = re.compile(r"^(\d{4})年度?")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT_ROW = re.compile(r"单位\s*[:：]?\s*(万元|亿元|元)")
_RANGE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]+)\s*(?:-|~|至|到|—|–|－)\s*(\d{1,2}|[一二三四五六七八九十]+)月")
_MONTH = re.compile(r"(?<![\d])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?")
_CATEGORY = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.,]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十百]+$)\s*"
    r"(.*?)\s*(?:\((?:共)?\s*(\d+)\s*个(?:项目)?\s*\))?$"
)
_TOTAL = re.compile(r"^(?:全县|全市|总)?(合计|总计|小计|共计|总合计)")
_NOTE = re.compile(r"^(注|备注|说明|填表说明|制表|填报人|审核人|审核|负责人|联系人|联系电话|填报单位)")


@dataclass(frozen=True)
class Aliases:
    """Synonym tables from config/aliases.yaml, keys already normalised."""

    headers: dict[str, dict[str, str]]  # table → normalised header → field
    sheet_kinds: dict[str, dict]
    monthly: dict[str, list[str]]
    approval_items: dict[str, str]  # normalised word → item
    funding_sources: dict[str, str]
    values: dict[str, dict[str, str]]  # field → normalised word → canonical value
    category_office: dict[str, str]
    defaults: dict
    matched: dict = field(default_factory=dict, compare=False, repr=False)  # header match cache


def header_key(text) -> str:
    """A header or word as compared: NFKC, no blanks or line breaks, lower case."""
    return re.sub(r"\s+", "", normalise_text(text)).lower()


@cache
def load_aliases() -> Aliases:
    """The packaged synonym tables (labels.yaml's zh/en labels included)."""
    return build_aliases(packaged_yaml("aliases.yaml"))


def build_aliases(data: dict) -> Aliases:
    """Aliases from parsed YAML (merged with the display labels)."""
    labels = _labels()
    headers: dict[str, dict[str, str]] = {}
    for table, fields in data["tables"].items():
        mapping: dict[str, str] = {}
        for field_name, words in fields.items():
            entry = labels["columns"].get(field_name)
            label_words = [entry["zh"], entry["en"]] if entry else []
            for word in [*words, *label_words]:
                mapping.setdefault(header_key(word), field_name)
        headers[table] = mapping

    def words_of(section: dict, domain: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for canonical, words in section.items():
            canonical = str(canonical)
            for word in [canonical, *(str(w) for w in words)]:
                out.setdefault(choice_key(word), canonical)
        for canonical in _DOMAINS.get(domain, ()):
            entry = labels["values"].get(canonical)
            if entry:
                for word in entry.values():
                    out.setdefault(choice_key(word), canonical)
            out.setdefault(choice_key(canonical), canonical)
        return out

    values = {f: words_of(section, f) for f, section in data["values"].items()}
    values["approval_item"] = words_of(data["approval_items"], "approval_item")
    values["funding_source"] = words_of(data["funding_sources"], "funding_source")
    for domain in _DOMAINS:
        values.setdefault(domain, words_of({}, domain))
    return Aliases(
        headers=headers,
        sheet_kinds=data["sheet_kinds"],
        monthly={k: [header_key(w) for w in v] for k, v in data["monthly"].items()},
        approval_items=values["approval_item"],
        funding_sources=values["funding_source"],
        values=values,
        category_office={header_key(k): v for k, v in data["category_office"].items()},
        defaults=data["defaults"],
    )


@dataclass(frozen=True)
class MonthColumn:
    """A monthly amount column: months ``first``..``last`` of ``year`` (cumulative = YTD)."""

    col: int
    kind: str  # planned / completed
    first: int
    last: int
    cumulative: bool
    year: int | None


@dataclass
class SheetLayout:
    """Where things are on one sheet (row and column numbers are 0-based grid indices)."""

    name: str
    kind: str  # projects / progress / approvals / funding / problems / milestones / unrecognised
    header_rows: list[int] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # flattened header per column, as written
    fields: dict[str, int] = field(default_factory=dict)  # field → column
    monthly: list[MonthColumn] = field(default_factory=list)
    approval_cols: dict[int, str] = field(default_factory=dict)
    funding_cols: dict[int, str] = field(default_factory=dict)
    extras: list[int] = field(default_factory=list)
    duplicate_cols: list[tuple[int, str]] = field(default_factory=list)  # (col, field) seen twice
    factors: dict[int, float] = field(default_factory=dict)  # header unit per column
    unit_factor: float = 1.0  # the sheet's unit row (万元 unless said)
    unit_written: str | None = None
    year: int | None = None
    title: str | None = None
    preamble: dict[int, str] = field(default_factory=dict)  # row → title/unit/blank

    @property
    def data_start(self) -> int:
        return (self.header_rows[-1] + 1) if self.header_rows else 0

    def factor(self, col: int) -> float:
        """The multiplier to 万元 of an amount column."""
        return self.factors.get(col, self.unit_factor)


def split_header(text: str) -> tuple[str, float | None, int | None, bool]:
    """(base key, unit factor, leading year, percent) of a header: "2022年总投资（亿元）" →
    ("总投资", 1e4, 2022, False)."""
    key = header_key(text)
    factor, percent = None, False
    for inner in _PARENS.findall(key):
        found = re.search(r"(万元|亿元|元|万|亿)", inner)
        if found:
            factor = UNIT_FACTORS[found.group(1)]
        if "%" in inner:
            percent = True
    base = _PARENS.sub("", key)
    suffix_unit = re.search(r"[/:](万元|亿元|元)$", base)
    if suffix_unit:
        factor = UNIT_FACTORS[suffix_unit.group(1)]
        base = base[: suffix_unit.start()]
    year = None
    match = _YEAR_PREFIX.match(base)
    if match:
        year, base = int(match.group(1)), base[match.end():]
    return base, factor, year, percent


def match_field(header: str, table: str, aliases: Aliases) -> tuple[str | None, float | None]:
    """The field a header names for a sheet kind, and the unit it declares."""
    key = (table, header)
    found = aliases.matched.get(key)
    if found is None:
        if len(aliases.matched) > 100_000:
            aliases.matched.clear()
        found = aliases.matched[key] = _match_field(header, table, aliases)
    return found


def _match_field(header: str, table: str, aliases: Aliases) -> tuple[str | None, float | None]:
    mapping = aliases.headers[table]
    key = header_key(header)
    if key in mapping:
        _, factor, _, _ = split_header(header)
        return mapping[key], factor
    base, factor, year, _ = split_header(header)
    if base in mapping:
        return mapping[base], factor
    if year is not None:
        with_year = _PARENS.sub("", key)
        if with_year in mapping:
            return mapping[with_year], factor
    return None, factor


def _month_number(text: str) -> int | None:
    if text.isdigit():
        month = int(text)
        return month if 1 <= month <= 12 else None
    return _CN_MONTH.get(text)


def month_column(col: int, header: str, aliases: Aliases, year_hint: int | None) -> MonthColumn | None:
    """A monthly amount column read from its header, or None."""
    key = _PARENS.sub("", header_key(header))
    if "月" not in key or any(word in key for word in aliases.monthly["ignore"]):
        return None
    years = _YEAR_ANY.findall(key)
    year = int(years[0]) if years else year_hint
    text = _YEAR_ANY.sub("", key)
    last_part = text.split("/")[-1]
    single_last = _MONTH.search(last_part) if not _RANGE.search(last_part) else None
    cumulative = any(w in text for w in ("累计", "截至", "截止"))
    if single_last and len(text.split("/")) > 1:
        month = _month_number(single_last.group(1))
        first, last, cumulative = month, month, cumulative and "累计" in last_part
    elif (rng := _RANGE.search(text)) is not None:
        first, last = _month_number(rng.group(1)), _month_number(rng.group(2))
        if first is None or last is None or first > last:
            return None
        cumulative = first == 1
    elif (single := _MONTH.search(text)) is not None:
        month = _month_number(single.group(1))
        first, last = (1, month) if cumulative else (month, month)
    else:
        return None
    if first is None or last is None:
        return None
    if any(w in text for w in aliases.monthly["planned"]):
        kind = "planned"
    elif any(w in text for w in aliases.monthly["completed"]) or re.fullmatch(
        r"(?:/)?(?:\d{1,2}|[一二三四五六七八九十]+)月(?:份)?", text
    ):
        kind = "completed"
    else:
        return None
    return MonthColumn(col, kind, first, last, cumulative and first == 1, year)


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
    return not any(_TOTAL.match(header_key(c)) or _CATEGORY.match(header_key(c)) for c in cells if c)


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
            year = _YEAR_ANY.search(normalise_text(joined))
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


# --- rows below the header ------------------------------------------------------------------


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


_LABEL_START = r"^[\s\u3000]*[一二三四五六七八九十百(（合总小共全注备说填制审负联]"


def text_keys(values: np.ndarray, labels_only: bool = False) -> pd.Series:
    """``header_key`` of each text cell ('' for numbers, dates, blanks), column-wise.

    With ``labels_only`` only texts that could open a category, total or note row are keyed
    (the rest give ''), which spares normalising every project name of a large ledger.
    """
    series = pd.Series(values, dtype=object)
    is_text = series.map(type).eq(str)
    out = series.where(is_text, "").astype("str")
    if labels_only:
        cand = out.str.match(_LABEL_START).to_numpy()
        keys = pd.Series("", index=out.index, dtype="str")
        if cand.any():
            keys[cand] = text_keys(out[cand].to_numpy(dtype=object)).to_numpy()
        return keys
    return out.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.lower()


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
    first_val = grid[np.arange(n), first_col]
    label = text_keys(first_val, labels_only=True)
    numbers = np.frompyfunc(lambda c: isinstance(c, (int, float)) and not isinstance(c, bool), 1, 1)
    only_label = count <= 1
    other_count = count.copy()
    if serial is not None:
        other_count = count - filled[:, serial].astype(int)
    kinds[count == 0] = "blank"
    in_label_cols = np.isin(first_col, label_cols) | only_label
    is_total = label.str.match(_TOTAL.pattern).to_numpy() & in_label_cols
    if name_col is not None:
        name_text = text_keys(grid[:, name_col], labels_only=True)
        is_total |= name_text.str.match(_TOTAL.pattern).to_numpy()
    kinds[is_total & (count > 0)] = "total"
    name_empty = ~filled[:, name_col] if name_col is not None else np.ones(n, dtype=bool)
    cat_text = label.str.match(_CATEGORY.pattern).to_numpy() & in_label_cols
    if name_col is not None and serial is not None:
        # "一" in 序号 and the category in 项目名称
        ser = text_keys(grid[:, serial], labels_only=True)
        cat_text |= ser.str.fullmatch(r"[一二三四五六七八九十百]+[、.]?").to_numpy()
    is_category = cat_text & (kinds == "data")
    kinds[is_category] = "category"
    is_note = label.str.match(_NOTE.pattern).to_numpy() & name_empty & (kinds == "data")
    kinds[is_note & (count <= 3)] = "note"
    # lines continuing a note ("2. 金额单位为万元。"): text only, no name, after a note
    noted = np.flatnonzero(kinds == "note")
    if len(noted):
        cand = (np.arange(n) > noted[0]) & (kinds == "data") & name_empty & (count <= 2)
        for i in np.flatnonzero(cand):
            if not any(numbers(grid[i]).astype(bool) & filled[i]):
                kinds[i] = "note"
    # a row with nothing but its 序号 (an unused numbered line) holds no data
    if serial is not None:
        lone = np.flatnonzero((other_count == 0) & (count > 0) & (kinds == "data"))
        for i in lone:
            if re.fullmatch(r"\d+(?:\.0)?", str(grid[i, serial]).strip()):
                kinds[i] = "blank"
    return kinds


def _key_field(layout: SheetLayout) -> str:
    return load_aliases().sheet_kinds.get(layout.kind, {}).get("key", "name")


def category_of(text) -> tuple[str, int | None]:
    """("工业项目", 12) from a category row "一、工业项目（12个）"."""
    key = header_key(text)
    match = _CATEGORY.match(key)
    if not match:
        return normalise_text(text), None
    raw = normalise_text(text)
    # keep the category as written (not lower-cased), without numbering and count
    raw = re.sub(r"^\s*(?:[一二三四五六七八九十百]+\s*[、.,，．]|[(（][一二三四五六七八九十]+[)）])\s*", "", raw)
    raw = re.sub(r"\s*[(（]\s*(?:共)?\s*\d+\s*个(?:项目)?\s*[)）]\s*$", "", raw)
    count = int(match.group(2)) if match.group(2) else None
    return raw.strip(), count
