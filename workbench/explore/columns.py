"""Which columns each view shows, in order: the project list, a project card, exported tables.

Columns keep their code names (``workbench.core.words`` labels them when shown or exported).
"""

from __future__ import annotations

#: Columns of the project list (`project_table`, an overview, the panel), in order.
TABLE_COLUMNS = (
    "project_id",
    "name",
    "office",
    "responsible_unit",
    "level",
    "stage",
    "nature",
    "total_investment",
    "annual_plan",
    "ytd_completed",
    "completion_share",
    "points_vs_elapsed",
    "rag",
    "score",
    "band",
    "open_problems",
)

#: Facts shown at the top of a project card, in order.
CARD_FACTS = (
    "project_id",
    "owner",
    "location",
    "nature",
    "stage",
    "level",
    "office",
    "sector",
    "category",
    "batch_quarter",
    "batch_kind",
    "programme_982",
    "tier_531",
    "scope",
    "total_investment",
    "annual_plan",
    "planned_start",
    "actual_start",
    "planned_completion",
    "actual_completion",
    "responsible_unit",
    "leader",
    "physical_progress_note",
)

#: Delivery measures shown on a card, in order.
CARD_DELIVERY = (
    "rag",
    "ytd_planned",
    "ytd_completed",
    "completion_share",
    "elapsed_share",
    "points_vs_elapsed",
    "spi",
    "start_slip_months",
    "completion_slip_months",
)

#: In the problem and milestone tables `owner` is who must act, not the project's owner: shown
#: (on a card) and exported under the assignee's label.
ASSIGNEE = {"owner": "assignee"}
