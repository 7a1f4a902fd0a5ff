"""Every input row accounted for, then one Ledger: extra columns kept, each sheet reconciled
(rows = title + unit + header + blank + category + total + note + data; data = accepted +
rejected; beside them the cells filled down from merged cells and the hidden data rows read), rows with an error finding rejected with their reasons, the tables assembled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ingest.context import Context, Parts, SheetRows, concat_table
from workbench.ingest.readers import RawSheet
from workbench.ingest.values import is_blank_cell, text_column
from workbench.model.findings import Findings
from workbench.model.ledger import Ledger
from workbench.model.schemas import columns_of

_RECON = ["file", "sheet", "table", "rows", "title", "unit", "header", "blank", "category", "total",
          "note", "data", "accepted", "rejected", "skipped", "filled", "hidden", "balanced"]


def keep_extras(sheet: SheetRows, frame: pd.DataFrame, parts: Parts) -> None:
    """Keep the sheet's unmatched columns (and raw item text) as extras; flag repeated columns."""
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


def remember_sheet(sheet: SheetRows, parts: Parts) -> None:
    """Remember the sheet: its counts and rejected rows are settled once all checks ran."""
    parts.sheets.append(sheet)


def _settle(sheet: SheetRows, findings: Findings, parts: Parts) -> None:
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
               skipped=sheet.ctx.options.skipped.get(sheet.raw.name, 0),
               filled=sum(sheet.filled.values()), hidden=sheet.hidden)
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
                                if c < len(headers) and not is_blank_cell(cells[c])))
    parts.rejected.append(pd.DataFrame({
        "file": sheet.ctx.file, "sheet": sheet.raw.name, "row": errors["row"].astype(int).to_numpy(),
        "table": layout.kind, "rules": errors["rules"].to_numpy(),
        "message_zh": errors["message_zh"].to_numpy(), "message_en": errors["message_en"].to_numpy(),
        "values": values}))


def error_keys(parts: Parts, ctx: Context) -> set:
    """(sheet, row) of every project-sheet row with an error so far."""
    keys = set()
    for sheet in parts.sheets:
        errors = ctx.findings.error_rows(sheet.raw.name)
        keys |= {(sheet.raw.name, int(r)) for r in errors["row"]}
    return keys


def skip_sheet(raw: RawSheet, ctx: Context, parts: Parts) -> None:
    """An unrecognised sheet: its filled rows counted as skipped (a warning when it holds any)."""
    filled = sum(1 for row in raw.rows if any(c not in ("", None) for c in row))
    if filled:
        ctx.findings.add("sheet_skipped", raw.name, None, None, filled)
    parts.recon.append(dict(file=ctx.file, sheet=raw.name, table="unrecognised", rows=len(raw.rows),
                            title=0, unit=0, header=0, blank=len(raw.rows) - filled, category=0,
                            total=0, note=0, data=0, accepted=0, rejected=0, skipped=filled,
                            filled=0, hidden=0, balanced=True))


def assemble(parts: Parts, ctx: Context, source: str, projects: pd.DataFrame) -> Ledger:
    """The Ledger: sheets settled, rows with an error rejected, linked rows of rejected or
    unknown projects dropped, tables cut to their declared columns."""
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
    ids = set(projects["project_id"].to_numpy(dtype=object))
    if "parent_id" in projects:  # a part whose bundle row was rejected stands on its own
        projects = projects.assign(parent_id=projects["parent_id"].where(
            projects["parent_id"].isin(ids), None).astype("str"))
    tables = {"projects": projects}
    for name in ("progress", "approvals", "funding", "problems", "milestones"):
        frame = keep(concat_table(getattr(parts, name), name))
        if name == "progress":
            frame = _ordered_progress(frame, projects)
        elif len(frame):
            frame = frame[frame["project_id"].isin(ids).to_numpy()]
        tables[name] = frame
    clean, provenance = {}, {}
    for name, frame in tables.items():
        clean[name] = frame.reindex(columns=columns_of(name)).reset_index(drop=True)
        if "_sheet" in frame.columns and "_row" in frame.columns:
            provenance[name] = pd.DataFrame({
                "sheet": frame["_sheet"].astype("str").to_numpy(),
                "excel_row": pd.array(frame["_row"].to_numpy(), dtype="Int64")})
    rejected = pd.concat(parts.rejected, ignore_index=True) if parts.rejected else pd.DataFrame(
        columns=["file", "sheet", "row", "table", "rules", "message_zh", "message_en", "values"])
    extras = pd.concat(parts.extras, ignore_index=True) if parts.extras else pd.DataFrame()
    extras.attrs["unmatched"] = list(dict.fromkeys(ctx.unmatched))
    extras.attrs["year_source"] = ctx.year_source
    recon = pd.DataFrame(parts.recon, columns=_RECON)
    return Ledger(**clean, year=ctx.year, source=source, findings=findings.frame(),
                  rejected=rejected, extras=extras, reconciliation=recon,
                  reported_on=ctx.reported_on, provenance=provenance)


def _ordered_progress(progress: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """The progress rows of accepted projects, in the projects' order, then by month."""
    if not len(progress):
        return progress
    # one lookup gives both: a row's project position, -1 when its project is not accepted
    pos = pd.Index(projects["project_id"].to_numpy(dtype=object)).get_indexer(
        progress["project_id"].to_numpy(dtype=object))
    known = np.flatnonzero(pos >= 0)
    idx = known[np.lexsort((progress["month"].to_numpy()[known], pos[known]))]
    return progress.iloc[idx]
