"""The analyst's views: a leader's question answered in a minute from a ledger.

Find a project by code or name (``find``), list projects with their scores (``project_list``),
one project's card (``card``), a selection at a glance and the projects behind 序时进度
(``overviews``), their charts (``charts``), the interactive panel (``panel``), the export
of a selection to Excel (``spreadsheet``) and the unit brief's title and headings (``brief``).

Other modules rely on this for `project_card`, `overview`, `lagging`, `explorer`, `export`,
`scores_of` and `filter_ledger` (the notebooks and the top-level ``workbench`` API).
It may import ``model``, ``ingest``, ``scoring``, ``sample``, ``present``, ``core`` and
``exceptions`` (every layer below ``review | explore | whatif``), never ``review`` or ``whatif``.

>>> from workbench.ingest import load_ledger
>>> from workbench.explore import export, project_card
>>> book = load_ledger("data/sample/neixiang_2022_ledger.xlsx")          # doctest: +SKIP
>>> project_card(book, "医院")                  # by part of the name (or by 项目代码)  # doctest: +SKIP
>>> behind = book.filter(office="工业发展", rag=["red", "amber"], scores=scores)  # doctest: +SKIP
>>> export(behind, "reports/工业发展_滞后项目.xlsx")                      # doctest: +SKIP
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

# No submodule may share a name listed here: ``import workbench.explore.x`` would bind the
# module over the name (tests/explore/test_facade.py checks it).
_EXPORTS = {
    "find_project": "workbench.explore.find",
    "project_table": "workbench.explore.project_list",
    "scores_of": "workbench.explore.project_list",
    "filter_ledger": "workbench.explore.project_list",
    "ProjectCard": "workbench.explore.card",
    "project_card": "workbench.explore.card",
    "Overview": "workbench.explore.overviews",
    "overview": "workbench.explore.overviews",
    "lagging": "workbench.explore.overviews",
    "progress_chart": "workbench.explore.charts",
    "completion_chart": "workbench.explore.charts",
    "status_chart": "workbench.explore.charts",
    "explorer": "workbench.explore.panel",
    "export": "workbench.explore.spreadsheet",
    "export_frame": "workbench.explore.spreadsheet",
    "brief_title": "workbench.explore.brief",
    "brief_heading": "workbench.explore.brief",
    "AmbiguousProject": "workbench.exceptions",
    "ProjectNotFound": "workbench.exceptions",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
