"""Checks across rows: 合计/小计 and category rows against the rows they sum, the count a
category row states, and a project listed twice (same code, or same name and owner).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.words import column_label
from workbench.ingest.aliases import header_key
from workbench.ingest.context import Context, Parts, SheetRows
from workbench.ingest.rows import category_of
from workbench.ingest.values import amount_column, normalise_text, parse_amount


def check_totals(sheet: SheetRows) -> None:
    """合计/小计 rows and category rows with sums, checked against the rows they sum."""
    kinds = sheet.kinds
    layout, ctx = sheet.layout, sheet.ctx
    total_idx = np.flatnonzero((kinds == "total") | (kinds == "category"))
    if not len(total_idx):
        return
    cols = [layout.fields[f] for f in ("total_investment", "annual_plan") if f in layout.fields]
    cols += [m.col for m in layout.monthly] + list(layout.funding_cols)
    if not cols:
        return
    sums = {}
    for col in cols:
        full = np.full(len(kinds), np.nan)
        if col not in sheet.amounts:
            sheet.amount(col)
        full[sheet.data_idx] = sheet.amounts[col]
        stated, _ = amount_column(pd.Series(sheet.grid[total_idx, col], dtype=object), layout.factor(col))
        full[total_idx] = stated.to_numpy(dtype="float64")
        sums[col] = full
    is_data = kinds == "data"
    # a bundle (打捆) counts once: its parts only where the bundle row itself is blank
    parent_grid = np.full(len(kinds), -1)
    has_parent = sheet.parent_pos >= 0
    parent_grid[sheet.data_idx[has_parent]] = sheet.data_idx[sheet.parent_pos[has_parent]]
    part_rows = parent_grid >= 0
    tol_abs, tol_rel = ctx.tolerance["total_abs"], ctx.tolerance["total_rel"]
    bounds = np.flatnonzero(kinds == "category")
    label_col = layout.fields.get("name")
    for i in total_idx:
        label = _row_label(sheet, i)
        kind = kinds[i]
        if kind == "category":
            lo, hi = i + 1, _category_end(sheet, i)
            _, stated = category_of(label)
            count = int((is_data & ~part_rows)[lo:hi].sum())  # a bundle is one project
            if stated is not None and stated != count:
                ctx.findings.add("category_count_mismatch", sheet.raw.name,
                                 i + layout.data_start + 1, sheet.header(label_col) if label_col is not None else None,
                                 stated, count)
        elif "小计" in header_key(label):
            prev = [j for j in np.concatenate([bounds, total_idx]) if j < i]
            lo, hi = (max(prev) + 1 if prev else 0), i
        else:
            lo, hi = 0, len(kinds)
        mask = np.zeros(len(kinds), dtype=bool)
        mask[lo:hi] = True
        mask &= is_data
        for col in cols:
            stated = sums[col][i]
            if np.isnan(stated):
                continue
            values = sums[col]
            counted = mask & (~part_rows | np.isnan(values[np.maximum(parent_grid, 0)]))
            expected = float(np.nansum(values[counted]))
            if abs(stated - expected) > max(tol_abs, tol_rel * abs(expected)):
                ctx.findings.add("total_mismatch", sheet.raw.name, i + layout.data_start + 1,
                                 layout.headers[col], round(float(stated), 2), round(expected, 2),
                                 extra=header_key(label)[:8] or "合计")


def check_ytd_vs_month(sheet: SheetRows) -> None:
    """A year-to-date column (1-6月累计) below the same month's own column (6月 / 其中：6月份):
    one of the two was typed wrong (``ytd_below_month``)."""
    monthly = sheet.layout.monthly
    tol = sheet.ctx.tolerance["total_abs"]
    for ytd in (m for m in monthly if m.cumulative and m.first < m.last):
        for month in monthly:
            if (month.cumulative or month.first != month.last or month.last != ytd.last
                    or month.kind != ytd.kind or month.year != ytd.year):
                continue
            total, _ = sheet.amount(ytd.col)
            single, _ = sheet.amount(month.col)
            below = ~np.isnan(total) & ~np.isnan(single) & (total < single - tol)
            sheet.flag("ytd_below_month", below, ytd.col, values=total, limits=single,
                       extras=np.full(sheet.n, sheet.header(month.col), dtype=object))


def percent_above_100(values: pd.Series) -> np.ndarray:
    """True where a percentage cell holds a number above 100 ("120%", 120), as `parse_percent`
    reads it (which refuses it)."""
    def above(v) -> bool:
        text = normalise_text(v).rstrip("%").strip() if isinstance(v, str) else v
        number, unit, _ = parse_amount(text)
        if number is None or unit is not None:
            return False
        return number > 100
    return values.map(above).to_numpy(dtype=bool)


def _category_end(sheet: SheetRows, i: int) -> int:
    """Where category row `i` ends: at the next category or total row, but past the
    sub-categories nested in it ("一、" holding "（一）", "（二）" …) and their 小计 rows."""
    kinds = sheet.kinds
    level = _category_level(sheet, i)
    nested = False
    for j in range(i + 1, len(kinds)):
        if kinds[j] == "category":
            if _category_level(sheet, j) <= level:
                return j
            nested = True
        elif kinds[j] == "total" and not (nested and "小计" in header_key(_row_label(sheet, j))):
            return j
    return len(kinds)


def _category_level(sheet: SheetRows, i: int) -> int:
    """1 for "一、…", 2 for "（一）…" (a sub-category)."""
    return 2 if header_key(_row_label(sheet, i)).startswith("(") else 1


def _row_label(sheet: SheetRows, i: int) -> str:
    row = sheet.grid[i]
    for c in row:
        if isinstance(c, str) and c.strip():
            return c.strip()
    return ""


def check_duplicates(parts: Parts, ctx: Context) -> None:
    """A project twice (same code, or same name and owner) across all project sheets: error."""
    if not parts.projects:
        return
    allp = pd.concat(parts.projects, ignore_index=True)
    named = allp["name"].notna()
    id_dup = allp["project_id"].duplicated(keep="first")
    code_dup = id_dup & allp["_code_valid"]
    key_dup = allp["_key"].duplicated(keep="first") & named & ~code_dup
    derived_dup = id_dup & ~allp["_code_valid"] & ~key_dup & named
    if not (code_dup | key_dup | derived_dup).any():
        return  # no project twice: nothing to name (the usual case)
    first = {"id": _first_positions(allp["project_id"]), "key": _first_positions(allp["_key"])}
    sheets, rows = allp["_sheet"].tolist(), allp["_row"].tolist()
    copied = _copied_rows(allp, code_dup | key_dup | derived_dup)
    for mask, rule, kind, column in ((code_dup, "duplicate_code", "id", "project_id"),
                                     (key_dup | derived_dup, "duplicate_name_owner", "key", "name")):
        for i in np.flatnonzero(mask.to_numpy() & ~copied):
            sh, r = allp["_sheet"].iat[i], allp["_row"].iat[i]
            fsh, fr = sheets[first[kind][i]], rows[first[kind][i]]
            value = allp["project_id"].iat[i] if kind == "id" else allp["name"].iat[i]
            header = column_label(column)
            ctx.findings.add(rule, sh, r, _header_for(parts, sh, column) or header, value,
                             fr if fsh == sh else f"{fsh}!{fr}")
    for i in np.flatnonzero(copied):
        j = _first_of(allp, i)
        sh, fsh, fr = allp["_sheet"].iat[i], allp["_sheet"].iat[j], allp["_row"].iat[j]
        ctx.findings.add("row_copied", sh, allp["_row"].iat[i], _header_for(parts, sh, "name")
                         or column_label("name"), allp["name"].iat[i], fr if fsh == sh else f"{fsh}!{fr}",
                         extra=f"{_serial(allp['_serial'].iat[j])} / {_serial(allp['_serial'].iat[i])}")
    # a sheet that repeats an earlier one (one sheet a month, a copy): say so, suggest --sheet
    repeated = (code_dup | key_dup | derived_dup).to_numpy()
    for sheet_name in dict.fromkeys(sheets):
        on_sheet = (allp["_sheet"] == sheet_name).to_numpy()
        if on_sheet.sum() >= 3 and repeated[on_sheet].mean() >= 0.8:
            earlier = [sheets[j] for j in first["key"][on_sheet]]
            source = max(set(earlier), key=earlier.count)
            ctx.findings.add("sheet_repeats", sheet_name, None, None, source)


def _first_positions(values: pd.Series) -> np.ndarray:
    """For each row, the position of the first row holding the same value (column-wise)."""
    codes, _ = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    _, first = np.unique(codes, return_index=True)
    return first[codes]


def _serial(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _first_of(allp: pd.DataFrame, i: int) -> int:
    """The first row with the same name and owner as row `i` (else the same id)."""
    same = np.flatnonzero((allp["_key"] == allp["_key"].iat[i]).to_numpy())
    if same[0] == i:
        same = np.flatnonzero((allp["project_id"] == allp["project_id"].iat[i]).to_numpy())
    return int(same[0])


def _copied_rows(allp: pd.DataFrame, repeated: pd.Series) -> np.ndarray:
    """Repeated rows that are a copy of an earlier row under another 序号: same name, owner and
    amounts, a different 序号 (``row_copied``) rather than a project listed twice by mistake."""
    out = np.zeros(len(allp), dtype=bool)
    if "_serial" not in allp or not repeated.any():
        return out
    for i in np.flatnonzero(repeated.to_numpy()):
        j = _first_of(allp, i)
        a, b = allp["_serial"].iat[j], allp["_serial"].iat[i]
        if j == i or allp["_key"].iat[i] != allp["_key"].iat[j] or _blank(a) or _blank(b):
            continue
        if _serial(a) == _serial(b) or allp["_sheet"].iat[i] != allp["_sheet"].iat[j]:
            continue
        same = all(_equal(allp[f].iat[i], allp[f].iat[j]) for f in ("total_investment", "annual_plan"))
        out[i] = same
    return out


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""


def _equal(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and abs(a - b) < 1e-6)


def _header_for(parts: Parts, sheet: str, column: str) -> str | None:
    for record in parts.sheets:
        if record.raw.name == sheet and column in record.layout.fields:
            return record.layout.headers[record.layout.fields[column]]
    return None
