"""Which projects will slip: a delivery-risk forecast, and the honest back-test behind it.

Other modules rely on this for `risk_forecast` (each open project's probability that its planned
completion moves more than 90 days within a year, with every field's contribution, like the
planning score's reasons), the report panel and its outcome pairs (`outcome_pairs`,
`reported_at`, `store_panel`; exits counted, never dropped), the back-test (`reference_pairs`,
`run_backtest`, `backtest_markdown`, `backtest_html`, `reliability_chart`) and the model (`fit_model`, `packaged_prior`). The planning
score is never an input: it measures how complete planning fields are, not delivery risk.
It may import ``core``, ``present``, ``model``, ``ingest``, ``scoring`` and ``history``.

Inside, each module imports only modules further down this list: ``report`` → ``forecast`` →
``reference`` → ``backtest`` → ``metrics`` → ``model`` → ``features`` → ``panel`` → ``settings``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "risk_forecast": "workbench.risk.forecast",
    "RiskForecast": "workbench.risk.forecast",
    "store_panel": "workbench.risk.forecast",
    "reference_pairs": "workbench.risk.reference",
    "run_backtest": "workbench.risk.backtest",
    "Backtest": "workbench.risk.backtest",
    "backtest_markdown": "workbench.risk.report",
    "backtest_html": "workbench.risk.report",
    "reliability_chart": "workbench.risk.report",
    "fit_model": "workbench.risk.model",
    "packaged_prior": "workbench.risk.model",
    "RiskModel": "workbench.risk.model",
    "outcome_pairs": "workbench.risk.panel",
    "outcome_counts": "workbench.risk.panel",
    "reported_at": "workbench.risk.panel",
    "as_panel": "workbench.risk.panel",
    "feature_frame": "workbench.risk.features",
    "FEATURES": "workbench.risk.features",
    "risk_settings": "workbench.risk.settings",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
