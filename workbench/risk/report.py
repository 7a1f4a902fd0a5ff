"""The back-test as a report: Markdown (the files under docs/, made by ``workbench backtest``)
and HTML (``notebooks/backtest.ipynb``, published offline by ``publish.backtest_page``).

Both are rendered from one list of parts (`report_parts`), so they say the same thing. Every
figure comes from a ``Backtest``; words come from ``config/report.yaml`` (zh, en). Text read
from the data is escaped (Markdown table cells, HTML).
"""

from __future__ import annotations

import math

import pandas as pd

from workbench.core.words import check_lang, heading, phrase
from workbench.present.html import Html, esc
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
    return str(value)


def markdown_table(frame: pd.DataFrame, lang: str = "zh") -> str:
    """`frame` as a Markdown table with headings from the word files."""
    def md(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")

    heads = [heading(c, lang) for c in frame.columns]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(md(_cell(v)) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def html_frame(frame: pd.DataFrame, lang: str = "zh") -> str:
    """`frame` as an escaped HTML table (the report's own class)."""
    head = "".join(f"<th>{esc(heading(c, lang))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="wb-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


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


def report_parts(bt: Backtest, command: str, source: str, lang: str = "zh",
                 model: RiskModel | None = None) -> list[tuple[str, object]]:
    """The report as (kind, content) parts: "title", "h2", "p", "strong", "code" (text) or
    "table" (a frame): verdict, headline AUCs, Brier, periods, reliability, outcomes, drops."""
    lang = check_lang(lang)
    s = bt.settings
    periods = bt.periods.rename(columns={"snapshot": "report_date", "base_rate": "period_slip_rate",
                                         "n": "rows_n"})
    periods = periods[["report_date", "tested", "train_pairs", "rows_n", "period_slip_rate", "n_outside",
                       "base_rate_outside", "auc_model_outside", "auc_rule_outside", "auc_model_all"]]
    outcomes = bt.outcomes.rename(columns={"snapshot": "report_date", "slip_rate": "period_slip_rate",
                                           **{o: f"out_{o}" for o in OUTCOMES}})
    dropped = bt.dropped.assign(what=[heading(f"why_{w}", lang) for w in bt.dropped["what"]])
    parts = [
        ("title", phrase("bt_title", lang, name=bt.name)),
        ("p", f"{phrase('bt_command', lang)}{command}"), ("p", source), ("p", phrase("bt_data", lang)),
        ("p", phrase("bt_definition", lang, horizon=s["horizon_months"], days=s["slip_days"])),
        ("h2", phrase("bt_h_verdict", lang)), ("strong", verdict(bt, lang)), ("code", bt.pass_line()),
        ("h2", phrase("bt_h_headline", lang)), ("table", auc_table(bt.headline, lang)),
        ("p", phrase("bt_brier", lang, model=f"{bt.brier['outside']:.4f}",
                     base=f"{bt.brier['base_rate_outside']:.4f}", everywhere=f"{bt.brier['everywhere']:.4f}",
                     exits=f"{bt.without_exits:.3f}")),
        ("h2", phrase("bt_h_everywhere", lang)), ("table", auc_table(bt.everywhere, lang)),
        ("h2", phrase("bt_h_periods", lang)), ("table", periods),
        ("h2", phrase("bt_h_reliability", lang)),
        ("table", bt.reliability[["n", "predicted", "observed"]].rename(columns={"n": "rows_n"})),
        ("h2", phrase("bt_h_outcomes", lang)), ("table", outcomes),
        ("h2", phrase("bt_h_dropped", lang)), ("table", dropped),
    ]
    if model is not None:
        coef = pd.DataFrame({"signal": [heading(f"f_{f}", lang) for f in model.features],
                             "coef": list(model.coef)})
        parts += [("h2", phrase("bt_h_model", lang)), ("table", coef)]
    return parts


def backtest_markdown(bt: Backtest, command: str, source: str, lang: str = "zh",
                      model: RiskModel | None = None) -> str:
    """The whole report as Markdown."""
    out = []
    for kind, content in report_parts(bt, command, source, lang, model):
        if kind == "table":
            out.append(markdown_table(content, lang))
        elif kind == "p" and str(content).startswith(phrase("bt_command", lang)):
            out.append(f"{phrase('bt_command', lang)}`{str(content)[len(phrase('bt_command', lang)):]}`")
        else:
            out.append({"title": "# {}", "h2": "## {}", "strong": "**{}**", "code": "`{}`"}.get(
                kind, "{}").format(content))
        out.append("")
    return "\n".join(out)


def backtest_html(bt: Backtest, command: str, source: str, lang: str = "zh",
                  model: RiskModel | None = None) -> Html:
    """The whole report as one escaped HTML fragment (the notebook displays it)."""
    tags = {"title": "h1", "h2": "h2", "p": "p", "strong": "p><strong", "code": "p><code"}
    out = []
    for kind, content in report_parts(bt, command, source, lang, model):
        if kind == "table":
            out.append(html_frame(content, lang))
            continue
        tag = tags[kind]
        close = "".join(f"</{t}>" for t in reversed(tag.split("><")))
        out.append(f"<{tag}>{esc(str(content))}{close}")
    return Html("".join(out))


def reliability_chart(bt: Backtest, lang: str = "zh"):
    """Predicted against observed slip rate outside the zone (altair), with the diagonal a
    calibrated forecast would follow."""
    import altair as alt

    from workbench.present.theme import ACCENT, MUTED, WIDTH, themed

    frame = bt.reliability[["predicted", "observed", "n"]].astype("float64").round(3)
    top = float(max(frame["predicted"].max(), frame["observed"].max(), 0.1)) if len(frame) else 1.0
    diagonal = alt.Chart(pd.DataFrame({"predicted": [0.0, top], "observed": [0.0, top]})).mark_line(
        color=MUTED, strokeDash=[4, 4]).encode(x="predicted:Q", y="observed:Q")
    points = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=70), color=ACCENT).encode(
        x=alt.X("predicted:Q", title=heading("predicted", lang)),
        y=alt.Y("observed:Q", title=heading("observed", lang)), tooltip=["predicted", "observed", "n"])
    chart = (diagonal + points).properties(title=phrase("bt_h_reliability", lang), width=WIDTH * 0.6,
                                           height=300)
    return themed(chart)
