"""Publishing: report parameters, notebook runs, offline HTML, PDF, the index, score files.

Side effects (kernels, files, browsers, the store) live here, one job a module: `params`
(parameters checked before any kernel starts), `execute` (running the notebook),
`offline_html` (the page), `pdf` (printing it with Chromium), `folders` (atomic report
folders, failed runs kept), `runs` (a run's folder, the signals that stop it,
``--on-failure``), `index` (the index page), `reports` (one quarter or a year, step by
step), `periodic` (the weekly dispatch and the monthly assessment, from the snapshot store),
`reconciliation` (the merge of several ledgers, ``workbench merge --report``),
`scores` (a ledger file scored into a workbook), `snapshots` (a ledger file into the
snapshot store), `brief` (the analyst's unit brief, offline) and `backtest` (the risk
back-test's page). Other modules rely on this
for `publish_reports`, `publish_period`, `publish_reconciliation`, the parameter checks made before any kernel starts
(`checked_report`), the offline page of an executed notebook (`notebook_html`), `score_file`,
`snapshot_ledger`, `unit_brief` and `backtest_page`. It may import every layer below it.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "publish_reports": "workbench.publish.reports",
    "publish_report": "workbench.publish.reports",
    "publish_year": "workbench.publish.reports",
    "Published": "workbench.publish.reports",
    "DEFAULT_NOTEBOOK": "workbench.publish.reports",
    "publish_period": "workbench.publish.periodic",
    "PublishedPeriod": "workbench.publish.periodic",
    "checked_report": "workbench.publish.params",
    "report_parameters": "workbench.publish.params",
    "notebook_html": "workbench.publish.offline_html",
    "unit_brief": "workbench.publish.brief",
    "backtest_page": "workbench.publish.backtest",
    "write_index": "workbench.publish.index",
    "score_file": "workbench.publish.scores",
    "snapshot_ledger": "workbench.publish.snapshots",
    "publish_chosen": "workbench.publish.chosen",
    "publish_reconciliation": "workbench.publish.reconciliation",
    "file_hash": "workbench.publish.snapshots",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
