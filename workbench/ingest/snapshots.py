"""Panels of reporting snapshots (one row per project per report): the latest snapshot of each
project (or the last on or before an as-of date) for the Ledger, and every snapshot as history.

The profile (``profiles``) says which columns give the snapshot date and the project key.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.periods import as_of_timestamp
from workbench.core.words import error_message
from workbench.exceptions import LedgerDataError, LedgerReadError
from workbench.ingest.aliases import Aliases, header_key
from workbench.ingest.dates import date_column
from workbench.ingest.headers import recognise
from workbench.ingest.readers import RawSheet, read_sheets
from workbench.ingest.values import amount_column, choice_key
from workbench.model.ledger import derived_project_id

HISTORY_COLUMNS = ["project_id", "month", "snapshot", "total_investment", "planned_completion",
                   "stage", "budget_change", "completion_slip_days"]


def snapshot_frame(raw: RawSheet, spec: dict, aliases: Aliases, source: str = ""):
    """(layout, data row positions, snapshot dates, keys) of a panel sheet."""
    snap = spec["snapshot"]
    layout = recognise(raw, aliases)
    if layout.kind != "projects":
        raise LedgerReadError(error_message("snapshot_no_header", path=source, sheet=raw.name),
                              file=source, sheet=raw.name)
    cols = {header_key(h): c for c, h in enumerate(layout.headers) if h}
    wanted = [snap["date"], *np.atleast_1d(snap["key"]).tolist()]
    for name in wanted:
        if header_key(name) not in cols:
            raise LedgerReadError(error_message("snapshot_no_column", path=source, sheet=raw.name,
                                                column=name),
                                  file=source, sheet=raw.name, column=str(name))
    date_col = cols[header_key(snap["date"])]
    key_cols = [cols[header_key(k)] for k in wanted[1:]]
    start = layout.data_start
    body = raw.rows[start:]
    dates, _ = date_column(pd.Series([r[date_col] if date_col < len(r) else "" for r in body],
                                     dtype=object), (spec.get("read") or {}).get("date_order", "ymd"))
    keys = pd.Series(["|".join(str(r[c]).strip() if c < len(r) else "" for c in key_cols)
                      for r in body], dtype="str")
    return layout, start, dates.reset_index(drop=True), keys


def latest_snapshot(raw: RawSheet, spec: dict, aliases: Aliases, as_of, source: str = ""):
    """`raw` keeping each project's last snapshot (≤ as_of); rows dropped; snapshot date."""
    layout, start, dates, keys = snapshot_frame(raw, spec, aliases, source)
    usable = dates.notna() & keys.str.strip("|").str.len().gt(0)
    if as_of is not None:
        usable &= dates <= as_of_timestamp(as_of)
    frame = pd.DataFrame({"date": dates, "key": keys, "pos": np.arange(len(dates))})[usable]
    keep = frame.sort_values(["date", "pos"]).drop_duplicates("key", keep="last")["pos"]
    keep_set = set(keep.tolist())
    body = raw.rows[start:]
    kept = [row for i, row in enumerate(body) if i in keep_set or not usable.iat[i]
            and not any(c not in ("", None) for c in row)]
    dropped = len(body) - len(kept)
    when = frame["date"].max() if len(frame) else None
    return dataclasses.replace(raw, rows=raw.rows[:start] + kept), dropped, when


def panel_history(path, spec: dict, aliases: Aliases, monthly: bool = True) -> pd.DataFrame:
    """Every snapshot of the panel in `path` as history (see ``profiles.snapshot_history``)."""
    read = spec.get("read") or {}
    frames = []
    by_field = {field: src for src, field in spec["columns"].items()}
    for raw in read_sheets(Path(path), encoding=read.get("encoding")):
        layout, start, dates, keys = snapshot_frame(raw, spec, aliases, str(path))
        body = raw.rows[start:]

        def column(field, body=body, layout=layout):
            src = by_field.get(field)
            col = next((c for c, h in enumerate(layout.headers)
                        if src and header_key(h) == header_key(src)), None)
            return pd.Series([r[col] if col is not None and col < len(r) else "" for r in body],
                             dtype=object)

        ids = column("project_id").map(lambda v: str(v).strip() if str(v).strip() else None)
        names, owners = column("name"), column("owner")
        prefix = read.get("id_prefix")
        pid = [f"{prefix}{i}" if prefix and i else derived_project_id(n, o)
               for i, n, o in zip(ids, names, owners, strict=True)]
        total, _ = amount_column(column("total_investment"), read.get("amount_factor") or 1.0)
        finish, _ = date_column(column("planned_completion"), read.get("date_order", "ymd"))
        stage = column("stage").map(
            lambda v, words=aliases.values["stage"]: words.get(choice_key(v)) if v not in ("", None) else None)
        # one id per snapshot key: the id its latest snapshot gets in the Ledger
        latest = pd.DataFrame({"key": keys, "pid": pid, "date": dates}).sort_values(
            "date", kind="stable").groupby("key")["pid"].last()
        pid = keys.map(latest).to_numpy()
        constant_stage = (spec.get("constants") or {}).get("stage")
        if constant_stage:
            stage = pd.Series(constant_stage, index=stage.index)
        frames.append(pd.DataFrame({
            "project_id": pid, "snapshot": dates.to_numpy(), "total_investment": total.to_numpy(),
            "planned_completion": finish.to_numpy(), "stage": stage.to_numpy(),
        }))
    history = pd.concat(frames, ignore_index=True).dropna(subset=["snapshot"])
    if not len(history):
        raise LedgerDataError(error_message("snapshot_no_date", path=path,
                                            column=spec["snapshot"]["date"]),
                              file=str(path), column=str(spec["snapshot"]["date"]))
    history = history.sort_values(["project_id", "snapshot"], kind="stable")
    first = history.groupby("project_id")[["total_investment", "planned_completion"]].transform("first")
    history["budget_change"] = history["total_investment"] - first["total_investment"]
    history["completion_slip_days"] = (history["planned_completion"] - first["planned_completion"]).dt.days
    history["month"] = history["snapshot"].dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    history = history.drop_duplicates(["project_id", "month"], keep="last")
    if monthly:
        filled = []
        for pid, group in history.groupby("project_id", sort=False):
            months = pd.date_range(group["month"].min(), group["month"].max(), freq="MS")
            filled.append(group.set_index("month").reindex(months).ffill().rename_axis("month")
                          .reset_index().assign(project_id=pid))
        history = pd.concat(filled, ignore_index=True)
    history["month"] = history["month"].astype("datetime64[us]")
    return history[HISTORY_COLUMNS].reset_index(drop=True)
