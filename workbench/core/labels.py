"""Chinese and English display labels for canonical columns and values (``config/labels.yaml``)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError

LANGS = ("zh", "en")


@cache
def _labels() -> dict:
    data = packaged_yaml("labels.yaml")
    for section in ("columns", "values"):
        for key, entry in data[section].items():
            if set(entry) != set(LANGS):
                raise ConfigError(f"labels.yaml: {section}.{key} needs exactly zh and en, got {entry}")
    return data


def check_lang(lang: str) -> str:
    """Return `lang` when it is a supported language, else raise ConfigError."""
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def column_label(column: str, lang: str = "zh") -> str:
    """The display label of a canonical column (its code name when none is declared)."""
    entry = _labels()["columns"].get(column)
    return entry[check_lang(lang)] if entry else column


def value_label(value, lang: str = "zh"):
    """The display label of a canonical value (the value itself when none is declared)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    entry = _labels()["values"].get(str(value))
    return entry[check_lang(lang)] if entry else value


def column_labels(columns, lang: str = "zh") -> dict[str, str]:
    """A rename mapping from code names to display labels."""
    return {c: column_label(c, lang) for c in columns}


def labelled(frame: pd.DataFrame, lang: str = "zh", values: tuple[str, ...] = ()) -> pd.DataFrame:
    """`frame` with display headers, and the values of the named columns translated."""
    out = frame.copy()
    for column in values:
        out[column] = out[column].map(lambda v: value_label(v, lang))
    return out.rename(columns=column_labels(out.columns, lang))
