"""`workbench report`'s one library call: the report the user chose, by the one period given
(a quarter or a year from a ledger; a week or a month from the snapshot store)."""

from __future__ import annotations

from workbench.core.paths import DEFAULT_STORE, resolved_path
from workbench.core.words import message
from workbench.exceptions import ParameterError
from workbench.publish.periodic import publish_period
from workbench.publish.reports import publish_reports


def publish_chosen(quarter=None, year=None, week=None, month=None, *, store=None, lang="zh",
                   rubric=None, pdf=True, log=None, says="zh", **quarterly) -> list:
    """Publish the report of the one period given: a week or a month from the `store`, else a
    quarter or every quarter of a year (`quarterly`: ledger_path, as_of, office, unit,
    scenario, out, accept_warnings …). Without a `store` the quarterly review compares with
    ``data/history.duckdb`` when that file is there. ParameterError unless exactly one period."""
    chosen = [name for name, value in (("--quarter", quarter), ("--year", year), ("--week", week),
                                       ("--month", month)) if value]
    if len(chosen) != 1:
        raise ParameterError(message("one_period", says, chosen=message(
            "one_period_not", says, chosen=" / ".join(chosen)) if chosen else ""), field="quarter")
    logged = {"log": log} if log is not None else {}
    if week or month:
        kind, period = ("week", week) if week else ("month", month)
        return [publish_period(kind, period, store=store, out=quarterly.get("out", "reports"),
                               lang=lang, rubric=rubric, pdf=pdf, log_lang=says, **logged)]
    if store is None and resolved_path(DEFAULT_STORE).is_file():
        store = resolved_path(DEFAULT_STORE)  # compare with it when it is there
    return publish_reports(quarter, year, lang=lang, rubric=rubric, store=store, pdf=pdf,
                           log_lang=says, **logged, **quarterly)
