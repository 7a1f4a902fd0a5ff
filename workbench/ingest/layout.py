"""Where things are on one ledger sheet: its kind, header rows, columns by field, monthly
columns, units, year and title (what ``headers.recognise`` finds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.text import column_letter


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
    hidden_cols: frozenset[int] = frozenset()  # columns hidden in Excel
    hidden_used: dict[int, str] = field(default_factory=dict)  # hidden column → what it was read as
    numbering_row: int | None = None  # the 栏次 row (1, 2, 3 … / 甲, 乙 …) under the header

    @property
    def data_start(self) -> int:
        """The grid index of the first row below the header."""
        return (self.header_rows[-1] + 1) if self.header_rows else 0

    def letter(self, col: int) -> str:
        """Column `col` as Excel names it (0 → "A", 27 → "AB")."""
        return column_letter(col)

    def factor(self, col: int) -> float:
        """The multiplier to 万元 of an amount column."""
        return self.factors.get(col, self.unit_factor)
