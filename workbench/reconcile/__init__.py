"""Reconciling the ledgers a county receives (一数一源): the DRC's master ledger, the units'
submissions, the provincial platform's export, the statistics bureau's list … into one Ledger,
with every difference shown.

Other modules rely on this for `merge_ledgers` (each input loaded through ``load_ledger``,
linked: exact on a well-formed 项目代码, else splink's probabilistic record linkage; merged
into one Ledger that keeps where every value came from), the `Merged` result (links and the
pairs left to a person, the field-level conflicts, the projects found in one source only, the
accounting of every input row), `write_merged` (the merged workbook), `pair_scores`
(precision and recall against known truth), and the reconciliation section: its tables
(`reconciliation_figures`), its HTML (the ``view`` module) and the merge a published run
hands its kernel (`report_merge`). Settings live in ``config/reconcile.yaml``.
It may import ``exceptions``, ``core``, ``present``, ``model``, ``ingest`` and ``history``.

Inside: ``settings`` (the YAML, checked) → ``records`` (sources loaded, records to link) →
``linkage`` (splink pairs; projects from pairs) → ``choose`` (values by precedence, conflicts)
→ ``merge`` (the Merged result, row accounting) → ``export`` (the workbook, the texts) →
``view`` (the section's tables and HTML), ``handoff`` (one merge per published run);
``truth`` scores a merge against known truth.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "merge_ledgers": "workbench.reconcile.merge",
    "Merged": "workbench.reconcile.merge",
    "Source": "workbench.reconcile.records",
    "reconcile_settings": "workbench.reconcile.settings",
    "read_precedence": "workbench.reconcile.settings",
    "write_merged": "workbench.reconcile.export",
    "merge_summary_text": "workbench.reconcile.export",
    "pair_scores": "workbench.reconcile.truth",
    "report_merge": "workbench.reconcile.handoff",
    "reconciliation_figures": "workbench.reconcile.view",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
