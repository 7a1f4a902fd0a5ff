"""Mapping profiles: read another portfolio's file (its own headers, words, dates, currency)
into a Ledger, and turn a panel of reporting snapshots into monthly history.

A profile is a small YAML file (``workbench/profiles/<name>.yaml`` or any path): which source
column feeds which Ledger field, how source words map onto Ledger values, the date order and
the amount unit, constants for fields the portfolio does not have, and, for panels with one row
per project per report, which columns give the snapshot date and the project key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from workbench.core.words import column_label, config_error, error_message
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError
from workbench.ingest.aliases import Aliases, header_key, load_aliases
from workbench.ingest.context import LoadOptions
from workbench.ingest.dates import YEARS
from workbench.ingest.headers import recognise
from workbench.ingest.readers import RawSheet
from workbench.ingest.sheets import ledger_from_sheets
from workbench.ingest.snapshots import (
    latest_snapshot,
    panel_files,
    panel_history,
    panel_reports,
    read_panel_sheets,
)
from workbench.ingest.values import choice_key
from workbench.model.findings import Findings
from workbench.model.ledger import Ledger
from workbench.model.schemas import columns_of

#: Fields a profile's columns may name: the projects table's, and the loader's own (序号, 建设年限,
#: the free-text 前期手续 / 资金来源 / 存在问题 / 形象进度 cells), so `workbench map` can write any mapping.
_FIELDS = set(columns_of("projects")) | {"period", "serial", "approvals_text", "funding_text",
                                         "problem_text", "physical_progress"}
#: Fields only a panel of reports reads (``snapshot_reports``) besides the Ledger's: none now
#: (the expert rating became a projects column).
PANEL_FIELDS: set[str] = set()


def profile_names() -> list[str]:
    """Names of the packaged profiles."""
    folder = resources.files("workbench").joinpath("profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def _packaged(name: str) -> str:
    return resources.files("workbench").joinpath(f"profiles/{name}.yaml").read_text("utf-8")


def _where(profile) -> str:
    """How an error names the profile: its name or path ("<dict>" for one given as a dict)."""
    return "<dict>" if isinstance(profile, dict) else str(profile)


def load_profile(profile) -> dict:
    """A profile as a checked dict, from a packaged name ("nyc", "uk_gmpp") or a YAML path;
    ConfigError naming the profile, the entry and its value when something is wrong."""
    if isinstance(profile, dict):
        data = profile
    else:
        text = None
        if str(profile) in profile_names():
            text = _packaged(str(profile))
        elif Path(str(profile)).is_file():
            text = Path(str(profile)).read_text("utf-8")
        if text is None:
            raise ConfigError(error_message("profile_unknown", value=str(profile),
                                            valid=", ".join(profile_names())), file=str(profile),
                              field="profile", value=str(profile))
        try:
            data = strict_yaml(text)
        except yaml.YAMLError as exc:
            raise ConfigError(error_message("yaml_broken", file=profile, reason=exc),
                              file=str(profile)) from None
    return check_profile(data, _where(profile))


#: Top-level entries of a profile, and the entries of its ``read`` section.
PROFILE_KEYS = ("name", "description", "read", "snapshot", "columns", "values", "constants",
                "defaults", "year")
READ_KEYS = ("encoding", "date_order", "amount_factor", "id_prefix", "currency",
             "past_start_is_actual")
DATE_ORDERS = ("ymd", "dmy", "mdy")


def check_profile(data, where: str) -> dict:
    """`data` when it is a usable profile, else ConfigError (file=`where`, field, value)."""
    def fail(expected: str, field: str, value=None, given: bool | None = True, **fields):
        raise config_error(where, field, expected, None if value is None else str(value),
                           given, **fields)

    def mapping(key: str) -> dict:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            fail("expect_mapping", key, value)
        return value

    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        fail("expect_columns_mapping", "columns", data.get("columns") if isinstance(data, dict)
             else data)
    unknown = [k for k in data if k not in PROFILE_KEYS]
    if unknown:
        fail("expect_one_of", unknown[0], given=None, choices=", ".join(PROFILE_KEYS))
    bad = sorted(str(f) for f in data["columns"].values()
                 if not isinstance(f, str) or f not in _FIELDS | PANEL_FIELDS)
    if bad:
        fail("expect_one_of", "columns", bad[0], choices=", ".join(sorted(_FIELDS)))
    if "name" not in data["columns"].values():
        fail("expect_name_column", "columns", given=False)
    read = mapping("read")
    for key, value in read.items():
        if key not in READ_KEYS:
            fail("expect_one_of", f"read.{key}", given=None, choices=", ".join(READ_KEYS))
        ok = {"date_order": value in DATE_ORDERS,
              "amount_factor": isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0,
              "encoding": isinstance(value, str) or (isinstance(value, list) and value
                                                     and all(isinstance(v, str) for v in value)),
              "past_start_is_actual": isinstance(value, bool),
              }.get(key, isinstance(value, str))
        if not ok:
            need = {"date_order": "expect_one_of", "amount_factor": "expect_positive"}
            fail(need.get(key, "expect_text"), f"read.{key}", value, choices=", ".join(DATE_ORDERS))
    snapshot = mapping("snapshot")
    if snapshot:
        keys = snapshot.get("key")
        keys = [keys] if isinstance(keys, str) else keys
        if not isinstance(snapshot.get("date"), str) or not isinstance(keys, list) or not keys or not all(
                isinstance(k, str) for k in keys):
            fail("expect_snapshot", "snapshot", snapshot)
        extra = [k for k in snapshot if k not in ("date", "key", "date_from_file_name")]
        if extra or not isinstance(snapshot.get("date_from_file_name", False), bool):
            fail("expect_snapshot", "snapshot", snapshot)
    base = load_aliases()
    for field, words in mapping("values").items():
        if field not in base.values or not isinstance(words, dict):
            fail("expect_one_of", f"values.{field}", field, choices=", ".join(sorted(base.values)))
        known = set(base.values[field].values())
        for word, canonical in words.items():
            if str(canonical) not in known:
                fail("expect_one_of", f"values.{field}.{word}", canonical,
                     choices=", ".join(sorted(known)))
    for field, value in mapping("constants").items():
        if field not in _FIELDS:
            fail("expect_one_of", f"constants.{field}", given=None,
                 choices=", ".join(sorted(_FIELDS)))
        if not isinstance(value, (str, int, float, dt.date)):
            fail("expect_one_value", f"constants.{field}", value)
    for key, value in mapping("defaults").items():
        if key not in base.defaults:
            fail("expect_one_of", f"defaults.{key}", given=None, choices=", ".join(base.defaults))
        if key in base.values and str(value) not in set(base.values[key].values()):
            fail("expect_one_of", f"defaults.{key}", value,
                 choices=", ".join(sorted(set(base.values[key].values()))))
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or year not in YEARS):
        fail("expect_year", "year", year)
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


def load_with_profile(path, profile, sheet=None, as_of=None, year: int | None = None) -> Ledger:
    """The Ledger of a portfolio file read through a profile (the latest snapshot of a panel,
    or the last one on or before `as_of`); `year` the ledger's year when the user gives it."""
    spec = load_profile(profile)
    read = spec.get("read") or {}
    aliases = profile_aliases(spec)
    skipped: dict[str, int] = {}
    given, year = year, None
    if spec.get("snapshot"):
        # a folder holds one file per report: the Ledger is the last report on or before as_of
        picked = []
        for file in panel_files(path):
            for raw in read_panel_sheets(file, read):
                raw = _with_constants(raw, spec, aliases)
                latest, dropped, when, swapped = latest_snapshot(raw, spec, aliases, as_of, str(file))
                picked.append((when, raw.name, latest, dropped, swapped, file))
        last = max((w for w, *_ in picked if w is not None), default=None)
        raws, placeholders = [], Findings(str(path))
        for when, name, latest, dropped, swapped, file in picked:
            if when == last or (last is None and len(picked) == 1):
                raws.append(latest)
                skipped[name] = dropped
                placeholders.file = str(file)
                placeholders.add_many("snapshot_placeholder", name, [r for r, _, _ in swapped],
                                      spec["snapshot"]["date"], [d for _, d, _ in swapped],
                                      extras=[u for _, _, u in swapped])
        year = last.year if last is not None else None
        year_end = last
    else:
        raws = [_with_constants(raw, spec, aliases) for raw in read_panel_sheets(Path(path), read)]
        year_end = None
    options = LoadOptions(date_order=read.get("date_order", "ymd"),
                          unit_factor=read.get("amount_factor"),
                          id_prefix=read.get("id_prefix"), skipped=skipped)
    ledger = ledger_from_sheets(raws, str(path), sheet=sheet, year=given or year or spec.get("year"),
                                aliases=aliases, options=options)
    if spec.get("snapshot") and len(placeholders.frame()):
        ledger = ledger.replace(findings=pd.concat([ledger.findings, placeholders.frame()],
                                                   ignore_index=True))
    if given is None and year is not None and ledger.extras is not None:
        ledger.extras.attrs["year_source"] = "snapshot"  # the report's date, not --year
    if read.get("past_start_is_actual") and year_end is not None:
        ledger = _started(ledger, year_end)
    return ledger.replace(currency=read["currency"]) if read.get("currency") else ledger


def _started(ledger: Ledger, when) -> Ledger:
    """A portfolio that reports one start date per project (GMPP's approved start, NYC's design
    start): a start on or before the report date is the actual start (the project is under
    way, past 谋划), a later one stays planned."""
    p = ledger.projects
    past = p["planned_start"].notna() & (p["planned_start"] <= when) & p["stage"].ne("谋划")
    projects = p.assign(actual_start=p["actual_start"].mask(past & p["actual_start"].isna(),
                                                            p["planned_start"]))
    return ledger.replace(projects=projects)


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


def snapshot_history(path, profile, monthly: bool = True) -> pd.DataFrame:
    """Every snapshot of a panel as history: project_id, month, snapshot, total_investment,
    planned_completion, stage, budget_change and completion_slip_days against the first snapshot.

    With ``monthly`` each project gets one row per month from its first to its last snapshot,
    holding the latest re-forecast known that month (snapshots are irregular).
    """
    spec = load_profile(profile)
    if not spec.get("snapshot"):
        raise ConfigError(error_message("profile_no_snapshot", file=_where(profile)),
                          file=_where(profile), field="snapshot")
    return panel_history(path, spec, profile_aliases(spec), monthly)


def snapshot_reports(path, profile) -> pd.DataFrame:
    """Every report row of a panel read through a profile, as written (not filled monthly):
    project_id, key, snapshot, name, total_investment, planned_start, actual_start,
    planned_completion, stage, expert_rating (text), blank (a placeholder row), file.
    `path` is a file or a folder of one file per report."""
    spec = load_profile(profile)
    if not spec.get("snapshot"):
        raise ConfigError(error_message("profile_no_snapshot", file=_where(profile)),
                          file=_where(profile), field="snapshot")
    return panel_reports(path, spec, profile_aliases(spec))
