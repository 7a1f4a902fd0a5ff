"""One side of a comparison: a ledger scored as of a date (re-weighted if asked) with its forecast.

Rubric weights are the one lever that acts on scoring rather than on the ledger: `reweighted`
rescales each planning dimension's points by new/old weight, brings the total back to 100 and
bands the new scores with the rubric's band limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.whatif._dates import as_of_for
from workbench.whatif.forecast import forecast_curve, year_forecast
from workbench.whatif.scenario import refuse


def reweighted(planning: pd.DataFrame, rubric, weights: dict[str, float]) -> pd.DataFrame:
    """Planning scores with new dimension weights: each dimension's points scale by new/old weight,
    the total is rescaled to 100, and bands follow the rubric's band limits."""
    if not weights:
        return planning
    old = rubric.weights()
    new = {d: float(weights.get(d, w)) for d, w in old.items()}
    total = sum(new.values())
    if total <= 0:
        raise refuse("weights", "sc_all_weights_zero")
    columns = {d: planning[d].to_numpy(dtype="float64") * (new[d] / w if w else 0.0) * 100 / total
               for d, w in old.items()}
    score = np.round(np.sum(list(columns.values()), axis=0), 1)
    from workbench.scoring.planning import band_of

    band = pd.Series(band_of(score, rubric), index=planning.index, dtype="str")
    return planning.assign(**columns, score=score, band=band)


@dataclass(frozen=True)
class Outcome:
    """A ledger scored as of a date, with its year-end forecast (one side of a comparison)."""

    ledger: Ledger
    as_of: pd.Timestamp
    scores: object  # workbench.scoring.Scores
    planning: pd.DataFrame  # Scores.planning, re-weighted when the scenario changes weights
    forecast: pd.DataFrame  # year_forecast
    curve: pd.DataFrame  # forecast_curve


def evaluate(ledger: Ledger, as_of=None, rubric=None, weights: dict | None = None,
             scored: Ledger | None = None) -> Outcome:
    """Score `ledger` as of `as_of` (re-weighted by `weights`) and forecast its year.

    `scored`, when given, is the Ledger the scores read instead: a scenario's tables with the
    plan as given (`workbench.whatif.applied.as_planned`), while `ledger` holds its new dates.
    """
    from workbench.scoring import score
    from workbench.scoring.rubric import as_rubric

    ledger = ledger.counted()  # a bundled project (打捆) once: totals, forecasts and effects agree
    scored = ledger if scored is None else scored.counted()
    as_of = as_of_for(ledger, as_of)
    rubric = as_rubric(rubric)
    scores = score(scored, as_of, rubric, reasons=False)  # what-if never shows the reasons
    return Outcome(
        ledger=ledger,
        as_of=as_of,
        scores=scores,
        planning=reweighted(scores.planning, rubric, weights or {}),
        forecast=year_forecast(ledger, as_of),
        curve=forecast_curve(ledger, as_of),
    )
