"""Key-project workbench for a county Development and Reform Commission (县发改委).

The data flow, one module a step::

    load (load, readers, layout, values) → validate → Ledger (ledger, schemas)
      → score (rubric, planning, delivery, assessment, health) / review / whatif
      → charts, narrative → notebooks → publish (HTML, PDF, index)

Amounts are 万元 internally; leaders read 亿元.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# Public names, resolved on first use so that importing the package stays cheap.
_EXPORTS = {
    "Ledger": "workbench.ledger",
    "load_ledger": "workbench.load",
    "generate_sample": "workbench.sample",
    "write_ledger_workbook": "workbench.workbook",
    "load_rubric": "workbench.rubric",
    "score": "workbench.scoring",
    "Scores": "workbench.scoring",
    "quarterly_review": "workbench.review",
    "project_card": "workbench.explore",
    "export": "workbench.explore",
    "Scenario": "workbench.whatif",
    "apply": "workbench.whatif",
    "compare": "workbench.whatif",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
