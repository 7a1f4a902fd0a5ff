"""Publishing: report parameters, notebook runs, offline HTML, PDF, the index, score files.

Side effects (kernels, files, browsers) live here. Other modules rely on this for
`publish_reports` and the parameter checks made before any kernel starts. It may import every
layer below it.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "publish_reports": "workbench.publish.publish",
    "publish_report": "workbench.publish.publish",
    "publish_year": "workbench.publish.publish",

}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
