"""The delivery-risk forecast of a county's ledger: each project's probability of its planned
completion moving more than the slip threshold within the horizon, and why.

The packaged prior (public reference classes) gives the probability; when the county's snapshot
store holds enough outcome pairs of its own, the prior is recalibrated on them
(``model.county_update``) and the source says so. Projects without a planned completion, or
already completed, are not forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.words import check_lang, heading, phrase
from workbench.model.ledger import Ledger
from workbench.risk.features import feature_frame
from workbench.risk.model import RiskModel, UpdatedModel, county_update, packaged_prior
from workbench.risk.panel import as_panel, history_counts, outcome_pairs
from workbench.risk.settings import RiskSettings, risk_settings

#: Columns of RiskForecast.table.
TABLE_COLUMNS = ["project_id", "name", "responsible_unit", "planned_completion", "slip_probability",
                 "risk_band", "main_factors"]
#: Columns of RiskForecast.contributions (one row per project and field).
CONTRIBUTION_COLUMNS = ["project_id", "feature", "value", "contribution"]


@dataclass(frozen=True)
class RiskForecast:
    """Per-project slip probabilities (``table``), each field's contribution to the logit
    (``contributions``: base + Σ contributions = logit), and where the model came from."""

    table: pd.DataFrame
    contributions: pd.DataFrame
    base: float
    source: str
    county_pairs: int


def ledger_rows(ledger: Ledger, as_of) -> pd.DataFrame:
    """The ledger's projects as panel rows at `as_of` (the report the forecast speaks for)."""
    p = ledger.projects
    frame = p.reindex(columns=["project_id", "name", "planned_completion", "planned_start",
                               "actual_start", "total_investment", "stage", "expert_rating"])
    return as_panel(frame.assign(snapshot=pd.Timestamp(as_of).normalize(), blank=False))


def store_panel(store=None) -> pd.DataFrame | None:
    """The county's stored snapshots as a report panel (project_key as id), or None without a store."""
    from workbench.history.snapshots import snapshot_panel
    from workbench.history.store import store_path

    if not store_path(store).exists():
        return None
    panel = snapshot_panel("projects", store, columns=["name", "planned_completion", "planned_start",
                                                       "actual_start", "total_investment", "stage",
                                                       "expert_rating"])
    return as_panel(panel.rename(columns={"project_key": "project_id", "as_of": "snapshot"}))


#: Signals only a county's own ledger has (computed by ``review``, which owns months behind):
#: months behind by earned schedule, and 1 when approvals are missing for a start due soon.
LOCAL_SIGNALS = ["months_behind", "approvals_missing_soon"]


def risk_model(panel: pd.DataFrame | None, settings: RiskSettings,
               history_signals: pd.DataFrame | None = None) -> tuple[RiskModel | UpdatedModel, int]:
    """The packaged prior, recalibrated on the store's outcome pairs when there are enough; with
    `history_signals` (project_id = store key, snapshot, LOCAL_SIGNALS) the county-only signals
    get weights of their own in that update."""
    prior = packaged_prior()
    if panel is None or not len(panel):
        return prior, 0
    pairs = outcome_pairs(panel, settings)
    pairs = pairs[pairs["slip"].notna()]
    if len(pairs) < settings.county_min_pairs or pairs["slip"].sum() < settings.county_min_slips:
        return prior, len(pairs)
    x = feature_frame(pairs, settings)
    local = []
    if history_signals is not None and len(history_signals):
        joined = pairs[["project_id", "snapshot"]].merge(history_signals, how="left",
                                                         on=["project_id", "snapshot"])
        for signal in LOCAL_SIGNALS:
            if signal in joined and joined[signal].notna().any():
                x[signal] = joined[signal].astype("float64").to_numpy()
                local.append(signal)
    return county_update(prior, x, pairs["slip"], local=local, c=settings.regularisation_c), len(pairs)


def risk_forecast(ledger: Ledger, as_of, store=None, lang: str = "zh", use_store: bool = True,
                  settings: RiskSettings | None = None, signals: pd.DataFrame | None = None,
                  history_signals: pd.DataFrame | None = None) -> RiskForecast:
    """The forecast for every open project of `ledger` as of a date (see the module docstring);
    `store` the snapshot store whose history gives re-baselines and the county update.
    `signals` (project_id, LOCAL_SIGNALS) are this ledger's county-only signals and
    `history_signals` the same for each stored snapshot (project_id = store key, snapshot):
    they count only once the county update has weighed them on the store's outcomes."""
    lang = check_lang(lang)
    settings = settings or risk_settings()
    rows = ledger_rows(ledger, as_of)
    open_ = rows["planned_completion"].notna() & rows["stage"].ne("建成")
    if "actual_completion" in ledger.projects.columns:
        open_ &= ledger.projects["actual_completion"].isna().to_numpy()
    rows = rows[open_.to_numpy()].reset_index(drop=True)
    panel = store_panel(store) if use_store else None
    if panel is not None and len(panel):
        # re-baselines so far, from the stored history up to as_of, by project id
        past = panel[panel["snapshot"] <= pd.Timestamp(as_of)]
        ids = _ids_in_store(ledger, store) if len(past) else {}
        counts = history_counts(past, settings.slip_days).sort_values("snapshot").groupby("project_id").last()
        keys = rows["project_id"].map(ids).fillna(rows["project_id"])
        rows["rebaselines"] = keys.map(counts["rebaselines"]).fillna(0).to_numpy()
        rows["last_slip"] = keys.map(counts["last_slip"]).fillna(0).to_numpy()
    model, pairs = risk_model(panel, settings, history_signals)
    x = feature_frame(rows, settings)
    for signal in LOCAL_SIGNALS:
        known = signals is not None and signal in signals
        x[signal] = (rows["project_id"].map(signals.set_index("project_id")[signal]).astype("float64")
                     if known else float("nan"))
    parts = model.contributions(x)
    logit = model.logit(x)
    probability = 1.0 / (1.0 + np.exp(-logit))
    base = float((logit - parts.sum(axis=1)).iloc[0]) if len(rows) else float(
        getattr(model, "intercept", 0.0))
    table = pd.DataFrame({
        "project_id": rows["project_id"], "name": rows["name"],
        "responsible_unit": rows["project_id"].map(ledger.projects.set_index("project_id")["responsible_unit"]),
        "planned_completion": rows["planned_completion"], "slip_probability": probability.to_numpy(),
        "risk_band": [settings.band_of(p) for p in probability],
        "main_factors": [_factors(parts.iloc[i], lang) for i in range(len(rows))],
    })[TABLE_COLUMNS].sort_values("slip_probability", ascending=False, kind="stable").reset_index(drop=True)
    long = parts.assign(project_id=rows["project_id"].to_numpy()).melt(
        id_vars="project_id", var_name="feature", value_name="contribution")
    values = x.reindex(columns=parts.columns).assign(project_id=rows["project_id"].to_numpy()).melt(
        id_vars="project_id", var_name="feature", value_name="value")
    long = long.merge(values, on=["project_id", "feature"])[CONTRIBUTION_COLUMNS]
    source = (phrase("risk_source_county", lang, pairs=pairs) if isinstance(model, UpdatedModel)
              else phrase("risk_source_prior", lang))
    return RiskForecast(table, long, base, source, pairs)


def _factors(row: pd.Series, lang: str, top: int = 3) -> str:
    """The fields that move a project's odds most, largest first: "label raises +0.52"."""
    picked = row[row.abs() >= 0.05].abs().sort_values(ascending=False).index[:top]
    words = []
    for f in picked:
        way = phrase("risk_up" if row[f] > 0 else "risk_down", lang)
        words.append(f"{heading(f'f_{f}', lang)}{way}{row[f]:+.2f}" if lang == "zh"
                     else f"{heading(f'f_{f}', lang)} {way} {row[f]:+.2f}")
    return "；".join(words) if lang == "zh" else "; ".join(words)


def _ids_in_store(ledger: Ledger, store) -> dict:
    """The ledger's project ids → their keys in the store (ids themselves when not linked)."""
    from workbench.history.snapshots import snapshot_panel

    panel = snapshot_panel("projects", store, columns=["project_id"])
    return dict(zip(panel["project_id"], panel["project_key"], strict=True))
