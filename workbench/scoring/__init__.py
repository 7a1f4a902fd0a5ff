"""Scores with reasons: rubric, planning quality, delivery, unit assessment, portfolio health.

Other modules rely on this for `score` (a Scores object whose every lost point is a reason row)
and the rubric. It may import ``core``, ``present`` and ``model``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "score": "workbench.scoring.scores",
    "Scores": "workbench.scoring.scores",
    "Rubric": "workbench.scoring.rubric",
    "load_rubric": "workbench.scoring.rubric",
    "elapsed_share": "workbench.scoring.delivery",
    "rollup": "workbench.scoring.assessment",
    "monthly_assessment": "workbench.scoring.assessment",
    "annual_assessment": "workbench.scoring.assessment",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
