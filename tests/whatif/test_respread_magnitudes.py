"""The slip re-spread's magnitudes against values computed by hand (issue 14, item 10).

The direction tests elsewhere ("a slip lowers the forecast") passed with the rescale to the
S-curve skipped, while a sample project's forecast fell from 13,758 to 1,444 万元. These tests
pin the amounts.

The S-curve of config/whatif.yaml (steepness k = 8, midpoint 0.5):
    L(x) = 1 / (1 + e^(-8 (x - 0.5)));  L(0) = 1 / (1 + e^4) = 0.0179862,
    L(1) = 1 / (1 + e^-4) = 0.9820138;  F(x) = (L(x) - L(0)) / (L(1) - L(0)) = (L(x) - 0.0179862) / 0.9640276

A slipped project keeps its duration D (months from its effective start to its completion
month). The plan left in the year, R, is the unslipped curve's share of the year: R = level ×
F((Dec + 1 − start) / D), so level = R / F(…). From the new start (start + slip) the year holds
level × F((Dec + 1 − new start) / D).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.whatif.small_ledger import small_ledger
from workbench.whatif import Scenario, apply, year_forecast

AS_OF = pd.Timestamp("2022-04-30")  # history to April; May is the first month that can move


@pytest.fixture(scope="module")
def slipped():
    ledger = apply(small_ledger(), Scenario(slip_all=3), AS_OF)
    return ledger, year_forecast(ledger, AS_OF).set_index("project_id")


def test_a_slip_rescales_the_rest_of_the_year_to_the_s_curve(slipped):
    _, f = slipped
    # P2 县医院新院区: planned May 2022 → completion Dec 2024, so D = 8 + 24 = 32 months; not
    # started, R = 18,000 (2,250 a month May–Dec). Unslipped share of the year: F(8/32) = F(0.25):
    #   L(0.25) = 1 / (1 + e^2) = 0.1192029, F = (0.1192029 − 0.0179862) / 0.9640276 = 0.1049936.
    # New start August: 5 months left, F(5/32) = F(0.15625): L = 1 / (1 + e^2.75) = 0.0600866,
    #   F = 0.0421004 / 0.9640276 = 0.0436714.
    # Forecast = 18,000 × 0.0436714 / 0.1049936 = 7,487.0 (without the rescale: 18,000 × 0.0436714 = 786.1)
    assert f.loc["P2", "forecast"] == pytest.approx(7487.0, abs=0.5)
    # P3 产业园标准化厂房: July 2022 → Dec 2023, D = 18; R = 15,000 (2,500 a month Jul–Dec).
    #   F(6/18): L = 1 / (1 + e^1.33333) = 0.2086085, F = 0.1977353;
    #   new start October, F(3/18): L = 1 / (1 + e^2.66667) = 0.0649692, F = 0.0487362.
    # Forecast = 15,000 × 0.0487362 / 0.1977353 = 3,697.1
    assert f.loc["P3", "forecast"] == pytest.approx(3697.1, abs=0.5)
    # P5 乡村道路提升: planned March, not started by April: it cannot start before May, so D runs
    # May 2022 → March 2023 = 11 months; R = 8 × 600 = 4,800 (6,000 spread over Mar–Dec).
    #   F(8/11 = 0.72727): L = 1 / (1 + e^-1.81818) = 0.8603478, F = 0.8737941;
    #   new start August, F(5/11 = 0.45455): L = 1 / (1 + e^0.36364) = 0.4100796, F = 0.4067242.
    # Forecast = 4,800 × 0.4067242 / 0.8737941 = 2,234.3
    assert f.loc["P5", "forecast"] == pytest.approx(2234.3, abs=0.5)
    # started projects do not move: P1 3,600 done + 8 × 1,000 = 11,600
    assert f.loc["P1", "forecast"] == pytest.approx(11600.0)


def test_a_slipped_project_s_months_follow_the_curve(slipped):
    ledger, _ = slipped
    g = ledger.progress[ledger.progress["project_id"] == "P2"].set_index("month")["planned"]
    # nothing May–July; August = level × (F(1/32) − F(0)) = 18,000 / 0.1049936 × F(0.03125):
    #   L(0.03125) = 1 / (1 + e^3.75) = 0.0229774, F = (0.0229774 − 0.0179862) / 0.9640276 = 0.0051774,
    #   171,439.0 × 0.0051774 = 887.6
    assert g.loc["2022-05-01":"2022-07-01"].sum() == 0
    assert g.loc[pd.Timestamp("2022-08-01")] == pytest.approx(887.6, abs=0.1)
    # the months rise along the curve's first half, and add up to the forecast above
    aug_dec = g.loc["2022-08-01":"2022-12-01"]
    assert aug_dec.is_monotonic_increasing and aug_dec.sum() == pytest.approx(7487.0, abs=0.5)
    # history (January–April) is never changed
    before = small_ledger().progress.set_index(["project_id", "month"])["planned"]
    after = ledger.progress.set_index(["project_id", "month"])["planned"]
    early = [(p, m) for p, m in before.index if m <= AS_OF]
    assert (after.loc[early] == before.loc[early]).all()
