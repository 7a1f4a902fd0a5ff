"""The synthetic sample county: a seeded generator and the workbook writer.

Other modules rely on this for `generate_sample` (a Ledger calibrated to a Neixiang-like county),
`write_sample` (the bundled workbook, laid out like a real ledger), `write_ledger_workbook` (any
Ledger in that layout) and `sample_facts` (a sample's magnitudes). It may import ``core``,
``present`` and ``model``.

Inside, ``generate`` runs the steps in the order they draw from one random generator:
``projects`` (the list, its schedules, the reserve) → ``identities`` (who each project is) →
``tags`` → ``progress`` (monthly S-curves) → ``item_tables`` (approvals, funding, problems,
milestones); ``draws``, ``numerals`` and ``parameters`` serve them all, ``workbook`` writes
the result and ``facts`` measures it.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "generate_sample": "workbench.sample.generate",
    "write_sample": "workbench.sample.generate",
    "sample_facts": "workbench.sample.facts",
    "sample_config": "workbench.sample.parameters",
    "write_ledger_workbook": "workbench.sample.workbook",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
