"""Mapping profiles: read another portfolio's file (its own headers, words, dates, currency)
into a Ledger, and turn a panel of reporting snapshots into monthly history.

A profile is a small YAML file (``workbench/profiles/<name>.yaml`` or any path): which source
column feeds which Ledger field, how source words map onto Ledger values, the date order and
the amount unit, constants for fields the portfolio does not have, and, for panels with one row
per project per report, which columns give the snapshot date and the project key.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbench.core.words import column_label
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError, LedgerReadError
from workbench.ingest.aliases import Aliases, header_key, load_aliases
from workbench.ingest.context import LoadOptions
from workbench.ingest.dates import date_column
from workbench.ingest.headers import recognise
from workbench.ingest.readers import RawSheet, read_sheets
from workbench.ingest.sheets import ledger_from_sheets
from workbench.ingest.values import amount_column, choice_key
from workbench.model.ledger import Ledger, derived_project_id
from workbench.model.schemas import columns_of

_FIELDS = set(columns_of("projects")) | {"period", "serial"}


def profile_names() -> list[str]:
    """Names of the packaged profiles."""
    folder = resources.files("workbench").joinpath("profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def _packaged(name: str) -> str:
    return resources.files("workbench").joinpath(f"profiles/{name}.yaml").read_text("utf-8")


def load_profile(profile) -> dict:
    """A profile as a checked dict, from a packaged name ("nyc", "uk_gmpp") or a YAML path."""
    if isinstance(profile, dict):
        data = profile
    else:
        text = None
        if str(profile) in profile_names():
            text = _packaged(str(profile))
        elif Path(profile).is_file():
            text = Path(profile).read_text("utf-8")
        if text is None:
            raise ConfigError(f"unknown profile {profile!r}: use one of {', '.join(profile_names())} "
                              "or a YAML file path / 未知的映射配置")
        try:
            data = strict_yaml(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"profile {profile}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise ConfigError(f"profile {profile}: needs a 'columns' mapping of source header → field")
    unknown = sorted(set(data["columns"].values()) - _FIELDS)
    if unknown:
        raise ConfigError(f"profile {profile}: unknown field(s) {', '.join(unknown)}")
    if "name" not in data["columns"].values():
        raise ConfigError(f"profile {profile}: a source column must map to 'name'")
    return data


def profile_aliases(spec: dict, base: Aliases | None = None) -> Aliases:
    """The loader's synonym tables with the profile's headers and words in charge."""
    base = base or load_aliases()
    headers = dict(base.headers)
    headers["projects"] = {header_key(src): field for src, field in spec["columns"].items()}
    for constant in spec.get("constants", {}):
        headers["projects"][header_key(column_label(constant))] = constant
    values = {k: dict(v) for k, v in base.values.items()}
    for field, words in (spec.get("values") or {}).items():
        target = values.setdefault(field, {})
        for word, canonical in words.items():
            target[choice_key(word)] = str(canonical)
    defaults = {**base.defaults, **(spec.get("defaults") or {})}
    kinds = {**base.sheet_kinds, "projects": {"key": "name", "min_fields": 2}}
    return dataclasses.replace(base, headers=headers, values=values, defaults=defaults,
                               sheet_kinds=kinds, matched={})


def load_with_profile(path, profile, sheet=None, as_of=None) -> Ledger:
    """The Ledger of a portfolio file read through a profile (the latest snapshot of a panel,
    or the last one on or before `as_of`)."""
    spec = load_profile(profile)
    read = spec.get("read") or {}
    raws = read_sheets(Path(path), encoding=read.get("encoding"))
    aliases = profile_aliases(spec)
    raws = [_with_constants(raw, spec, aliases) for raw in raws]
    skipped: dict[str, int] = {}
    year = None
    if spec.get("snapshot"):
        chosen = []
        for raw in raws:
            latest, dropped, when = _latest_snapshot(raw, spec, aliases, as_of)
            chosen.append(latest)
            skipped[raw.name] = dropped
            year = year or (when.year if when is not None else None)
        raws = chosen
    options = LoadOptions(date_order=read.get("date_order", "ymd"),
                          unit_factor=read.get("amount_factor"),
                          id_prefix=read.get("id_prefix"), skipped=skipped)
    return ledger_from_sheets(raws, str(path), sheet=sheet, year=year or spec.get("year"),
                              aliases=aliases, options=options)


def _with_constants(raw: RawSheet, spec: dict, aliases: Aliases) -> RawSheet:
    """`raw` with one column per profile constant (header = the field's label)."""
    constants = spec.get("constants") or {}
    if not constants:
        return raw
    layout = recognise(raw, aliases)
    if layout.kind != "projects":
        return raw
    header_row = layout.header_rows[0]
    rows = []
    for i, row in enumerate(raw.rows):
        if i < header_row:
            rows.append(list(row) + [""] * len(constants))
        elif i == header_row:
            rows.append(list(row) + [column_label(f) for f in constants])
        else:
            filled = any(c not in ("", None) for c in row)
            rows.append(list(row) + [v if filled else "" for v in constants.values()])
    return dataclasses.replace(raw, rows=rows)


def _snapshot_frame(raw: RawSheet, spec: dict, aliases: Aliases):
    """(layout, data row positions, snapshot dates, keys) of a panel sheet."""
    snap = spec["snapshot"]
    layout = recognise(raw, aliases)
    if layout.kind != "projects":
        raise LedgerReadError(f"{raw.name}: no header row with the profile's columns / 未找到表头")
    cols = {header_key(h): c for c, h in enumerate(layout.headers) if h}
    try:
        date_col = cols[header_key(snap["date"])]
        key_cols = [cols[header_key(k)] for k in np.atleast_1d(snap["key"])]
    except KeyError as exc:
        raise LedgerReadError(f"{raw.name}: snapshot column {exc} not found / 缺少快照列") from None
    start = layout.data_start
    body = raw.rows[start:]
    dates, _ = date_column(pd.Series([r[date_col] if date_col < len(r) else "" for r in body],
                                     dtype=object), (spec.get("read") or {}).get("date_order", "ymd"))
    keys = pd.Series(["|".join(str(r[c]).strip() if c < len(r) else "" for c in key_cols)
                      for r in body], dtype="str")
    return layout, start, dates.reset_index(drop=True), keys


def _latest_snapshot(raw: RawSheet, spec: dict, aliases: Aliases, as_of):
    """`raw` keeping each project's last snapshot (≤ as_of); rows dropped; snapshot date."""
    layout, start, dates, keys = _snapshot_frame(raw, spec, aliases)
    usable = dates.notna() & keys.str.strip("|").str.len().gt(0)
    if as_of is not None:
        usable &= dates <= pd.Timestamp(as_of)
    frame = pd.DataFrame({"date": dates, "key": keys, "pos": np.arange(len(dates))})[usable]
    keep = frame.sort_values(["date", "pos"]).drop_duplicates("key", keep="last")["pos"]
    keep_set = set(keep.tolist())
    body = raw.rows[start:]
    kept = [row for i, row in enumerate(body) if i in keep_set or not usable.iat[i]
            and not any(c not in ("", None) for c in row)]
    dropped = len(body) - len(kept)
    when = frame["date"].max() if len(frame) else None
    return dataclasses.replace(raw, rows=raw.rows[:start] + kept), dropped, when


def snapshot_history(path, profile, monthly: bool = True) -> pd.DataFrame:
    """Every snapshot of a panel as history: project_id, month, snapshot, total_investment,
    planned_completion, stage, budget_change and completion_slip_days against the first snapshot.

    With ``monthly`` each project gets one row per month from its first to its last snapshot,
    holding the latest re-forecast known that month (snapshots are irregular).
    """
    spec = load_profile(profile)
    if not spec.get("snapshot"):
        raise ConfigError("this profile has no snapshot columns; there is no history to build")
    read = spec.get("read") or {}
    aliases = profile_aliases(spec)
    frames = []
    by_field = {field: src for src, field in spec["columns"].items()}
    for raw in read_sheets(Path(path), encoding=read.get("encoding")):
        layout, start, dates, keys = _snapshot_frame(raw, spec, aliases)
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
    cols = ["project_id", "month", "snapshot", "total_investment", "planned_completion", "stage",
            "budget_change", "completion_slip_days"]
    history["month"] = history["month"].astype("datetime64[us]")
    return history[cols].reset_index(drop=True)
