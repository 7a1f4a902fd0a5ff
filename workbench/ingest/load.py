"""Load a hand-kept ledger (Excel or CSV, any of the layouts DOMAIN.md describes) into a Ledger.

``load_ledger(path)`` reads every sheet, recognises the project sheets (main list, reserve
list) and the linked sheets (前期手续, 资金来源, 存在问题, 节点计划, monthly progress), parses
values, validates rows and returns one Ledger whose ``findings``, ``rejected``, ``extras`` and
``reconciliation`` account for every input row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.words import check_lang, column_label
from workbench.exceptions import LedgerReadError
from workbench.ingest.layout import (
    Aliases,
    SheetLayout,
    category_of,
    classify_rows,
    filled_mask,
    grid_of,
    header_key,
    load_aliases,
    recognise,
    text_keys,
)
from workbench.ingest.readers import RawSheet, read_sheets
from workbench.ingest.validate import Findings, load_rules
from workbench.ingest.values import (
    amount_column,
    column_of,
    date_column,
    is_missing,
    missing_mask,
    parse_approvals_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_funding_text,
    parse_percent,
    parse_period,
    parse_quarter,
)
from workbench.model.ledger import Ledger, derived_project_id, empty_table, is_project_code
from workbench.model.schemas import columns_of

_TEXT_FIELDS = ("owner", "location", "sector", "category", "scope", "responsible_unit", "leader",
                "physical_progress_note")
_CHOICE_FIELDS = ("nature", "stage", "level", "office", "batch_kind", "tier_531")
_REQUIRED_CHOICES = ("nature", "stage", "level", "office")
_DATE_FIELDS = ("planned_start", "actual_start", "planned_completion", "actual_completion")
_RECON = ["file", "sheet", "table", "rows", "title", "unit", "header", "blank", "category", "total",
          "note", "data", "accepted", "rejected", "skipped", "balanced"]


def load_ledger(path, sheet=None, profile=None, lang: str = "zh") -> Ledger:
    """The Ledger in a ledger file (.xlsx/.xlsm/.xls/.csv); `sheet` picks sheet(s) by name,
    `profile` maps another portfolio's columns (a profile name or YAML path)."""
    check_lang(lang)
    path = Path(path)
    if profile is not None:
        from workbench.ingest.profiles import load_with_profile

        return load_with_profile(path, profile, sheet=sheet)
    return ledger_from_sheets(read_sheets(path), source=str(path), sheet=sheet)


# --- assembling ------------------------------------------------------------------------------


@dataclass
class _Parts:
    """Tables gathered while reading the sheets of one file."""

    projects: list[pd.DataFrame] = field(default_factory=list)
    progress: list[pd.DataFrame] = field(default_factory=list)
    approvals: list[pd.DataFrame] = field(default_factory=list)
    funding: list[pd.DataFrame] = field(default_factory=list)
    problems: list[pd.DataFrame] = field(default_factory=list)
    milestones: list[pd.DataFrame] = field(default_factory=list)
    extras: list[pd.DataFrame] = field(default_factory=list)
    rejected: list[pd.DataFrame] = field(default_factory=list)
    recon: list[dict] = field(default_factory=list)
    sheets: list = field(default_factory=list)


@dataclass(frozen=True)
class LoadOptions:
    """How a mapping profile changes the reading of a file (defaults: a Chinese ledger)."""

    date_order: str = "ymd"  # "dmy" / "mdy" for two-digit leading dates
    unit_factor: float | None = None  # amounts' multiplier to 万 units when no unit row says
    id_prefix: str | None = None  # take the id column as the portfolio's own ids, prefixed
    skipped: dict = field(default_factory=dict)  # sheet → rows set aside before reading (history)


def ledger_from_sheets(raws: list[RawSheet], source: str, sheet=None, year: int | None = None,
                       aliases: Aliases | None = None, options: LoadOptions | None = None) -> Ledger:
    """One Ledger from the raw sheets of a file (see `load_ledger`)."""
    aliases = aliases or load_aliases()
    options = options or LoadOptions()
    file = Path(source).name
    raws = _chosen_sheets(raws, sheet, source)
    layouts = [recognise(raw, aliases) for raw in raws]
    if not any(layout.kind == "projects" for layout in layouts):
        raise LedgerReadError(
            f"{source}: no ledger sheet found (no header row naming 项目名称 and at least two other "
            f"known columns) in sheet(s) {', '.join(r.name for r in raws)} / 未找到项目台账表头"
        )
    findings = Findings(file)
    year = year or next((lay.year for lay in layouts if lay.kind == "projects" and lay.year), None)
    year = year or next((lay.year for lay in layouts if lay.year), None)
    if year is None:
        found = re.search(r"(20\d{2})", Path(source).stem)
        year = int(found.group(1)) if found else None
    parts = _Parts()
    ctx = _Context(file, findings, aliases, year)
    ctx.options = options
    if options.unit_factor is not None:
        for layout in layouts:
            if layout.unit_written is None:
                layout.unit_factor = options.unit_factor
    ctx.sheet_order = [raw.name for raw in raws]
    for raw in raws:
        if raw.uncalculated:
            findings.add("formula_uncalculated", raw.name, None, None, raw.uncalculated)
    for raw, layout in zip(raws, layouts, strict=True):
        if layout.kind == "projects":
            _read_projects_sheet(raw, layout, ctx, parts)
    _check_duplicates(parts, ctx)
    projects = _concat(parts.projects, "projects")
    ctx.make_resolver = lambda: _Resolver(projects, _error_keys(parts, ctx))
    for raw, layout in zip(raws, layouts, strict=True):
        if layout.kind not in ("projects", "unrecognised"):
            _read_linked_sheet(raw, layout, ctx, parts)
        elif layout.kind == "unrecognised":
            _skip_sheet(raw, ctx, parts)
    return _assemble(parts, ctx, source, projects)


def _chosen_sheets(raws: list[RawSheet], sheet, source: str) -> list[RawSheet]:
    if sheet is None:
        return raws
    wanted = [sheet] if isinstance(sheet, (str, int)) else list(sheet)
    out = []
    for w in wanted:
        if isinstance(w, int) or (isinstance(w, str) and w.isdigit() and w not in [r.name for r in raws]):
            index = int(w)
            if not 0 <= index < len(raws):
                raise LedgerReadError(f"{source}: no sheet number {index} / 没有第{index}个工作表")
            out.append(raws[index])
            continue
        match = [r for r in raws if r.name == w or r.name.strip() == str(w).strip()]
        if not match:
            names = ", ".join(r.name for r in raws)
            raise LedgerReadError(f"{source}: no sheet named {w!r} (sheets: {names}) / 没有该工作表")
        out.append(match[0])
    return out


class _Context:
    def __init__(self, file: str, findings: Findings, aliases: Aliases, year: int | None):
        self.file = file
        self.findings = findings
        self.aliases = aliases
        self.year = year
        self.resolver: _Resolver | None = None
        self.make_resolver = None
        self.seen_rows: dict[tuple[str, str], int] = {}
        self.tolerance = load_rules()["tolerance"]
        self.sheet_order: list[str] = []
        self.options = LoadOptions()
        self.unmatched: list[str] = []  # headers that matched no field, as written


def _concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_table(table).assign(_sheet=pd.Series(dtype="str"), _row=pd.Series(dtype="int64"),
                                         _key=pd.Series(dtype="str"), _code_valid=pd.Series(dtype=bool))
    return pd.concat(frames, ignore_index=True)


def _assemble(parts: _Parts, ctx: _Context, source: str, projects: pd.DataFrame) -> Ledger:
    findings = ctx.findings
    recon_skipped = parts.recon
    parts.recon = []
    for sheet in parts.sheets:
        _settle(sheet, findings, parts)
    parts.recon += recon_skipped
    order = {name: i for i, name in enumerate(ctx.sheet_order)}
    parts.recon.sort(key=lambda r: order.get(r["sheet"], 0))
    rejected_rows: dict[str, set] = {}
    for frame in parts.rejected:
        for sheet_name, row in zip(frame["sheet"], frame["row"], strict=True):
            rejected_rows.setdefault(sheet_name, set()).add(int(row))

    # accepted = no error on their row
    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame) or not rejected_rows:
            return frame
        bad = np.zeros(len(frame), dtype=bool)
        for sheet_name, rows in rejected_rows.items():
            bad |= (frame["_sheet"].to_numpy() == sheet_name) & frame["_row"].isin(list(rows)).to_numpy()
        return frame[~bad]

    projects = keep(projects)
    ids = set(projects["project_id"])
    tables = {"projects": projects}
    for name in ("progress", "approvals", "funding", "problems", "milestones"):
        frame = keep(_concat(getattr(parts, name), name))
        if len(frame):
            frame = frame[frame["project_id"].isin(ids).to_numpy()]
        tables[name] = frame
    tables["progress"] = _ordered_progress(tables["progress"], projects)
    clean = {}
    for name, frame in tables.items():
        clean[name] = frame[columns_of(name)].reset_index(drop=True)
    rejected = pd.concat(parts.rejected, ignore_index=True) if parts.rejected else pd.DataFrame(
        columns=["file", "sheet", "row", "table", "rules", "message_zh", "message_en", "values"])
    extras = pd.concat(parts.extras, ignore_index=True) if parts.extras else pd.DataFrame()
    extras.attrs["unmatched"] = list(dict.fromkeys(ctx.unmatched))
    recon = pd.DataFrame(parts.recon, columns=_RECON)
    return Ledger(**clean, year=ctx.year, source=source, findings=findings.frame(),
                  rejected=rejected, extras=extras, reconciliation=recon)


def _ordered_progress(progress: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    if not len(progress):
        return progress
    order = pd.Series(np.arange(len(projects)), index=projects["project_id"].to_numpy())
    pos = order.reindex(progress["project_id"].to_numpy()).to_numpy()
    idx = np.lexsort((progress["month"].to_numpy(), pos))
    return progress.iloc[idx]


# --- project sheets --------------------------------------------------------------------------


class _Sheet:
    """Data rows of one sheet with their Excel row numbers and headers, for parsing columns."""

    def __init__(self, raw: RawSheet, layout: SheetLayout, ctx: _Context):
        self.raw, self.layout, self.ctx = raw, layout, ctx
        width = max(len(layout.headers), max((len(r) for r in raw.rows), default=0))
        layout.headers += [""] * (width - len(layout.headers))
        self.grid = grid_of(raw.rows, layout.data_start, width)
        self.kinds = classify_rows(layout, self.grid)
        self.data_idx = np.flatnonzero(self.kinds == "data")
        self.data = self.grid[self.data_idx]
        self.rows = self.data_idx + layout.data_start + 1  # Excel row numbers
        self.n = len(self.data_idx)
        self.amounts: dict[int, np.ndarray] = {}  # parsed amount columns of the data rows

    def amount(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """An amount column of the data rows in 万元 (parsed once) and its unreadable mask."""
        values, bad = amount_column(self.column(col), self.layout.factor(col))
        values = values.to_numpy(dtype="float64")
        self.amounts[col] = values
        return values, bad

    def column(self, col: int) -> pd.Series:
        return pd.Series(self.data[:, col], dtype=object)

    def field(self, name: str) -> pd.Series | None:
        col = self.layout.fields.get(name)
        return None if col is None else self.column(col)

    def header(self, name_or_col) -> str:
        col = self.layout.fields.get(name_or_col) if isinstance(name_or_col, str) else name_or_col
        return self.layout.headers[col] if col is not None else column_label(str(name_or_col))

    def flag(self, rule: str, mask, column, values=None, limits=None, extras=None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        header = self.header(column) if column is not None else None
        if values is None:
            col = self.layout.fields.get(column) if isinstance(column, str) else column
            values = self.data[mask, col] if col is not None else [None] * int(mask.sum())
        else:
            values = np.asarray(values, dtype=object)[mask]
        lim = None if limits is None else np.asarray(limits, dtype=object)[mask]
        ext = None if extras is None else np.asarray(extras, dtype=object)[mask]
        self.ctx.findings.add_many(rule, self.raw.name, self.rows[mask], header, list(values),
                                   None if lim is None else list(lim),
                                   None if ext is None else list(ext))


def text_column(series: pd.Series) -> pd.Series:
    """Free text: stripped, missing words → <NA>; numbers shown without '.0'."""
    def one(v):
        if is_missing(v):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (dt.date, pd.Timestamp)):  # datetime is a date too
            return pd.Timestamp(v).strftime("%Y-%m-%d")
        text = str(v).strip()
        return text or None

    if not len(series):
        return pd.Series([], dtype="str")
    is_text = series.map(type).eq(str)
    if is_text.all() or (~is_text & series.notna() & series.ne("")).sum() == 0:
        # fast path: text cells only; missing words are short, so only short texts are judged
        text = series.where(is_text, "").astype("str").str.strip()
        short = text.str.len().le(6)
        missing = text.eq("")
        if short.any():
            missing |= short & pd.Series(missing_mask(text.where(short, "")), index=text.index)
        return text.where(~missing, None).astype("str").reset_index(drop=True)
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    mapped = np.array([one(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], dtype="str")


def _choice(sheet: _Sheet, name: str, synonyms: dict[str, str]):
    series = sheet.field(name)
    if series is None:
        return None, None
    parsed, bad = column_of(series, lambda v: parse_choice(v, synonyms))
    return parsed, bad


def _read_projects_sheet(raw: RawSheet, layout: SheetLayout, ctx: _Context, parts: _Parts) -> None:
    sheet = _Sheet(raw, layout, ctx)
    a = ctx.aliases
    year = layout.year or ctx.year
    n = sheet.n
    out: dict[str, object] = {}

    # name, code, ids
    name = text_column(sheet.field("name")) if "name" in layout.fields else pd.Series([None] * n, dtype="str")
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
        valid_code = code.map(lambda c: isinstance(c, str) and is_project_code(c)).astype(bool)
    sheet.flag("project_code_malformed", (code.notna() & ~valid_code).to_numpy(), "project_id")
    ids = code.to_numpy(dtype=object).copy()
    for i in np.flatnonzero(~valid_code.to_numpy()):  # a derived id only where no code is usable
        nm = name.iat[i]
        ids[i] = derived_project_id(nm, out["owner"].iat[i]) if isinstance(nm, str) else (
            f"ROW-{raw.name}-{sheet.rows[i]}")
    out["project_id"] = pd.Series(ids, dtype="str")
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
    _fill_required_choices(sheet, out, ctx)
    series = sheet.field("batch_quarter")
    if series is not None:
        parsed, bad = column_of(series, lambda v: parse_quarter(v, year))
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
            sheet.flag("value_unreadable", bad, f)
            sheet.flag("negative_amount", (values < 0).to_numpy(), f, values=values.to_numpy())
        missing = values.isna().to_numpy() & ~bad
        if f == "total_investment":
            sheet.flag("required_missing", missing, f)
        else:
            early = pd.Series(out["stage"]).isin(["谋划", "储备"]).to_numpy()
            sheet.flag("default_used", missing & ~early & (col is not None), f, limits=np.full(n, "0"))
            values = values.fillna(0.0)
        out[f] = values

    # dates
    for f in _DATE_FIELDS:
        series = sheet.field(f)
        if series is None:
            out[f] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
            continue
        values, bad = date_column(series, ctx.options.date_order)
        sheet.flag("value_ignored", bad, f)
        out[f] = values.reset_index(drop=True)
    period = sheet.field("period")
    if period is not None:
        parsed, bad = column_of(period, lambda v: ((lambda s, e, ok: ((s, e), ok))(*parse_period(v))))
        sheet.flag("value_ignored", bad, "period")
        starts = pd.to_datetime(parsed.map(lambda p: p[0] if p else None), errors="coerce")
        ends = pd.to_datetime(parsed.map(lambda p: p[1] if p else None), errors="coerce")
        out["planned_start"] = out["planned_start"].fillna(starts.astype("datetime64[us]"))
        out["planned_completion"] = out["planned_completion"].fillna(ends.astype("datetime64[us]"))
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
    frame["_key"] = [f"{nm}|{ow or ''}" for nm, ow in zip(frame["name"], frame["owner"], strict=True)]
    parts.projects.append(frame)

    _progress_from_columns(sheet, frame, year, parts)
    _items_from_columns(sheet, frame, parts)
    _check_totals(sheet)
    _keep_extras(sheet, frame, parts)
    _reconcile(sheet, parts)


def _categories(sheet: _Sheet, column: pd.Series) -> pd.Series:
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


def _fill_required_choices(sheet: _Sheet, out: dict, ctx: _Context) -> None:
    """nature/stage from each other, level/office defaults; missing → error or warning."""
    d = ctx.aliases.defaults
    n = sheet.n
    layout = sheet.layout
    nature, stage = pd.Series(out["nature"], dtype=object), pd.Series(out["stage"], dtype=object)
    nature = nature.where(nature.notna(), stage.map(d["nature_from_stage"]))
    stage = stage.where(stage.notna(), nature.map(d["stage_from_nature"]))
    # both missing: one finding, on the column the ledger has (nature when it has neither)
    both = (nature.isna() & stage.isna()).to_numpy()
    where = "stage" if "stage" in layout.fields and "nature" not in layout.fields else "nature"
    for f, values in (("nature", nature), ("stage", stage)):
        if f in layout.fields:
            raw_missing = missing_mask(sheet.field(f))
        else:
            raw_missing = np.ones(n, dtype=bool)
        mask = values.isna().to_numpy() & raw_missing & (~both | (f == where))
        sheet.flag("required_missing", mask, f)
    out["nature"], out["stage"] = nature, stage
    level = pd.Series(out["level"], dtype=object)
    if "level" not in layout.fields:
        if n:
            ctx.findings.add("column_missing", sheet.raw.name, None, column_label("level"), None, d["level"])
    else:
        blank = missing_mask(sheet.field("level"))
        sheet.flag("default_used", blank, "level", limits=np.full(n, d["level"]))
    out["level"] = level.where(level.notna() | _unknown_mask(sheet, "level", level), d["level"])
    office = pd.Series(out["office"], dtype=object)
    by_category = pd.Series(out["category"], dtype=object).map(lambda c: _office_of(c, ctx.aliases))
    guess = by_category.fillna(d["office"])
    if "office" not in layout.fields:
        if n:
            ctx.findings.add("column_missing", sheet.raw.name, None, column_label("office"), None,
                             "/".join(sorted(set(guess.dropna()))) or d["office"])
    else:
        blank = missing_mask(sheet.field("office"))
        sheet.flag("default_used", blank, "office", limits=guess.to_numpy())
    out["office"] = office.where(office.notna() | _unknown_mask(sheet, "office", office), guess)


def _unknown_mask(sheet: _Sheet, f: str, parsed: pd.Series) -> pd.Series:
    """True where the cell had a value that was not recognised (keep it missing: an error)."""
    if f not in sheet.layout.fields:
        return pd.Series(np.zeros(len(parsed), dtype=bool))
    return pd.Series(~missing_mask(sheet.field(f))) & parsed.isna()


def _office_of(category, aliases: Aliases):
    if not isinstance(category, str):
        return None
    key = header_key(category)
    for word, office in aliases.category_office.items():
        if word in key:
            return office
    return None


def _progress_from_columns(sheet: _Sheet, frame: pd.DataFrame, year: int | None, parts: _Parts) -> None:
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
    for kind in ("planned", "completed"):
        specs = [m for m in layout.monthly if m.kind == kind]
        singles = [m for m in specs if m.first == m.last and not m.cumulative]
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
    chunks = []
    for month in months:
        completed = by_kind["completed"].get(month)
        planned = by_kind["planned"].get(month)
        if plan_assumed:
            planned = annual * span["completed"].get(month, 1) / 12.0
        c = completed if completed is not None else np.full(sheet.n, np.nan)
        p = planned if planned is not None else np.full(sheet.n, np.nan)
        has = ~(np.isnan(c) & np.isnan(p)) if not plan_assumed else ~np.isnan(c)
        if not has.any():
            continue
        chunks.append(pd.DataFrame({
            "project_id": frame["project_id"].to_numpy()[has],
            "month": pd.Timestamp(year=int(year), month=month, day=1),
            "planned": np.nan_to_num(p[has]),
            "completed": np.nan_to_num(c[has]),
            "physical_progress": np.nan,
            "_sheet": sheet.raw.name,
            "_row": sheet.rows[has],
        }))
    if not chunks:
        return
    progress = pd.concat(chunks, ignore_index=True)
    progress["month"] = progress["month"].astype("datetime64[us]")
    pct_col = layout.fields.get("physical_progress")
    if pct_col is not None:
        pct, bad = column_of(sheet.column(pct_col), parse_percent)
        sheet.flag("value_ignored", bad, pct_col)
        last = progress.groupby("project_id", sort=False)["month"].transform("max") == progress["month"]
        lookup = pd.Series(pd.to_numeric(pct, errors="coerce").to_numpy(),
                           index=frame["project_id"].to_numpy())
        lookup = lookup[~lookup.index.duplicated()]
        progress.loc[last, "physical_progress"] = lookup.reindex(
            progress.loc[last, "project_id"]).to_numpy()
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


def _items_from_columns(sheet: _Sheet, frame: pd.DataFrame, parts: _Parts) -> None:
    """approvals, funding and problems held in columns of a project sheet."""
    layout, a = sheet.layout, sheet.ctx.aliases
    ids, rows = frame["project_id"].to_numpy(), sheet.rows
    approvals: dict[tuple[str, str], dict] = {}
    col = layout.fields.get("approvals_text")
    if col is not None:
        for i, v in enumerate(sheet.data[:, col]):
            found, ok = parse_approvals_text(v, a.approval_items, a.values["approval_status"])
            if not ok:
                sheet.flag("text_unparsed", np.arange(sheet.n) == i, col)
            for item, status in found:
                approvals[(ids[i], item)] = dict(project_id=ids[i], item=item, status=status,
                                                 approved_on=pd.NaT, expires_on=pd.NaT,
                                                 _sheet=sheet.raw.name, _row=rows[i])
    for col, item in layout.approval_cols.items():
        statuses, bad = column_of(sheet.column(col), lambda v: _approval_cell(v, a))
        sheet.flag("value_ignored", bad, col)
        for i, got in enumerate(statuses):
            if got:
                status, dated = got
                approvals[(ids[i], item)] = dict(project_id=ids[i], item=item, status=status,
                                                 approved_on=dated, expires_on=pd.NaT,
                                                 _sheet=sheet.raw.name, _row=rows[i])
    if approvals:
        parts.approvals.append(pd.DataFrame(list(approvals.values())))
    funding = []
    status = sheet.ctx.aliases.defaults["funding_status"]
    col = layout.fields.get("funding_text")
    if col is not None:
        for i, v in enumerate(sheet.data[:, col]):
            lines, ok = parse_funding_text(v, a.funding_sources)
            if not ok:
                sheet.flag("text_unparsed", np.arange(sheet.n) == i, col)
            for source, amount in lines:
                if amount is not None:
                    funding.append(dict(project_id=ids[i], source=source,
                                        amount=amount * layout.factor(col), status=status,
                                        dated=pd.NaT, _sheet=sheet.raw.name, _row=rows[i]))
    for col, source in layout.funding_cols.items():
        values, bad = amount_column(sheet.column(col), layout.factor(col))
        sheet.flag("value_ignored", bad, col)
        for i in np.flatnonzero(values.to_numpy() > 0):
            funding.append(dict(project_id=ids[i], source=source, amount=float(values.iloc[i]),
                                status=status, dated=pd.NaT, _sheet=sheet.raw.name, _row=rows[i]))
    if funding:
        parts.funding.append(pd.DataFrame(funding))
    col = layout.fields.get("problem_text")
    if col is not None:
        text = text_column(sheet.column(col))
        has = text.notna().to_numpy()
        if has.any():
            parts.problems.append(pd.DataFrame({
                "project_id": ids[has], "problem": text[has].to_numpy(),
                "owner": frame["responsible_unit"].to_numpy()[has],
                "raised_on": pd.NaT, "due_on": pd.NaT, "resolved_on": pd.NaT,
                "_sheet": sheet.raw.name, "_row": rows[has]}))


def _approval_cell(value, a: Aliases):
    """(status, approved_on) of an approval item cell: a status word, a date (done) or √."""
    if is_missing(value):
        return None, True
    status, ok = parse_choice(value, a.values["approval_status"])
    if ok and status:
        return (status, pd.NaT), True
    dated, ok = parse_date(value)
    if ok and dated is not None:
        return ("done", dated), True
    return None, False


def _check_totals(sheet: _Sheet) -> None:
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
    tol_abs, tol_rel = ctx.tolerance["total_abs"], ctx.tolerance["total_rel"]
    bounds = np.flatnonzero(kinds == "category")
    label_col = layout.fields.get("name")
    for i in total_idx:
        label = _row_label(sheet, i)
        kind = kinds[i]
        if kind == "category":
            nxt = [j for j in np.flatnonzero((kinds == "category") | (kinds == "total")) if j > i]
            lo, hi = i + 1, (nxt[0] if nxt else len(kinds))
            _, stated = category_of(label)
            count = int(is_data[lo:hi].sum())
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
            expected = float(np.nansum(sums[col][mask]))
            if abs(stated - expected) > max(tol_abs, tol_rel * abs(expected)):
                ctx.findings.add("total_mismatch", sheet.raw.name, i + layout.data_start + 1,
                                 layout.headers[col], round(float(stated), 2), round(expected, 2),
                                 extra=header_key(label)[:8] or "合计")


def _row_label(sheet: _Sheet, i: int) -> str:
    row = sheet.grid[i]
    for c in row:
        if isinstance(c, str) and c.strip():
            return c.strip()
    return ""


def _keep_extras(sheet: _Sheet, frame: pd.DataFrame, parts: _Parts) -> None:
    layout = sheet.layout
    cols = list(layout.extras)
    sheet.ctx.unmatched += [layout.headers[c] or f"列{c + 1}" for c in layout.extras]
    cols += [layout.fields[f] for f in ("approvals_text", "funding_text") if f in layout.fields]
    for col, _f in layout.duplicate_cols:
        sheet.ctx.findings.add("duplicate_column", sheet.raw.name, None, layout.headers[col], None)
    if not cols or not sheet.n:
        return
    extra = pd.DataFrame({"file": sheet.ctx.file, "sheet": sheet.raw.name, "row": sheet.rows})
    if "project_id" in frame:
        extra["project_id"] = frame["project_id"].to_numpy()
    seen = set()
    for col in sorted(set(cols)):
        header = layout.headers[col] or f"列{col + 1}"
        while header in seen or header in extra.columns:
            header += "_"
        seen.add(header)
        extra[header] = text_column(sheet.column(col)).to_numpy()
    parts.extras.append(extra)


def _reconcile(sheet: _Sheet, parts: _Parts) -> None:
    """Remember the sheet: its counts and rejected rows are settled once all checks ran."""
    parts.sheets.append(sheet)


def _settle(sheet: _Sheet, findings: Findings, parts: _Parts) -> None:
    """The sheet's reconciliation row and its rejected rows (rows with an error finding)."""
    layout, kinds = sheet.layout, sheet.kinds
    errors = findings.error_rows(sheet.raw.name)
    errors = errors[errors["row"].isin(sheet.rows.tolist())]
    rejected_rows = set(errors["row"].astype(int))
    pre = list(layout.preamble.values())
    counts = {k: int((kinds == k).sum()) for k in ("blank", "category", "total", "note", "data")}
    counts["blank"] += pre.count("blank")
    rows_total = len(sheet.raw.rows) + sheet.ctx.options.skipped.get(sheet.raw.name, 0)
    rec = dict(file=sheet.ctx.file, sheet=sheet.raw.name, table=layout.kind, rows=rows_total,
               title=pre.count("title"), unit=pre.count("unit"), header=len(layout.header_rows),
               **counts, accepted=counts["data"] - len(rejected_rows), rejected=len(rejected_rows),
               skipped=sheet.ctx.options.skipped.get(sheet.raw.name, 0))
    non_data = sum(rec[k] for k in ("title", "unit", "header", "blank", "category", "total", "note",
                                    "skipped"))
    rec["balanced"] = (rec["accepted"] + rec["rejected"] == rec["data"]
                       and non_data + rec["data"] == rec["rows"])
    parts.recon.append(rec)
    if not rejected_rows:
        return
    pos = {r: i for i, r in enumerate(sheet.rows.tolist())}
    headers = layout.headers
    values = []
    for r in errors["row"].astype(int):
        cells = sheet.data[pos[r]]
        values.append("; ".join(f"{headers[c] or c + 1}={cells[c]}" for c in range(len(cells))
                                if c < len(headers) and not is_missing(cells[c])))
    parts.rejected.append(pd.DataFrame({
        "file": sheet.ctx.file, "sheet": sheet.raw.name, "row": errors["row"].astype(int).to_numpy(),
        "table": layout.kind, "rules": errors["rules"].to_numpy(),
        "message_zh": errors["message_zh"].to_numpy(), "message_en": errors["message_en"].to_numpy(),
        "values": values}))


def _error_keys(parts: _Parts, ctx: _Context) -> set:
    """(sheet, row) of every project-sheet row with an error so far."""
    keys = set()
    for sheet in parts.sheets:
        errors = ctx.findings.error_rows(sheet.raw.name)
        keys |= {(sheet.raw.name, int(r)) for r in errors["row"]}
    return keys


def _check_duplicates(parts: _Parts, ctx: _Context) -> None:
    """A project twice (same code, or same name and owner) across all project sheets: error."""
    if not parts.projects:
        return
    allp = pd.concat(parts.projects, ignore_index=True)
    named = allp["name"].notna()
    code_dup = allp["project_id"].duplicated(keep="first") & allp["_code_valid"]
    key_dup = allp["_key"].duplicated(keep="first") & named & ~code_dup
    derived_dup = allp["project_id"].duplicated(keep="first") & ~allp["_code_valid"] & ~key_dup & named
    first_row = {}
    for pid, key, sh, r in zip(allp["project_id"], allp["_key"], allp["_sheet"], allp["_row"], strict=True):
        first_row.setdefault(("id", pid), (sh, r))
        first_row.setdefault(("key", key), (sh, r))
    for mask, rule, kind, column in ((code_dup, "duplicate_code", "id", "project_id"),
                                     (key_dup | derived_dup, "duplicate_name_owner", "key", "name")):
        for i in np.flatnonzero(mask.to_numpy()):
            sh, r = allp["_sheet"].iat[i], allp["_row"].iat[i]
            ref = allp["project_id"].iat[i] if kind == "id" else allp["_key"].iat[i]
            fsh, fr = first_row[(kind, ref)]
            value = allp["project_id"].iat[i] if kind == "id" else allp["name"].iat[i]
            header = column_label(column)
            ctx.findings.add(rule, sh, r, _header_for(parts, sh, column) or header, value,
                             fr if fsh == sh else f"{fsh}!{fr}")
    # a sheet that repeats an earlier one (one sheet a month, a copy): say so, suggest --sheet
    repeated = (code_dup | key_dup | derived_dup).to_numpy()
    for sheet_name in dict.fromkeys(allp["_sheet"]):
        on_sheet = (allp["_sheet"] == sheet_name).to_numpy()
        if on_sheet.sum() >= 3 and repeated[on_sheet].mean() >= 0.8:
            earlier = [first_row[("key", k)][0] for k in allp.loc[on_sheet, "_key"]]
            source = max(set(earlier), key=earlier.count)
            ctx.findings.add("sheet_repeats", sheet_name, None, None, source)


def _header_for(parts: _Parts, sheet: str, column: str) -> str | None:
    for record in parts.sheets:
        if record.raw.name == sheet and column in record.layout.fields:
            return record.layout.headers[record.layout.fields[column]]
    return None


# --- linked sheets (approvals, funding, problems, milestones, progress) ----------------------


class _Resolver:
    """The project a linked row refers to: by code (and name when codes repeat), else by name
    (and owner). Rejected projects are known too, so their rows are rejected with that reason."""

    def __init__(self, projects: pd.DataFrame, rejected: set):
        self.projects = projects.reset_index(drop=True)
        self.rejected = np.array([(sh, int(r)) in rejected for sh, r in zip(
            self.projects["_sheet"], self.projects["_row"], strict=True)], dtype=bool)
        self.by_code: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_key: dict[str, list[int]] = {}
        name_keys = text_keys(self.projects["name"].to_numpy(dtype=object))
        for i, (pid, name, key, name_key) in enumerate(zip(
                self.projects["project_id"], self.projects["name"], self.projects["_key"], name_keys,
                strict=True)):
            self.by_code.setdefault(pid, []).append(i)
            if isinstance(name, str):
                self.by_name.setdefault(name_key, []).append(i)
                self.by_key.setdefault(key, []).append(i)

    def _pick(self, found: list[int], name) -> int | None:
        if len(found) > 1 and isinstance(name, str):
            named = [i for i in found if header_key(self.projects["name"].iat[i]) == header_key(name)]
            found = named or found
        accepted = [i for i in found if not self.rejected[i]]
        return (accepted or found)[0] if found else None

    def resolve(self, code, name, owner) -> tuple[str | None, str | None]:
        """(project_id, None) or (None, rule): unknown_project / project_rejected."""
        i = None
        if isinstance(code, str) and code in self.by_code:
            i = self._pick(self.by_code[code], name)
        elif isinstance(name, str):
            key = f"{name}|{owner}" if isinstance(owner, str) else None
            found = self.by_key.get(key, []) if key else []
            found = found or self.by_name.get(header_key(name), [])
            accepted = [j for j in found if not self.rejected[j]]
            if len(accepted) == 1 or (not accepted and len(found) == 1):
                i = (accepted or found)[0]
        if i is None:
            return None, "unknown_project"
        if self.rejected[i]:
            return None, "project_rejected"
        return self.projects["project_id"].iat[i], None


_LINKED = {
    "approvals": {"item": "approval_item", "status": "approval_status",
                  "approved_on": "date", "expires_on": "date"},
    "funding": {"source": "funding_source", "amount": "amount", "status": "funding_status",
                "dated": "date"},
    "problems": {"problem": "text", "owner": "text", "raised_on": "date", "due_on": "date",
                 "resolved_on": "date"},
    "milestones": {"milestone": "text", "owner": "text", "planned_on": "date", "done_on": "date"},
    "progress": {"month": "month", "planned": "amount", "completed": "amount",
                 "physical_progress": "percent"},
}
_REQUIRED = {"approvals": ("item", "status"), "funding": ("source", "amount"),
             "problems": ("problem",), "milestones": ("milestone",), "progress": ("month",)}
_UNIQUE = {"approvals": ("item",), "progress": ("month",)}


def _read_linked_sheet(raw: RawSheet, layout: SheetLayout, ctx: _Context, parts: _Parts) -> None:
    sheet = _Sheet(raw, layout, ctx)
    table, n, a = layout.kind, sheet.n, ctx.aliases
    out: dict[str, pd.Series] = {}
    for f, how in _LINKED[table].items():
        series = sheet.field(f)
        if series is None:
            out[f] = pd.Series([None] * n, dtype=object)
            continue
        required = f in _REQUIRED[table]
        if how == "date" or how == "month":
            values, bad = date_column(series, ctx.options.date_order)
            if how == "month":
                values = values.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
        elif how == "amount":
            values, bad = amount_column(series, layout.factor(layout.fields[f]))
            sheet.flag("negative_amount", (values < 0).to_numpy(), f, values=values.to_numpy())
        elif how == "text":
            values, bad = text_column(series), np.zeros(n, dtype=bool)
        elif how == "percent":
            values, bad = column_of(series, parse_percent)
            values = pd.to_numeric(values, errors="coerce")
        else:
            values, bad = column_of(series, lambda v, s=a.values[how]: parse_choice(v, s))
        values = values.reset_index(drop=True)
        if how in ("approval_status", "funding_status", "approval_item", "funding_source"):
            sheet.flag("value_unknown" if required else "value_ignored", bad, f)
        else:
            sheet.flag("value_unreadable" if required else "value_ignored", bad, f)
        if required:
            sheet.flag("required_missing", values.isna().to_numpy() & ~bad, f)
        out[f] = values
    if table == "funding":
        status = out["status"]
        out["status"] = status.where(status.notna(), a.defaults["funding_status"])
    if table == "progress":
        for f in ("planned", "completed"):
            out[f] = pd.Series(out[f], dtype="float64").fillna(0.0)
    code = text_column(sheet.field("project_id")) if "project_id" in layout.fields else pd.Series([None] * n, dtype="str")
    name = text_column(sheet.field("name")) if "name" in layout.fields else pd.Series([None] * n, dtype="str")
    owner = text_column(sheet.field("owner")) if "owner" in layout.fields else pd.Series([None] * n, dtype="str")
    if ctx.resolver is None and n:
        ctx.resolver = ctx.make_resolver()
    seen: dict[tuple, tuple[str | None, str | None]] = {}  # item rows repeat their project
    resolved = [seen[k] if k in seen else seen.setdefault(k, ctx.resolver.resolve(*k))
                for k in zip(code, name, owner, strict=True)]
    ids = [pid for pid, _ in resolved]
    unknown = np.array([pid is None for pid in ids], dtype=bool)
    ref_col = "name" if "name" in layout.fields else "project_id"
    labels = np.array([nm if isinstance(nm, str) else c for c, nm in zip(code, name, strict=True)],
                      dtype=object)
    for rule in ("unknown_project", "project_rejected"):
        mask = np.array([why == rule for _, why in resolved], dtype=bool)
        sheet.flag(rule, mask, ref_col, values=labels)
    frame = pd.DataFrame({k: v.to_numpy() for k, v in out.items()})
    frame.insert(0, "project_id", pd.Series(ids, dtype=object).to_numpy())
    frame["_sheet"], frame["_row"] = raw.name, sheet.rows
    if table in _UNIQUE and n:
        key_cols = ["project_id", *_UNIQUE[table]]
        ok = ~unknown & frame[list(_UNIQUE[table])].notna().all(axis=1).to_numpy()
        dup = frame[key_cols].duplicated(keep="first").to_numpy() & ok
        if dup.any():
            firsts = frame[ok].drop_duplicates(key_cols).set_index(key_cols)["_row"]
            limits = [firsts.get(tuple(r)) for r in frame[key_cols].itertuples(index=False)]
            sheet.flag("duplicate_item", dup, _UNIQUE[table][0],
                       values=np.array([f"{nm or c} {v}" for c, nm, v in zip(
                           code, name, sheet.data[:, layout.fields[_UNIQUE[table][0]]], strict=True)],
                           dtype=object), limits=np.array(limits, dtype=object))
    _keep_extras(sheet, frame, parts)
    getattr(parts, table).append(frame[~unknown])
    _reconcile(sheet, parts)


def _skip_sheet(raw: RawSheet, ctx: _Context, parts: _Parts) -> None:
    filled = sum(1 for row in raw.rows if any(c not in ("", None) for c in row))
    if filled:
        ctx.findings.add("sheet_skipped", raw.name, None, None, filled)
    parts.recon.append(dict(file=ctx.file, sheet=raw.name, table="unrecognised", rows=len(raw.rows),
                            title=0, unit=0, header=0, blank=len(raw.rows) - filled, category=0,
                            total=0, note=0, data=0, accepted=0, rejected=0, skipped=filled,
                            balanced=True))
