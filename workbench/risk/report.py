"""The back-test as a Markdown report (the files under docs/ are made by ``workbench backtest``).

Every figure comes from a ``Backtest``; words come from ``config/report.yaml`` (zh, en).
Text read from the data (reasons, names) is escaped for Markdown tables.
"""

from __future__ import annotations

import math

import pandas as pd

from workbench.core.words import check_lang, heading, phrase
from workbench.risk.backtest import COMPARATORS, Backtest
from workbench.risk.model import RiskModel
from workbench.risk.panel import OUTCOMES


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def markdown_table(frame: pd.DataFrame, lang: str = "zh") -> str:
    """`frame` as a Markdown table with headings from the word files."""
    heads = [heading(c, lang) for c in frame.columns]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def auc_table(figures: dict, lang: str = "zh") -> pd.DataFrame:
    """Signal, AUC, 95 % interval and rows, one row per signal."""
    rows = []
    for name in ("model", *COMPARATORS):
        value, low, high, n = figures[name]
        ci = "—" if math.isnan(low) else f"{low:.3f} – {high:.3f}"
        rows.append({"signal": heading(f"sig_{name}", lang), "auc": value, "ci95": ci, "rows_n": n})
    return pd.DataFrame(rows)


def verdict(bt: Backtest, lang: str = "zh") -> str:
    """The pass or fail sentence."""
    point, low, high = bt.difference
    return phrase("bt_pass" if bt.passed else "bt_fail", lang, point=f"{point:+.3f}", low=f"{low:+.3f}",
                  high=f"{high:+.3f}", n=bt.headline["model"][3])


def backtest_markdown(bt: Backtest, command: str, source: str, lang: str = "zh",
                      model: RiskModel | None = None) -> str:
    """The whole report: verdict, headline AUCs, Brier, periods, reliability, outcomes, drops."""
    lang = check_lang(lang)
    s = bt.settings
    periods = bt.periods.rename(columns={"snapshot": "report_date", "base_rate": "period_slip_rate"})
    periods = periods[["report_date", "tested", "train_pairs", "n", "period_slip_rate", "n_outside",
                       "base_rate_outside", "auc_model_outside", "auc_rule_outside", "auc_model_all"]]
    periods = periods.rename(columns={"n": "rows_n"})
    outcomes = bt.outcomes.rename(columns={"snapshot": "report_date", "slip_rate": "period_slip_rate",
                                           **{o: f"out_{o}" for o in OUTCOMES}})
    dropped = bt.dropped.assign(what=[heading(f"why_{w}", lang) for w in bt.dropped["what"]])
    parts = [
        f"# {phrase('bt_title', lang, name=bt.name)}", "",
        f"{phrase('bt_command', lang)}`{command}`", "", f"{source}", "",
        phrase("bt_data", lang), "",
        phrase("bt_definition", lang, horizon=s["horizon_months"], days=s["slip_days"]), "",
        f"## {phrase('bt_h_verdict', lang)}", "", f"**{verdict(bt, lang)}**", "", f"`{bt.pass_line()}`", "",
        f"## {phrase('bt_h_headline', lang)}", "", markdown_table(auc_table(bt.headline, lang), lang), "",
        phrase("bt_brier", lang, model=f"{bt.brier['outside']:.4f}", base=f"{bt.brier['base_rate_outside']:.4f}",
               everywhere=f"{bt.brier['everywhere']:.4f}", exits=f"{bt.without_exits:.3f}"), "",
        f"## {phrase('bt_h_everywhere', lang)}", "", markdown_table(auc_table(bt.everywhere, lang), lang), "",
        f"## {phrase('bt_h_periods', lang)}", "", markdown_table(periods, lang), "",
        f"## {phrase('bt_h_reliability', lang)}", "",
        markdown_table(bt.reliability[["n", "predicted", "observed"]].rename(columns={"n": "rows_n"}), lang), "",
        f"## {phrase('bt_h_outcomes', lang)}", "", markdown_table(outcomes, lang), "",
        f"## {phrase('bt_h_dropped', lang)}", "", markdown_table(dropped, lang), "",
    ]
    if model is not None:
        coef = pd.DataFrame({"signal": [heading(f"f_{f}", lang) for f in model.features],
                             "coef": list(model.coef)})
        parts += [f"## {phrase('bt_h_model', lang)}", "", markdown_table(coef, lang), ""]
    return "\n".join(parts)
