"""The ledger's year and the columns that name another year.

The year is, in this order: the one the user gives (``--year``); the title (or the headers'
monthly columns) of a project sheet; a sheet's name; the file's name; a report date written on
a sheet (填报日期 / 报送日期 / 截止日期 / 统计时间). ``ledger_year`` returns it with where it came
from. A project-sheet column whose header names another year ("2021年计划投资", "2023年计划")
never fills this year's fields: ``other_year_columns`` moves it to the extras (header as written,
year included) with a warning, and a column of the same field without another year takes its
place.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbench.ingest.aliases import YEAR_IN_TEXT, Aliases, header_key, match_field
from workbench.ingest.layout import SheetLayout
from workbench.ingest.readers import RawSheet
from workbench.ingest.values import normalise_text
from workbench.model.findings import Findings

#: Where a year may come from, in the order tried (``ledger_year``).
SOURCES = ("given", "title", "sheet", "file", "report_date", "snapshot")
_FREE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_REPORT_DATE = re.compile(r"(?:填报|报送|填表|统计|截止|截至)(?:日期|时间)?\s*[:：]?\s*((?:19|20)\d{2})")
_REPORT_ROWS = 40  # rows read at the top and bottom of a sheet for a report date


def ledger_year(raws: list[RawSheet], layouts: list[SheetLayout], source: str,
                given: int | None = None) -> tuple[int | None, str | None]:
    """(year, where it came from: one of ``SOURCES``), or (None, None)."""
    if given is not None:
        return int(given), "given"
    for kinds in (("projects",), None):
        for layout in layouts:
            if layout.year and (kinds is None or layout.kind in kinds) and _titled(layout):
                return layout.year, "title"
    for raw in raws:
        found = YEAR_IN_TEXT.search(normalise_text(raw.name)) or _FREE_YEAR.search(raw.name)
        if found:
            return int(found.group(1)), "sheet"
    found = _FREE_YEAR.search(Path(source).stem)
    if found:
        return int(found.group(1)), "file"
    for raw in raws:
        for row in raw.rows[:_REPORT_ROWS] + raw.rows[-_REPORT_ROWS:]:
            for cell in row:
                if isinstance(cell, str) and (found := _REPORT_DATE.search(normalise_text(cell))):
                    return int(found.group(1)), "report_date"
    return None, None


_REPORT_DAY = re.compile(r"(?:填报|报送|填表|统计|截止|截至)(?:日期|时间)?\s*[:：]?\s*((?:19|20)\d{2})\s*"
                         r"[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")


def report_date(raws: list[RawSheet]):
    """The full report date written near the top or bottom of a sheet ("填报时间：2022年10月14日"),
    as a Timestamp, or None when no sheet states a whole date."""
    for raw in raws:
        for row in raw.rows[:_REPORT_ROWS] + raw.rows[-_REPORT_ROWS:]:
            for cell in row:
                if isinstance(cell, str) and (found := _REPORT_DAY.search(normalise_text(cell))):
                    try:
                        return pd.Timestamp(*(int(g) for g in found.groups()))
                    except ValueError:  # "2022年13月40日": not a date; look further
                        continue
    return None


def _titled(layout: SheetLayout) -> bool:
    """True when the sheet's year is its title's or its monthly columns' (not a later line
    such as a report date, which comes last)."""
    found = YEAR_IN_TEXT.search(normalise_text(layout.title or ""))
    return (found is not None and int(found.group(1)) == layout.year) or any(
        _header_year(layout.headers[m.col]) == layout.year for m in layout.monthly)


def _header_year(header: str) -> int | None:
    """The year a header names ("2021年计划投资", "2022年计划投资/全年"), if one."""
    found = YEAR_IN_TEXT.search(header_key(header))
    return int(found.group(1)) if found else None


def other_year_columns(layout: SheetLayout, year: int | None, aliases: Aliases,
                       findings: Findings) -> None:
    """Move `layout`'s columns of another year than `year` out of its fields and monthly
    columns into its extras, one warning each; promote a same-field column of this year."""
    if year is None or layout.kind != "projects":
        return
    moved = []
    for name, col in list(layout.fields.items()):
        found = _header_year(layout.headers[col])
        if found is not None and found != year:
            del layout.fields[name]
            moved.append(col)
            for other, dup in list(layout.duplicate_cols):
                if dup == name and _header_year(layout.headers[other]) in (None, year):
                    layout.duplicate_cols.remove((other, dup))
                    layout.extras.remove(other)
                    layout.fields[name] = other
                    break
            else:
                _promote(layout, name, year, aliases)
    for col, name in list(layout.duplicate_cols):  # a repeat of another year is no repeat
        found = _header_year(layout.headers[col])
        if found is not None and found != year:
            layout.duplicate_cols.remove((col, name))
            layout.extras.remove(col)
            moved.append(col)
    for spec in list(layout.monthly):
        if spec.year is not None and spec.year != year:
            layout.monthly.remove(spec)
            moved.append(spec.col)
    for col in moved:
        layout.extras.append(col)
        findings.add("other_year_column", layout.name, None, layout.headers[col],
                     _header_year(layout.headers[col]), year)


def _promote(layout: SheetLayout, name: str, year: int, aliases: Aliases) -> None:
    """An extra column naming field `name` for this year takes its place: one whose header names
    this year ("2022年计划投资/全年") first, then one naming no year (a hidden "年度计划投资" set
    aside as a repeat of the other year's column); visible before hidden, and a hidden column
    used is said (``hidden_column_used``)."""
    whole_year = ("全年", "全年计划", "年度", "合计", "小计")

    def rank(col: int) -> tuple:
        header = layout.headers[col]
        return (_header_year(header) is None, col in layout.hidden_cols,
                header.split("/")[-1] not in whole_year, col)

    for col in sorted(layout.extras, key=rank):
        header = layout.headers[col]
        if _header_year(header) not in (year, None):
            continue
        if match_field(header.split("/")[0], layout.kind, aliases)[0] == name or (
                match_field(header, layout.kind, aliases)[0] == name):
            layout.extras.remove(col)
            layout.fields[name] = col
            if col in layout.hidden_cols:
                layout.hidden_used[col] = name
            return
