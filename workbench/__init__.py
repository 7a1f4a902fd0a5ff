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
    # the ledger and loading it
    "Ledger": "workbench.ledger",
    "load_ledger": "workbench.load",
    "validation_report": "workbench.validate",
    "load_profile": "workbench.profiles",
    "snapshot_history": "workbench.profiles",
    # the synthetic sample county
    "generate_sample": "workbench.sample",
    "write_sample": "workbench.sample",
    "write_ledger_workbook": "workbench.workbook",
    # scores
    "Rubric": "workbench.rubric",
    "load_rubric": "workbench.rubric",
    "score": "workbench.scoring",
    "Scores": "workbench.scoring",
    "elapsed_share": "workbench.delivery",
    "rollup": "workbench.assessment",
    "monthly_assessment": "workbench.assessment",
    "annual_assessment": "workbench.assessment",
    # the quarterly review
    "quarterly_review": "workbench.review",
    # exploring
    "project_card": "workbench.explore",
    "lagging": "workbench.explore",
    "overview": "workbench.explore",
    "export": "workbench.explore",
    "table": "workbench.display",
    # what-if
    "Scenario": "workbench.whatif",
    "ApprovalDelay": "workbench.whatif",
    "load_scenario": "workbench.whatif",
    "save_scenario": "workbench.whatif",
    "apply": "workbench.whatif",
    "compare": "workbench.whatif",
    "WhatIf": "workbench.whatif",
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
