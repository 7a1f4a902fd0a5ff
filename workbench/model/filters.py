"""Selecting projects: the filters a Ledger understands, with every table kept consistent.

Filters take canonical codes or their labels in either language; an unknown value is an error
that lists the valid ones. Planning band and delivery RAG come from scores, which the caller
passes (the model does not score: that is a layer above).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pandas as pd

from workbench.core.text import fold
from workbench.core.vocabulary import FILTER_COLUMNS, FILTER_VALUES
from workbench.core.words import error_message, messages_language, value_label
from workbench.exceptions import ParameterError


def filter_ledger(
    ledger,
    office=None,
    unit=None,
    level=None,
    stage=None,
    band=None,
    rag=None,
    name_contains=None,
    scores=None,
):
    """A Ledger holding only the projects that pass every given filter (all tables consistent).

    Each filter takes one value or a list (any of them); None means no filter. Values are the
    canonical codes or their labels in either language (``level="县"``, ``"县级"`` or
    ``"County"``; ``band="amber_red"`` or ``"橙"``). ``unit`` is a responsible unit (exact, or a
    part that names one unit); ``name_contains`` matches part of a project name. ``band`` (planning
    band) and ``rag`` (delivery status) read `scores` (``workbench.score(ledger)``).

    >>> book.filter(office="工业发展", rag=["red", "amber"])           # doctest: +SKIP
    >>> book.filter(unit="县卫健委", name_contains="医院")              # doctest: +SKIP
    """
    projects = ledger.projects
    keep = pd.Series(True, index=projects.index)
    for name, wanted in (("office", office), ("level", level), ("stage", stage)):
        codes = _codes(name, wanted)
        if codes is not None:
            keep &= projects[FILTER_COLUMNS[name]].isin(codes)
    units = _units(unit, projects["responsible_unit"])
    if units is not None:
        keep &= projects["responsible_unit"].isin(units)
    terms = _values("name_contains", name_contains)
    if terms is not None:
        names = projects["name"].map(fold)
        keep &= names.map(lambda n: any(fold(t) in n for t in terms))
    for name, wanted, table_name in (("band", band, "planning"), ("rag", rag, "delivery")):
        codes = _codes(name, wanted)
        if codes is None:
            continue
        if scores is None:
            raise ParameterError(error_message(
                "filter_needs_scores", name=name,
                label=value_label(name, messages_language())), field=name)
        frame = getattr(scores, table_name)
        ids = frame.loc[frame[name].isin(codes).fillna(False).astype(bool), "project_id"]
        keep &= projects["project_id"].isin(ids)
    return subset(ledger, projects.loc[keep, "project_id"])


def subset(ledger, project_ids: Iterable[str]):
    """A Ledger whose every table holds only the rows of `project_ids` (findings kept as loaded)."""
    ids = set(project_ids)
    tables = {name: frame[frame["project_id"].isin(ids)] for name, frame in ledger.tables().items()}
    return ledger.replace(**tables)


def _values(name: str, wanted) -> tuple | None:
    """The non-empty values of one filter as a tuple; None (no filter) when nothing is given."""
    if wanted is None:
        return None
    if isinstance(wanted, str):
        wanted = (wanted,)
    try:
        values = tuple(str(v).strip() for v in wanted if v is not None and str(v).strip() != "")
    except TypeError:
        raise ParameterError(error_message("filter_values", name=name, value=wanted),
                             field=name, value=repr(wanted)) from None
    return values or None


def _codes(name: str, wanted) -> tuple | None:
    values = _values(name, wanted)
    if values is None:
        return None
    allowed = FILTER_VALUES[name]
    lookup = {}
    for code in allowed:
        for lang in ("zh", "en"):
            lookup[fold(value_label(code, lang))] = code
        lookup[fold(code)] = code
    codes = []
    for value in values:
        code = lookup.get(fold(value))
        if code is None:
            shown = ", ".join(f"{c} ({value_label(c, 'zh')})" if value_label(c, "zh") != c else c
                              for c in allowed)
            raise ParameterError(error_message("filter_unknown", name=name, value=value,
                                               valid=shown), field=name, value=value)
        codes.append(code)
    return tuple(codes)


def _units(wanted, units: pd.Series) -> tuple | None:
    values = _values("unit", wanted)
    if values is None:
        return None
    known = sorted(units.dropna().unique())
    chosen = []
    for value in values:
        if value in known:
            chosen.append(value)
            continue
        partial = [u for u in known if fold(value) in fold(u)]
        if len(partial) == 1:
            chosen.append(partial[0])
            continue
        if partial:
            raise ParameterError(error_message("unit_several", value=value,
                                               units="、".join(partial)), field="unit", value=value)
        close = difflib.get_close_matches(value, known, n=5, cutoff=0.3)
        hint = error_message("unit_close", units="、".join(close)) if close else ""
        raise ParameterError(error_message("unit_unknown", value=value, hint=hint), field="unit",
                             value=value)
    return tuple(chosen)
