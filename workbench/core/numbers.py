"""Shares, ratios and missing values: one convention for the whole workbench.

A missing value is NA: None, NaN, NaT or pd.NA, and a text that is empty or only blanks (the
loader stores those as NA; tables built by hand may not). A share or ratio whose denominator is
not positive is NaN, never 0 and never infinite: "no plan" is not "0 % done".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def is_missing(value) -> bool:
    """True for None, NaN, NaT, pd.NA and blank text; False for any other scalar (0 included)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array or another container: not a missing scalar
        return False


def share(part, whole) -> float:
    """`part / whole` as a float, NaN when `whole` is missing, zero or negative."""
    if is_missing(whole) or is_missing(part) or float(whole) <= 0:
        return float("nan")
    return float(part) / float(whole)


def ratio(numerator, denominator) -> np.ndarray:
    """Element-wise numerator / denominator, NaN where the denominator is not positive."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
