"""The forecast's settings (``config/risk.yaml``), checked when read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from workbench.core.text import fold
from workbench.core.words import config_error
from workbench.core.yamlfile import packaged_yaml

_NUMBERS = {"horizon_months": (1, 60), "window_months": (0, 12), "slip_days": (1, 3650),
            "regularisation_c": (1e-6, 1e6), "min_train_pairs": (1, 1e6), "min_train_slips": (1, 1e6),
            "bootstrap": (10, 1e6), "seed": (0, 2**32 - 1), "reliability_bins": (2, 50),
            "county_min_pairs": (1, 1e6), "county_min_slips": (1, 1e6)}


@dataclass(frozen=True)
class RiskSettings:
    """What a slip is, how the model is fitted and how its probability is worded."""

    horizon_months: int
    window_months: int
    slip_days: int
    regularisation_c: float
    min_train_pairs: int
    min_train_slips: int
    bootstrap: int
    seed: int
    reliability_bins: int
    county_min_pairs: int
    county_min_slips: int
    rating_words: dict
    bands: dict

    def rating_of(self, text) -> float:
        """The ordinal of an expert rating (0 most confident … 4 least), NaN when not a rating."""
        if text is None or (isinstance(text, float) and text != text):
            return float("nan")
        return float(self.rating_words.get(fold(text), float("nan")))

    def band_of(self, probability: float) -> str:
        """"high", "medium" or "low" for a slip probability."""
        if probability >= self.bands["high"]:
            return "high"
        return "medium" if probability >= self.bands["medium"] else "low"


def check_settings(data, where: str = "config/risk.yaml") -> RiskSettings:
    """`data` as RiskSettings, or ConfigError naming the entry and its value."""
    if not isinstance(data, dict):
        raise config_error(where, "", "expect_mapping", data)
    unknown = sorted(set(data) - set(_NUMBERS) - {"rating_words", "bands"})
    if unknown:
        raise config_error(where, unknown[0], "expect_one_of", None, given=None,
                           choices=", ".join([*_NUMBERS, "rating_words", "bands"]))
    values = {}
    for key, (low, high) in _NUMBERS.items():
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise config_error(where, key, "expect_range", value, low=f"{low:g}", high=f"{high:g}")
        values[key] = float(value) if key == "regularisation_c" else int(value)
    words = data.get("rating_words")
    if not isinstance(words, dict) or not all(isinstance(v, int) and 0 <= v <= 4 for v in words.values()):
        raise config_error(where, "rating_words", "expect_rating_words", words)
    bands = data.get("bands")
    if (not isinstance(bands, dict) or set(bands) != {"high", "medium"}
            or not all(isinstance(v, (int, float)) and 0 < v < 1 for v in bands.values())
            or bands["medium"] >= bands["high"]):
        raise config_error(where, "bands", "expect_bands", bands)
    return RiskSettings(**values, rating_words={fold(k): v for k, v in words.items()}, bands=dict(bands))


@cache
def risk_settings() -> RiskSettings:
    """The packaged settings."""
    return check_settings(packaged_yaml("risk.yaml"))
