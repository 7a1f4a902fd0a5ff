"""Plausibility of a loaded Ledger as a whole: numbers readable row by row that cannot all be
right together (``config/plausibility.yaml``).

A headline field empty or zero for most projects, annual plans above the total for many rows,
completed investment an order of magnitude above the plan, a 合计 that disagrees, a hidden or
other-year column used. Each issue names the column as the user sees it (letter and header, from
``Ledger.mapping``) and the count. ``workbench report`` refuses to publish while there are any
(unless told to accept them, and then its first page states them).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from workbench.core.vocabulary import RESERVE_STAGES
from workbench.core.words import check_lang, column_label, config_error
from workbench.core.yamlfile import packaged_yaml
from workbench.model.findings import load_rules

_FILE = "plausibility.yaml"
_CHECKS = ("field_empty", "completed_empty", "annual_above_total", "completed_over_plan")
_MESSAGES = (*_CHECKS, "finding", "hidden_mapped", "other_year_mapped", "column_where",
             "column_none")
#: Amount fields whose column must be of the ledger's year (monthly columns: "completed:…").
_YEAR_FIELDS = ("annual_plan", "completed_to_date", "planned:", "completed:")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
#: Columns of the issues table.
ISSUE_COLUMNS = ["check", "field", "column", "header", "count", "n", "message_zh", "message_en"]


@cache
def load_plausibility() -> dict:
    """The checks' thresholds and messages of config/plausibility.yaml, checked."""
    return check_plausibility(packaged_yaml(_FILE))


def check_plausibility(data) -> dict:
    """`data` when it is a valid plausibility config, else ConfigError naming the entry."""
    if not isinstance(data, dict) or not isinstance(data.get("checks"), dict):
        raise config_error(_FILE, "checks", "expect_mapping", given=False)
    for name in _CHECKS:
        spec = data["checks"].get(name)
        if not isinstance(spec, dict):
            raise config_error(_FILE, f"checks.{name}", "expect_mapping", given=False)
        for key in ("min_share", "min_rows", "factor"):
            if key not in spec:
                if key == "factor" and name == "completed_over_plan":
                    raise config_error(_FILE, f"checks.{name}.{key}", "expect_number_min0",
                                       given=False)
                continue
            value = spec[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (
                    key == "min_share" and value > 1):
                raise config_error(_FILE, f"checks.{name}.{key}", "expect_share"
                                   if key == "min_share" else "expect_number_min0", value)
    fields = data["checks"]["field_empty"].get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise config_error(_FILE, "checks.field_empty.fields", "expect_field_list", fields)
    if not isinstance(data.get("stopping_findings", []), list):
        raise config_error(_FILE, "stopping_findings", "expect_rule_ids",
                           data.get("stopping_findings"))
    messages = data.get("messages")
    for name in _MESSAGES:
        entry = messages.get(name) if isinstance(messages, dict) else None
        if not isinstance(entry, dict) or not {"zh", "en"} <= set(entry):
            raise config_error(_FILE, f"messages.{name}", "expect_zh_en", entry)
    return data


def _where(mapping: pd.DataFrame, field: str, lang: str, msgs: dict) -> tuple[str, str, str]:
    """(letter, header, words) of the column a field was read from ('' when none)."""
    rows = mapping[mapping["field"] == field] if len(mapping) else mapping
    if not len(rows):
        return "", "", msgs["column_none"][lang]
    row = rows.iloc[0]
    return row["column"], row["header"], msgs["column_where"][lang].format(
        column=row["column"], header=row["header"])


def _missing(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return (values.isna() | (values == 0)).to_numpy()
    return values.isna().to_numpy()


def plausibility_issues(ledger, config: dict | None = None) -> pd.DataFrame:
    """The ledger's plausibility issues (ISSUE_COLUMNS), none when the whole reads plausibly."""
    config = config or load_plausibility()
    checks, msgs = config["checks"], config["messages"]
    mapping = ledger.mapping
    projects = ledger.projects
    listed = projects[~projects["stage"].isin(RESERVE_STAGES)]
    if len(listed):
        projects = listed
    n = len(projects)
    out: list[dict] = []

    def add(check: str, field: str, count: int, spec: dict | None, **extra) -> None:
        if spec is not None and (count < spec.get("min_rows", 1) or not n
                                 or count / n < spec.get("min_share", 0.0) or count == 0):
            return
        column, header, _ = _where(mapping, field, "zh", msgs) if field else ("", "", "")
        row = {"check": check, "field": field, "column": column, "header": header, "count": count,
               "n": n}
        for lang in ("zh", "en"):
            where = _where(mapping, field, lang, msgs)[2] if field else ""
            label = column_label(field, lang) if field else ""
            row[f"message_{lang}"] = msgs[check][lang].format(
                label=label, where=where, count=count, n=n, **extra)
        out.append(row)

    if n:
        spec = checks["field_empty"]
        for field in spec["fields"]:
            if field in projects.columns:
                add("field_empty", field, int(_missing(projects[field]).sum()), spec)
        planned = projects[projects["annual_plan"].fillna(0) > 0]
        done = ledger.progress.groupby("project_id")["completed"].sum(min_count=1)
        done = done.reindex(planned["project_id"].to_numpy())
        monthly = mapping[mapping["field"].str.startswith("completed")] if len(mapping) else mapping
        spec = checks["completed_empty"]
        if len(planned) and len(monthly):
            count = int((done.isna() | (done == 0)).sum())
            n_all, n = n, len(planned)
            add("completed_empty", str(monthly["field"].iloc[0]), count, spec)
            n = n_all
        tol = load_rules()["tolerance"]["above_total_rel"]
        above = projects["annual_plan"] > projects["total_investment"] * (1 + tol)
        add("annual_above_total", "annual_plan", int(above.fillna(False).sum()),
            checks["annual_above_total"])
        spec = checks["completed_over_plan"]
        if len(planned):
            over = done.to_numpy() >= spec["factor"] * planned["annual_plan"].to_numpy()
            add("completed_over_plan", "annual_plan", int(np.nan_to_num(over).sum()), spec,
                factor=spec["factor"])
    if config.get("hidden_mapped", True) and len(mapping):
        hidden = mapping[mapping["hidden"] & (mapping["field"] != "")]
        for field in dict.fromkeys(hidden["field"]):
            add("hidden_mapped", field, 1, None)
    if config.get("other_year_mapped", True) and len(mapping) and ledger.year is not None:
        for field, year in _other_years(mapping, int(ledger.year)):
            add("other_year_mapped", field, 1, None, year=year, ledger_year=int(ledger.year))
    findings = ledger.findings
    rules = load_rules()["rules"]
    for rule in config.get("stopping_findings", []):
        if rule not in rules or not len(findings):
            continue  # a rule the loader does not (yet) have
        hits = findings[findings["rule"] == rule]
        if len(hits):
            first = hits.iloc[0]
            row = {"check": rule, "field": "", "column": str(first["column"]), "header": "",
                   "count": len(hits), "n": n}
            for lang in ("zh", "en"):
                row[f"message_{lang}"] = msgs["finding"][lang].format(
                    rule=rule, count=len(hits), example=first[f"message_{lang}"])
            out.append(row)
    return pd.DataFrame(out, columns=ISSUE_COLUMNS)


def _other_years(mapping: pd.DataFrame, year: int) -> list[tuple[str, int]]:
    """(field, year) of each amount field read from a column of another year than `year`."""
    out = {}
    for field, header in zip(mapping["field"], mapping["header"], strict=True):
        if not field.startswith(_YEAR_FIELDS) or (":" not in field and field not in _YEAR_FIELDS):
            continue
        parts = field.split(":")
        found = int(parts[3]) if len(parts) > 3 else None
        if found is None:
            match = _YEAR.search(str(header))
            found = int(match.group(1)) if match else None
        if found is not None and found != year:
            out.setdefault(field, found)
    return list(out.items())


def issue_lines(issues: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The issues' messages in `lang`, one a line."""
    return list(issues[f"message_{check_lang(lang)}"]) if len(issues) else []
