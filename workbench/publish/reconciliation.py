"""Publishing the reconciliation section (多源台账核对): the same machinery as the other reports
(kernel checked, the notebook run in a temporary folder, the offline page, the PDF when Chromium
is there, the folder moved into place only when every step succeeded, the index refreshed).

The merge is made (and every input checked) before any kernel starts; the kernel receives it
(``reconcile.handoff``) instead of merging again. The folder is named by the master's file
name: ``reconciliation_<stem>`` (``_en`` for English).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.core.paths import REPO_ROOT
from workbench.core.speedups import REPORT_RUN, import_lean_exporter_meanwhile
from workbench.core.words import check_lang, message, message_lang, phrase
from workbench.publish.execute import Log, kernel_environment, run_notebook, stderr_log
from workbench.publish.folders import report_folder_name
from workbench.publish.params import notebook_parameters, typed_parameters
from workbench.publish.runs import announce_published, finished_run, ready_to_run, run_folder

NOTEBOOK = REPO_ROOT / "notebooks" / "reconciliation.ipynb"
_HANDOFF = ".merge.pickle"


@dataclass(frozen=True)
class PublishedReconciliation:
    """Where a published reconciliation lives."""

    lang: str
    folder: Path
    notebook: Path
    html: Path
    pdf: Path | None


def publish_reconciliation(inputs, *, precedence: str | Path | None = None,
                           year: int | None = None, out: str | Path = "reports",
                           lang: str = "zh", pdf: bool = True, merged=None,
                           notebook: str | Path | None = None, progress: bool | None = None,
                           log: Log = stderr_log, log_lang: str | None = None
                           ) -> PublishedReconciliation:
    """Merge `inputs` (paths, the master first; or take `merged`, made from them) and publish
    the reconciliation section under `out`. Errors in the inputs or the precedence file come
    before any kernel (ParameterError, ConfigError, LedgerDataError); PublishError when the
    run fails (the executed notebook kept under ``_failed/``)."""
    from workbench.reconcile import merge_ledgers
    from workbench.reconcile.handoff import MERGE_HANDOFF, write_merge_handoff

    lang = check_lang(lang)
    paths = [Path(p).expanduser().resolve() for p in inputs]
    prec = str(Path(precedence).expanduser().resolve()) if precedence else ""
    if merged is None:
        merged = merge_ledgers(paths, precedence=prec or None, year=year)
    notebook = Path(notebook or NOTEBOOK)
    declared = notebook_parameters(notebook)
    params = {name: p.default for name, p in declared.items()}
    params.update(typed_parameters(declared, {"inputs": ";".join(str(p) for p in paths),
                                              "precedence": prec, "year": year or 0,
                                              "lang": lang}))
    says = message_lang(log_lang)
    chromium = ready_to_run(pdf, says, log)
    out = Path(out)
    stem = re.sub(r"[^\w\-]+", "_", paths[0].stem).strip("_") or "ledger"
    name = report_folder_name(f"reconciliation_{stem}", lang)
    files = {s: f"{notebook.stem}.{s}" for s in ("ipynb", "html", "pdf")}
    log(message("run_start", says, name=name, notebook=notebook.name, data=paths[0]))
    started = time.monotonic()
    with run_folder(out, name, notebook, files["ipynb"], says, log) as tmp:
        handoff = write_merge_handoff(merged, paths, prec or None, tmp / _HANDOFF)
        try:
            with kernel_environment(**{REPORT_RUN: "1", MERGE_HANDOFF: str(handoff)}):
                import_lean_exporter_meanwhile()
                nb = run_notebook(notebook, tmp / files["ipynb"], params, progress=progress,
                                  log=log, lang=says)
        finally:
            handoff.unlink(missing_ok=True)  # never published: it holds every input's rows
        title = phrase("rc_title", lang)
        target = finished_run(nb, tmp, out, name, title=title, lang=lang, html=files["html"],
                              pdf=files["pdf"], chromium=chromium, started=started, meta={
                                  "kind": "reconciliation", "period": paths[0].name,
                                  "quarter": paths[0].name,
                                  "kind_label": phrase("index_kind_reconciliation", lang),
                                  "inputs": [str(p) for p in paths]})
    announce_published(out, name, target, started, says, log)
    return PublishedReconciliation(lang, target, target / files["ipynb"], target / files["html"],
                                   target / files["pdf"] if chromium else None)
