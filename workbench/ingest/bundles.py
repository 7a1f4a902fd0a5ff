"""Bundled projects (打捆) on a project sheet: the 序号 hierarchy read as people read it.

A bundle is a row with parts below it: "3" with "3-1", "3-2" (or "3.1", "3.2"); "1" with "(1)",
"(2)" or "①"; a row followed by "其中：…" rows listing its parts. Each part points at its bundle
(``projects.parent_id``); numbering restarts under each category row, so a part looks for its
bundle only since the last category or 合计/小计 row. Which level totals count is the Ledger's
business (``model.ledger.counted_mask``); here the hierarchy is found and its sums checked.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.core.text import fold
from workbench.ingest.context import SheetRows
from workbench.ingest.values import amount_column

_TOP = re.compile(r"^(\d+)[.、,]?$")
_DOTTED = re.compile(r"^(\d+(?:[-.—–_~]\d+)*)[-.—–_~](\d+)[.、]?$")
_PAREN = re.compile(r"^(?:\(\d+\)|\d+\)|[\u2460-\u2473\u2474-\u2487])$")  # (1) 1) ① ⑴
_WITHIN = re.compile(r"^\s*其中\s*[:：、,，]?\s*")


def _serial_text(value) -> str:
    """序号 as text: 3 → "3", 3.0 → "3", 3.1 → "3.1", "（1）" → "(1)" ("" when blank)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    text = str(value).strip()
    if text.isascii():  # NFKC leaves ASCII as it is: fold is only spaces out, lower case
        return "".join(text.split()).lower()
    if re.fullmatch(r"[\u2460-\u2473\u2474-\u2487]", text):  # ① ⑴ before NFKC makes them digits
        return text
    return fold(text)


def _key(path: str) -> str:
    return re.sub(r"[-.—–_~]", "-", path)


def within_mask(names: pd.Series) -> np.ndarray:
    """True for a name written as "其中：…" (a part of the row above)."""
    values = names.to_numpy(dtype=object)
    return np.fromiter((isinstance(v, str) and "其中" in v and _WITHIN.match(v) is not None for v in values),
                       dtype=bool, count=len(values))


def without_within(names: pd.Series, mask: np.ndarray | None = None) -> pd.Series:
    """The names without a leading "其中：" (missing when nothing is left); `mask` is
    ``within_mask(names)`` when the caller has it."""
    mask = within_mask(names) if mask is None else mask
    if not mask.any():
        return names
    out = names.copy()
    rest = names[mask].str.replace(_WITHIN.pattern, "", n=1, regex=True).str.strip()
    out[mask] = rest.where(rest != "", None)
    return out.astype("str")


def bundle_parents(sheet: SheetRows, names: pd.Series, within: np.ndarray | None = None) -> np.ndarray:
    """For each data row, the data-row position of its bundle (-1 when it is on its own);
    `within` is ``within_mask(names)`` when the caller has it.

    A "3-1" whose "3" is missing is flagged (``bundle_parent_missing``) and stands alone.
    """
    n = sheet.n
    parents = np.full(n, -1, dtype=np.int64)
    serial_col = sheet.layout.fields.get("serial")
    if not n:
        return parents
    # ASCII text without spaces ("12", "3-1") is folded by lower-casing alone
    serials = [v.lower() if type(v) is str and v.isascii() and v.isprintable() and " " not in v
               else _serial_text(v) for v in sheet.data[:, serial_col]] if serial_col is not None else [""] * n
    within = within_mask(names) if within is None else within
    label_rows = {int(g) for g in np.flatnonzero(sheet.kinds == "blank")
                  if any(isinstance(c, str) and re.fullmatch(r"\s*其中\s*[:：]?\s*", c) for c in sheet.grid[g])}
    if not within.any() and not label_rows and all(s.isdigit() or not s for s in serials):
        return parents  # plain running numbers: no bundle on this sheet
    breaks = np.cumsum(np.isin(sheet.kinds, ("category", "total")))[sheet.data_idx]
    seen: dict[str, int] = {}
    last_top, last_row, within_parent = -1, -1, -1
    missing = np.zeros(n, dtype=bool)
    wanted = np.full(n, None, dtype=object)
    for i in range(n):
        if i and breaks[i] != breaks[i - 1]:
            seen, last_top, last_row, within_parent = {}, -1, -1, -1
        s = serials[i]
        opened = sheet.data_idx[i] - 1 in label_rows  # the line above holds only "其中："
        if (within[i] or opened) and last_row >= 0:
            # parts of the row above; a second "其中：" row goes on with the same list
            within_parent = within_parent if within_parent >= 0 else last_row
            parents[i] = within_parent
        elif not s and within_parent >= 0:
            parents[i] = within_parent  # the list under "其中：" goes on without 序号
        elif s.isascii() and s.isdigit():  # a plain "3" (what the else branch does, sooner)
            seen[s] = i
            last_top, within_parent = i, -1
        elif m := _DOTTED.match(s):
            parent_key = _key(m.group(1))
            if parent_key in seen:
                parents[i] = seen[parent_key]
            elif re.search(r"[-—–_~]", s):
                missing[i], wanted[i] = True, m.group(1)
            # "3.1" with no "3" above: more likely a plain number than a part; it stands alone
            seen[_key(s)] = i
            last_top, within_parent = i, -1
        elif _PAREN.match(s) and last_top >= 0:
            parents[i] = last_top
            within_parent = -1
        else:
            if _TOP.match(s):
                seen[_TOP.match(s).group(1)] = i
            last_top, within_parent = i, -1
        last_row = i
    if missing.any():
        sheet.flag("bundle_parent_missing", missing, "serial",
                   values=np.array(serials, dtype=object), limits=wanted)
    return parents


def check_bundle_sums(sheet: SheetRows, parents: np.ndarray, amounts: dict[str, np.ndarray],
                      names: pd.Series, serials_col: int | None) -> None:
    """A bundle's amounts against the sum of its parts (``bundle_sum_mismatch``)."""
    if not (parents >= 0).any():
        return
    ctx = sheet.ctx
    tol_abs, tol_rel = ctx.tolerance["total_abs"], ctx.tolerance["total_rel"]
    for p in _bundles_off(parents, amounts, tol_abs, tol_rel):
        parts = np.flatnonzero(parents == p)
        labels = [str(names.iat[j]) for j in parts]
        for f, values in amounts.items():
            stated, part_values = values[p], values[parts]
            if np.isnan(stated) or np.isnan(part_values).all():
                continue
            expected = float(np.nansum(part_values))
            if abs(stated - expected) > max(tol_abs, tol_rel * abs(expected)):
                ctx.findings.add("bundle_sum_mismatch", sheet.raw.name, int(sheet.rows[p]), sheet.header(f),
                                 round(float(stated), 2), round(expected, 2), extra="、".join(labels)[:60])


def _bundles_off(parents: np.ndarray, amounts: dict[str, np.ndarray], tol_abs: float,
                 tol_rel: float) -> list[int]:
    """The bundle rows whose amounts may differ from the sum of their parts, all bundles at
    once (sums by bincount); a slight margin keeps every borderline one, and the caller judges
    each exactly as before."""
    idx = np.flatnonzero(parents >= 0)
    owners = parents[idx]
    bundles = np.unique(owners)
    off = np.zeros(len(bundles), dtype=bool)
    for values in amounts.values():
        part = values[idx]
        ok = ~np.isnan(part)
        sums = np.bincount(owners[ok], weights=part[ok], minlength=len(values))[bundles]
        some = np.bincount(owners[ok], minlength=len(values))[bundles] > 0
        stated = values[bundles]
        limit = np.maximum(tol_abs, tol_rel * np.abs(sums))
        off |= ~np.isnan(stated) & some & (np.abs(stated - sums) > limit * (1 - 1e-6) - 1e-6)
    return bundles[off].tolist()


def flag_filled_from_parts(sheet: SheetRows, field: str) -> None:
    """Name each bundle row whose `field` was blank and was taken as the sum of its parts
    (``bundle_total_from_parts``; ``SheetRows.amount`` fills it)."""
    col = sheet.layout.fields.get(field)
    parents = sheet.parent_pos
    if col is None or not (parents >= 0).any():
        return
    raw, _ = amount_column(sheet.column(col), sheet.layout.factor(col))
    filled = raw.isna().to_numpy() & ~np.isnan(sheet.amounts[col])
    sheet.flag("bundle_total_from_parts", filled, field, values=np.full(sheet.n, None),
               limits=sheet.amounts[col])


def parent_ids(parents: np.ndarray, ids: np.ndarray, written: pd.Series | None) -> pd.Series:
    """projects.parent_id: the bundle's id for a part; a ``parent_id`` column the file already
    has (the workbench's own export) where no 序号 says otherwise."""
    out = np.full(len(parents), None, dtype=object)
    has = parents >= 0
    out[has] = ids[parents[has]]
    result = pd.Series(out, dtype="str")
    if written is not None:
        result = result.fillna(pd.Series(written.to_numpy(), dtype="str"))
    return result
