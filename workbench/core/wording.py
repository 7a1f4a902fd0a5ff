"""Report wording (headings, sentences, notes) in Chinese and English, from ``config/report.yaml``."""

from __future__ import annotations

from functools import cache

from workbench.core.labels import check_lang, column_label
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError


@cache
def _phrases() -> dict:
    data = packaged_yaml("report.yaml") or {}
    for section in ("phrases", "columns"):
        for key, entry in data.get(section, {}).items():
            if set(entry) != {"zh", "en"}:
                raise ConfigError(f"report.yaml: {section}.{key} needs exactly zh and en")
    return data


def phrase(key: str, lang: str = "zh", **values) -> str:
    """The phrase `key` in `lang`, with ``{name}`` placeholders filled from `values`."""
    entry = _phrases()["phrases"].get(key)
    if entry is None:
        raise ConfigError(f"report.yaml: no phrase '{key}'")
    text = entry[check_lang(lang)]
    return text.format(**values) if values else text


def heading(column: str, lang: str = "zh") -> str:
    """A table heading: the canonical label (labels.yaml) or the report's own (report.yaml)."""
    label = column_label(column, lang)
    if label != column:
        return label
    entry = _phrases().get("columns", {}).get(column)
    return entry[check_lang(lang)] if entry else column


# --- how numbers are written (tables and narrative share these, so their numbers agree) -------

MISSING = "—"


def _missing(value) -> bool:
    try:
        return value is None or value != value  # NaN / NA
    except (TypeError, ValueError):
        return True


def yi(wan) -> str:
    """An amount in 万元 written in 亿元, two decimals: 123456.0 -> '12.35'."""
    return MISSING if _missing(wan) else f"{float(wan) / 1e4:,.2f}"


def wan(value) -> str:
    """An amount in 万元, no decimals: '1,235'."""
    return MISSING if _missing(value) else f"{float(value):,.0f}"


def pct(fraction) -> str:
    """A fraction written as a percentage, one decimal: 0.2768 -> '27.7'."""
    return MISSING if _missing(fraction) else f"{float(fraction) * 100:.1f}"


def points(value) -> str:
    """Percentage points with a sign, one decimal: 3.03 -> '+3.0'."""
    return MISSING if _missing(value) else f"{float(value):+.1f}"


def magnitude(value) -> str:
    """Percentage points without sign (the narrative says ahead or behind): -3.03 -> '3.0'."""
    return MISSING if _missing(value) else f"{abs(float(value)):.1f}"


def multiple(value) -> str:
    """A ratio written with two decimals: 2.3077 -> '2.31'."""
    return MISSING if _missing(value) else f"{float(value):.2f}"


def score(value) -> str:
    """A 0–100 score, one decimal."""
    return MISSING if _missing(value) else f"{float(value):.1f}"


def count(value) -> str:
    """A count: '12'."""
    return MISSING if _missing(value) else f"{int(value):d}"


def date(value) -> str:
    """A date as YYYY-MM-DD."""
    return MISSING if _missing(value) else f"{value:%Y-%m-%d}"
