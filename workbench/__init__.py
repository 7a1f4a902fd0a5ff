"""Key-project workbench for a county Development and Reform Commission (县发改委).

The data flow, one module a step::

    load (load, readers, layout, values) → validate → Ledger (ledger, schemas)
      → score (rubric, planning, delivery, assessment, health) / review / whatif
      → charts, narrative → notebooks → publish (HTML, PDF, index)

Amounts are 万元 internally; leaders read 亿元.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

__version__ = "0.1.0"

# Public names, resolved on first use so that importing the package stays cheap.
_EXPORTS = {
    # the language of messages and errors (Chinese by default): workbench.set_message_lang("en")
    "set_message_lang": "workbench.core.messages",
    # the ledger and loading it
    "Ledger": "workbench.model.ledger",
    "load_ledger": "workbench.ingest.load",
    "validation_report": "workbench.ingest.validate",
    "load_profile": "workbench.ingest.profiles",
    "snapshot_history": "workbench.ingest.profiles",
    # the synthetic sample county
    "generate_sample": "workbench.sample.generate",
    "write_sample": "workbench.sample.generate",
    "write_ledger_workbook": "workbench.sample.workbook",
    # scores
    "Rubric": "workbench.scoring.rubric",
    "load_rubric": "workbench.scoring.rubric",
    "score": "workbench.scoring.scores",
    "Scores": "workbench.scoring.scores",
    "elapsed_share": "workbench.core.periods",
    "rollup": "workbench.scoring.groups",
    "monthly_assessment": "workbench.scoring.assessment",
    "annual_assessment": "workbench.scoring.assessment",
    # the quarterly review
    "quarterly_review": "workbench.review.quarterly",
    # exploring
    "project_card": "workbench.explore.card",
    "lagging": "workbench.explore.overviews",
    "overview": "workbench.explore.overviews",
    "export": "workbench.explore.spreadsheet",
    "table": "workbench.present.display",
    # what-if
    "Scenario": "workbench.whatif.scenario",
    "ApprovalDelay": "workbench.whatif.scenario",
    "load_scenario": "workbench.whatif.scenario",
    "save_scenario": "workbench.whatif.scenario",
    "apply": "workbench.whatif.applied",
    "compare": "workbench.whatif.comparison",
    "WhatIf": "workbench.whatif.session",
}

__all__ = ["__version__", *_EXPORTS]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
