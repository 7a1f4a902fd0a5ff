"""What-if: scenarios as data, applied to a Ledger, compared with the base, shown with sliders.

Other modules rely on this for `Scenario`, `apply`, `compare`, the `WhatIf` session, the
widget controls and the report's offline panel. It may import every layer below
``review | explore | whatif``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "Scenario": "workbench.whatif.whatif",
    "ApprovalDelay": "workbench.whatif.whatif",
    "load_scenario": "workbench.whatif.whatif",
    "save_scenario": "workbench.whatif.whatif",
    "apply": "workbench.whatif.whatif",
    "compare": "workbench.whatif.whatif",
    "WhatIf": "workbench.whatif.whatif",
    "whatif_controls": "workbench.whatif.whatif",
    "save_control": "workbench.whatif.whatif",
    "live_comparison": "workbench.whatif.panel",
    "report_section": "workbench.whatif.panel",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
