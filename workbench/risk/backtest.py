"""The honest back-test: out of time, against the obvious rule, the experts and the planning score.

For each report date t, a model is fitted only on outcome pairs whose later report was
published by t (their outcome was known), and scores the projects reported at t. Dates with
too few known outcomes before them are not tested (and listed). The test rows of all dates are
pooled; the headline figures use only rows outside the due-before-next-report zone (a planned
completion after the next report), where a slip is not a mechanical consequence of the date.

Beside the model, on the same rows: the time-to-end rule (−years to planned completion), the
expert rating, the prior slip (the last report moved the completion) and, when given, the
planning-quality score (lower score = riskier). The pass line: the model's AUC minus the rule's,
outside the zone, with its project-clustered 95 % interval above 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.words import error_message
from workbench.risk.features import FEATURES, feature_frame, time_to_end_rule
from workbench.risk.metrics import (
    auc,
    auc_interval,
    brier,
    cluster_draws,
    paired_difference,
    reliability,
)
from workbench.risk.model import fit_model
from workbench.risk.panel import outcome_counts
from workbench.risk.settings import RiskSettings, risk_settings

#: The scores compared with the model, by name: how each is read from the test rows.
COMPARATORS = ("time_to_end_rule", "expert_rating", "prior_slip", "planning_score")


@dataclass
class Backtest:
    """Everything the back-test measured (tables are pandas frames; figures are floats)."""

    name: str
    rows: pd.DataFrame                 # test rows: pairs, features, probability and comparators
    periods: pd.DataFrame              # per report date: n, base rate, AUCs, tested or why not
    outcomes: pd.DataFrame             # per report date: pairs by outcome (exits counted)
    dropped: pd.DataFrame              # what could not be scored, by reason, with its slip rate
    headline: dict                     # name → (auc, low, high, n) outside the zone
    everywhere: dict                   # the same on all test rows (zone included)
    difference: tuple                  # model − rule outside the zone: (point, low, high)
    brier: dict                        # model's Brier score outside the zone and everywhere
    reliability: pd.DataFrame          # outside the zone
    without_exits: float               # model AUC outside the zone, exits left out
    settings: dict = field(default_factory=dict)
    model: object = None               # the last date's model (fitted on every outcome known then)

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.difference[1]) and self.difference[1] > 0)

    def pass_line(self) -> str:
        point, low, high = self.difference
        verdict = "PASS" if self.passed else "FAIL"
        return (f"{verdict} {self.name}: model AUC − time-to-end rule AUC outside the due-before-next "
                f"zone = {point:+.3f} [95% CI {low:+.3f}, {high:+.3f}], n = "
                f"{self.headline['model'][3]} (pass needs the interval above 0)")


def comparator_scores(rows: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """The comparators as risk scores (higher = more at risk), NaN where a score is unknown."""
    planning = rows["planning_score"] if "planning_score" in rows.columns else pd.Series(np.nan, index=rows.index)
    return pd.DataFrame({
        "time_to_end_rule": time_to_end_rule(features),
        "expert_rating": features["rating"],
        "prior_slip": features["last_slip"].astype("float64"),
        "planning_score": -pd.to_numeric(planning, errors="coerce"),
    }, index=rows.index)


def run_backtest(pairs: pd.DataFrame, name: str, settings: RiskSettings | None = None,
                 features: pd.DataFrame | None = None) -> Backtest:
    """The back-test of outcome `pairs` (``panel.outcome_pairs``, optionally with a
    ``planning_score`` column); `features` replaces the model's inputs (tests use noise)."""
    settings = settings or risk_settings()
    features = feature_frame(pairs, settings) if features is None else features
    scored = pairs["slip"].notna()
    test_parts, periods, model = [], [], None
    for t in sorted(pairs.loc[scored, "snapshot"].unique()):
        known = scored & (pairs["next_report"] <= t)
        at_t = scored & (pairs["snapshot"] == t)
        slips = int(pairs.loc[known, "slip"].sum())
        row = {"snapshot": pd.Timestamp(t), "train_pairs": int(known.sum()), "train_slips": slips,
               "n": int(at_t.sum()), "base_rate": float(pairs.loc[at_t, "slip"].mean())}
        if known.sum() < settings.min_train_pairs or slips < settings.min_train_slips:
            periods.append(row | {"tested": False, "why": "too few known outcomes before this date"})
            continue
        model = fit_model(features.loc[known], pairs.loc[known, "slip"], c=settings.regularisation_c)
        chunk = pairs.loc[at_t].assign(probability=model.probability(features.loc[at_t]).to_numpy())
        test_parts.append(chunk)
        periods.append(row | {"tested": True, "why": ""})
    if not test_parts:
        raise_too_short(name, settings)
    rows = pd.concat(test_parts)
    rows = rows.join(features.loc[rows.index].add_prefix("f_"))
    own = features.loc[rows.index]
    rows = rows.join(comparator_scores(rows, own).add_prefix("score_"))
    outside = rows[own["due_before_next"].eq(0)]
    draws = cluster_draws(outside["project_id"], settings.bootstrap, settings.seed)
    names = {"model": outside["probability"], **{c: outside[f"score_{c}"] for c in COMPARATORS}}
    headline = auc_interval(outside["slip"], names, outside["project_id"], draws)
    all_draws = cluster_draws(rows["project_id"], settings.bootstrap, settings.seed)
    everywhere = auc_interval(rows["slip"], {"model": rows["probability"],
                                              **{c: rows[f"score_{c}"] for c in COMPARATORS}},
                              rows["project_id"], all_draws)
    difference = paired_difference(outside["slip"], outside["probability"],
                                   outside["score_time_to_end_rule"], draws)
    stayed = outside[outside["outcome"] != "exit"]
    period_table = _period_table(pd.DataFrame(periods), rows, own)
    return Backtest(
        name=name, rows=rows, periods=period_table, outcomes=outcome_counts(pairs),
        dropped=dropped_table(pairs), headline=headline, everywhere=everywhere, difference=difference,
        brier={"outside": brier(outside["slip"], outside["probability"]),
               "everywhere": brier(rows["slip"], rows["probability"]),
               "base_rate_outside": brier(outside["slip"], np.full(len(outside), outside["slip"].mean()))},
        reliability=reliability(outside["slip"], outside["probability"], settings.reliability_bins),
        without_exits=auc(stayed["slip"], stayed["probability"]),
        settings={"horizon_months": settings.horizon_months, "slip_days": settings.slip_days,
                  "min_train_pairs": settings.min_train_pairs, "bootstrap": settings.bootstrap,
                  "regularisation_c": settings.regularisation_c, "features": list(features.columns)},
        model=model)


def raise_too_short(name: str, settings: RiskSettings):
    from workbench.exceptions import LedgerDataError

    raise LedgerDataError(
        error_message("backtest_too_short", name=name, pairs=settings.min_train_pairs,
                      slips=settings.min_train_slips),
        field="min_train_pairs", value=str(settings.min_train_pairs))


def _period_table(periods: pd.DataFrame, rows: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """Per report date: tested or why not, n, base rate, and (outside the zone) n, base rate,
    model and rule AUC."""
    extra = []
    for t in periods["snapshot"]:
        at = rows["snapshot"] == t
        out = at & own["due_before_next"].eq(0)
        extra.append({"n_outside": int(out.sum()),
                      "base_rate_outside": float(rows.loc[out, "slip"].mean()) if out.any() else np.nan,
                      "auc_model_outside": auc(rows.loc[out, "slip"], rows.loc[out, "probability"]),
                      "auc_rule_outside": auc(rows.loc[out, "slip"], rows.loc[out, "score_time_to_end_rule"]),
                      "auc_model_all": auc(rows.loc[at, "slip"], rows.loc[at, "probability"])})
    return pd.concat([periods.reset_index(drop=True), pd.DataFrame(extra)], axis=1)


def dropped_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """What the back-test could not score, by reason (exits are scored, so not here), and what
    the ledger loader would reject: rows without a total investment (a required field of a
    county ledger), with their slip rate beside the others'. ``what`` is a word key (``why_*``)."""
    out = []
    for reason in ("blank_at_t", "no_end_at_t", "no_end_later"):
        group = pairs[pairs["reason"] == reason]
        out.append({"what": reason, "pairs": len(group), "projects": group["project_id"].nunique(),
                    "slip_rate": float("nan")})
    scored = pairs["slip"].notna()
    for key, rows in (("no_amount", scored & pairs["total_investment"].isna()),
                      ("with_amount", scored & pairs["total_investment"].notna())):
        out.append({"what": key, "pairs": int(rows.sum()), "projects": pairs.loc[rows, "project_id"].nunique(),
                    "slip_rate": float(pairs.loc[rows, "slip"].mean()) if rows.any() else np.nan})
    return pd.DataFrame(out)


__all__ = ["FEATURES", "Backtest", "run_backtest", "comparator_scores", "dropped_table"]
