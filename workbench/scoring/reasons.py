"""The reasons table: one row per rule that took points from a project, with its messages.

Each message (Chinese and English, templates from the rubric) names the fact behind the lost
points. Messages are formatted once per distinct set of facts, not once per row, and held as
categoricals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import DIMENSIONS
from workbench.core.words import value_label
from workbench.model.ledger import Ledger
from workbench.scoring.losses import Loss
from workbench.scoring.rubric import Rubric

REASON_COLUMNS = ["project_id", "dimension", "rule", "points_lost", "message_zh", "message_en"]


def _points_text(t: int) -> str:
    return f"{t / 10:g}"


def _month_text(key: float, as_of: pd.Timestamp, lang: str) -> str:
    m = int(abs(key)) - 1
    year, month = divmod(m, 12)
    month += 1
    if lang == "zh":
        return f"{month}月" if year == as_of.year else f"{year}年{month}月"
    return pd.Timestamp(year=year, month=month, day=1).strftime("%b %Y")


def _fact_text(name: str, value, lang: str, rubric: Rubric, as_of: pd.Timestamp, rule: str):
    if name in ("level", "nature", "item"):
        return value_label(value, lang)
    if name == "start":
        if value == 0:
            return ""
        clause = rubric.rule("approval_items")[f"start_clause_{lang}"]
        kind = "started" if value < 0 and rule == "approval_items" else "planned"
        return clause[kind].format(date=_month_text(value, as_of, lang))
    if isinstance(value, float | np.floating):
        return f"{value:g}" if name != "pct" else f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def distinct_rows(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, list[dict]]:
    """(code of each row, the distinct rows as dicts) of equal-length numeric columns."""
    first_column = next(iter(columns.values()))
    combined = np.zeros(len(first_column), dtype="int64")
    span = 1
    for values in columns.values():
        codes, uniques = pd.factorize(values) if values.dtype == object else _small_codes(values)
        width = len(uniques) + 1
        if span * width > 2**62:  # keep the mixed-radix key within int64
            combined, kept = pd.factorize(combined)
            span = len(kept) + 1
        combined = combined * width + (codes + 1)  # missing values (code -1) get 0
        span *= width
    codes, _ = pd.factorize(combined)
    first = np.empty(codes.max() + 1 if len(codes) else 0, dtype="int64")
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    rows = [{name: columns[name][i] for name in columns} for i in first]
    return codes, rows


def _small_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of numeric values: arithmetic when they are integers in a small range."""
    v = np.asarray(values)
    if v.dtype.kind in "iu" or (v.dtype.kind == "f" and np.array_equal(v, np.round(v))):
        lo, hi = (v.min(), v.max()) if len(v) else (0, 0)
        if hi - lo < 1_000_000:
            return (v - lo).astype("int64"), np.arange(int(hi - lo) + 1)
    return pd.factorize(v)


def _messages(loss: Loss, rows: np.ndarray, rubric: Rubric, as_of: pd.Timestamp):
    """(codes, texts) per language for the rows of one loss, formatted once per distinct fact set."""
    keys = {"t": loss.tenths[rows]}
    if loss.case is not None:
        keys["case"] = loss.case[rows]
    for name, values in loss.facts.items():
        keys[name] = np.asarray(values)[rows]
    codes, uniques = distinct_rows(keys)
    rule = rubric.rule(loss.rule)
    messages = {}
    memo: dict = {}

    def texts_of(name, value, lang):
        key = (name, value, lang)
        if key not in memo:
            memo[key] = _fact_text(name, value, lang, rubric, as_of, loss.rule)
        return memo[key]

    for lang in ("zh", "en"):
        template = rule[f"message_{lang}"]
        texts = []
        for row in uniques:
            tpl = template[loss.cases[int(row["case"])]] if isinstance(template, dict) else template
            values = {k: (loss.labels[k][int(v)] if k in loss.labels else v)
                      for k, v in row.items() if k not in ("t", "case")}
            values.update(loss.constants)
            facts = {k: texts_of(k, v, lang) for k, v in values.items()}
            texts.append(tpl.format(lost=_points_text(int(row["t"])), **facts))
        messages[lang] = (codes, texts)
    return messages


class _Texts:
    """Distinct message texts collected across rules, each with one global code."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def add(self, codes: np.ndarray, texts: list[str]) -> np.ndarray:
        """Global codes of rows whose local `codes` index `texts`."""
        local = np.array([self.codes.setdefault(t, len(self.codes)) for t in texts], dtype="int64")
        return local[codes]

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        """A Categorical of the given global codes."""
        return pd.Categorical.from_codes(codes, categories=pd.Index(list(self.codes), dtype=object))


def reasons_table(ledger: Ledger, losses: dict[str, list[Loss]], rubric: Rubric,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per rule that took points from a project, with its messages; ordered by project."""
    texts = {"zh": _Texts(), "en": _Texts()}
    rule_names: list[str] = []
    parts = []
    for d in DIMENSIONS:
        for loss in losses[d]:
            rows = np.flatnonzero(loss.tenths > 0)
            if not len(rows):
                continue
            if loss.rule not in rule_names:
                rule_names.append(loss.rule)
            msgs = _messages(loss, rows, rubric, as_of)
            parts.append((rows, loss.tenths[rows], DIMENSIONS.index(d), rule_names.index(loss.rule),
                          texts["zh"].add(*msgs["zh"]), texts["en"].add(*msgs["en"])))
    rows = np.concatenate([x[0] for x in parts]) if parts else np.zeros(0, dtype="int64")
    order = np.argsort(rows, kind="stable")

    def column(i: int) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype="int64")
        if isinstance(parts[0][i], int):
            return np.repeat(np.array([x[i] for x in parts]), [len(x[0]) for x in parts])[order]
        return np.concatenate([x[i] for x in parts])[order]

    ids = ledger.projects["project_id"]
    return pd.DataFrame({
        "project_id": ids.take(rows[order]).reset_index(drop=True),
        "dimension": pd.Categorical.from_codes(column(2), categories=list(DIMENSIONS)),
        "rule": pd.Categorical.from_codes(column(3), categories=pd.Index(rule_names, dtype=object)),
        "points_lost": column(1) / 10.0,
        "message_zh": texts["zh"].categorical(column(4)),
        "message_en": texts["en"].categorical(column(5)),
    })
