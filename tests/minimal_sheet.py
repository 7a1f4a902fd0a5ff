"""A minimal submission as units and the province send them: one sheet, a header row (by
default 项目代码, 项目名称, 项目单位, 总投资（万元）) and its rows; no title, no dates."""

from __future__ import annotations

import openpyxl

HEADER = ("项目代码", "项目名称", "项目单位", "总投资（万元）")


def minimal_sheet(path, rows, header=HEADER):
    """Write `rows` under `header` as a one-sheet workbook at `path`; the path."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path
