"""The canonical data model: the Ledger, its table schemas, findings, filters and as-of dates.

Other modules rely on this for the one shape of a ledger (six tables declared once with
pandera), the findings collector every check fills, and the default as-of date. It may import
``core`` and ``present``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "Ledger": "workbench.model.ledger",
    "Findings": "workbench.model.findings",
    "load_rules": "workbench.model.findings",
    "rule_severity": "workbench.model.findings",
    "plausibility_issues": "workbench.model.plausibility",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
