"""The forecast's inputs: fields any ledger has, computed for a project's report at t.

Each is a plain number with a stated meaning, so a project's contribution can be read:

- ``years_to_end``: years from t to the planned completion (−1 … 10);
- ``due_before_next``: 1 when the planned completion falls before the next report (t + horizon);
- ``stage_early``: 1 in planning or preparation (谋划 / 前期); ``stage_closing``: 1 when built (建成);
- ``size_rank``: the project's total investment as a percentile of its report (0 … 1), so
  portfolios in different currencies compare;
- ``rebaselines``: how many times so far its completion moved by more than the slip threshold
  (log 1 + n); ``last_slip``: 1 when the last report moved it so;
- ``years_since_start``: years since the actual (else planned) start (0 … 20);
- ``rating``: the expert rating of delivery confidence (0 most confident … 4 least) and
  ``rating_missing`` (1 when there is none or it is withheld).

An unknown value is filled with the training mean, so it adds nothing to a project's logit.
Months behind and approvals missing for a start due soon exist only in a county's own ledger;
``ledger_signals`` computes them and the county update (``model.county_update``) weighs them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.risk.settings import RiskSettings, risk_settings

FEATURES = ["years_to_end", "due_before_next", "stage_early", "stage_closing", "size_rank",
            "rebaselines", "last_slip", "years_since_start", "rating", "rating_missing"]

#: The packaged prior's fields: those every county ledger has. The expert rating is left out:
#: county ledgers carry none, and in the pooled reference data "no rating" only marks which
#: portfolio a row came from (NYC's higher base rate), which would read as a risk factor.
PRIOR_FEATURES = [f for f in FEATURES if f not in ("rating", "rating_missing")]

_YEAR = 365.25


def feature_frame(rows: pd.DataFrame, settings: RiskSettings | None = None) -> pd.DataFrame:
    """FEATURES for each row of a panel or pairs table (needs the panel's columns at t, and
    ``rebaselines``/``last_slip`` when known; 0 otherwise). Same index as `rows`."""
    settings = settings or risk_settings()
    t = rows["snapshot"]
    horizon = t + pd.DateOffset(months=settings.horizon_months)
    end = rows["planned_completion"]
    started = rows["actual_start"].fillna(rows["planned_start"])
    rating = rows["expert_rating"].map(settings.rating_of).astype("float64")
    ranks = rows.groupby("snapshot")["total_investment"].rank(pct=True)
    out = pd.DataFrame({
        "years_to_end": ((end - t).dt.days / _YEAR).clip(-1, 10),
        "due_before_next": (end <= horizon).astype("float64").where(end.notna()),
        "stage_early": rows["stage"].isin(["谋划", "前期"]).astype("float64"),
        "stage_closing": rows["stage"].eq("建成").astype("float64"),
        "size_rank": ranks.astype("float64"),
        "rebaselines": np.log1p(_counts(rows, "rebaselines")),
        "last_slip": _counts(rows, "last_slip"),
        "years_since_start": ((t - started).dt.days / _YEAR).clip(0, 20),
        "rating": rating,
        "rating_missing": rating.isna().astype("float64"),
    }, index=rows.index)
    return out[FEATURES]


def _counts(rows: pd.DataFrame, column: str) -> pd.Series:
    if column not in rows.columns:
        return pd.Series(0.0, index=rows.index)
    return pd.to_numeric(rows[column], errors="coerce").fillna(0).astype("float64")


def time_to_end_rule(features: pd.DataFrame) -> pd.Series:
    """The obvious rule as a score (higher = more at risk): the sooner the planned end, the higher."""
    return -features["years_to_end"]
