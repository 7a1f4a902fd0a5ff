"""The reconciliation section (notebooks/reconciliation.ipynb): its figures as tables
(`reconciliation_figures`) and their HTML, Chinese by default. Amounts in 亿元; every value from
the data is escaped (``present.html``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core import words as w
from workbench.core.words import column_label, phrase
from workbench.present.html import Html, esc, html_table

ROWS = 30


def _where(label, sheet, row) -> str:
    row = "" if row is None or pd.isna(row) else f"{int(row)}"
    return " · ".join(str(x) for x in (label, sheet, row) if x not in (None, "") and not (
        not isinstance(x, str) and pd.isna(x)))


def reconciliation_figures(merged, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The section's tables: ``sources`` (rows per source and how each ended), ``fields``
    (conflicting projects per field), ``amounts`` (the largest total-investment differences,
    万元), ``review`` (pairs left to a person), ``unique`` (projects in one source only)."""
    acc = merged.accounts
    sources = pd.DataFrame({
        "rc_source": acc["source"],
        "rc_role": [phrase_column(f"rc_role_{r}", lang) for r in acc["role"]], "rc_rows": acc["rows"],
        "rc_linked": acc["linked"], "rc_unique": acc["unique"], "rc_rejected": acc["rejected"],
        "rc_accounted": acc["accounted"].map({True: "✓", False: "✗"})})
    c = merged.conflicts
    per_field = c[["project_id", "field"]].drop_duplicates()["field"].value_counts()
    fields = pd.DataFrame({"rc_field": [column_label(f, lang) for f in per_field.index],
                           "rc_projects": per_field.to_numpy()})
    amounts = c[c["field"] == "total_investment"].assign(value=lambda f: f["value"].astype(float))
    if len(amounts):
        grouped = amounts.groupby("project_id")
        gaps = pd.DataFrame({
            "rc_project": grouped["name"].first(),
            "rc_values": grouped.apply(lambda g: "；".join(
                f"{s}：{w.yi(v)}" for s, v in zip(g["source"], g["value"], strict=True)),
                include_groups=False),
            "rc_low": grouped["value"].min(), "rc_high": grouped["value"].max(),
            "rc_chosen": grouped["chosen_value"].first().astype(float)})
        gaps["rc_gap"] = gaps["rc_high"] - gaps["rc_low"]
        gaps = gaps.sort_values("rc_gap", ascending=False, kind="stable").reset_index(drop=True)
    else:
        gaps = pd.DataFrame(columns=["rc_project", "rc_values", "rc_low", "rc_high", "rc_chosen",
                                     "rc_gap"])
    r = merged.review
    review = pd.DataFrame({
        "rc_probability": r["probability"].to_numpy(),
        "rc_left": [f"{n}（{_where(s, sh, row)}）" for n, s, sh, row in
                    zip(r["name_l"], r["label_l"], r["sheet_l"], r["excel_row_l"], strict=True)],
        "rc_right": [f"{n}（{_where(s, sh, row)}）" for n, s, sh, row in
                     zip(r["name_r"], r["label_r"], r["sheet_r"], r["excel_row_r"], strict=True)],
        "rc_reason": [phrase_column(f"rc_reason_{x}", lang) for x in r["reason"]]})
    u = merged.unique
    unique = pd.DataFrame({
        "rc_source": u["label"].to_numpy(), "rc_name": u["name"].to_numpy(),
        "rc_where": [_where(None, sh, row) for sh, row in zip(u["sheet"], u["excel_row"], strict=True)],
        "total_investment": u["total_investment"].to_numpy()})
    return {"sources": sources, "fields": fields, "amounts": gaps, "review": review,
            "unique": unique}


def phrase_column(key: str, lang: str) -> str:
    """A word kept among report.yaml's columns (the reasons a pair is left to a person)."""
    from workbench.core.words import heading

    return heading(key, lang)


def title_block(merged, lang: str = "zh") -> Html:
    """The title and what was merged."""
    acc = merged.accounts
    s = merged.settings
    sub = phrase("rc_subtitle", lang, master=acc["source"].iat[0], sources=len(acc),
                 rows=w.count(int(acc["rows"].sum())), link=f"{s.link:.2f}", review=f"{s.review:.2f}")
    parts = [f"<h1>{esc(phrase('rc_title', lang))}</h1>", f'<p class="wb-subtitle">{esc(sub)}</p>']
    if bool(acc["accounted"].all()):
        parts.append(f'<p class="wb-note">{esc(phrase("rc_accounted_yes", lang))}</p>')
    return Html("".join(parts))


def headline_cards(merged, lang: str = "zh") -> Html:
    """Projects merged, linked, pairs to review, conflicts, rows in one source, rows rejected."""
    linked = int((merged.records.groupby("project").size() > 1).sum())
    conflicts = len(merged.conflicts[["project_id", "field"]].drop_duplicates())
    cards = [("k_rc_projects", len(merged.ledger.projects), ""), ("k_rc_linked", linked, ""),
             ("k_rc_review", len(merged.review), "wb-behind" if len(merged.review) else ""),
             ("k_rc_conflicts", conflicts, "wb-behind" if conflicts else ""),
             ("k_rc_unique", len(merged.unique), ""),
             ("k_rc_rejected", len(merged.rejected), "wb-behind" if len(merged.rejected) else "")]
    html_cards = "".join(
        f'<div class="wb-kpi"><div class="wb-kpi-value {cls}">{esc(w.count(value))}</div>'
        f'<div class="wb-kpi-label">{esc(phrase(key, lang))}</div></div>'
        for key, value, cls in cards)
    return Html(f'<div class="wb-kpis">{html_cards}</div>')


def section_html(merged, key: str, lang: str = "zh") -> Html:
    """One section of the page: "sources", "fields", "amounts", "review" or "unique"."""
    figures = reconciliation_figures(merged, lang)
    heading = {"sources": "h_rc_sources", "fields": "h_rc_conflicts", "amounts": "h_rc_amounts",
               "review": "h_rc_review", "unique": "h_rc_unique"}[key]
    columns = {
        "sources": [("rc_source", "text"), ("rc_role", "text"), ("rc_rows", "count"),
                    ("rc_linked", "count"), ("rc_unique", "count"), ("rc_rejected", "count"),
                    ("rc_accounted", "text")],
        "fields": [("rc_field", "text"), ("rc_projects", "count")],
        "amounts": [("rc_project", "text"), ("rc_values", "text"), ("rc_chosen", "yi"),
                    ("rc_gap", "yi")],
        "review": [("rc_probability", "text"), ("rc_left", "text"), ("rc_right", "text"),
                   ("rc_reason", "text")],
        "unique": [("rc_source", "text"), ("rc_name", "text"), ("rc_where", "text"),
                   ("total_investment", "yi")],
    }[key]
    frame = figures[key]
    if key == "review":
        frame = frame.assign(rc_probability=np.round(frame["rc_probability"], 3).astype(str))
    note = (f'<p class="wb-note">{esc(phrase("rc_amounts_note", lang))}</p>'
            if key == "amounts" else "")
    table = html_table(frame, columns, lang, limit=ROWS)
    return Html(f"<h2>{esc(phrase(heading, lang))}</h2>{note}{table}")

