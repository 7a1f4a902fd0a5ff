"""Publishing quarterly reviews: one quarter, or every quarter of a year, under an output folder.

One run: parameters checked (and the ledger read) before any kernel starts; the notebook run
with the checked ledger handed to its kernel; the offline HTML page; the PDF when Chromium is
there; then the folder moved into place and the index refreshed. The steps live in their own
modules (`params`, `execute`, `offline_html`, `pdf`, `folders`, `index`); this one sequences them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.paths import REPO_ROOT, resolved_path
from workbench.core.speedups import REPORT_RUN, import_lean_exporter_meanwhile
from workbench.core.words import error_message, message, message_lang
from workbench.exceptions import ParameterError, PublishError
from workbench.ingest.handoff import LEDGER_HANDOFF, write_ledger_handoff
from workbench.publish.execute import (
    Log,
    kernel_environment,
    run_notebook,
    stderr_log,
)
from workbench.publish.folders import (
    HANDOFF_FILE,
    HTML_FILE,
    NOTEBOOK_FILE,
    PDF_FILE,
    report_folder_name,
)
from workbench.publish.params import checked_report, notebook_parameters, quarters_covered
from workbench.publish.plausible import refuse_implausible
from workbench.publish.runs import announce_published, finished_run, ready_to_run, run_folder
from workbench.review.population import county_name
from workbench.review.sections import report_title

#: The quarterly review notebook a report runs unless told otherwise.
DEFAULT_NOTEBOOK = REPO_ROOT / "notebooks" / "quarterly_review.ipynb"


@dataclass(frozen=True)
class Published:
    """Where one published report lives."""

    quarter: str
    lang: str
    folder: Path
    notebook: Path
    html: Path
    pdf: Path | None


def publish_report(
    quarter: str,
    ledger_path: str | Path | None = None,
    *,
    out: str | Path = "reports",
    lang: str = "zh",
    as_of: str = "",
    rubric: str | Path | None = None,
    office: str = "",
    unit: str = "",
    scenario: str | Path | None = None,
    store: str | Path | None = None,
    pdf: bool = True,
    notebook: str | Path = DEFAULT_NOTEBOOK,
    progress: bool | None = None,
    log: Log = stderr_log,
    load=None,
    accept_warnings: bool = False,
    log_lang: str | None = None,
) -> Published:
    """Run the quarterly review for `quarter` and publish it atomically under `out`.

    Parameters are checked before any kernel starts (ParameterError). A failed run raises
    PublishError naming the failed cell, with the folder its executed notebook was kept in
    (``kept``). A ledger that fails the plausibility checks (``workbench.model.plausibility``)
    raises LedgerDataError naming each column and count, unless `accept_warnings`: then the
    report publishes and its first page states them. Log lines are written in `log_lang`
    (default: ``message_lang()``, the environment's); the report in `lang`.
    """
    given = {"quarter": quarter, "lang": lang, "as_of": as_of, "office": office, "unit": unit}
    files = {"ledger_path": ledger_path, "rubric": rubric, "scenario": scenario}  # scenario: base vs what-if
    given |= {name: str(Path(path).expanduser().resolve()) for name, path in files.items() if path}
    if store:  # the snapshot store the review compares with (previous quarter, a year earlier)
        given["store"] = str(_existing_store(store, lang))
    says = message_lang(log_lang)
    params, checked_ledger = checked_report(notebook, given, load=load, says=says)
    quarter = params["quarter"]  # written YYYYQn
    refuse_implausible(checked_ledger, params["ledger_path"], accept_warnings, log)
    chromium = ready_to_run(pdf, says, log)
    out = Path(out)
    name = report_folder_name(quarter, lang, office, unit)
    log(message("run_start", says, name=name, notebook=Path(notebook).name,
                data=params["ledger_path"]))
    started = time.monotonic()
    with run_folder(out, name, Path(notebook), NOTEBOOK_FILE, says, log) as tmp:
        nb = _run(Path(notebook), tmp, params, checked_ledger, progress, log, says)
        county = county_name(checked_ledger.projects) if checked_ledger is not None else ""
        title = report_title(quarter, lang, office, unit, county=county)
        target = finished_run(nb, tmp, out, name, title=title, lang=lang, html=HTML_FILE,
                              pdf=PDF_FILE, chromium=chromium, started=started, meta={
                                  "quarter": quarter, "office": office, "unit": unit,
                                  "ledger": params["ledger_path"],
                                  "as_of": params.get("as_of", "")})
    announce_published(out, name, target, started, says, log)
    return Published(quarter, lang, target, target / NOTEBOOK_FILE, target / HTML_FILE,
                     target / PDF_FILE if chromium else None)


def _existing_store(store, lang: str = "zh") -> Path:
    """The store file the quarterly review compares with; ParameterError when it is missing."""
    from workbench.review.stored import snapshots, store_path

    path = store_path(store)
    if not path.is_file():
        raise ParameterError(error_message("err_store_missing", store=str(path)),
                             file=str(path), field="store")
    snapshots(path)  # a store of another version (or no store at all) is refused before any kernel
    return path.resolve()


def _run(notebook: Path, folder: Path, params: dict, ledger, progress, log: Log, says: str):
    """Run `notebook` into `folder` on a kernel that receives the checked `ledger` and applies
    the report's speed-ups (``workbench.core.speedups.report_kernel_speedups``)."""
    handoff = write_ledger_handoff(ledger, params["ledger_path"], folder / HANDOFF_FILE)
    try:
        with kernel_environment(**{LEDGER_HANDOFF: str(handoff), REPORT_RUN: "1"}):
            import_lean_exporter_meanwhile()
            return run_notebook(notebook, folder / NOTEBOOK_FILE, params, progress=progress,
                                log=log, lang=says)
    finally:
        handoff.unlink(missing_ok=True)


def publish_year(year: int, ledger_path: str | Path | None = None, **options) -> list[Published]:
    """Publish every quarter of `year` the ledger's data covers (the ledger_path is read once,
    as `year`'s ledger: ``load_ledger(..., year=)``).

    A quarter that fails is reported and the others are still published; PublishError at the
    end lists the failures.
    """
    notebook = options.get("notebook", DEFAULT_NOTEBOOK)
    if ledger_path is None:
        ledger_path = resolved_path(notebook_parameters(notebook)["ledger_path"].default)
    loaded = _cached_loader(options.pop("load", None), year)
    quarters = quarters_covered(loaded(str(Path(ledger_path).resolve())), year)
    if not quarters:
        raise ParameterError(error_message("year_no_data", path=ledger_path, year=year),
                             file=str(ledger_path), field="year", value=year)
    published, failures = [], []
    for quarter in quarters:  # one failed quarter does not stop the others
        try:
            published.append(publish_report(quarter, ledger_path, load=loaded, **options))
        except PublishError as exc:
            failures.append(exc)
    if failures:
        raise PublishError(error_message("quarters_failed", n=len(failures), of=len(quarters),
                                         failures="\n".join(str(exc) for exc in failures)),
                           kept=[exc.kept for exc in failures])
    return published


def _cached_loader(load: Callable | None = None, year: int | None = None) -> Callable:
    """A loader reading each ledger once; by default ``load_ledger``, reading the ledger as
    `year`'s when given (``workbench report --year``: the ledger's year too)."""
    if load is None:
        from workbench.ingest import load_ledger

        def load(path):
            return load_ledger(path, year=year)
    cache: dict = {}

    def loaded(path):
        if path not in cache:
            cache[path] = load(path)
        return cache[path]

    return loaded


def publish_reports(quarter: str | None = None, year: int | None = None, **options) -> list[Published]:
    """Publish one quarter, or every quarter of `year` the data covers (the CLI's entry point)."""
    if bool(quarter) == bool(year):
        raise ParameterError(error_message("quarter_or_year"), field="quarter")
    if not options.get("store"):
        options.pop("store", None)
    if year:
        ledger_path = options.pop("ledger_path", None)
        return publish_year(year, ledger_path, **options)
    return [publish_report(quarter, **options)]
