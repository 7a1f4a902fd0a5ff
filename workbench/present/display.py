"""Tables for people: pandas Stylers with Chinese (or English) labels, 亿元, percentages, colours.

Every cell is HTML-escaped: project names and notes come from spreadsheets people typed.

>>> from workbench.present.display import table
>>> table(ledger.projects[["name", "office", "total_investment"]])          # doctest: +SKIP
>>> table(ledger.projects, lang="en", amount_unit="wan")                      # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler

from workbench.core.numbers import is_missing
from workbench.core.vocabulary import BANDS, RAGS
from workbench.core.words import (
    MISSING,
    check_lang,
    column_label,
    error_message,
    value_label,
    word,
    yi,
)
from workbench.exceptions import ParameterError
from workbench.present.theme import BAND_COLOURS, RAG_COLOURS, TEXT_ON

#: Amount columns (万元 in every table); shown in 亿元 (two decimals) unless asked for 万元.
AMOUNT_COLUMNS = frozenset(
    {
        "total_investment",
        "annual_plan",
        "planned",
        "completed",
        "amount",
        "ytd_planned",
        "ytd_completed",
        "cumulative_planned",
        "cumulative_completed",
    }
)
#: Shares kept as fractions (0.42) and shown as percentages (42.0%).
SHARE_COLUMNS = frozenset({"elapsed_share", "completion_share"})
#: Percentage points (ahead of or behind 序时进度), shown signed.
POINT_COLUMNS = frozenset({"points_vs_elapsed"})
#: Percent values already on a 0–100 scale.
PERCENT_COLUMNS = frozenset({"physical_progress"})
#: Ratios shown with two decimals.
RATIO_COLUMNS = frozenset({"spi"})
#: Whole numbers (scores, points, months, counts) shown with at most one decimal.
NUMBER_COLUMNS = frozenset(
    {
        "score",
        "points_lost",
        "policy_fit",
        "definition",
        "approvals",
        "funding",
        "schedule",
        "responsibility",
        "start_slip_months",
        "completion_slip_months",
        "open_problems",
        "rank",
        "total",
    }
)
#: Columns whose values are canonical codes or domain words translated by `labels.value_label`.
VALUE_COLUMNS = frozenset(
    {
        "nature",
        "stage",
        "level",
        "office",
        "batch_kind",
        "item",
        "status",
        "source",
        "severity",
        "band",
        "rag",
        "dimension",
    }
)
#: Month columns show year-month only.
MONTH_COLUMNS = frozenset({"month"})

#: Background and text colours of a cell holding a planning band or a delivery RAG state.
BAND_CELLS = {b: (BAND_COLOURS[b], TEXT_ON[b]) for b in BANDS}
RAG_CELLS = {r: (RAG_COLOURS[r], TEXT_ON[r]) for r in RAGS}

#: The units amounts can be shown in (亿元 or 万元), and the word of each.
UNIT_WORDS = {"yi": "ui_yi", "wan": "ui_wan"}


def check_amount_unit(amount_unit: str) -> str:
    """Return `amount_unit` when amounts can be shown in it, else raise ParameterError."""
    if amount_unit not in UNIT_WORDS:
        raise ParameterError(
            error_message("amount_unit", value=amount_unit, valid=", ".join(UNIT_WORDS)),
            field="amount_unit", value=amount_unit,
        )
    return amount_unit


def header(column: str, lang: str = "zh", amount_unit: str = "yi") -> str:
    """The display header of `column`, with its unit when it is an amount or points."""
    check_amount_unit(amount_unit)
    label = column_label(column, lang)
    if column in AMOUNT_COLUMNS:
        return f"{label}（{word(UNIT_WORDS[amount_unit], lang)}）" if lang == "zh" else (
            f"{label} ({word(UNIT_WORDS[amount_unit], lang)})"
        )
    if column in POINT_COLUMNS:
        return f"{label}（{word('ui_pct_points', lang)}）" if lang == "zh" else (
            f"{label} ({word('ui_pct_points', lang)})"
        )
    return label


def cell_formatter(column: str, dtype, lang: str = "zh", amount_unit: str = "yi") -> Callable:
    """The function that writes one cell of `column` as escaped display text."""
    check_amount_unit(amount_unit)

    def escaped(fn: Callable) -> Callable:
        return lambda v: MISSING if is_missing(v) else html.escape(str(fn(v)))

    if column in AMOUNT_COLUMNS:
        if amount_unit == "wan":
            return escaped(lambda v: f"{float(v):,.0f}")
        return escaped(yi)
    if column in SHARE_COLUMNS:
        return escaped(lambda v: f"{float(v):.1%}")
    if column in POINT_COLUMNS:
        return escaped(lambda v: f"{float(v):+.1f}")
    if column in PERCENT_COLUMNS:
        return escaped(lambda v: f"{float(v):.0f}%")
    if column in RATIO_COLUMNS:
        return escaped(lambda v: f"{float(v):.2f}")
    if column in NUMBER_COLUMNS:
        return escaped(lambda v: f"{float(v):.1f}".removesuffix(".0"))
    if column == "dimension":  # planning dimensions are labelled like the score columns
        return escaped(lambda v: column_label(v, lang))
    if column in VALUE_COLUMNS:
        return escaped(lambda v: value_label(v, lang))
    if column in MONTH_COLUMNS or pd.api.types.is_datetime64_any_dtype(dtype):
        fmt = "%Y-%m" if column in MONTH_COLUMNS else "%Y-%m-%d"
        return escaped(lambda v: pd.Timestamp(v).strftime(fmt))
    if pd.api.types.is_bool_dtype(dtype):
        return escaped(lambda v: word("ui_yes" if v else "ui_no", lang))
    if pd.api.types.is_float_dtype(dtype):
        return escaped(lambda v: f"{float(v):,.2f}")
    return escaped(lambda v: v)


def colour_style(code, colours: dict) -> str:
    """CSS for a cell holding a band or RAG code (empty when the code has no colour)."""
    if is_missing(code) or code not in colours:
        return ""
    background, text = colours[code]
    return f"background-color: {background}; color: {text}; font-weight: 600; text-align: center"


def table(
    frame: pd.DataFrame,
    lang: str = "zh",
    amount_unit: str = "yi",
    caption: str | None = None,
    max_rows: int | None = None,
) -> Styler:
    """`frame` as a Styler: labelled headers, formatted and escaped cells, coloured band/RAG.

    Columns keep their code names in the data (so colouring works on codes); only the shown text
    changes. ``amount_unit`` is ``"yi"`` (亿元, default) or ``"wan"`` (万元).

    >>> table(scores.planning[["project_id", "score", "band"]], lang="en")  # doctest: +SKIP
    """
    check_lang(lang)
    check_amount_unit(amount_unit)
    data = frame if max_rows is None else frame.head(max_rows)
    data = data.reset_index(drop=True)
    styler = data.style.hide(axis="index")
    for column in data.columns:
        styler = styler.format(
            cell_formatter(column, data[column].dtype, lang, amount_unit), subset=[column]
        )
    headers = {c: header(c, lang, amount_unit) for c in data.columns}
    styler = styler.format_index(lambda c: html.escape(headers.get(c, str(c))), axis=1)
    if "band" in data.columns:
        styler = styler.map(lambda v: colour_style(v, BAND_CELLS), subset=["band"])
    if "rag" in data.columns:
        styler = styler.map(lambda v: colour_style(v, RAG_CELLS), subset=["rag"])
    if "name" in data.columns:
        styler = styler.set_properties(subset=["name"], **{"min-width": "14em"})
    if "project_id" in data.columns:
        styler = styler.set_properties(subset=["project_id"], **{"white-space": "nowrap"})
    numeric = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c].dtype)]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    text = [c for c in data.columns if c not in numeric and c not in ("band", "rag")]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    styler = styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: center; white-space: nowrap; padding: 2px 6px"},
            {"selector": "td", "props": "padding: 2px 6px"},
        ],
        overwrite=False,
    )
    if caption is not None:
        styler = styler.set_caption(html.escape(caption))
    return styler


def facts_html(facts: dict, lang: str = "zh", amount_unit: str = "yi") -> str:
    """A two-column label/value HTML table of one record (code names → labels; escaped)."""
    rows = []
    for column, value in facts.items():
        text = cell_formatter(column, pd.Series([value]).dtype, lang, amount_unit)(value)
        colours = {"band": BAND_CELLS, "rag": RAG_CELLS}.get(column)
        style = colour_style(value, colours) if colours else ""
        rows.append(
            f"<tr><th style='text-align:left;padding:2px 8px'>"
            f"{html.escape(header(column, lang, amount_unit))}</th>"
            f"<td style='padding:2px 8px;text-align:left;{style}'>{text}</td></tr>"
        )
    return "<table class='wb-facts'>" + "".join(rows) + "</table>"


def ledger_summary_html(ledger, lang: str = "zh") -> str:
    """The HTML a Ledger shows in Jupyter: counts, totals (亿元, or millions of a foreign
    portfolio's currency), months, findings."""
    s = ledger.summary()
    unit = word("ui_yi", lang)
    title = word("ui_ledger", lang)
    if s["year"] is not None:
        title = f"{s['year']} {title}" if lang == "en" else f"{s['year']}年{title}"
    counts = "".join(
        f"<tr><th style='text-align:left;padding:1px 8px'>{html.escape(word('table_' + name, lang))}"
        f"</th><td style='text-align:right;padding:1px 8px'>{count:,}</td></tr>"
        for name, count in s["counts"].items()
    )
    totals = [
        (column_label("total_investment", lang), s["total_investment_yi"]),
        (column_label("annual_plan", lang), s["annual_plan_yi"]),
        (column_label("completed", lang), s["completed_yi"]),
    ]
    currency = s.get("currency")  # another portfolio's money: millions of it, never 亿元
    total_rows = "".join(
        f"<tr><th style='text-align:left;padding:1px 8px'>{html.escape(label)}</th>"
        f"<td style='text-align:right;padding:1px 8px'>"
        f"{html.escape(f'{currency}{value * 100:,.1f}m' if currency else f'{value:,.2f} {unit}')}</td></tr>"
        for label, value in totals
    )
    months = s["months"] or MISSING
    findings = (
        f"{html.escape(value_label('error', lang))} {s['errors']:,} · "
        f"{html.escape(value_label('warning', lang))} {s['warnings']:,} · "
        f"{html.escape(word('ui_rejected', lang))} {s['rejected_rows']:,}"
    )
    source = (
        f"<div>{html.escape(word('ui_source', lang))}: <code>{html.escape(str(s['source']))}</code></div>"
        if s["source"]
        else ""
    )
    return (
        "<div class='wb-ledger' style='font-size:90%'>"
        f"<div style='font-weight:600;font-size:110%'>{html.escape(title)}</div>"
        f"{source}"
        "<div style='display:flex;gap:2em;align-items:flex-start'>"
        f"<table><caption style='text-align:left'>{html.escape(word('ui_rows', lang))}</caption>"
        f"{counts}</table>"
        f"<table><caption style='text-align:left'>{html.escape(word('ui_totals', lang))}</caption>"
        f"{total_rows}</table>"
        "</div>"
        f"<div>{html.escape(column_label('month', lang))}: {html.escape(months)}</div>"
        f"<div>{html.escape(word('ui_findings', lang))}: {findings}</div>"
        "</div>"
    )
