"""Report parameters checked against the notebook's tagged `parameters` cell before any kernel starts.

Every mistake raises ParameterError (exit code 2) naming the parameter (``field``), the value
given and, for files, the file; nothing starts until every value passed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.core.paths import resolved_path
from workbench.core.periods import as_of_timestamp, parse_quarter, quarter_bounds, quarter_of
from workbench.core.words import LANGS, error_message, message, message_lang
from workbench.exceptions import ParameterError, WorkbenchError

_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


@dataclass(frozen=True)
class Parameter:
    """One name of a notebook's parameters cell: its declared type, default and help text."""

    name: str
    type: type
    default: object
    help: str


def notebook_parameters(notebook: str | Path) -> dict[str, Parameter]:
    """The parameters a notebook declares in its cell tagged `parameters` (read, not run)."""
    import papermill

    path = Path(notebook)
    if not path.is_file():
        raise ParameterError(error_message("notebook_missing", path=path), file=str(path),
                             field="notebook")
    try:
        found = papermill.inspect_notebook(str(path))
    except Exception as exc:  # a user's file that is no notebook: say so, whatever failed
        raise ParameterError(error_message("notebook_unreadable", path=path,
                                           reason=f"{type(exc).__name__}: {exc}"),
                             file=str(path), field="notebook") from None
    if not found:
        raise ParameterError(error_message("notebook_no_parameters", path=path), file=str(path),
                             field="notebook")
    out = {}
    for name, info in found.items():
        default = _literal(info["default"])
        kind = _TYPES.get(info["inferred_type_name"]) or type(default)
        out[name] = Parameter(name, kind, default, info.get("help", ""))
    return out


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return text


def typed_parameters(declared: dict[str, Parameter], given: dict) -> dict:
    """`given` checked against `declared` names and types; ParameterError names the culprit."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(
            error_message("parameters_unknown", names=", ".join(unknown),
                          valid=", ".join(declared)),
            field=unknown[0], value=given[unknown[0]], unknown=unknown,
        )
    out = {}
    for name, value in given.items():
        kind = declared[name].type
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise ParameterError(
                error_message("parameter_type", name=name, value=value,
                              kind=type(value).__name__, expected=kind.__name__),
                field=name, value=value,
            )
        out[name] = value
    return out


def as_of_date(as_of: str, quarter: str) -> pd.Timestamp:
    """The as-of date: `as_of` (YYYY-MM-DD) when given, else the quarter's last day."""
    return as_of_timestamp(as_of) if as_of else quarter_bounds(quarter)[1]


def data_months(ledger) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last month of a ledger's monthly progress (None when it has none)."""
    months = ledger.progress["month"]
    return (months.min(), months.max()) if len(months) else None


def quarters_covered(ledger, year: int | None = None) -> list[str]:
    """Every quarter (YYYYQn) holding at least one month of the ledger's progress."""
    months = ledger.progress["month"]
    quarters = sorted({quarter_of(m) for m in months.drop_duplicates()})
    if year is not None:
        quarters = [q for q in quarters if q.startswith(str(year))]
    return quarters


def check_quarter_in_data(quarter: str, ledger, path: Path | str = "", says: str = "en") -> None:
    """Raise ParameterError when no month of `quarter` lies within the ledger's progress data."""
    if quarter in quarters_covered(ledger):
        return
    span = data_months(ledger)
    where = f"{span[0]:%Y-%m}…{span[1]:%Y-%m}" if span else message("no_progress", says)
    raise ParameterError(message("quarter_outside", says, quarter=quarter, file=path, where=where),
                         file=str(path), field="quarter", value=quarter)


def report_parameters(notebook: str | Path, given: dict, load=None) -> dict:
    """The checked parameters (see `checked_report`)."""
    return checked_report(notebook, given, load)[0]


def checked_report(notebook: str | Path, given: dict, load=None, says: str | None = None
                   ) -> tuple[dict, object]:
    """The notebook's parameters with `given` applied, every value checked; loads the ledger once.

    Checks names and types against the parameters cell, the quarter's format, the language,
    the as-of date, that the ledger and rubric files exist and load, and that the quarter lies
    within the ledger's data. Relative file paths are made absolute and the quarter is written
    YYYYQn. Raises ParameterError (in `says`, default ``message_lang()``). Returns the
    parameters and the Ledger read.
    """
    says = message_lang(says)
    declared = notebook_parameters(notebook)
    params = {name: p.default for name, p in declared.items()}
    params.update(typed_parameters(declared, given))
    year, n = parse_quarter(params.get("quarter", ""))
    quarter = params["quarter"] = f"{year}Q{n}"
    lang = params.get("lang", "zh")
    if lang not in LANGS:
        raise ParameterError(message("bad_choice", says, name="lang", value=lang,
                                     valid=", ".join(LANGS)), field="lang", value=lang)
    as_of = as_of_date(params.get("as_of", ""), quarter)
    start, end = quarter_bounds(quarter)
    if not start <= as_of <= end:
        raise ParameterError(message("as_of_outside", says, as_of=f"{as_of:%Y-%m-%d}",
                                     quarter=quarter), field="as_of", value=params.get("as_of"))
    for name in ("ledger_path", "rubric", "scenario"):
        if params.get(name):
            path = resolved_path(params[name])
            if not path.is_file():
                raise ParameterError(message("file_missing", says, name=name, file=params[name]),
                                     file=str(params[name]), field=name)
            params[name] = str(path.resolve())
    if not params.get("ledger_path"):
        raise ParameterError(error_message("ledger_required"), field="ledger_path")
    if params.get("rubric"):
        from workbench.review.goals import goal_rules
        from workbench.scoring import load_rubric

        with _as_parameter("rubric", params["rubric"],
                           error_message("param_rubric", file=params["rubric"])):
            goal_rules(load_rubric(params["rubric"]))  # its 开门红 … 全年红 goals too
    if load is None:
        from workbench.ingest import load_ledger as load
    with _as_parameter("ledger_path", params["ledger_path"],
                       error_message("param_ledger", file=params["ledger_path"])):
        ledger = load(params["ledger_path"])
    check_quarter_in_data(quarter, ledger, params["ledger_path"], says)
    check_scope(ledger, params, params["ledger_path"], says)
    if params.get("scenario"):
        from workbench.whatif import check_scenario, load_scenario

        with _as_parameter("scenario", params["scenario"],
                           error_message("param_scenario", file=params["scenario"])):
            check_scenario(load_scenario(params["scenario"]), ledger, as_of)
    return params, ledger


def check_scope(ledger, params: dict, file: str, says: str = "zh") -> None:
    """ParameterError when the ``office`` or ``unit`` in `params` does not occur in `ledger`,
    listing the ones that do."""
    for name, column in (("office", "office"), ("unit", "responsible_unit")):
        value = params.get(name)
        valid = sorted(set(ledger.projects[column].dropna().astype(str)))
        if value and value not in valid:
            raise ParameterError(message("not_in_ledger", says, name=name, value=value,
                                         file=file, valid="、".join(valid)),
                                 file=file, field=name, value=value, valid=valid)


@contextmanager
def _as_parameter(name: str, file: str, prefix: str) -> Iterator[None]:
    """Turn a WorkbenchError raised inside the block into a ParameterError about parameter
    `name` (the file `file`), keeping the original error's fields."""
    try:
        yield
    except WorkbenchError as exc:
        fields = {**exc.fields, "field": name, "file": exc.fields.get("file", file)}
        raise ParameterError(prefix + str(exc), **fields) from None
