"""Approvals, funding and problems a project sheet holds in its own columns: a free-text cell
("立项、用地已完成；环评办理中", "专项债券15000；自筹"), a column per approval item or per funding
source, a problem column. Each becomes rows of the linked table.

The text parsers follow ``values``'s contract: any cell in, never raising.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.ingest.aliases import Aliases
from workbench.ingest.context import Parts, SheetRows
from workbench.ingest.dates import parse_date
from workbench.ingest.values import (
    UNIT_FACTORS,
    amount_column,
    column_of,
    is_blank_cell,
    normalise_text,
    parse_choice,
    text_column,
)

_CLAUSE = re.compile(r"[;；。\n]+")
_PART = re.compile(r"[;；。,，、\n]+")


def _find_words(text: str, words: dict[str, str]) -> list[tuple[int, str]]:
    """(position, canonical) of each synonym found in `text`, longest synonyms first, no overlaps."""
    taken = [False] * len(text)
    found = []
    for word in sorted(words, key=len, reverse=True):
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                found.append((start, words[word]))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(word, end)
    return sorted(found)


def parse_approvals_text(value, items: dict[str, str], statuses: dict[str, str]) -> tuple[list, bool]:
    """Approval items and statuses from a free-text cell.

    "立项、用地、环评已完成；规划许可办理中" → [(立项, done), (用地, done), (环评, done),
    (规划, in_progress)]. ``items`` and ``statuses`` map lower-case synonyms to canonical words.
    ``ok`` is False when the cell has text but no item could be read.
    """
    if is_blank_cell(value) or not isinstance(value, str):
        return [], is_blank_cell(value)
    text = normalise_text(value).lower()
    rows: dict[str, str] = {}
    for clause in _CLAUSE.split(text):
        # "立项已完成，用地办理中": split further where a status word closes a part
        pending: list[str] = []
        for part in _PART.split(clause):
            found_items = [w for _, w in _find_words(part, items)]
            found_status = [s for _, s in _find_words(part, statuses)]
            pending.extend(found_items)
            if found_status:
                for item in pending:
                    rows.setdefault(item, found_status[-1])
                pending = []
    return list(rows.items()), bool(rows)


def parse_funding_text(value, sources: dict[str, str]) -> tuple[list, bool]:
    """Funding lines (source, amount in 万元 or None) from a free-text cell.

    "专项债券15000；自筹" → [(地方政府专项债券, 15000.0), (企业自筹, None)]. An amount is read
    from the part that names the source; a unit in the text ("1.5亿元") is honoured.
    """
    if is_blank_cell(value) or not isinstance(value, str):
        return [], is_blank_cell(value)
    text = normalise_text(value).lower()
    lines = []
    for part in _PART.split(text):
        found = _find_words(part, sources)
        if not found:
            continue
        number = re.search(r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|万|亿)?", part.replace(",", ""))
        amount = None
        if number:
            unit = number.group(2)
            amount = float(number.group(1)) * (UNIT_FACTORS[unit] if unit else 1.0)
        lines.append((found[0][1], amount))
    return lines, bool(lines) or not text


def items_from_columns(sheet: SheetRows, frame: pd.DataFrame, parts: Parts) -> None:
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
    if is_blank_cell(value):
        return None, True
    status, ok = parse_choice(value, a.values["approval_status"])
    if ok and status:
        return (status, pd.NaT), True
    dated, ok = parse_date(value)
    if ok and dated is not None:
        return ("done", dated), True
    return None, False
