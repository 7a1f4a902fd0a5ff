"""The findings collector: validation rules as data (``config/validation.yaml``), findings as rows.

Every check that reads or tests a ledger fills one `Findings` per file; the Ledger keeps the
resulting table (``Ledger.findings``) and the rows with an error finding are the rejected rows.
The rules (severity and the zh/en message of each rule id) and the tolerances live in the YAML
file, so a severity or a wording changes there, not in code.
"""

from __future__ import annotations

import math
import string
from functools import cache

import pandas as pd

from workbench.core.words import config_error
from workbench.core.yamlfile import packaged_yaml
from workbench.model.ledger import FINDING_COLUMNS, empty_findings

#: Placeholders a rule's message may use.
MESSAGE_FIELDS = frozenset({"column", "value", "limit", "extra"})
#: Tolerances the checks read.
TOLERANCES = ("total_abs", "total_rel", "above_total_rel")
_FILE = "validation.yaml"


@cache
def load_rules() -> dict:
    """Rules and tolerances of config/validation.yaml, checked (ConfigError naming the rule)."""
    return check_rules(packaged_yaml(_FILE))


def check_rules(data) -> dict:
    """`data` when it is a valid rule set: each rule has severity error|warning and zh/en
    messages using only {column} {value} {limit} {extra}; every tolerance is a number."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise config_error(_FILE, "rules", "expect_mapping", given=False)
    for rule, spec in data["rules"].items():
        if (not isinstance(spec, dict) or spec.get("severity") not in ("error", "warning")
                or not {"zh", "en"} <= set(spec)):
            raise config_error(_FILE, str(rule), "expect_rule", spec)
        for lang in ("zh", "en"):
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(str(spec[lang])) if name}
            except ValueError as exc:
                raise config_error(_FILE, str(rule), "expect_placeholders",
                                   spec[lang], allowed=_allowed(), reason=exc) from None
            if not names <= MESSAGE_FIELDS:
                raise config_error(_FILE, str(rule), "expect_placeholders",
                                   spec[lang], allowed=_allowed(),
                                   reason=", ".join(sorted(names - MESSAGE_FIELDS)))
    bundles = data.get("bundles")
    if not isinstance(bundles, dict) or bundles.get("count") not in ("parent", "children"):
        raise config_error(_FILE, "bundles.count", "expect_one_of",
                           bundles.get("count") if isinstance(bundles, dict) else None,
                           choices="parent, children")
    tolerance = data.get("tolerance")
    for name in TOLERANCES:
        value = tolerance.get(name) if isinstance(tolerance, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise config_error(_FILE, f"tolerance.{name}", "expect_number_min0", value)
    return data


def _allowed() -> str:
    return ", ".join("{" + n + "}" for n in sorted(MESSAGE_FIELDS))


def rule_severity(rule: str) -> str:
    """'error' or 'warning' for a rule id."""
    return load_rules()["rules"][rule]["severity"]


def _fmt(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
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
