"""Publishing the weekly dispatch (周调度) and the monthly assessment report (月考核通报).

The same machinery as the quarterly review (`reports`): parameters and the snapshot store
checked before any kernel starts, the notebook run in a temporary folder, the offline page, the
PDF when Chromium is there, the folder moved into place only when every step succeeded (else
kept under ``_failed/``) and the index refreshed. The data comes from the store
(``workbench.history``), not from a ledger file: the notebook reads it itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from workbench.core.paths import REPO_ROOT
from workbench.core.periods import month_bounds, week_bounds
from workbench.core.speedups import REPORT_RUN, import_lean_exporter_meanwhile
from workbench.core.words import check_lang, error_message, message, message_lang, phrase
from workbench.exceptions import ParameterError
from workbench.publish.execute import (
    Log,
    kernel_environment,
    run_notebook,
    stderr_log,
)
from workbench.publish.folders import (
    report_folder_name,
)
from workbench.publish.params import _as_parameter, notebook_parameters, typed_parameters
from workbench.publish.runs import announce_published, finished_run, ready_to_run, run_folder


@dataclass(frozen=True)
class Period:
    """One kind of periodic report: its notebook, its parameter and how its title is written."""

    kind: str  # "week" or "month": the notebook parameter naming the period
    notebook: Path
    bounds: object  # period text -> (first day, last day); ParameterError when malformed

    def title(self, period: str, lang: str) -> str:
        from workbench.review import dispatch_view, monthly_view

        if self.kind == "week":
            return dispatch_view.dispatch_title(period, lang)
        return monthly_view.assessment_title(period, lang)


PERIODS = {
    "week": Period("week", REPO_ROOT / "notebooks" / "weekly_dispatch.ipynb", week_bounds),
    "month": Period("month", REPO_ROOT / "notebooks" / "monthly_assessment.ipynb", month_bounds),
}


@dataclass(frozen=True)
class PublishedPeriod:
    """Where one published weekly or monthly report lives."""

    kind: str
    period: str
    lang: str
    folder: Path
    notebook: Path
    html: Path
    pdf: Path | None

    @property
    def quarter(self) -> str:  # the CLI prints every report's period under this name
        return self.period


def checked_period(kind: str, period: str, notebook: Path, given: dict) -> dict:
    """The notebook's parameters with `given` applied and checked, the period written in its
    canonical form, the store checked (missing: ParameterError, empty or without a snapshot on
    or before the period's end: LedgerDataError), before any kernel starts."""
    from workbench.review.stored import checked_store, snapshot_on_or_before

    if kind not in PERIODS:
        raise ParameterError(error_message("report_kind", value=kind, valid=", ".join(PERIODS)),
                             field="kind", value=kind)
    declared = notebook_parameters(notebook)
    params = {name: p.default for name, p in declared.items()}
    params.update(typed_parameters(declared, {kind: period, **given}))
    check_lang(params.get("lang", "zh"))  # the report's language, checked before any kernel
    start, end = PERIODS[kind].bounds(params[kind])
    params[kind] = f"{start:%G-W%V}" if kind == "week" else f"{start:%Y-%m}"
    store = checked_store(params.get("store") or None)  # in the messages' language
    snapshot_on_or_before(end, store, what=params[kind])
    params["store"] = str(store.resolve())
    if params.get("rubric"):
        from workbench.core.paths import resolved_path
        from workbench.scoring import load_rubric

        path = resolved_path(params["rubric"])
        if not path.is_file():
            raise ParameterError(error_message("rubric_not_found", path=params["rubric"]),
                                 file=str(params["rubric"]), field="rubric")
        from workbench.review import notice_rules

        with _as_parameter("rubric", str(path), error_message("param_rubric", file=params["rubric"])):
            notice_rules(load_rubric(path))  # its notices rules too, before any kernel
        params["rubric"] = str(path.resolve())
    return params


def publish_period(kind: str, period: str, *, store: str | Path | None = None,
                   out: str | Path = "reports", lang: str = "zh",
                   rubric: str | Path | None = None, pdf: bool = True,
                   notebook: str | Path | None = None, progress: bool | None = None,
                   log: Log = stderr_log, log_lang: str | None = None) -> PublishedPeriod:
    """Run the weekly dispatch (`kind` "week", `period` YYYY-Www) or the monthly assessment
    (`kind` "month", `period` YYYY-MM) from the snapshot `store` and publish it atomically
    under `out`. ParameterError / LedgerDataError before any kernel; PublishError when the
    run fails (the executed notebook kept, the last good report left in place)."""
    notebook = Path(notebook or PERIODS.get(kind, PERIODS["week"]).notebook)
    given = {"lang": lang}
    if store:
        given["store"] = str(Path(store).expanduser())
    if rubric and kind == "month":
        given["rubric"] = str(Path(rubric).expanduser().resolve())
    params = checked_period(kind, period, notebook, given)
    period = params[kind]
    says = message_lang(log_lang)
    chromium = ready_to_run(pdf, says, log)
    out = Path(out)
    name = report_folder_name(period, lang)
    files = {s: f"{notebook.stem}.{s}" for s in ("ipynb", "html", "pdf")}
    log(message("run_start", says, name=name, notebook=notebook.name, data=params["store"]))
    started = time.monotonic()
    with run_folder(out, name, notebook, files["ipynb"], says, log) as tmp:
        with kernel_environment(**{REPORT_RUN: "1"}):
            import_lean_exporter_meanwhile()
            nb = run_notebook(notebook, tmp / files["ipynb"], params, progress=progress, log=log,
                              lang=says)
        title = PERIODS[kind].title(period, lang)
        target = finished_run(nb, tmp, out, name, title=title, lang=lang, html=files["html"],
                              pdf=files["pdf"], chromium=chromium, started=started, meta={
                                  "kind": kind, "period": period, "quarter": period,
                                  "kind_label": phrase(f"index_kind_{kind}", lang),
                                  "store": params["store"]})
    announce_published(out, name, target, started, says, log)
    return PublishedPeriod(kind, period, lang, target, target / files["ipynb"],
                           target / files["html"], target / files["pdf"] if chromium else None)
