"""Read a project sheet (main list, reserve list): one row per project with its name, code or
derived id, choices, amounts, dates and period; then the monthly columns, the items held in its
columns, its totals, its extras and its reconciliation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import RESERVE_STAGES
from workbench.core.words import column_label
from workbench.ingest.aliases import Aliases, header_key
from workbench.ingest.assemble import keep_extras, remember_sheet
from workbench.ingest.bundles import (
    bundle_parents,
    check_bundle_sums,
    flag_filled_from_parts,
    parent_ids,
    within_mask,
    without_within,
)
from workbench.ingest.checks import check_totals, check_ytd_vs_month
from workbench.ingest.context import Context, Parts, SheetRows
from workbench.ingest.dates import date_column, parse_period, parse_quarter_cell
from workbench.ingest.derive import nature_from_dates, status_words
from workbench.ingest.items import items_from_columns
from workbench.ingest.layout import SheetLayout
from workbench.ingest.monthly import progress_from_columns
from workbench.ingest.readers import RawSheet
from workbench.ingest.rows import category_of, filled_mask
from workbench.ingest.values import column_of, parse_bool, parse_choice, text_column
from workbench.model.ledger import derived_project_id, is_project_code

_TEXT_FIELDS = ("owner", "location", "sector", "category", "scope", "responsible_unit", "leader",
                "physical_progress_note", "expert_rating")
_CHOICE_FIELDS = ("nature", "stage", "level", "office", "batch_kind", "tier_531")
_REQUIRED_CHOICES = ("nature", "stage", "level", "office")
_DATE_FIELDS = ("planned_start", "actual_start", "planned_completion", "actual_completion")
#: What a minimal submission's warning names when its sheet lacks them (they stay empty).
_MINIMAL_NAMED = ("nature", "stage", "planned_start", "planned_completion", "responsible_unit")


def _choice(sheet: SheetRows, name: str, synonyms: dict[str, str]):
    series = sheet.field(name)
    if series is None:
        return None, None
    parsed, bad = column_of(series, lambda v: parse_choice(v, synonyms))
    return parsed, bad


def read_projects_sheet(raw: RawSheet, layout: SheetLayout, ctx: Context, parts: Parts) -> None:
    """The projects of one project sheet and everything its columns hold (see the module)."""
    sheet = SheetRows(raw, layout, ctx)
    a = ctx.aliases
    year = ctx.year if ctx.year_source == "given" else (layout.year or ctx.year)
    n = sheet.n
    out: dict[str, object] = {}

    # name, code, ids
    name = text_column(sheet.field("name")) if "name" in layout.fields else pd.Series([None] * n, dtype="str")
    within = within_mask(name)  # "其中：…" rows: parts of the row above
    parents = sheet.parent_pos = bundle_parents(sheet, name, within)  # 打捆: each part's bundle row
    name = without_within(name, within)
    sheet.flag("required_missing", name.isna().to_numpy(), "name")
    out["name"] = name
    for f in _TEXT_FIELDS:
        out[f] = text_column(sheet.field(f)) if f in layout.fields else pd.Series([None] * n, dtype="str")
    out["category"] = _categories(sheet, out["category"])
    code = text_column(sheet.field("project_id")) if "project_id" in layout.fields else pd.Series([None] * n, dtype="str")
    if ctx.options.id_prefix is not None:
        code = code.map(lambda c: None if pd.isna(c) else f"{ctx.options.id_prefix}{c}").astype("str")
        valid_code = code.notna()
    else:
        valid_code = pd.Series(np.fromiter((isinstance(c, str) and is_project_code(c)
                                            for c in code.to_numpy(dtype=object)), dtype=bool, count=n))
    sheet.flag("project_code_malformed", (code.notna() & ~valid_code).to_numpy(), "project_id")
    ids = code.to_numpy(dtype=object).copy()
    names, owners = name.to_numpy(dtype=object), out["owner"].to_numpy(dtype=object)
    for i in np.flatnonzero(~valid_code.to_numpy()):  # a derived id only where no code is usable
        nm = names[i]
        ids[i] = derived_project_id(nm, owners[i]) if isinstance(nm, str) else (
            f"ROW-{raw.name}-{sheet.rows[i]}")
    out["project_id"] = pd.Series(ids, dtype="str")
    out["parent_id"] = parent_ids(parents, ids, text_column(sheet.field("parent_id"))
                                  if "parent_id" in layout.fields else None)
    out["_code_valid"] = valid_code.to_numpy()

    # categorical fields
    for f in _CHOICE_FIELDS:
        parsed, bad = _choice(sheet, f, a.values[f])
        if parsed is None:
            out[f] = pd.Series([None] * n, dtype=object)
            continue
        rule = "value_unknown" if f in _REQUIRED_CHOICES else "value_ignored"
        sheet.flag(rule, bad, f)
        out[f] = parsed
    series = sheet.field("batch_quarter")
    if series is not None:
        parsed, bad = column_of(series, lambda v: parse_quarter_cell(v, year))
        sheet.flag("value_ignored", bad, "batch_quarter")
        out["batch_quarter"] = parsed
    else:
        out["batch_quarter"] = pd.Series([None] * n, dtype=object)
    series = sheet.field("programme_982")
    if series is not None:
        parsed, bad = column_of(series, parse_bool)
        sheet.flag("value_ignored", bad, "programme_982")
        out["programme_982"] = parsed.fillna(False).astype(bool)
    else:
        out["programme_982"] = pd.Series(np.zeros(n, dtype=bool))

    # amounts
    for f in ("total_investment", "annual_plan"):
        col = layout.fields.get(f)
        if col is None:
            values = pd.Series(np.full(n, np.nan))
            bad = np.zeros(n, dtype=bool)
        else:
            values, bad = sheet.amount(col)
            values = pd.Series(values)
            flag_filled_from_parts(sheet, f)
            sheet.flag("value_unreadable", bad, f)
            sheet.flag("negative_amount", (values < 0).to_numpy(), f, values=values.to_numpy())
        missing = values.isna().to_numpy() & ~bad
        if f == "total_investment":
            sheet.flag("required_missing", missing, f)
        else:
            # the reserve has no annual plan yet: a blank one there is no default worth a warning
            early = pd.Series(out["stage"]).isin(RESERVE_STAGES).to_numpy()
            sheet.flag("default_used", missing & ~early & (col is not None), f, limits=np.full(n, "0"))
            values = values.fillna(0.0)
        out[f] = values

    # dates ("已开工" in a date column is a fact, not a date: derive.status_words)
    facts = np.full(n, None, dtype=object)
    for f in _DATE_FIELDS:
        series, said = status_words(sheet, f)
        facts = np.where(pd.isna(facts) | (said == "completed"), said, facts)
        if series is None:
            out[f] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
            continue
        bound = "end" if f.endswith("completion") else "start"
        values, bad = date_column(series, ctx.options.date_order, year, bound)
        sheet.flag("value_ignored", bad, f)
        out[f] = values.reset_index(drop=True)
    period = sheet.field("period")
    if period is not None:
        parsed, bad = column_of(period, lambda v: ((lambda s, e, ok: ((s, e), ok))(*parse_period(v, year))))
        sheet.flag("value_ignored", bad, "period")
        starts = pd.to_datetime(parsed.map(lambda p: p[0] if p else None), errors="coerce")
        ends = pd.to_datetime(parsed.map(lambda p: p[1] if p else None), errors="coerce")
        out["planned_start"] = out["planned_start"].fillna(starts.astype("datetime64[us]"))
        out["planned_completion"] = out["planned_completion"].fillna(ends.astype("datetime64[us]"))
    _fill_required_choices(sheet, out, ctx, facts, year)
    for start, end in (("planned_start", "planned_completion"), ("actual_start", "actual_completion")):
        late = (out[start] > out[end]).to_numpy()
        sheet.flag("start_after_completion", late, start, values=out[start].to_numpy(),
                   limits=out[end].to_numpy())
    usable_total = (out["total_investment"] >= 0).to_numpy()
    plan_high = usable_total & (out["annual_plan"] > out["total_investment"] * (
        1 + ctx.tolerance["above_total_rel"])).to_numpy()
    sheet.flag("annual_plan_above_total", plan_high, "annual_plan", values=out["annual_plan"].to_numpy(),
               limits=out["total_investment"].to_numpy())

    frame = pd.DataFrame({k: (v.to_numpy() if isinstance(v, pd.Series) else v) for k, v in out.items()})
    frame["_sheet"] = raw.name
    frame["_row"] = sheet.rows
    frame["_key"] = [f"{nm}|{ow or ''}" for nm, ow in zip(frame["name"].to_numpy(dtype=object),
                                                          frame["owner"].to_numpy(dtype=object), strict=True)]
    serial = layout.fields.get("serial")
    frame["_serial"] = sheet.data[:, serial] if serial is not None else None
    check_bundle_sums(sheet, parents, {f: sheet.amounts[layout.fields[f]] for f in
                                       ("total_investment", "annual_plan") if f in layout.fields},
                      name, serial)
    parts.projects.append(frame)

    check_ytd_vs_month(sheet)
    progress_from_columns(sheet, frame, year, parts)
    items_from_columns(sheet, frame, parts)
    check_totals(sheet)
    keep_extras(sheet, frame, parts)
    remember_sheet(sheet, parts)


def _categories(sheet: SheetRows, column: pd.Series) -> pd.Series:
    """projects.category: the column if the ledger has one, else the category row above."""
    kinds = sheet.kinds
    cat_idx = np.flatnonzero(kinds == "category")
    if not len(cat_idx):
        return column
    filled = filled_mask(sheet.grid[cat_idx])
    labels = []
    serial = sheet.layout.fields.get("serial")
    name_col = sheet.layout.fields.get("name")
    for i, row in zip(cat_idx, filled, strict=True):
        cols = np.flatnonzero(row)
        text = sheet.grid[i, cols[0]]
        if serial is not None and cols[0] == serial and name_col is not None and row[name_col]:
            text = sheet.grid[i, name_col]
        labels.append(category_of(text)[0])
    per_row = pd.Series([None] * len(kinds), dtype=object)
    per_row.iloc[cat_idx] = labels
    per_row = per_row.ffill()
    from_rows = per_row.iloc[sheet.data_idx].reset_index(drop=True).astype("str")
    return column.fillna(from_rows)


def _fill_required_choices(sheet: SheetRows, out: dict, ctx: Context, facts: np.ndarray,
                           year: int | None) -> None:
    """nature/stage from each other (nature from the dates and the year when neither is
    written: ``derive.nature_from_dates``), level/office defaults; missing → error or warning."""
    d = ctx.aliases.defaults
    n = sheet.n
    layout = sheet.layout
    nature, stage = pd.Series(out["nature"], dtype=object), pd.Series(out["stage"], dtype=object)
    if _minimal(layout, year):
        # a unit's or the province's list (name, owner, amounts, perhaps a code): nothing says
        # or tells the nature or stage; they stay empty and one warning names what is missing
        missing = [column_label(f) for f in _MINIMAL_NAMED if f not in layout.fields]
        if n:
            ctx.findings.add("columns_missing_empty", sheet.raw.name, None, None, None,
                             None, "、".join(missing))
        out["nature"], out["stage"] = nature, stage
        _fill_level_office(sheet, out, ctx)
        return
    nature = nature.where(nature.notna(), stage.map(d["nature_from_stage"]))
    # derived only where the ledger has no 项目阶段 column: a blank stage cell beside no nature
    # stays an error on the stage column (the ledger meant to say it)
    unwritten = nature.isna().to_numpy() & ("stage" not in layout.fields) & (
        sheet.blank("nature") if "nature" in layout.fields else np.ones(n, dtype=bool))
    nature = nature.where(nature.notna(), nature_from_dates(sheet, out, facts, year, unwritten))
    stage = stage.where(stage.notna(), nature.map(d["stage_from_nature"]))
    # both missing: one finding, on the column the ledger has (nature when it has neither)
    both = (nature.isna() & stage.isna()).to_numpy()
    where = "stage" if "stage" in layout.fields and "nature" not in layout.fields else "nature"
    for f, values in (("nature", nature), ("stage", stage)):
        if f in layout.fields:
            raw_missing = sheet.blank(f)
        else:
            raw_missing = np.ones(n, dtype=bool)
        mask = values.isna().to_numpy() & raw_missing & (~both | (f == where))
        sheet.flag("required_missing", mask, f)
    out["nature"], out["stage"] = nature, stage
    _fill_level_office(sheet, out, ctx)


def _minimal(layout: SheetLayout, year: int | None) -> bool:
    """True for a sheet that neither writes 建设性质 nor 项目阶段 and gives nothing to derive
    them from (no date, period or monthly completed column, or no year to read them against)."""
    if "nature" in layout.fields or "stage" in layout.fields:
        return False
    dated = any(f in layout.fields for f in (*_DATE_FIELDS, "period")) or any(
        m.kind == "completed" for m in layout.monthly)
    return not dated or year is None


def _fill_level_office(sheet: SheetRows, out: dict, ctx: Context) -> None:
    """level and office: the cell, else the defaults (a warning says which were used)."""
    d = ctx.aliases.defaults
    n = sheet.n
    layout = sheet.layout
    level = pd.Series(out["level"], dtype=object)
    if "level" not in layout.fields:
        if n:
            ctx.findings.add("column_missing", sheet.raw.name, None, column_label("level"), None, d["level"])
    else:
        blank = sheet.blank("level")
        sheet.flag("default_used", blank, "level", limits=np.full(n, d["level"]))
    out["level"] = level.where(level.notna() | _unknown_mask(sheet, "level", level), d["level"])
    office = pd.Series(out["office"], dtype=object)
    categories = pd.Series(pd.Series(out["category"]).to_numpy(dtype=object), dtype=object)
    by_category = categories.map({c: _office_of(c, ctx.aliases) for c in categories.dropna().unique()}).astype(object)
    guess = by_category.fillna(d["office"])
    if "office" not in layout.fields:
        if n:
            ctx.findings.add("column_missing", sheet.raw.name, None, column_label("office"), None,
                             "/".join(sorted(set(guess.dropna()))) or d["office"])
    else:
        blank = sheet.blank("office")
        sheet.flag("default_used", blank, "office", limits=guess.to_numpy())
    out["office"] = office.where(office.notna() | _unknown_mask(sheet, "office", office), guess)


def _unknown_mask(sheet: SheetRows, f: str, parsed: pd.Series) -> pd.Series:
    """True where the cell had a value that was not recognised (keep it missing: an error)."""
    if f not in sheet.layout.fields:
        return pd.Series(np.zeros(len(parsed), dtype=bool))
    return pd.Series(~sheet.blank(f)) & parsed.isna()


def _office_of(category, aliases: Aliases):
    if not isinstance(category, str):
        return None
    key = header_key(category)
    for word, office in aliases.category_office.items():
        if word in key:
            return office
    return None
