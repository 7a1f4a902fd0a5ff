"""A small logistic model of slipping, readable term by term.

logit(p) = base + Σ contribution_f, with contribution_f = coef_f × (x_f − mean_f) / scale_f:
a project's contributions say how far each of its fields moves its odds away from the average
project of the data the model was fitted on (an unknown value is the average and adds nothing).
Fitted by scikit-learn's L2-regularised logistic regression on standardised inputs.

The packaged prior (``config/risk_prior.yaml``) was fitted on the public reference classes;
``county_update`` recalibrates it on a county's own outcome pairs when its store holds enough:
logit = a + b × prior logit + Σ c_j z_j over the county-only signals (months behind, approvals
missing for a start due soon), each again a readable contribution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from workbench.core.words import config_error, error_message
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError, ParameterError


@dataclass(frozen=True)
class RiskModel:
    """Coefficients of a fitted model on named features (inputs standardised by mean/scale)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    fitted_on: dict = field(default_factory=dict)  # what it was fitted on: rows, slips, sources

    def filled(self, x: pd.DataFrame) -> pd.DataFrame:
        """`x`'s features with unknown values set to the mean (they add nothing)."""
        missing = [f for f in self.features if f not in x.columns]
        if missing:
            raise ParameterError(error_message("risk_features_missing", value=", ".join(missing)),
                                 field="features", value=missing[0])
        frame = x[list(self.features)].astype("float64")
        return frame.fillna(pd.Series(self.mean, index=list(self.features)))

    def contributions(self, x: pd.DataFrame) -> pd.DataFrame:
        """Each row's contribution of each feature to its logit (same index as `x`)."""
        z = (self.filled(x) - np.asarray(self.mean)) / np.asarray(self.scale)
        return z * np.asarray(self.coef)

    def logit(self, x: pd.DataFrame) -> pd.Series:
        """The log-odds of slipping: the intercept plus the contributions."""
        return self.intercept + self.contributions(x).sum(axis=1)

    def probability(self, x: pd.DataFrame) -> pd.Series:
        """The probability of slipping within the horizon."""
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def as_dict(self) -> dict:
        return {"features": {f: {"mean": round(m, 6), "scale": round(s, 6), "coef": round(c, 6)}
                             for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef,
                                                   strict=True)},
                "intercept": round(self.intercept, 6), "fitted_on": self.fitted_on}


def fit_model(x: pd.DataFrame, y, c: float = 1.0, fitted_on: dict | None = None) -> RiskModel:
    """A RiskModel fitted on features `x` (unknowns at the mean) and outcomes `y` (1 slipped)."""
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y, dtype="float64")
    if len(np.unique(y)) < 2:
        raise ParameterError(error_message("risk_one_outcome"),
                             field="y", value=str(int(y.sum()) if len(y) else 0))
    mean = x.mean().fillna(0.0)
    frame = x.astype("float64").fillna(mean)
    scale = frame.std(ddof=0).replace(0.0, 1.0).fillna(1.0)
    z = (frame - mean) / scale
    fitted = LogisticRegression(C=c, max_iter=1000).fit(z.to_numpy(), y.astype(int))
    return RiskModel(tuple(x.columns), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                     tuple(float(v) for v in fitted.coef_[0]), float(fitted.intercept_[0]),
                     dict(fitted_on or {}, rows=len(y), slips=int(y.sum())))


def model_from_dict(data, where: str = "<dict>") -> RiskModel:
    """A RiskModel from its ``as_dict`` form; ConfigError naming what is wrong."""
    try:
        features = data["features"]
        names = tuple(features)
        mean = tuple(float(features[f]["mean"]) for f in names)
        scale = tuple(float(features[f]["scale"]) for f in names)
        coef = tuple(float(features[f]["coef"]) for f in names)
        intercept = float(data["intercept"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(error_message("risk_not_a_model", file=where, reason=repr(exc)),
                          file=where) from None
    if any(s <= 0 for s in scale):
        raise config_error(where, "scale", "expect_positive", [s for s in scale if s <= 0][0])
    return RiskModel(names, mean, scale, coef, intercept, dict(data.get("fitted_on") or {}))


PRIOR_FILE = "config/risk_prior.yaml"


@cache
def packaged_prior() -> RiskModel:
    """The prior fitted on the public reference classes (``config/risk_prior.yaml``)."""
    text = resources.files("workbench").joinpath(PRIOR_FILE).read_text("utf-8")
    return model_from_dict(strict_yaml(text), PRIOR_FILE)


def prior_yaml(model: RiskModel, command: str) -> str:
    """The text of a prior file: a header naming the command that produced it, then the model."""
    head = (f"# Delivery-risk prior, fitted on public reference classes ({dt.date.today():%Y-%m-%d}).\n"
            f"# Produced by: {command}\n# Do not edit by hand: run the command again.\n")
    return head + yaml.safe_dump(model.as_dict(), allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class UpdatedModel:
    """The prior recalibrated on a county's own outcomes: a + b × prior logit + Σ c_j z_j."""

    prior: RiskModel
    a: float
    b: float
    local: RiskModel | None  # the county-only signals' coefficients (intercept unused), or None

    def contributions(self, x: pd.DataFrame) -> pd.DataFrame:
        parts = self.b * self.prior.contributions(x)
        if self.local is not None:
            parts = parts.join(self.local.contributions(x))
        return parts

    def logit(self, x: pd.DataFrame) -> pd.Series:
        return self.a + self.b * self.prior.intercept + self.contributions(x).sum(axis=1)

    def probability(self, x: pd.DataFrame) -> pd.Series:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


def county_update(prior: RiskModel, x: pd.DataFrame, y, local: list[str], c: float = 1.0) -> UpdatedModel:
    """`prior` recalibrated on a county's outcome pairs `x`/`y`, with its `local` signals."""
    prior_logit = prior.logit(x).rename("prior_logit")
    frame = pd.concat([prior_logit, x[local]], axis=1) if local else prior_logit.to_frame()
    fitted = fit_model(frame, y, c=c, fitted_on={"source": "county store"})
    b = fitted.coef[0] / fitted.scale[0]
    a = fitted.intercept - b * fitted.mean[0]
    if not local:
        return UpdatedModel(prior, a, b, None)
    rest = RiskModel(tuple(local), fitted.mean[1:], fitted.scale[1:], fitted.coef[1:], 0.0,
                     fitted.fitted_on)
    return UpdatedModel(prior, a, b, rest)
