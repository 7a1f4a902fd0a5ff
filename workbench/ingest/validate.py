"""The report ``workbench validate`` prints: a ledger's findings, reconciliation and unmatched
columns as a terminal table or JSON, and the exit code (0 clean, 1 errors, 2 unreadable).

The rules and the findings collector are the model's (``workbench.model.findings``): the loader
fills them, this module only reports them."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.words import check_lang, column_label, value_label, word
from workbench.exceptions import WorkbenchError
from workbench.ingest.load import load_ledger
from workbench.ingest.mapping import mapping_display
from workbench.ingest.years import SOURCES
from workbench.model.ledger import Ledger, empty_findings
from workbench.model.plausibility import issue_lines, plausibility_issues


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


def validation_report(path, sheet=None, profile=None, lang: str = "zh",
                      year: int | None = None) -> ValidationReport:
    """Load a ledger (`year` its year when given) and gather everything `workbench validate`
    reports (never raises for data)."""
    check_lang(lang)
    try:
        ledger = load_ledger(path, sheet=sheet, profile=profile, lang=lang, year=year)
    except WorkbenchError as exc:
        return ValidationReport(str(path), None, empty_findings(), pd.DataFrame(), [], str(exc))
    extra_columns = list(ledger.extras.attrs.get("unmatched", []))
    return ValidationReport(str(path), ledger, ledger.findings, ledger.reconciliation, extra_columns)


_RECON_COLUMNS = ["sheet", "table", "rows", "title", "unit", "header", "blank", "category",
                  "total", "note", "data", "accepted", "rejected", "skipped", "filled", "hidden"]


def report_text(report: ValidationReport, lang: str = "zh", limit: int = 200) -> str:
    """The report as a readable terminal table."""
    check_lang(lang)
    if report.read_error is not None:
        return f"{word('validate_read_error', lang)}: {report.read_error}"
    lines = [report.path]
    ledger = report.ledger
    if len(ledger.mapping):  # what was read as what comes first
        lines += [mapping_table_text(ledger.mapping, lang), ""]
    lines.append(year_text(ledger, lang))
    counts = {k: len(v) for k, v in ledger.tables().items()}
    lines.append(word("validate_loaded", lang, p=counts["projects"], m=counts["progress"],
                       a=counts["approvals"], f=counts["funding"], q=counts["problems"],
                       s=counts["milestones"]))
    f = report.findings
    n_err = int((f["severity"] == "error").sum())
    n_warn = int((f["severity"] == "warning").sum())
    if n_err:
        lines.append(word("validate_errors", lang, e=n_err, w=n_warn))
    elif n_warn:
        lines.append(word("validate_clean_warn", lang, w=n_warn))
    else:
        lines.append(word("validate_ok", lang))
    issues = plausibility_issues(ledger)
    if len(issues):
        lines += ["", word("validate_plausibility", lang)]
        lines += [f"  - {line}" for line in issue_lines(issues, lang)]
    if len(report.reconciliation):
        lines += ["", word("validate_recon", lang)]
        rec = report.reconciliation[[c for c in _RECON_COLUMNS if c in report.reconciliation]].copy()
        rec["table"] = rec["table"].map(lambda t: word(f"table_{t}", lang))
        rec = rec.rename(columns={c: word(f"recon_{c}", lang) for c in rec.columns})
        lines.append(_table(rec))
    if report.extra_columns:
        lines += ["", word("validate_extras", lang) + ": " + "、".join(report.extra_columns)]
    if len(f):
        lines += ["", word("validate_findings", lang)]
        shown = f.head(limit).copy()
        shown["severity"] = shown["severity"].map(lambda v: value_label(v, lang))
        msg = "message_zh" if lang == "zh" else "message_en"
        shown = shown[["severity", "rule", "sheet", "row", "column", "value", msg]].rename(
            columns={msg: "message"})
        shown = shown.rename(columns={c: column_label(c, lang) for c in shown.columns})
        lines.append(_table(shown))
        if len(f) > limit:
            lines.append(word("validate_more", lang, n=len(f) - limit))
    return "\n".join(lines)


def mapping_table_text(mapping: pd.DataFrame, lang: str = "zh") -> str:
    """What was read as what, as a terminal table under its heading."""
    return word("validate_mapping", lang) + "\n" + _table(mapping_display(mapping, lang))
def year_text(ledger, lang: str = "zh") -> str:
    """The ledger's year and where it came from: "台账年份：2022（取自标题）"."""
    source = ledger.extras.attrs.get("year_source") if ledger.extras is not None else None
    if source not in SOURCES:
        source = "unknown" if ledger.year is None else "data"
    year = ledger.year if ledger.year is not None else "—"
    return word("year_line", lang, year=year, source=word(f"year_source_{source}", lang))


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
        "year_source": report.ledger.extras.attrs.get("year_source") if report.ledger is not None else None,
        "reconciliation": records(report.reconciliation),
        "extra_columns": report.extra_columns,
        "findings": records(report.findings),
        "mapping": records(report.ledger.mapping) if report.ledger is not None else [],
        "plausibility": records(plausibility_issues(report.ledger))
        if report.ledger is not None else [],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def ledger_summary_text(summary: dict, path: str, lang: str = "zh") -> str:
    """The `workbench load` summary as lines of text in `lang`. Amounts are in 亿元, or, for a
    portfolio read in another currency (``currency``, from its profile), in millions of it."""
    s, zh = summary, lang == "zh"
    lines = [f"{path}: {s['year']} · {s['months'] or '—'}"]
    lines += [f"  {count:>8,}  {word(f'table_{name}', lang)}" for name, count in s["counts"].items()]
    keys = ("total_investment_yi", "annual_plan_yi", "completed_yi")
    if s.get("currency"):  # never 亿元 for £ or $: the amounts are 万 units of that currency
        money = [f"{s['currency']}{s[k] * 100:,.1f}m" for k in keys]
    else:
        money = [f"{s[k]:,.2f} 亿元" for k in keys]
    names = ("总投资", "年度计划", "已完成") if zh else ("total", "annual plan", "completed")
    lines.append("  " + " · ".join(f"{n} {m}" for n, m in zip(names, money, strict=True)))
    if zh:
        if s.get("bundled"):
            lines.append(f"  打捆项目只计一次：{s['bundled']} 行（子项目或打捆行）保留在台账中，未重复计入")
        lines.append(f"  错误 {s['errors']} 条 · 警告 {s['warnings']} 条 · 拒绝 {s['rejected_rows']} 行"
                     "（workbench validate 查看详情）")
    else:
        if s.get("bundled"):
            lines.append(f"  bundled projects (打捆) counted once: {s['bundled']} rows (parts or "
                         "bundle rows) kept in the ledger, not counted again")
        lines.append(f"  {s['errors']} errors · {s['warnings']} warnings · "
                     f"{s['rejected_rows']} rows rejected (details: workbench validate)")
    return "\n".join(lines)
