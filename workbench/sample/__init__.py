"""The synthetic sample county: a seeded generator and the workbook writer.

Other modules rely on this for `generate_sample` (a Ledger calibrated to a Neixiang-like county),
`write_sample` (the bundled workbook, laid out like a real ledger), `write_ledger_workbook` (any
Ledger in that layout, stamped with its report date), `sample_facts` (a sample's magnitudes) and
the sample year: `sample_series` (the ledger at each month end and each Friday of Q4, with the
change log of every edit, docs/history.md) and `write_sample_series` (those workbooks and
``changes.csv``); and the ledgers a DRC receives from its units and the province, drifted as
they really are (``perturb``: `write_sample_submissions`, for ``workbench merge``). It may import ``core``, ``present`` and ``model``.

Inside, ``generate`` runs the steps in the order they draw from one random generator:
``projects`` (the list, its schedules, the reserve) → ``identities`` (who each project is) →
``tags`` → ``progress`` (monthly S-curves) → ``item_tables`` (approvals, funding, problems,
milestones); ``draws``, ``numerals`` and ``parameters`` serve them all, ``workbook`` writes
the result and ``facts`` measures it. The year: ``series_plan`` (dates and edits, from their own
seeded generator) → ``series_state`` (each ledger derived from the year-end one) →
``changelog`` (every change, stated from the edits) → ``series`` (the public functions).
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "generate_sample": "workbench.sample.generate",
    "write_sample": "workbench.sample.generate",
    "sample_facts": "workbench.sample.facts",
    "sample_config": "workbench.sample.parameters",
    "write_ledger_workbook": "workbench.sample.workbook",
    "sample_series": "workbench.sample.series",
    "write_sample_series": "workbench.sample.series",
    "write_sample_submissions": "workbench.sample.perturb",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
