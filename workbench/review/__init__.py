"""The quarterly review (季度讲评): figures, narrative, report sections and charts.

Other modules rely on this for `quarterly_review` (the figures of one quarter) and the section
and chart builders the review notebook displays. It may import every layer below it:
``core``, ``present``, ``model``, ``ingest``, ``scoring``, ``sample``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "quarterly_review": "workbench.review.quarterly",
    "review_of": "workbench.review.quarterly",
    "schedule_measures": "workbench.review.pace",
    "rebaseline_counts": "workbench.review.pace",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
