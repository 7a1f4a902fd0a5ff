"""The county's own store as a report panel: outcome pairs from stored snapshots, and the
prior recalibrated on them once there are enough."""

from __future__ import annotations

import dataclasses

import pandas as pd

from tests.small_ledger import small_ledger
from workbench.history import add_snapshot
from workbench.risk import outcome_pairs, risk_forecast, store_panel
from workbench.risk.settings import risk_settings

T = pd.Timestamp


def _stored(tmp_path, moves: dict, drop_last: bool = True):
    """A store of three yearly snapshots of the small ledger; `moves[i]` the days project i's
    completion moves at each later snapshot; the last project leaves in the third."""
    store = tmp_path / "h.duckdb"
    base = small_ledger()
    ids = base.projects["project_id"].tolist()
    for k, when in enumerate(["2021-01-01", "2022-01-01", "2023-01-01"]):
        p = base.projects.copy()
        p["planned_completion"] = [T("2025-06-30") + pd.Timedelta(days=moves.get(i, 0) * k)
                                   for i in range(len(p))]
        ledger = base.replace(projects=p)
        if drop_last and k == 2:
            ledger = ledger.replace(**{name: frame[frame["project_id"] != ids[-1]]
                                       for name, frame in ledger.tables().items()})
        add_snapshot(ledger, store, as_of=when)
    return store, ids


def test_store_snapshots_become_outcome_pairs_with_exits(tmp_path):
    store, ids = _stored(tmp_path, {0: 200})  # the first project slips by 200 days a year
    panel = store_panel(store)
    assert sorted(panel["snapshot"].unique()) == [T("2021-01-01"), T("2022-01-01"), T("2023-01-01")]
    pairs = outcome_pairs(panel)
    first = pairs[pairs["snapshot"] == T("2021-01-01")].set_index("project_id")
    assert first["outcome"].value_counts().to_dict() == {"slip": 1, "held": 4}
    second = pairs[pairs["snapshot"] == T("2022-01-01")]
    assert (second["outcome"] == "exit").sum() == 1  # the project missing in 2023: counted
    assert store_panel(tmp_path / "none.duckdb") is None


def test_enough_county_history_recalibrates_the_prior(tmp_path, monkeypatch):
    import workbench.risk.forecast as forecast

    store, _ = _stored(tmp_path, {0: 200, 1: 150})
    ledger = small_ledger().replace(projects=small_ledger().projects.assign(
        planned_completion=T("2025-06-30")))
    prior_only = risk_forecast(ledger, "2023-01-01", store=store)
    assert prior_only.county_pairs == 10 and "未经本县历史校准" in prior_only.source
    few = dataclasses.replace(risk_settings(), county_min_pairs=5, county_min_slips=1)
    monkeypatch.setattr(forecast, "risk_settings", lambda: few)
    updated = risk_forecast(ledger, "2023-01-01", store=store)
    assert "经本县快照库10个结果对校准" in updated.source
    # each project's contributions still add up to its logit
    for pid, group in updated.contributions.groupby("project_id"):
        p = updated.table.set_index("project_id").loc[pid, "slip_probability"]
        logit = updated.base + group["contribution"].sum()
        assert abs(1 / (1 + pow(2.718281828459045, -logit)) - p) < 1e-6


def test_county_only_signals_get_weights_from_the_store_and_the_review_passes_them(tmp_path, monkeypatch):
    import workbench.risk.forecast as forecast
    from workbench.review.risk_view import county_signals, risk_section, stored_signals

    store, ids = _stored(tmp_path, {0: 200, 1: 150})
    history = stored_signals(store)
    assert set(history.columns) == {"project_id", "months_behind", "approvals_missing_soon", "snapshot"}
    assert len(history) == 5 + 5 + 4
    few = dataclasses.replace(risk_settings(), county_min_pairs=5, county_min_slips=1)
    monkeypatch.setattr(forecast, "risk_settings", lambda: few)
    ledger = small_ledger().replace(projects=small_ledger().projects.assign(
        planned_completion=T("2025-06-30")))
    result = risk_forecast(ledger, "2023-01-01", store=store, signals=county_signals(ledger, "2023-01-01"),
                           history_signals=history.assign(months_behind=[float(i % 3) for i in range(len(history))]))
    assert "months_behind" in set(result.contributions["feature"])
    for pid, group in result.contributions.groupby("project_id"):
        p = result.table.set_index("project_id").loc[pid, "slip_probability"]
        assert abs(1 / (1 + pow(2.718281828459045, -(result.base + group["contribution"].sum()))) - p) < 1e-6
    page = str(risk_section(ledger, "2023-01-01", store=store))
    assert "经本县快照库" in page
