"""The language of messages and the workbench's error messages (config/errors.yaml).

Every error the workbench raises for a user (``workbench.exceptions``) takes its text from
config/errors.yaml through `error_message`, in the messages' language: Chinese unless
`set_message_lang` (or `messages_in`) chose English. The command line sets it from --lang,
then WORKBENCH_LANG, then the locale (``workbench.core.words.message_lang``); a notebook may
call ``set_message_lang("en")``. This module reads its YAML itself (not through
``core.yamlfile``, whose own errors it words) and imports nothing of the workbench but
``exceptions``.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from importlib import resources

import yaml

from workbench.exceptions import ParameterError

LANGS = ("zh", "en")

_MESSAGES = {"lang": "zh"}  # the process's; the command line sets it from --lang / the locale


def check_lang(lang: str) -> str:
    """Return `lang` when it is a supported language, else raise ParameterError naming the choices."""
    if lang not in LANGS:
        raise ParameterError(error_message("lang_unknown", value=lang, valid=", ".join(LANGS)),
                             field="lang", value=lang, valid=list(LANGS))
    return lang


def set_message_lang(lang: str) -> str:
    """Make `lang` the language of every message this process writes from now on (errors of the
    library included); the command line calls it with what `message_lang` resolved. Chinese
    until it is called."""
    _MESSAGES["lang"] = check_lang(lang)
    return lang


@contextmanager
def messages_in(lang: str):
    """Messages in `lang` inside the block (`set_message_lang`), the language before after it."""
    before = _MESSAGES["lang"]
    set_message_lang(lang)
    try:
        yield lang
    finally:
        _MESSAGES["lang"] = before


def messages_language() -> str:
    """The language messages are written in now (`set_message_lang`; "zh" by default)."""
    return _MESSAGES["lang"]


@cache
def _errors() -> dict:
    """errors.yaml's messages by key (its sections are for reading only), each exactly zh and
    en (LookupError otherwise: the package's own words are wrong, a bug)."""
    text = resources.files("workbench").joinpath("config/errors.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    flat: dict = {}
    for section, entries in data.items():
        for key, entry in (entries or {}).items():
            if key in flat or not isinstance(entry, dict) or set(entry) != set(LANGS):
                raise LookupError(f"errors.yaml: {section}.{key} twice or not exactly zh and en")
            flat[key] = entry
    return flat


def error_message(key: str, lang: str | None = None, **fields) -> str:
    """The error message `key` of config/errors.yaml in `lang` (default: the messages'
    language, `messages_language`), its ``{name}`` placeholders filled from `fields`."""
    entry = _errors().get(key)
    if entry is None:  # a message the code asks for and the package lacks: a bug
        raise LookupError(f"errors.yaml: no message '{key}'")
    text = entry[check_lang(lang) if lang else _MESSAGES["lang"]]
    return text.format(**fields) if fields else text
