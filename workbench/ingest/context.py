"""What one load carries: how a profile changes the reading (``LoadOptions``), the file's
findings and synonyms (``Context``), the tables gathered so far (``Parts``), and the data rows
of one sheet with the way its findings are flagged (``SheetRows``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.words import column_label
from workbench.ingest.aliases import Aliases
from workbench.ingest.layout import SheetLayout
from workbench.ingest.readers import RawSheet
from workbench.ingest.rows import classify_rows, fill_merged_down, grid_of
from workbench.ingest.values import amount_column, blank_mask
from workbench.model.findings import Findings, load_rules
from workbench.model.ledger import empty_table


@dataclass
class Parts:
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


class Context:
    """One file's reading: its findings, synonyms, year, options and what is known so far."""

    def __init__(self, file: str, findings: Findings, aliases: Aliases, year: int | None):
        self.file = file
        self.findings = findings
        self.aliases = aliases
        self.year = year
        self.year_source: str | None = None  # where the year came from (years.SOURCES)
        self.reported_on = None  # the report date written on a sheet (years.report_date)
        self.resolver = None  # a linked.Resolver, made when the first linked sheet needs it
        self.make_resolver = None
        self.seen_rows: dict[tuple[str, str], int] = {}
        self.tolerance = load_rules()["tolerance"]
        self.sheet_order: list[str] = []
        self.options = LoadOptions()
        self.unmatched: list[str] = []  # headers that matched no field, as written


def concat_table(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    """The gathered frames of one table as one (with the bookkeeping columns), empty if none."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_table(table).assign(_sheet=pd.Series(dtype="str"), _row=pd.Series(dtype="int64"),
                                         _key=pd.Series(dtype="str"), _code_valid=pd.Series(dtype=bool))
    return pd.concat(frames, ignore_index=True)


def parts_sum_into(values: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """`values` with each bundle (打捆) row left blank given the sum of its parts (when any part
    has a value): many counties write only the bundle's name and let its parts carry the amounts."""
    if not (parents >= 0).any():
        return values
    out = values
    for _ in range(8):  # a part left blank that has parts of its own is filled first
        blank = np.isnan(out)
        given = (parents >= 0) & ~blank
        owners = parents[given]
        if not len(owners) or not blank[owners].any():
            return out
        sums = np.bincount(owners, weights=out[given], minlength=len(out))
        fill = np.zeros(len(out), dtype=bool)
        fill[owners] = True
        fill &= blank
        # a bundle waits while one of its parts is itself a bundle being filled this round
        waiting = np.zeros(len(out), dtype=bool)
        waiting[parents[(parents >= 0) & fill]] = True
        fill &= ~waiting
        if not fill.any():
            return out
        out = out.copy()
        out[fill] = sums[fill]
    return out


class SheetRows:
    """Data rows of one sheet with their Excel row numbers and headers, for parsing columns."""

    def __init__(self, raw: RawSheet, layout: SheetLayout, ctx: Context):
        self.raw, self.layout, self.ctx = raw, layout, ctx
        width = max(len(layout.headers), max((len(r) for r in raw.rows), default=0))
        layout.headers += [""] * (width - len(layout.headers))
        self.grid = grid_of(raw.rows, layout.data_start, width)
        self.kinds = classify_rows(layout, self.grid)
        serial = layout.fields.get("serial")
        money = {layout.fields[f] for f in ("total_investment", "annual_plan", "amount") if f in layout.fields}
        money |= {m.col for m in layout.monthly} | set(layout.funding_cols) | set(layout.factors)
        self.filled, self.held = fill_merged_down(self.grid, self.kinds, raw.merged, layout.data_start,
                                                  set() if serial is None else {serial}, money)
        self.data_idx = np.flatnonzero(self.kinds == "data")
        self.data = self.grid[self.data_idx]
        self.rows = self.data_idx + layout.data_start + 1  # Excel row numbers
        self.n = len(self.data_idx)
        self.amounts: dict[int, np.ndarray] = {}  # parsed amount columns of the data rows
        self._blank: dict[str, np.ndarray] = {}  # blank cells per field (`blank`)
        self.parent_pos = np.full(self.n, -1)  # each data row's bundle (打捆) row, -1 on its own
        hidden = np.isin(self.data_idx + layout.data_start, list(raw.hidden_rows)) if raw.hidden_rows else None
        self.hidden = 0 if hidden is None else int(hidden.sum())
        self.hidden_rows = [] if hidden is None else self.rows[hidden].tolist()
        self._note_layout()

    def _note_layout(self) -> None:
        """Findings on what the sheet's layout made the loader do: merged cells filled down,
        hidden data rows read, hidden columns used for a field."""
        findings, name, layout = self.ctx.findings, self.raw.name, self.layout
        for col, count in sorted(self.filled.items()):
            findings.add("merged_filled", name, None, self.header(col) or layout.letter(col), count)
        for col, rows in sorted(self.held.items()):
            shown = "、".join(str(r + layout.data_start + 1) for r in rows[:10]) + ("…" if len(rows) > 10 else "")
            findings.add("merged_amount", name, None, self.header(col) or layout.letter(col), len(rows),
                         None, shown)
        if self.raw.hidden_unknown:
            findings.add("hidden_unknown", name, None, None, self.raw.hidden_unknown)
        if self.hidden:
            shown = "、".join(str(r) for r in self.hidden_rows[:10]) + ("…" if self.hidden > 10 else "")
            findings.add("hidden_rows_read", name, None, None, self.hidden, None, shown)
        for col, used in sorted(layout.hidden_used.items()):
            findings.add("hidden_column_used", name, None, self.header(col), layout.letter(col),
                         column_label(used) if ":" not in used else used)

    def amount(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """An amount column of the data rows in 万元 (parsed once) and its unreadable mask."""
        values, bad = amount_column(self.column(col), self.layout.factor(col))
        values = parts_sum_into(values.to_numpy(dtype="float64"), self.parent_pos)
        self.amounts[col] = values
        return values, bad

    def column(self, col: int) -> pd.Series:
        """Column `col` of the data rows (object values as read)."""
        return pd.Series(self.data[:, col], dtype=object)

    def blank(self, name: str) -> np.ndarray:
        """True where the cell of field `name` (which the sheet has) is blank, judged once."""
        if name not in self._blank:
            self._blank[name] = blank_mask(self.field(name))
        return self._blank[name]

    def field(self, name: str) -> pd.Series | None:
        """The column of field `name` over the data rows; None when the sheet lacks it."""
        col = self.layout.fields.get(name)
        return None if col is None else self.column(col)

    def header(self, name_or_col) -> str:
        """A field's or column's header as written (the field's label when the sheet lacks it)."""
        col = self.layout.fields.get(name_or_col) if isinstance(name_or_col, str) else name_or_col
        return self.layout.headers[col] if col is not None else column_label(str(name_or_col))

    def flag(self, rule: str, mask, column, values=None, limits=None, extras=None) -> None:
        """One finding of `rule` per data row where `mask` holds, on `column` (a field or a
        column number); the cell values unless `values` are given."""
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
