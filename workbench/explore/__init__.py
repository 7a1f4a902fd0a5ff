"""The analyst's views: filters, project cards, overviews, lagging lists, exports.

Other modules rely on this for `project_card`, `overview`, `lagging`, `explorer` and `export`.
It may import every layer below ``review | explore | whatif``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "project_card": "workbench.explore.explore",
    "lagging": "workbench.explore.explore",
    "overview": "workbench.explore.explore",
    "explorer": "workbench.explore.explore",
    "export": "workbench.explore.explore",
    "filter_ledger": "workbench.explore.explore",
    "scores_of": "workbench.explore.explore",
    "AmbiguousProject": "workbench.explore.explore",
    "ProjectNotFound": "workbench.explore.explore",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
