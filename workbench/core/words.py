"""How the workbench writes for a reader: labels, phrases, headings and numbers, in zh and en.

The one word-lookup API. Labels of canonical columns and values come from
``config/labels.yaml`` (``ui_*`` words included), the report's phrases and extra headings from
``config/report.yaml``; every lookup takes the language and refuses an unknown one. Numbers are
written by the formatters at the end (亿元 from 万元, percentages, points …), shared by tables
and narrative so that their figures agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

import pandas as pd

from workbench.core.messages import (  # noqa: F401  (the language of messages, re-exported)
    LANGS,
    check_lang,
    error_message,
    messages_in,
    messages_language,
    set_message_lang,
)
from workbench.core.numbers import is_missing
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ConfigError, ParameterError


@cache
def _labels() -> dict:
    return _bilingual("labels.yaml", ("columns", "values"))


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


def word(key: str, lang: str = "zh", **fields) -> str:
    """A display word or sentence from labels.yaml (``values``: ``ui_*``, ``table_*`` …), with
    ``{name}`` placeholders filled from `fields`."""
    text = str(value_label(key, check_lang(lang)))
    return text.format(**fields) if fields else text


def _bilingual(name: str, sections: tuple[str, ...] | None = None) -> dict:
    """A packaged YAML of words, checked when read: every entry of `sections` (default: all)
    holds exactly zh and en (LookupError naming the entry: the package's words are wrong, a
    bug the user cannot act on)."""
    data = packaged_yaml(name) or {}
    for section in sections or tuple(data):
        for key, entry in (data.get(section) or {}).items():
            if set(entry) != set(LANGS):  # the package's own words: a bug, not the user's
                raise LookupError(f"{name}: {section}.{key} needs exactly zh and en, got {entry}")
    return data


@cache
def _phrases() -> dict:
    return _bilingual("report.yaml", ("phrases", "columns"))


def phrase(key: str, lang: str = "zh", **values) -> str:
    """The phrase `key` in `lang`, with ``{name}`` placeholders filled from `values`."""
    entry = _phrases()["phrases"].get(key)
    if entry is None:  # a word the code asks for and the package lacks: a bug
        raise LookupError(f"report.yaml: no phrase '{key}'")
    text = entry[check_lang(lang)]
    return text.format(**values) if values else text


def heading(column: str, lang: str = "zh") -> str:
    """A table heading: the canonical label (labels.yaml) or the report's own (report.yaml)."""
    label = column_label(column, lang)
    if label != column:
        return label
    entry = _phrases().get("columns", {}).get(column)
    return entry[check_lang(lang)] if entry else column


def config_error(file: str, field: str, expected: str, value=None, given: bool | None = True,
                 **fields) -> ConfigError:
    """The ConfigError of a configuration setting: `file`, the setting `field`, what it must be
    (`expected`: an ``expect_*`` key of errors.yaml, filled from `fields`) and the `value`
    found. ``given=False``: the setting is missing; ``given=None``: `field` is no setting of
    the file (`expected` then says which are)."""
    key = {True: "config_field", False: "config_missing", None: "config_unknown"}[given]
    text = error_message(key, file=file, field=field, value=repr(value),
                         expected=error_message(expected, **fields))
    return ConfigError(text, file=file, field=field, value=value)


# --- the command line's words (config/cli.yaml) and the language its messages are written in --

#: Environment variables that choose the messages' language when no --lang is given, in order.
LANG_VARIABLES = ("WORKBENCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def message_lang(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of what the command line prints: `given` (--lang) when given, else
    WORKBENCH_LANG (zh or en), else the locale (the first set of LC_ALL, LC_MESSAGES, LANG):
    English when it names English (en_US.UTF-8 …), Chinese otherwise (zh_CN, C, POSIX, unset).
    Reports and exported files follow --lang only (a server's locale never changes a document)."""
    if given:
        return check_lang(given)
    environ = os.environ if environ is None else environ
    for name in LANG_VARIABLES:
        value = (environ.get(name) or "").strip()
        if value:
            if name == "WORKBENCH_LANG":
                return check_lang(value)
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


@cache
def _cli_words() -> dict:
    return _bilingual("cli.yaml")


def cli_word(section: str, key: str, lang: str = "zh", default: str | None = None) -> str | None:
    """A word of the command line (config/cli.yaml: ``commands``, ``options``, ``help_panels``,
    ``messages``) in `lang`; `default` when the section does not hold `key`."""
    entry = _cli_words()[section].get(key)
    return entry[check_lang(lang)] if entry else default


def message(key: str, lang: str = "zh", **fields) -> str:
    """A message of the command line or a run's progress (cli.yaml ``messages``), filled in."""
    text = cli_word("messages", key, lang)
    if text is None:  # a word the code asks for and the package lacks: a bug
        raise LookupError(f"cli.yaml: no message '{key}'")
    return text.format(**fields) if fields else text


#: Fields of an error worth showing under its message (when the message does not name them).
SHOWN_FIELDS = ("file", "sheet", "row", "column", "value", "kept", "valid")


def error_text(exc, lang: str = "zh") -> str:
    """What the user reads for a WorkbenchError `exc`: its message (a parameter error says so),
    then each field the message does not name, with the field's name in `lang`."""
    text = str(exc)
    lines = [message("parameter_error", lang, text=text) if isinstance(exc, ParameterError)
             else text]
    for name in SHOWN_FIELDS:
        value = exc.fields.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        if value is not None and not all(str(v) in text for v in values):
            lines.append(message("field_line", lang, name=message("field_" + name, lang),
                                 value=", ".join(str(v) for v in values)))
    for code, name in getattr(exc, "candidates", None) or []:
        lines.append(f"  {code} {name}")
    return "\n".join(lines)


def quarter_words(quarter: str, lang: str) -> str:
    """A quarter as leaders say it: '2022年一季度' / 'Q1 2022'."""
    year, q = quarter.split("Q")
    return phrase("quarter_name", lang, year=year, q=phrase(f"quarter_{q}", lang))


def rag_word(rag, lang: str = "zh") -> str:
    """The display word of a delivery RAG state; missing or 'none' reads "nothing due yet"."""
    if is_missing(rag) or rag == "none":
        return phrase("rag_none", lang)
    return str(value_label(rag, lang))


# --- how numbers are written (tables and narrative share these, so their numbers agree) -------

MISSING = "—"


def yi(wan) -> str:
    """An amount in 万元 written in 亿元, two decimals: 123456.0 -> '12.35'."""
    return MISSING if is_missing(wan) else f"{float(wan) / 1e4:,.2f}"


def wan(value) -> str:
    """An amount in 万元, no decimals: '1,235'."""
    return MISSING if is_missing(value) else f"{float(value):,.0f}"


def pct(fraction) -> str:
    """A fraction written as a percentage, one decimal: 0.2768 -> '27.7'."""
    return MISSING if is_missing(fraction) else f"{float(fraction) * 100:.1f}"


def points(value) -> str:
    """Percentage points with a sign, one decimal: 3.03 -> '+3.0'."""
    return MISSING if is_missing(value) else f"{float(value):+.1f}"


def magnitude(value) -> str:
    """Percentage points without sign (the narrative says ahead or behind): -3.03 -> '3.0'."""
    return MISSING if is_missing(value) else f"{abs(float(value)):.1f}"


def multiple(value) -> str:
    """A ratio written with two decimals: 2.3077 -> '2.31'."""
    return MISSING if is_missing(value) else f"{float(value):.2f}"


def score(value) -> str:
    """A 0–100 score, one decimal."""
    return MISSING if is_missing(value) else f"{float(value):.1f}"


def count(value) -> str:
    """A count: '12'."""
    return MISSING if is_missing(value) else f"{int(value):d}"


def date(value) -> str:
    """A date as YYYY-MM-DD."""
    return MISSING if is_missing(value) else f"{value:%Y-%m-%d}"
