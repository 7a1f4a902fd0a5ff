"""Validation of a loaded ledger: rules as data (``config/validation.yaml``), findings as rows,
and the report ``workbench validate`` prints (table or JSON, exit code 0/1/2)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from workbench.core.words import check_lang, column_label, value_label
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError, WorkbenchError
from workbench.model.ledger import FINDING_COLUMNS, Ledger, empty_findings


@cache
def load_rules() -> dict:
    """Rules and tolerances of config/validation.yaml."""
    data = packaged_yaml("validation.yaml")
    for rule, spec in data["rules"].items():
        if spec.get("severity") not in ("error", "warning") or not {"zh", "en"} <= set(spec):
            raise ConfigError(f"validation.yaml: rule {rule} needs severity error|warning, zh and en")
    return data


def rule_severity(rule: str) -> str:
    """'error' or 'warning' for a rule id."""
    return load_rules()["rules"][rule]["severity"]


def _fmt(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


class Findings:
    """Collects findings during a load; rows with an error finding are the rejected rows."""

    def __init__(self, file: str):
        self.file = file
        self._frames: list[pd.DataFrame] = []

    def add(self, rule: str, sheet: str | None, row=None, column: str | None = None, value=None,
            limit=None, extra=None) -> None:
        """One finding."""
        self.add_many(rule, sheet, [row], column, [value], [limit], [extra])

    def add_many(self, rule: str, sheet: str | None, rows, column: str | None, values,
                 limits=None, extras=None) -> None:
        """One finding per row (rows, values, limits and extras aligned)."""
        rows = list(rows)
        if not rows:
            return
        spec = load_rules()["rules"][rule]
        values = [_fmt(v) for v in values]
        limits = [_fmt(v) for v in (limits if limits is not None else [None] * len(rows))]
        extras = [_fmt(v) for v in (extras if extras is not None else [None] * len(rows))]
        col = column or ""
        zh = [spec["zh"].format(column=col, value=v, limit=li, extra=e)
              for v, li, e in zip(values, limits, extras, strict=True)]
        en = [spec["en"].format(column=col, value=v, limit=li, extra=e)
              for v, li, e in zip(values, limits, extras, strict=True)]
        frame = pd.DataFrame({
            "severity": spec["severity"],
            "rule": rule,
            "file": self.file,
            "sheet": sheet,
            "row": pd.array([None if r is None else int(r) for r in rows], dtype="Int64"),
            "column": column,
            "value": values,
            "message_zh": zh,
            "message_en": en,
        })
        self._frames.append(frame)

    def frame(self) -> pd.DataFrame:
        """All findings: errors first, then by sheet (in the order met) and row."""
        if not self._frames:
            return empty_findings()
        out = pd.concat(self._frames, ignore_index=True)
        for c in FINDING_COLUMNS:
            if c != "row":
                out[c] = out[c].astype("str")
        out["_sev"] = (out["severity"] != "error").astype(int)
        out["_sheet"] = pd.factorize(out["sheet"])[0]
        out = out.sort_values(["_sev", "_sheet", "row"], kind="stable", na_position="first")
        return out.drop(columns=["_sev", "_sheet"]).reset_index(drop=True)[FINDING_COLUMNS]

    def error_rows(self, sheet: str) -> pd.DataFrame:
        """Rows of `sheet` with at least one error: row, rules, message_zh, message_en."""
        if not self._frames:
            return pd.DataFrame(columns=["row", "rules", "message_zh", "message_en"])
        f = pd.concat(self._frames, ignore_index=True)
        f = f[(f["severity"] == "error") & (f["sheet"] == sheet) & f["row"].notna()]
        return (
            f.groupby("row", sort=True)
            .agg(rules=("rule", lambda s: "; ".join(dict.fromkeys(s))),
                 message_zh=("message_zh", "; ".join), message_en=("message_en", "; ".join))
            .reset_index()
        )


# --- the report of `workbench validate` ------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """What `workbench validate` shows: findings, reconciliation, extras, exit code."""

    path: str
    ledger: Ledger | None
    findings: pd.DataFrame
    reconciliation: pd.DataFrame
    extra_columns: list[str]
    read_error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 errors found, 2 the file cannot be read."""
        if self.read_error is not None:
            return 2
        return 1 if (self.findings["severity"] == "error").any() else 0


def validation_report(path, sheet=None, profile=None, lang: str = "zh") -> ValidationReport:
    """Load a ledger and gather everything `workbench validate` reports (never raises for data)."""
    from workbench.ingest.load import load_ledger

    check_lang(lang)
    try:
        ledger = load_ledger(path, sheet=sheet, profile=profile, lang=lang)
    except WorkbenchError as exc:
        return ValidationReport(str(path), None, empty_findings(), pd.DataFrame(), [], str(exc))
    extra_columns = list(ledger.extras.attrs.get("unmatched", []))
    return ValidationReport(str(path), ledger, ledger.findings, ledger.reconciliation, extra_columns)


_RECON_COLUMNS = ["sheet", "table", "rows", "title", "unit", "header", "blank", "category",
                  "total", "note", "data", "accepted", "rejected", "skipped"]


def _word(key: str, lang: str, **fields) -> str:
    """A report word or sentence of labels.yaml, placeholders filled."""
    return str(value_label(key, lang)).format(**fields)


def report_text(report: ValidationReport, lang: str = "zh", limit: int = 200) -> str:
    """The report as a readable terminal table."""
    check_lang(lang)
    if report.read_error is not None:
        return f"{_word('validate_read_error', lang)}: {report.read_error}"
    lines = [report.path]
    ledger = report.ledger
    counts = {k: len(v) for k, v in ledger.tables().items()}
    lines.append(_word("validate_loaded", lang, p=counts["projects"], m=counts["progress"],
                       a=counts["approvals"], f=counts["funding"], q=counts["problems"],
                       s=counts["milestones"]))
    f = report.findings
    n_err = int((f["severity"] == "error").sum())
    n_warn = int((f["severity"] == "warning").sum())
    if n_err:
        lines.append(_word("validate_errors", lang, e=n_err, w=n_warn))
    elif n_warn:
        lines.append(_word("validate_clean_warn", lang, w=n_warn))
    else:
        lines.append(_word("validate_ok", lang))
    if len(report.reconciliation):
        lines += ["", _word("validate_recon", lang)]
        rec = report.reconciliation[[c for c in _RECON_COLUMNS if c in report.reconciliation]].copy()
        rec["table"] = rec["table"].map(lambda t: _word(f"table_{t}", lang))
        rec = rec.rename(columns={c: _word(f"recon_{c}", lang) for c in rec.columns})
        lines.append(_table(rec))
    if report.extra_columns:
        lines += ["", _word("validate_extras", lang) + ": " + "、".join(report.extra_columns)]
    if len(f):
        lines += ["", _word("validate_findings", lang)]
        shown = f.head(limit).copy()
        shown["severity"] = shown["severity"].map(lambda v: value_label(v, lang))
        msg = "message_zh" if lang == "zh" else "message_en"
        shown = shown[["severity", "rule", "sheet", "row", "column", "value", msg]].rename(
            columns={msg: "message"})
        shown = shown.rename(columns={c: column_label(c, lang) for c in shown.columns})
        lines.append(_table(shown))
        if len(f) > limit:
            lines.append(_word("validate_more", lang, n=len(f) - limit))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(frame: pd.DataFrame, max_cell: int = 60) -> str:
    cells = [[str(c) for c in frame.columns]]
    for row in frame.itertuples(index=False):
        out = []
        for v in row:
            s = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
            s = s.replace("\n", " ")
            out.append(s if len(s) <= max_cell else s[: max_cell - 1] + "…")
        cells.append(out)
    widths = [max(_width(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report_json(report: ValidationReport) -> str:
    """The report as JSON for scripts."""
    def records(frame: pd.DataFrame) -> list[dict]:
        if frame is None or not len(frame):
            return []
        out = frame.astype(object).where(frame.notna(), None)
        return [{k: (int(v) if isinstance(v, (np.integer,)) else v) for k, v in r.items()}
                for r in out.to_dict("records")]

    payload = {
        "path": report.path,
        "exit_code": report.exit_code,
        "read_error": report.read_error,
        "summary": report.ledger.summary() if report.ledger is not None else None,
        "reconciliation": records(report.reconciliation),
        "extra_columns": report.extra_columns,
        "findings": records(report.findings),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)
