"""The workbench's memory: every ledger kept as a dated snapshot, and what changed between two.

Other modules rely on this for the snapshot store (`add_snapshot`, `add_loaded`, `list_snapshots`,
`read_snapshot`, `remove_snapshot`, `snapshot_panel`, `stored_snapshot`), a project's identity
across snapshots (`project_key`; renames linked and listed, doubtful pairs left to a person),
what changed (`diff_ledgers`, `diff_snapshots`, `Diff`) and each project's re-baselines
(`baseline_history`). It may import ``core``, ``present`` and ``model``; it never reads a
spreadsheet (``publish.snapshot_ledger`` loads the file and hands over the Ledger).

Inside: ``schema`` (the store's tables, from the Ledger's schemas) → ``store`` (the DuckDB file:
open, lock, version) → ``identity`` (keys across snapshots) → ``snapshots`` (add, read) →
``changes`` (item tables) → ``diff`` → ``baselines``. docs/history.md is the maintainers' note.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "add_snapshot": "workbench.history.snapshots",
    "add_loaded": "workbench.history.snapshots",
    "read_snapshot": "workbench.history.snapshots",
    "snapshot_panel": "workbench.history.snapshots",
    "snapshot_date": "workbench.history.snapshots",
    "stored_snapshot": "workbench.history.snapshots",
    "list_snapshots": "workbench.history.store",
    "remove_snapshot": "workbench.history.store",
    "store_path": "workbench.history.store",
    "SnapshotInfo": "workbench.history.store",
    "Diff": "workbench.history.diff",
    "diff_ledgers": "workbench.history.diff",
    "diff_snapshots": "workbench.history.diff",
    "baseline_history": "workbench.history.baselines",
    "name_key": "workbench.history.identity",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
