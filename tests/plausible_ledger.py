"""A ledger workbook whose 年度计划投资 column is empty: the small report ledger written as a
DRC workbook, then that column's cells blanked (the habit the plausibility checks catch)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.report_ledger import small_ledger


def ledger_without_annual_plan(path: Path) -> tuple[Path, str, int]:
    """Write the workbook at `path`; returns it, the blanked column's letter and how many
    project rows the sheet holds."""
    from workbench.sample import write_ledger_workbook

    write_ledger_workbook(small_ledger(), path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    letter, blanked = None, 0
    for row in sheet.iter_rows():
        for cell in row:
            if letter is None and cell.value == "年度计划投资":
                letter, header_row = cell.column_letter, cell.row
    assert letter is not None, "the sample writer's header changed"
    for row in range(header_row + 1, sheet.max_row + 1):
        cell = sheet[f"{letter}{row}"]
        if isinstance(cell.value, (int, float)):
            cell.value = None
            blanked += 1
    book.save(path)
    return path, letter, blanked
