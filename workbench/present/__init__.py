"""Presentation helpers shared by every view: theme, HTML, styled tables, widgets, exports.

Other modules rely on this for colours and fonts, escaped HTML, labelled tables, ipywidgets
controls and formula-safe spreadsheet exports. It may import ``core`` only.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "table": "workbench.present.display",
    "write_tables": "workbench.present.export",
    "formula_safe": "workbench.present.export",
    "formula_safe_frame": "workbench.present.export",
    "panel": "workbench.present.widgets",
    "use_in_notebook": "workbench.present.theme",
    "chart_svg": "workbench.present.theme",
    "themed": "workbench.present.theme",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
