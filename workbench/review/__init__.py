"""The DRC's cycle of reviews: the quarterly review (季度讲评), the weekly dispatch (周调度) and
the monthly assessment report (月考核通报), with the measures that need history.

Other modules rely on this for `quarterly_review` (the figures of one quarter), the section
and chart builders the review notebook displays (`sections`, `charts`), `weekly_dispatch` and
`monthly_report` (read from the snapshot store; their pages built by `dispatch_view` and
`monthly_view`), `risk_section` (风险预警, from ``risk``), `schedule_measures` (months behind by earned schedule, the pace still needed)
and `rebaseline_counts`. It may import every layer below it: ``core``, ``present``, ``model``,
``ingest``, ``scoring``, ``sample``, ``history``, ``risk``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "quarterly_review": "workbench.review.quarterly",
    "risk_section": "workbench.review.risk_view",
    "review_of": "workbench.review.quarterly",
    "schedule_measures": "workbench.review.pace",
    "rebaseline_counts": "workbench.review.pace",
    "weekly_dispatch": "workbench.review.dispatch",
    "dispatch_of": "workbench.review.dispatch",
    "Dispatch": "workbench.review.dispatch",
    "monthly_report": "workbench.review.monthly",
    "assessment_of": "workbench.review.monthly",
    "Assessment": "workbench.review.monthly",
    "unit_trend": "workbench.review.monthly",
    "notice_rules": "workbench.review.notices",
    "checked_store": "workbench.review.stored",
    "compare_section": "workbench.review.compare",
    "comparison_of": "workbench.review.compare",
    "comparison_block": "workbench.review.compare",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
