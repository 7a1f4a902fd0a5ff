"""Read a linked sheet (前期手续, 资金来源, 存在问题, 节点计划, monthly progress): its item rows,
each tied to a project of the project sheets by code, name or name and owner.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ingest.aliases import header_key
from workbench.ingest.assemble import keep_extras, remember_sheet
from workbench.ingest.context import Context, Parts, SheetRows
from workbench.ingest.dates import date_column
from workbench.ingest.layout import SheetLayout
from workbench.ingest.readers import RawSheet
from workbench.ingest.rows import text_keys
from workbench.ingest.values import (
    amount_column,
    column_of,
    parse_choice,
    percent_column,
    text_column,
)


class Resolver:
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


def read_linked_sheet(raw: RawSheet, layout: SheetLayout, ctx: Context, parts: Parts) -> None:
    """The item rows of a linked sheet, each tied to its project; unknown projects flagged."""
    sheet = SheetRows(raw, layout, ctx)
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
            values, bad = percent_column(series)
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
    keep_extras(sheet, frame, parts)
    getattr(parts, table).append(frame[~unknown])
    remember_sheet(sheet, parts)
