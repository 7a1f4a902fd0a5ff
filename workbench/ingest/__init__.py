"""Reading ledgers as people keep them: files, layouts, values, profiles, validation.

A file is read into raw sheets (``readers``); each sheet's layout is recognised (``headers``,
with ``aliases``, ``months`` and ``rows``); cells are parsed (``values``, ``dates``); project
sheets (``projects``, ``monthly``, ``items``) and linked sheets (``linked``) are read and checked
(``checks``), and every row is accounted for in one Ledger (``assemble``, driven by ``sheets``).
``load`` is the entry point; ``profiles`` and ``snapshots`` read other portfolios; ``validate``
renders the report of ``workbench validate``; ``handoff`` passes a checked Ledger to a kernel.
The findings the loader fills are the model's (``workbench.model.findings``).

Other modules rely on this for `load_ledger` (any county's workbook or CSV to a checked Ledger,
every row accepted or rejected with a reason) and the validation report. It may import
``exceptions``, ``core``, ``present`` and ``model``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "load_ledger": "workbench.ingest.load",
    "validation_report": "workbench.ingest.validate",
    "load_profile": "workbench.ingest.profiles",
    "snapshot_history": "workbench.ingest.profiles",
    "snapshot_reports": "workbench.ingest.profiles",
    "report_ledger": "workbench.ingest.handoff",
    "file_fingerprint": "workbench.ingest.handoff",
    "mapping_display": "workbench.ingest.mapping",
    "mapping_table_text": "workbench.ingest.validate",
    "mapping_profile": "workbench.ingest.profile_writer",
    "write_mapping_profile": "workbench.ingest.profile_writer",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
