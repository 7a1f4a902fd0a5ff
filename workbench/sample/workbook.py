"""Write a Ledger as the workbook a county DRC keeps (layout of the bundled sample ledger).

Sheet 1 lists this year's key projects (title row, unit row, two-row merged header, 合计 row,
category rows, one column per month of planned and completed investment, notes); sheet 2 the
conceived and reserve projects; then one sheet each for approvals, funding, problems and
milestones. Every heading and word comes from ``config/labels.yaml``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbench.core.vocabulary import RESERVE_STAGES
from workbench.core.words import column_label, value_label
from workbench.model.asof import default_as_of
from workbench.model.ledger import Ledger, is_project_code
from workbench.present.export import formula_safe
from workbench.sample.draws import MONTHS
from workbench.sample.numerals import chinese_number

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
COUNTY = "内乡县"  # the county named in titles when the ledger does not say

#: Single columns of the project sheets, in order (canonical names; "seq" is 序号).
PROJECT_COLUMNS = [
    "seq", "project_id", "name", "owner", "location", "nature", "stage", "level",
    "batch_quarter", "batch_kind", "programme_982", "tier_531", "office", "sector", "scope",
    "total_investment", "annual_plan", "planned_start", "actual_start", "planned_completion",
    "actual_completion", "responsible_unit", "leader", "physical_progress_note",
]  # fmt: skip
AMOUNT_COLUMNS = {"total_investment", "annual_plan", "amount"}
DATE_COLUMNS = {
    "planned_start", "actual_start", "planned_completion", "actual_completion",
    "approved_on", "expires_on", "dated", "raised_on", "due_on", "resolved_on",
    "planned_on", "done_on",
}  # fmt: skip
#: Columns whose values are written as their display labels.
LABELLED = {"nature", "stage", "level", "office", "item", "status", "source"}
#: The item sheets: (table, sheet label key, title label key, columns after 项目代码, 项目名称).
ITEM_SHEETS = [
    ("approvals", "book_sheet_approvals", "book_title_approvals",
     ["item", "status", "approved_on", "expires_on"]),
    ("funding", "book_sheet_funding", "book_title_funding", ["source", "amount", "status", "dated"]),
    ("problems", "book_sheet_problems", "book_title_problems",
     ["problem", "owner", "raised_on", "due_on", "resolved_on"]),
    ("milestones", "book_sheet_milestones", "book_title_milestones",
     ["milestone", "owner", "planned_on", "done_on"]),
]  # fmt: skip
WIDTHS = {
    "seq": 6, "project_id": 26, "name": 44, "owner": 30, "location": 18, "nature": 8,
    "stage": 8, "level": 8, "batch_quarter": 16, "batch_kind": 10, "programme_982": 8,
    "tier_531": 7, "office": 10, "sector": 12, "scope": 44, "total_investment": 14,
    "annual_plan": 14, "responsible_unit": 18, "leader": 22, "physical_progress_note": 24,
    "problem": 28, "milestone": 18, "item": 12, "status": 10, "source": 18, "amount": 14,
}  # fmt: skip

_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CATEGORY_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_ledger_workbook(ledger: Ledger, path, county: str = COUNTY, report_day=None) -> Path:
    """Write `ledger` as a DRC-style .xlsx at `path` (atomically) and return the path.

    Projects are grouped by category (categories in order of first appearance), so a ledger
    whose projects are already grouped that way, like the sample's, reads back in its own order.
    `report_day` (a date) is the 填报时间 written under the title; by default the date the
    ledger speaks for (`default_as_of`). The title's year is the ledger's year either way.
    """
    path = Path(path)
    year = int(ledger.year) if ledger.year is not None else dt.date.today().year
    report_day = _report_day(ledger) if report_day is None else pd.Timestamp(report_day).date()
    projects = ledger.projects
    reserve = projects["stage"].isin(RESERVE_STAGES)
    wb = Workbook()
    wb.remove(wb.active)
    monthly = _monthly(ledger.progress, year)
    _project_sheet(wb, "book_sheet_projects", "book_title_projects", projects[~reserve],
                   monthly, year, county, report_day)  # fmt: skip
    _project_sheet(wb, "book_sheet_reserve", "book_title_reserve", projects[reserve],
                   None, year, county, report_day)  # fmt: skip
    names = projects.set_index("project_id")["name"]
    for table, sheet_key, title_key, columns in ITEM_SHEETS:
        _item_sheet(wb, getattr(ledger, table), names, sheet_key, title_key, columns, year, county)
    return save_stably(wb, path, report_day)


def save_stably(wb: Workbook, path, day: dt.date) -> Path:
    """Save `wb` at `path` (atomically) stamped with `day`, so the same content gives the same
    bytes (a regenerated sample leaves the repository unchanged)."""
    path = Path(path)
    stamp = dt.datetime(day.year, day.month, day.day)
    wb.properties.creator = "workbench"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.lastModifiedBy = "workbench"
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_atomically(_stable_zip(buffer.getvalue(), stamp.isoformat().encode() + b"Z"), path)
    return path


def _report_day(ledger: Ledger) -> dt.date:
    """The 填报时间: the date the ledger speaks for (`workbench.model.asof.default_as_of`)."""
    return default_as_of(ledger).date()


def _monthly(progress: pd.DataFrame, year: int) -> dict[str, pd.DataFrame]:
    """Planned and completed investment by project (rows) and month 1-12 (columns)."""
    rows = progress[progress["month"].dt.year == year]
    out = {}
    for measure in ("planned", "completed"):
        table = rows.pivot_table(
            index="project_id", columns=rows["month"].dt.month, values=measure, aggfunc="sum"
        )
        out[measure] = table.reindex(columns=range(1, MONTHS + 1))
    return out


# --- sheet 1 and 2: the ledger itself ----------------------------------------------------------


def _project_sheet(wb, sheet_key, title_key, projects, monthly, year, county, report_day):
    ws = wb.create_sheet(value_label(sheet_key))
    singles = PROJECT_COLUMNS
    n_cols = len(singles) + (2 * MONTHS if monthly is not None else 0)
    _title(ws, value_label(title_key).format(year=year, county=county), n_cols)
    ws["A2"] = value_label("book_reported").format(
        year=report_day.year, month=report_day.month, day=report_day.day
    )
    ws.merge_cells("A2:C2")
    ws.cell(2, n_cols, value_label("book_unit")).alignment = Alignment(horizontal="right")

    # two-row header
    for j, column in enumerate(singles, start=1):
        ws.cell(3, j, _heading(column))
        ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    if monthly is not None:
        for g, key in enumerate(("book_monthly_planned", "book_monthly_completed")):
            first = len(singles) + 1 + g * MONTHS
            ws.cell(3, first, value_label(key).format(year=year))
            ws.merge_cells(
                start_row=3, start_column=first, end_row=3, end_column=first + MONTHS - 1
            )
            for m in range(1, MONTHS + 1):
                ws.cell(4, first + m - 1, value_label("book_month").format(month=m))
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=n_cols):
        for cell in row:
            cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BORDER
            cell.fill = _HEADER_FILL

    # 合计 row
    total_row = 5
    ws.cell(total_row, singles.index("name") + 1, value_label("book_total"))
    for column in ("total_investment", "annual_plan"):
        ws.cell(total_row, singles.index(column) + 1, _sum(projects[column]))
    if monthly is not None:
        ids = projects["project_id"]
        for g, measure in enumerate(("planned", "completed")):
            table = monthly[measure].reindex(ids)
            for m in range(1, MONTHS + 1):
                ws.cell(total_row, len(singles) + g * MONTHS + m, _sum(table[m]))
    _style_row(ws, total_row, n_cols, singles, bold=True)

    # projects without a category first (no category row above them), then one category row
    # before each category's projects, categories in order of first appearance
    r = total_row + 1
    seq = 0
    categories = projects["category"].fillna("")
    groups = sorted(pd.unique(categories), key=lambda c: c != "")
    for k, category in enumerate(groups, start=0 if "" in groups else 1):
        members = projects[categories == category]
        if category:
            label = value_label("book_category").format(
                ordinal_zh=chinese_number(k), ordinal=k, category=category, count=len(members)
            )
            ws.cell(r, 1, label).font = _BOLD
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n_cols)
            ws.cell(r, 1).fill = _CATEGORY_FILL
            ws.cell(r, 1).border = _BORDER
            r += 1
        for record in members.to_dict("records"):
            seq += 1
            pid = record["project_id"]
            for j, column in enumerate(singles, start=1):
                ws.cell(r, j, seq if column == "seq" else _project_value(column, record, year))
            if monthly is not None:
                for g, measure in enumerate(("planned", "completed")):
                    table = monthly[measure]
                    values = table.loc[pid] if pid in table.index else None
                    for m in range(1, MONTHS + 1):
                        value = None if values is None else values[m]
                        ws.cell(r, len(singles) + g * MONTHS + m, _number(value))
            _style_row(ws, r, n_cols, singles)
            r += 1

    # notes
    r += 1
    for key in ("book_note_synthetic", "book_note_unit"):
        ws.cell(r, 1, value_label(key))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=min(n_cols, 12))
        r += 1

    for j, column in enumerate(singles, start=1):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(column, 13)
    for j in range(len(singles) + 1, n_cols + 1):
        ws.column_dimensions[get_column_letter(j)].width = 11
    ws.row_dimensions[3].height = 30
    ws.freeze_panes = ws.cell(5, singles.index("name") + 2)
    ws.print_title_rows = "3:4"


def _heading(column: str) -> str:
    return value_label("book_seq") if column == "seq" else column_label(column)


def _project_value(column: str, record: dict, year: int):
    value = record.get(column)
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if column == "project_id":
        return value if is_project_code(value) else None
    if column in LABELLED:
        return value_label(value)
    if column == "batch_quarter":
        y, q = int(value[:4]), int(value[-1])
        return value_label("book_quarter").format(year=y, quarter=q, quarter_zh=chinese_number(q))
    if column == "batch_kind":
        return value_label(f"book_batch_{value}")
    if column == "programme_982":
        return value_label("ui_yes" if value else "ui_no")
    return _cell(column, value)


def _cell(column: str, value):
    """A table value as an Excel cell value (dates as datetimes, amounts as numbers)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in DATE_COLUMNS:
        return pd.Timestamp(value).to_pydatetime()
    if column in AMOUNT_COLUMNS:
        return _number(value)
    return formula_safe(str(value))


def _number(value):
    if value is None or pd.isna(value):
        return None
    return round(float(value), 2)


def _sum(values) -> float:
    return round(float(pd.Series(values, dtype="float64").sum()), 2)


def _style_row(ws: Worksheet, r: int, n_cols: int, singles: list[str], bold: bool = False) -> None:
    for j in range(1, n_cols + 1):
        cell = ws.cell(r, j)
        cell.border = _BORDER
        if bold:
            cell.font = _BOLD
        column = singles[j - 1] if j <= len(singles) else "month"
        if column in AMOUNT_COLUMNS or column == "month":
            cell.number_format = AMOUNT_FORMAT
        elif column in DATE_COLUMNS:
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="center")
        elif column in ("name", "owner", "scope", "physical_progress_note"):
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def _title(ws: Worksheet, text: str, n_cols: int) -> None:
    ws.cell(1, 1, text + value_label("book_synthetic")).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    ws.row_dimensions[1].height = 30


# --- approvals, funding, problems, milestones ----------------------------------------------------


def _item_sheet(wb, frame, names, sheet_key, title_key, columns, year, county) -> None:
    ws = wb.create_sheet(value_label(sheet_key))
    headers = ["project_id", "name", *columns]
    _title(ws, value_label(title_key).format(year=year, county=county), len(headers))
    for j, column in enumerate(headers, start=1):
        text = value_label("book_person") if column == "owner" else column_label(column)
        cell = ws.cell(2, j, text)
        cell.font, cell.alignment, cell.border, cell.fill = (
            _BOLD,
            _CENTER,
            _BORDER,
            _HEADER_FILL,
        )
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(column, 13)
    for i, record in enumerate(frame.to_dict("records"), start=3):
        pid = record["project_id"]
        values = [pid if is_project_code(pid) else None, names.get(pid)]
        for column in columns:
            value = record[column]
            if column in LABELLED and isinstance(value, str):
                value = value_label(value)
            values.append(_cell(column, value))
        for j, value in enumerate(values, start=1):
            cell = ws.cell(i, j, formula_safe(value) if isinstance(value, str) else value)
            cell.border = _BORDER
            column = headers[j - 1]
            if column in AMOUNT_COLUMNS:
                cell.number_format = AMOUNT_FORMAT
            elif column in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "C3"


# --- files ------------------------------------------------------------------------------------------


def _stable_zip(data: bytes, stamp: bytes) -> bytes:
    """The .xlsx bytes with fixed timestamps, so the same ledger gives the same file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            dst.writestr(fixed, content)
    return out.getvalue()


def _write_atomically(data: bytes, path: Path) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
