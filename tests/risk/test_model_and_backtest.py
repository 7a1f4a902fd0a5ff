"""The model is readable term by term, and the back-test is honest: out of time, with the pass
line failing when the model's inputs carry no signal."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError
from workbench.risk.backtest import run_backtest
from workbench.risk.features import FEATURES, PRIOR_FEATURES, feature_frame
from workbench.risk.model import county_update, fit_model, model_from_dict, packaged_prior
from workbench.risk.panel import PAIR_COLUMNS, PANEL_COLUMNS
from workbench.risk.settings import check_settings, risk_settings

FAST = dataclasses.replace(risk_settings(), bootstrap=200, min_train_pairs=50, min_train_slips=5)


def synthetic_pairs(seed: int = 1, years: int = 7, projects: int = 160, signal: float = 2.5) -> pd.DataFrame:
    """Yearly reports of a portfolio whose projects in preparation (前期) slip more often (by
    `signal` on the log-odds), and whose planned completions lie 1.5–8 years ahead, outside the
    due-before-next zone, with no bearing on slipping: the time-to-end rule has nothing to find."""
    rng = np.random.default_rng(seed)
    rows = []
    for y in range(years):
        t = pd.Timestamp(2010 + y, 1, 1)
        early = rng.random(projects) < 0.4
        p = 1 / (1 + np.exp(-(-2.0 + signal * early)))
        slip = (rng.random(projects) < p).astype(float)
        for i in range(projects):
            rows.append({
                "project_id": f"P{y}-{i}", "snapshot": t, "name": f"P{y}-{i}",
                "planned_completion": t + pd.Timedelta(days=int(rng.uniform(1.5, 8) * 365)),
                "planned_start": t - pd.Timedelta(days=400), "actual_start": pd.NaT,
                "total_investment": float(rng.uniform(1, 100)), "stage": "前期" if early[i] else "在建",
                "expert_rating": None, "blank": False, "next_report": pd.Timestamp(2011 + y, 1, 1),
                "outcome": "slip" if slip[i] else "held", "slip": slip[i], "days_moved": 0.0,
                "rebaselines": 0, "last_slip": 0, "reason": "",
            })
    frame = pd.DataFrame(rows)
    for c in ("snapshot", "planned_completion", "planned_start", "actual_start", "next_report"):
        frame[c] = frame[c].astype("datetime64[us]")
    return frame[[*PANEL_COLUMNS, *PAIR_COLUMNS]]


def test_contributions_add_up_to_the_logit_and_unknowns_add_nothing():
    pairs = synthetic_pairs()
    x = feature_frame(pairs, FAST)
    model = fit_model(x, pairs["slip"])
    parts = model.contributions(x)
    assert list(parts.columns) == FEATURES
    assert np.allclose(model.intercept + parts.sum(axis=1), model.logit(x))
    assert np.allclose(1 / (1 + np.exp(-model.logit(x))), model.probability(x))
    unknown = x.iloc[[0]].assign(size_rank=np.nan)
    assert model.contributions(unknown)["size_rank"].iat[0] == 0.0
    again = model_from_dict(model.as_dict())
    assert np.allclose(again.logit(x), model.logit(x), atol=1e-4)
    # the county update is readable the same way: a + b·prior terms + local terms = its logit
    county = x.assign(months_behind=np.random.default_rng(2).normal(size=len(x)))
    updated = county_update(model, county, pairs["slip"], local=["months_behind"])
    u_parts = updated.contributions(county)
    assert "months_behind" in u_parts.columns
    assert np.allclose(updated.a + updated.b * model.intercept + u_parts.sum(axis=1), updated.logit(county))


def test_the_packaged_prior_uses_only_fields_a_county_ledger_has():
    prior = packaged_prior()
    assert list(prior.features) == PRIOR_FEATURES
    assert "rating" not in prior.features and prior.fitted_on["rows"] > 1000
    with pytest.raises(ConfigError, match="不是已拟合的风险模型"):
        model_from_dict({"features": {"x": {"mean": 0}}, "intercept": 0})


def test_a_real_signal_passes_and_the_report_has_every_part():
    result = run_backtest(synthetic_pairs(), "synthetic", FAST)
    assert result.passed and result.pass_line().startswith("PASS synthetic")
    assert result.headline["model"][0] > 0.7 and abs(result.headline["time_to_end_rule"][0] - 0.5) < 0.1
    periods = result.periods
    assert not periods["tested"].iloc[0]  # the first year has no known outcome before it
    assert periods.loc[periods["tested"], "train_pairs"].is_monotonic_increasing
    # out of time: the first tested year is fitted on the one year whose outcome was known
    assert periods.loc[periods["tested"], "train_pairs"].iat[0] == 160
    assert set(result.headline) == {"model", "time_to_end_rule", "expert_rating", "prior_slip", "planning_score"}
    assert {"n", "predicted", "observed"} <= set(result.reliability.columns)
    assert 0 < result.brier["outside"] < result.brier["base_rate_outside"]


def test_noise_fails_the_pass_line():
    pairs = synthetic_pairs(signal=0.0, seed=3)  # slipping depends on nothing
    result = run_backtest(pairs, "noise", FAST)
    assert not result.passed and result.pass_line().startswith("FAIL noise")
    real = synthetic_pairs(seed=4)
    noise = pd.DataFrame(np.random.default_rng(5).normal(size=(len(real), 3)), columns=["a", "b", "c"])
    noise["years_to_end"] = feature_frame(real, FAST)["years_to_end"]
    noise["due_before_next"] = 0.0
    noise["rating"] = np.nan
    noise["last_slip"] = 0.0
    result = run_backtest(real, "noise inputs", FAST, features=noise)  # the stage is hidden
    assert not result.passed


def test_settings_are_checked_when_read():
    data = dict(packaged_yaml("risk.yaml"))
    assert check_settings(data).slip_days == 90
    with pytest.raises(ConfigError, match="slip_days"):
        check_settings({**data, "slip_days": -1})
    with pytest.raises(ConfigError, match="bands"):
        check_settings({**data, "bands": {"high": 0.1, "medium": 0.3}})
    assert risk_settings().rating_of("Amber/red") == 3 and np.isnan(risk_settings().rating_of("Exempt"))
