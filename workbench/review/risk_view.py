"""风险预警: the delivery-risk section of the quarterly review (and its rows for a project card).

The probability is the risk forecast's (``workbench.risk``); the planning-quality score takes no
part in it and the section says so.
"""

from __future__ import annotations

import pandas as pd

from workbench.core.words import phrase
from workbench.present.html import Html, esc, html_table
from workbench.review.actions import starts_unready
from workbench.review.pace import schedule_measures

#: How many projects the section lists (highest probability first).
RISK_ROWS = 15


def risk_rows(forecast, lang: str = "zh"):
    """The forecast's table with its band in words (高/中/低)."""
    table = forecast.table.copy()
    table["risk_band"] = [phrase(f"risk_band_{b}", lang) for b in table["risk_band"]]
    return table


def county_signals(ledger, as_of) -> pd.DataFrame:
    """This ledger's county-only risk signals: project_id, months_behind (earned schedule, this
    year's list only), approvals_missing_soon (1 for a start due within the next months whose
    required approvals are not all in effect, else 0)."""
    behind = schedule_measures(ledger, as_of, by="project").set_index("project_id")["months_behind"]
    unready = set(starts_unready(ledger.projects, ledger.approvals, as_of)["project_id"])
    ids = ledger.projects["project_id"]
    return pd.DataFrame({"project_id": ids, "months_behind": ids.map(behind).astype("float64"),
                         "approvals_missing_soon": ids.isin(unready).astype("float64")})


def stored_signals(store) -> pd.DataFrame | None:
    """`county_signals` of every stored snapshot, by store key and snapshot date (None without
    a store): the county update weighs them against what happened next."""
    from workbench.history import list_snapshots, read_snapshot, snapshot_panel
    from workbench.history.store import store_path

    if not store or not store_path(store).exists():
        return None
    keys = snapshot_panel("projects", store, columns=["project_id"])
    frames = []
    listed = list_snapshots(store)
    for sid, when in zip(listed["snapshot_id"], listed["as_of"], strict=True):
        ledger = read_snapshot(int(sid), store)
        key = keys[keys["snapshot_id"] == sid].set_index("project_id")["project_key"]
        signals = county_signals(ledger, when)
        frames.append(signals.assign(project_id=signals["project_id"].map(key).fillna(signals["project_id"]),
                                     snapshot=pd.Timestamp(when).normalize()))
    return pd.concat(frames, ignore_index=True) if frames else None


def risk_section(ledger, as_of, lang: str = "zh", store=None, limit: int = RISK_ROWS) -> Html:
    """The 风险预警 section under its heading: what the probability is (and is not), the projects
    most at risk with their main factors (months behind shown beside them; it and missing
    approvals enter the probability only once the store's history has weighed them), and where
    the model came from. `store` a snapshot store path ("" or None:
    the packaged prior alone)."""
    from workbench.risk.forecast import risk_forecast

    signals = county_signals(ledger, as_of)
    forecast = risk_forecast(ledger, as_of, store=store or None, lang=lang, use_store=bool(store),
                             signals=signals, history_signals=stored_signals(store))
    rows = risk_rows(forecast, lang)
    rows["months_behind"] = rows["project_id"].map(signals.set_index("project_id")["months_behind"])
    return Html("".join([
        f'<p class="wb-note">{esc(phrase("risk_note", lang))}</p>',
        html_table(rows,
                   [("name", "text"), ("responsible_unit", "text"), ("planned_completion", "date"),
                    ("slip_probability", "pct"), ("risk_band", "text"), ("main_factors", "text"),
                    ("months_behind", "score")],
                   lang, empty=phrase("risk_none", lang), limit=limit),
        f'<p class="wb-note">{esc(phrase("risk_calibration", lang, source=forecast.source))}</p>',
    ]))
