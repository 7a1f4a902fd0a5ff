"""The packaged prior: one logistic model fitted on every outcome pair of the public reference
portfolios (all report dates) on the fields every county ledger has (``PRIOR_FEATURES``),
written with the command that produced it."""

from __future__ import annotations

import pandas as pd

from workbench.risk.features import PRIOR_FEATURES, feature_frame
from workbench.risk.model import RiskModel, fit_model
from workbench.risk.reference import reference_pairs
from workbench.risk.settings import RiskSettings, risk_settings


def fit_prior(portfolios: list[tuple[str, str]], settings: RiskSettings | None = None) -> RiskModel:
    """The prior fitted on the pooled pairs of `portfolios` ((path, profile) each)."""
    settings = settings or risk_settings()
    parts = []
    for path, profile in portfolios:
        pairs = reference_pairs(path, profile, settings, planning=False)
        parts.append(pairs[pairs["slip"].notna()])
    pairs = pd.concat(parts, ignore_index=True)
    return fit_model(feature_frame(pairs, settings)[PRIOR_FEATURES], pairs["slip"], c=settings.regularisation_c,
                     fitted_on={"portfolios": [str(profile) for _, profile in portfolios],
                                "horizon_months": settings.horizon_months,
                                "slip_days": settings.slip_days})
