"""风险预警: the delivery-risk section of the quarterly review (and its rows for a project card).

The probability is the risk forecast's (``workbench.risk``); the planning-quality score takes no
part in it and the section says so.
"""

from __future__ import annotations

from workbench.core.words import phrase
from workbench.present.html import Html, esc, html_table

#: How many projects the section lists (highest probability first).
RISK_ROWS = 15


def risk_rows(forecast, lang: str = "zh"):
    """The forecast's table with its band in words (高/中/低)."""
    table = forecast.table.copy()
    table["risk_band"] = [phrase(f"risk_band_{b}", lang) for b in table["risk_band"]]
    return table


def risk_section(ledger, as_of, lang: str = "zh", store=None, limit: int = RISK_ROWS) -> Html:
    """The 风险预警 section under its heading: what the probability is (and is not), the projects
    most at risk with their main factors (months behind shown beside them, not in the
    probability), and where the model came from. `store` a snapshot store path ("" or None:
    the packaged prior alone)."""
    from workbench.review.pace import schedule_measures
    from workbench.risk.forecast import risk_forecast

    forecast = risk_forecast(ledger, as_of, store=store or None, lang=lang, use_store=bool(store))
    rows = risk_rows(forecast, lang)
    behind = schedule_measures(ledger, as_of, by="project")
    rows["months_behind"] = rows["project_id"].map(behind.set_index("project_id")["months_behind"])
    return Html("".join([
        f'<p class="wb-note">{esc(phrase("risk_note", lang))}</p>',
        html_table(rows,
                   [("name", "text"), ("responsible_unit", "text"), ("planned_completion", "date"),
                    ("slip_probability", "pct"), ("risk_band", "text"), ("main_factors", "text"),
                    ("months_behind", "score")],
                   lang, empty=phrase("risk_none", lang), limit=limit),
        f'<p class="wb-note">{esc(phrase("risk_calibration", lang, source=forecast.source))}</p>',
    ]))
