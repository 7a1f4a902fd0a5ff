"""Monthly progress written as columns of a project sheet ("3月完成投资", "1-3月累计"): one
progress row per project and month; year-to-date columns become monthly increments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ingest.checks import percent_above_100
from workbench.ingest.context import Parts, SheetRows
from workbench.ingest.months import adopt_this_month
from workbench.ingest.values import percent_column


def progress_from_columns(sheet: SheetRows, frame: pd.DataFrame, year: int | None, parts: Parts) -> None:
    """progress rows from monthly columns (per-month or year-to-date)."""
    layout, ctx = sheet.layout, sheet.ctx
    if not layout.monthly or not sheet.n:
        return
    if year is None:
        year = pd.Timestamp.today().year
        ctx.findings.add("year_unknown", sheet.raw.name, None, None, None, year)
    by_kind: dict[str, dict[int, np.ndarray]] = {}
    span: dict[str, dict[int, int]] = {}
    bad_rows = np.zeros(sheet.n, dtype=bool)
    adopt_this_month(layout, ctx.aliases)
    for kind in ("planned", "completed"):
        specs = [m for m in layout.monthly if m.kind == kind]
        singles = [m for m in specs if m.first == m.last and not m.cumulative]
        ytd = [m for m in specs if m.cumulative]
        written = singles or [m for m in specs if not m.cumulative]  # months, else quarters
        if written and ytd and max(m.last for m in ytd) >= min(m.last for m in written):
            # 1-N月累计 beside 当月 / 其中：N月份 (or 上半年 beside 一季度): the months before N
            # come from the year to date
            bad_rows |= _negative_rows(sheet, written + ytd)
            by_kind[kind], span[kind] = _ytd_with_months(sheet, written, ytd)
            layout.extras += [m.col for m in specs if m not in written and m not in ytd]
            continue
        chosen = singles or specs
        # per-month columns win; year-to-date columns beside them are kept as extras
        layout.extras += [m.col for m in specs if m not in chosen]
        values: dict[int, np.ndarray] = {}
        spans: dict[int, int] = {}
        prev_total, prev_month = None, 0
        for m in sorted(chosen, key=lambda m: (m.last, m.first)):
            v, bad = sheet.amount(m.col)
            sheet.flag("value_ignored", bad, m.col)
            sheet.flag("negative_amount", v < 0, m.col, values=v)
            bad_rows |= v < 0
            if m.cumulative and not singles:
                ytd = np.where(np.isnan(v), np.nan, v)
                if prev_total is not None:
                    base = np.nan_to_num(prev_total)
                    drop = ytd < base - 1e-9
                    sheet.flag("ytd_decreasing", drop, m.col, values=ytd, limits=base)
                    inc = ytd - base
                    prev_total = np.where(np.isnan(ytd), prev_total, ytd)
                else:
                    inc = ytd
                    prev_total = ytd
                values[m.last] = inc
                spans[m.last] = m.last - prev_month
                prev_month = m.last
            else:
                values[m.last] = v
                spans[m.last] = m.last - m.first + 1
        by_kind[kind], span[kind] = values, spans
    months = sorted(set(by_kind["planned"]) | set(by_kind["completed"]))
    plan_assumed = not by_kind["planned"]
    if plan_assumed:
        ctx.findings.add("monthly_plan_assumed", sheet.raw.name, None, None, None)
    annual = frame["annual_plan"].to_numpy(dtype="float64")
    at, month_of, planned_of, completed_of = [], [], [], []  # per month: the rows that have one
    for month in months:
        completed = by_kind["completed"].get(month)
        planned = by_kind["planned"].get(month)
        if plan_assumed:
            planned = annual * span["completed"].get(month, 1) / 12.0
        c = completed if completed is not None else np.full(sheet.n, np.nan)
        p = planned if planned is not None else np.full(sheet.n, np.nan)
        has = ~(np.isnan(c) & np.isnan(p)) if not plan_assumed else ~np.isnan(c)
        rows = np.flatnonzero(has)
        at.append(rows)
        month_of.append(np.full(len(rows), month))
        planned_of.append(np.nan_to_num(p[rows]))
        completed_of.append(np.nan_to_num(c[rows]))
    pos = np.concatenate(at) if at else np.zeros(0, dtype=np.int64)
    if not len(pos):
        return
    month_no = np.concatenate(month_of)
    progress = pd.DataFrame({
        "project_id": frame["project_id"].to_numpy()[pos],
        "month": (np.datetime64(f"{int(year)}-01", "M") + (month_no - 1)).astype("datetime64[us]"),
        "planned": np.concatenate(planned_of),
        "completed": np.concatenate(completed_of),
        "physical_progress": np.nan,
        "_sheet": sheet.raw.name,
        "_row": sheet.rows[pos],
    })
    pct_col = layout.fields.get("physical_progress")
    if pct_col is not None:
        pct, bad = percent_column(sheet.column(pct_col))
        bad = np.asarray(bad, dtype=bool)
        above = np.zeros(sheet.n, dtype=bool)  # 形象进度 over 100 %: named as such
        above[bad] = percent_above_100(sheet.column(pct_col)[bad])
        sheet.flag("progress_above_100", above, pct_col)
        sheet.flag("value_ignored", bad & ~above, pct_col)
        # 形象进度 is a row's state at its last month with progress (months run in order)
        last_month = np.zeros(sheet.n, dtype=month_no.dtype)
        for rows, month in zip(at, months, strict=True):
            last_month[rows] = month  # a later month overwrites an earlier one
        last = month_no == last_month[pos]
        values = pd.to_numeric(pct, errors="coerce").to_numpy(dtype="float64")
        progress.loc[last, "physical_progress"] = values[pos[last]]
    done = np.zeros(sheet.n)
    for month in months:
        completed = by_kind["completed"].get(month)
        if completed is not None:
            done += np.nan_to_num(completed)
    limit = frame["total_investment"].to_numpy(dtype="float64")
    over = (limit >= 0) & (done > limit * (1 + ctx.tolerance["above_total_rel"]))
    col = next((m.col for m in layout.monthly if m.kind == "completed"), None)
    sheet.flag("completed_above_total", over, col, values=done,
               limits=frame["total_investment"].to_numpy())
    parts.progress.append(progress)


def _negative_rows(sheet: SheetRows, specs: list) -> np.ndarray:
    out = np.zeros(sheet.n, dtype=bool)
    for m in specs:
        v, bad = sheet.amount(m.col)
        sheet.flag("value_ignored", bad, m.col)
        sheet.flag("negative_amount", v < 0, m.col, values=v)
        out |= v < 0
    return out


def _ytd_with_months(sheet: SheetRows, parts: list, ytd: list) -> tuple[dict, dict]:
    """Monthly amounts from year-to-date columns (1-N月累计, 上半年) and the month or quarter
    columns beside them (当月, 其中：N月份, 一季度): each month or quarter written is that
    period; what a year-to-date total holds beyond the periods written since the previous total
    falls on the months not written, booked on the last of them (so Q1 completed is 1-3月累计,
    not March alone). A year-to-date total below the periods written since the previous one is
    an error (ytd_decreasing)."""
    cover = {m.last: set(range(m.first, m.last + 1)) for m in parts}
    amounts = {m.last: np.nan_to_num(sheet.amounts[m.col]) for m in parts}
    values: dict[int, np.ndarray] = {}
    spans: dict[int, int] = {}
    prev_total, prev_month = np.zeros(sheet.n), 0
    for m in sorted(ytd, key=lambda m: m.last):
        if m.last <= prev_month:
            sheet.layout.extras.append(m.col)
            continue
        total = sheet.amounts[m.col]
        inside = [k for k in amounts if prev_month < k <= m.last]
        rest = total - prev_total - sum((amounts[k] for k in inside), np.zeros(sheet.n))
        low = rest < -1e-6
        sheet.flag("ytd_decreasing", low, m.col, values=total, limits=total - rest)
        covered = set().union(*(cover[k] for k in inside)) if inside else set()
        gaps = [k for k in range(prev_month + 1, m.last + 1) if k not in covered]
        if gaps:
            values[gaps[-1]] = np.where(low, np.nan, rest)
            spans[gaps[-1]] = len(gaps)
        prev_total = np.where(np.isnan(total), prev_total, total)
        prev_month = m.last
    for m in parts:
        values[m.last] = sheet.amounts[m.col]
        spans[m.last] = m.last - m.first + 1
    return values, spans
