"""Panels of reporting snapshots (one row per project per report): the latest snapshot of each
project (or the last on or before an as-of date) for the Ledger, and every snapshot as history.

The profile (``profiles``) says which columns give the snapshot date and the project key.
"""

from __future__ import annotations

import dataclasses
import re
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

#: Columns of ``panel_reports``: one row per project per report, as the report wrote it.
REPORT_COLUMNS = ["project_id", "key", "snapshot", "name", "total_investment", "planned_start",
                  "actual_start", "planned_completion", "stage", "expert_rating", "blank", "file"]

#: The fields whose cells make a report row complete; a row without any is a blank placeholder.
_CONTENT = ("total_investment", "planned_completion", "stage")
_YEAR_IN_NAME = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def panel_files(path) -> list[Path]:
    """The files of a panel: `path` itself, or every .csv/.xlsx/.xls in a folder (name order)."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xls"))
        if not found:
            raise LedgerReadError(error_message("panel_folder_empty", path=path), file=str(path))
        return found
    return [path]


def read_panel_sheets(path: Path, read: dict) -> list[RawSheet]:
    """The sheets of one panel file, trying the profile's encoding(s) in order."""
    encodings = read.get("encoding")
    encodings = encodings if isinstance(encodings, list) else [encodings]
    for i, encoding in enumerate(encodings):
        try:
            return read_sheets(Path(path), encoding=encoding)
        except LedgerReadError:
            if i == len(encodings) - 1:
                raise
    return []  # pragma: no cover - the loop returns or raises


def snapshot_frame(raw: RawSheet, spec: dict, aliases: Aliases, source: str = ""):
    """(layout, data row positions, snapshot dates, keys) of a panel sheet."""
    snap = spec["snapshot"]
    layout = recognise(raw, aliases)
    if layout.kind != "projects":
        raise LedgerReadError(error_message("snapshot_no_header", path=source, sheet=raw.name),
                              file=source, sheet=raw.name)
    cols = {header_key(h): c for c, h in enumerate(layout.headers) if h}
    wanted = [snap["date"], *np.atleast_1d(snap["key"]).tolist()]
    named = _YEAR_IN_NAME.findall(Path(source).name) if snap.get("date_from_file_name") else []
    for name in wanted:
        if name == snap["date"] and named and header_key(name) not in cols:
            continue
        if header_key(name) not in cols:
            raise LedgerReadError(error_message("snapshot_no_column", path=source, sheet=raw.name,
                                                column=name),
                                  file=source, sheet=raw.name, column=str(name))
    date_col = cols.get(header_key(snap["date"]))
    key_cols = [cols[header_key(k)] for k in wanted[1:]]
    start = layout.data_start
    body = raw.rows[start:]
    if date_col is None:  # a per-report file without a date column: the year in its name
        dates = pd.Series(pd.Timestamp(int(named[-1]), 1, 1), index=range(len(body)),
                          dtype="datetime64[us]")
    else:
        dates, _ = date_column(pd.Series([r[date_col] if date_col < len(r) else "" for r in body],
                                         dtype=object), (spec.get("read") or {}).get("date_order", "ymd"))
    keys = pd.Series(["|".join(str(r[c]).strip() if c < len(r) else "" for c in key_cols)
                      for r in body], dtype="str")
    return layout, start, dates.reset_index(drop=True), keys


def latest_snapshot(raw: RawSheet, spec: dict, aliases: Aliases, as_of, source: str = ""):
    """`raw` keeping the projects of the last report (≤ as_of), each with its last complete
    report; rows dropped; the report date; and the blank placeholders replaced by an earlier
    complete report, as (Excel row, placeholder date, date used)."""
    layout, start, dates, keys = snapshot_frame(raw, spec, aliases, source)
    usable = dates.notna() & keys.str.strip("|").str.len().gt(0)
    if as_of is not None:
        usable &= dates <= as_of_timestamp(as_of)
    body = raw.rows[start:]
    complete = np.zeros(len(body), dtype=bool)
    for field in _CONTENT:
        col = _column_of(layout, spec, field)
        if col is not None:
            complete |= np.array([col < len(r) and r[col] not in ("", None) for r in body], dtype=bool)
    # a blank placeholder (key and date only) never hides the project's last complete report
    frame = pd.DataFrame({"date": dates, "key": keys, "pos": np.arange(len(dates)),
                          "complete": complete})[usable]
    # the projects of the last report: a project that left the portfolio earlier is not current
    frame = frame[frame["key"].isin(set(frame.loc[frame["date"] == frame["date"].max(), "key"]))]
    ordered = frame.sort_values(["complete", "date", "pos"])
    keep = ordered.drop_duplicates("key", keep="last")["pos"]
    keep_set = set(keep.tolist())
    # a blank latest report replaced by an earlier complete one: (Excel row, its date, used date)
    latest = frame.sort_values(["date", "pos"]).drop_duplicates("key", keep="last").set_index("key")
    used = ordered.drop_duplicates("key", keep="last").set_index("key")
    swapped = latest.index[latest["pos"].to_numpy() != used.loc[latest.index, "pos"].to_numpy()]
    fell_back = [(start + int(latest.at[k, "pos"]) + 1, latest.at[k, "date"], used.at[k, "date"])
                 for k in swapped]
    kept = [row for i, row in enumerate(body) if i in keep_set or not usable.iat[i]
            and not any(c not in ("", None) for c in row)]
    dropped = len(body) - len(kept)
    when = frame["date"].max() if len(frame) else None
    return dataclasses.replace(raw, rows=raw.rows[:start] + kept), dropped, when, fell_back


def _column_of(layout, spec: dict, field: str) -> int | None:
    """The column position of the first source header the profile maps to `field` (or None)."""
    sources = {header_key(src) for src, f in spec["columns"].items() if f == field}
    return next((c for c, h in enumerate(layout.headers) if h and header_key(h) in sources), None)


def panel_reports(path, spec: dict, aliases: Aliases) -> pd.DataFrame:
    """Every report row of the panel in `path` (a file, or a folder of one file per report):
    REPORT_COLUMNS, one row per project per report date, ``blank`` marking placeholders (no
    amount, completion date or stage). Rows without a date or key are left out."""
    read = spec.get("read") or {}
    frames = []
    for file in panel_files(path):
        for raw in read_panel_sheets(file, read):
            frames.append(_sheet_reports(raw, spec, aliases, file))
    reports = pd.concat(frames, ignore_index=True).dropna(subset=["snapshot"])
    reports = reports[reports["key"].str.strip("|").str.len().gt(0)]
    if not len(reports):
        raise LedgerDataError(error_message("snapshot_no_date", path=path,
                                            column=spec["snapshot"]["date"]),
                              file=str(path), column=str(spec["snapshot"]["date"]))
    # one id per snapshot key: the id its latest report gets in the Ledger
    latest = reports.sort_values("snapshot", kind="stable").groupby("key")["project_id"].last()
    reports["project_id"] = reports["key"].map(latest).astype("str")
    reports = reports.sort_values(["project_id", "snapshot"], kind="stable")
    return reports.drop_duplicates(["key", "snapshot"], keep="last").reset_index(drop=True)


def _sheet_reports(raw: RawSheet, spec: dict, aliases: Aliases, file: Path) -> pd.DataFrame:
    read = spec.get("read") or {}
    layout, start, dates, keys = snapshot_frame(raw, spec, aliases, str(file))
    body = raw.rows[start:]

    def column(field):
        col = _column_of(layout, spec, field)
        return pd.Series([r[col] if col is not None and col < len(r) else "" for r in body], dtype=object)

    order = read.get("date_order", "ymd")
    ids = column("project_id").map(lambda v: str(v).strip() if str(v).strip() else None)
    names, owners = column("name"), column("owner")
    prefix = read.get("id_prefix")
    pid = [f"{prefix}{i}" if prefix and i else derived_project_id(n, o)
           for i, n, o in zip(ids, names, owners, strict=True)]
    total, _ = amount_column(column("total_investment"), read.get("amount_factor") or 1.0)
    stage = column("stage").map(
        lambda v, words=aliases.values["stage"]: words.get(choice_key(v)) if v not in ("", None) else None)
    constant_stage = (spec.get("constants") or {}).get("stage")
    if constant_stage:
        stage = pd.Series(constant_stage, index=stage.index)
    finish = date_column(column("planned_completion"), order)[0]
    blank = total.isna().to_numpy() & finish.isna().to_numpy() & ~column("stage").map(
        lambda v: v not in ("", None)).to_numpy()
    rating = column("expert_rating").map(lambda v: str(v).strip() if v not in ("", None) else None)
    return pd.DataFrame({
        "project_id": pid, "key": keys.to_numpy(), "snapshot": dates.to_numpy(),
        "name": names.map(lambda v: str(v).strip()).to_numpy(), "total_investment": total.to_numpy(),
        "planned_start": date_column(column("planned_start"), order)[0].to_numpy(),
        "actual_start": date_column(column("actual_start"), order)[0].to_numpy(),
        "planned_completion": finish.to_numpy(), "stage": stage.to_numpy(),
        "expert_rating": rating.astype("str").to_numpy(), "blank": blank, "file": file.name,
    })[REPORT_COLUMNS]


def panel_history(path, spec: dict, aliases: Aliases, monthly: bool = True) -> pd.DataFrame:
    """Every snapshot of the panel in `path` as history (see ``profiles.snapshot_history``)."""
    history = panel_reports(path, spec, aliases)[
        ["project_id", "snapshot", "total_investment", "planned_completion", "stage"]]
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
