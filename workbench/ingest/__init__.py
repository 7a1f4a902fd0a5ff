"""Reading ledgers as people keep them: files, layouts, values, profiles, validation.

Other modules rely on this for `load_ledger` (any county's workbook or CSV to a checked Ledger,
every row accepted or rejected with a reason) and the validation report. It may import
``core``, ``present`` and ``model``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "load_ledger": "workbench.ingest.load",
    "validation_report": "workbench.ingest.validate",
    "load_profile": "workbench.ingest.profiles",
    "snapshot_history": "workbench.ingest.profiles",
    "report_ledger": "workbench.ingest.handoff",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
