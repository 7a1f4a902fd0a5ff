"""Scores with reasons: rubric, planning quality, delivery, unit assessment, portfolio health.

Other modules rely on this for `score` (a Scores object whose every lost point is a reason row),
the rubric (`load_rubric`, `Rubric`, `as_rubric`), roll-ups and the unit assessments, the band
of a score (`band_of`) and the reserve multiple (`reserve_multiple`). It may import ``core``,
``present`` and ``model``.

Inside, each module imports only modules further down this list (no cycles):
``assessment`` (月考核, 年度目标兑现) → ``scores`` (`score`, the export tables) → ``units``
(the unit table) → ``groups`` (roll-ups by group) → ``planning`` (the planning table, bands,
flags) → ``reasons`` (their messages) → ``losses`` (the six dimensions' rules) → ``facts``
(per-project facts) → ``delivery`` → ``health`` → ``lookup`` → ``rubric`` → ``rubric_check``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "score": "workbench.scoring.scores",
    "Scores": "workbench.scoring.scores",
    "score_tables": "workbench.scoring.scores",
    "score_summary": "workbench.scoring.scores",
    "Rubric": "workbench.scoring.rubric",
    "load_rubric": "workbench.scoring.rubric",
    "as_rubric": "workbench.scoring.rubric",
    "band_of": "workbench.scoring.planning",
    "reserve_multiple": "workbench.scoring.health",
    "rollup": "workbench.scoring.groups",
    "unit_assessment": "workbench.scoring.units",
    "monthly_assessment": "workbench.scoring.assessment",
    "annual_assessment": "workbench.scoring.assessment",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
