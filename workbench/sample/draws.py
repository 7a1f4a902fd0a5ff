"""Seeded draws and date arithmetic the generator's steps share.

Dates are built from integer (year, month, day) arrays; amounts are rounded as a ledger keeps
them; label counts follow configured shares exactly (largest remainder).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from workbench.core.periods import month_index

#: Months of a ledger year.
MONTHS = 12


_NORMAL = NormalDist()


def ymd_dates(y, m, d, valid=None) -> np.ndarray:
    """datetime64[us] from integer year, month (1-12, may overflow) and day arrays; NaT where not valid."""
    y, m, d = (np.asarray(a, dtype=np.int64) for a in np.broadcast_arrays(y, m, d))
    months = (y - 1970) * 12 + (m - 1)
    out = (months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)).astype(
        "datetime64[us]"
    )
    if valid is not None:
        out = np.where(np.asarray(valid, dtype=bool), out, np.datetime64("NaT", "us"))
    return out


def add_days(dates: np.ndarray, days) -> np.ndarray:
    return (dates + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")).astype(
        "datetime64[us]"
    )


def interpolate(pair, q: np.ndarray) -> np.ndarray:
    """The value between pair[0] (q = 0) and pair[1] (q = 1)."""
    return pair[0] + (pair[1] - pair[0]) * q


def exact_counts(shares: dict, n: int) -> dict:
    """Counts adding to `n` in proportion to `shares` (largest remainder)."""
    keys = list(shares)
    raw = np.array([shares[k] for k in keys], dtype=float)
    raw = raw / raw.sum() * n
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def shuffled_labels(rng, shares: dict, n: int) -> np.ndarray:
    counts = exact_counts(shares, n)
    labels = np.concatenate([np.full(c, k, dtype=object) for k, c in counts.items()])
    return labels[rng.permutation(n)]


def lognormal_sizes(rng, median: float, sigma: float, n: int, stratified: bool) -> np.ndarray:
    """Log-normal sizes; stratified draws keep the total of a small list close to its expectation."""
    u = (rng.permutation(n) + rng.random(n)) / n if stratified else rng.random(n)
    u = np.clip(u, 1e-9, 1 - 1e-9)
    z = np.array([_NORMAL.inv_cdf(v) for v in u])
    return median * np.exp(sigma * z)


def rounded_amount(values: np.ndarray) -> np.ndarray:
    """Amounts as a ledger keeps them: to 100万 from 1亿, to 10万 from 1000万, else whole 万元."""
    values = np.asarray(values, dtype=float)
    return np.where(
        values >= 10_000,
        np.round(values, -2),
        np.where(values >= 1_000, np.round(values, -1), np.round(values)),
    )


def kept_in_band(values: np.ndarray, band, n: int, lo_clip: float, hi_clip: float) -> np.ndarray:
    """`values` rescaled (then clipped) until their sum lies in band × n."""
    lo, hi = band[0] * n, band[1] * n
    for _ in range(8):
        total = values.sum()
        if lo <= total <= hi:
            break
        values = np.clip(values * (min(max(total, lo), hi) / total), lo_clip, hi_clip)
    return values


def logistic(p: np.ndarray, shift: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.005, 0.995)
    return 1 / (1 + np.exp(-(np.log(p / (1 - p)) + shift)))


def dates_in_year(rng, year: int, size: int, report) -> np.ndarray:
    """Random dates from 5 January to a fortnight before the report date."""
    start = np.datetime64(f"{year}-01-05", "D")
    span = int((np.datetime64(report.date(), "D") - start).astype(int)) - 14
    return (start + rng.integers(0, max(span, 1), size).astype("timedelta64[D]")).astype(
        "datetime64[us]"
    )


def ledger_month(dates: np.ndarray, year: int) -> np.ndarray:
    """Month of the ledger year (1-12, may fall outside) of each date; NaT gives a large number."""
    months = month_index(dates) - year * 12 + 1
    return np.where(np.isnan(months), 10_000, months).astype(np.int64)
