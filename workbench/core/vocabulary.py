"""The ledger's domain words and table names, apart from the schemas that check them.

Modules that only need the words (review, planning, what-if, widgets) import them from here,
so a report's kernel never imports pandera: the Ledger it receives was checked before the
kernel started. The schemas in ``schemas.py`` use the same words.
"""

from __future__ import annotations

#: Dates are pandas 3's native unit; a month is the first day of that month.
DATE = "datetime64[us]"

#: Every table of a Ledger, in the order they are written and shown.
TABLE_NAMES = ("projects", "progress", "approvals", "funding", "problems", "milestones")

NATURES = ("新开工", "续建", "竣工", "前期")
STAGES = ("谋划", "储备", "前期", "在建", "建成", "投产")
LEVELS = ("省", "市", "县")
OFFICES = ("政府投资", "城镇建设", "农业经济", "社会事业", "工业发展")
BATCH_KINDS = ("签约", "开工", "投产")
TIERS_531 = ("5", "3", "1")
APPROVAL_ITEMS = ("立项", "用地", "规划", "环评", "能评", "施工许可")
APPROVAL_STATUSES = ("done", "in_progress", "not_started", "not_required")
FUNDING_SOURCES = (
    "中央预算内投资",
    "地方政府专项债券",
    "财政资金",
    "银行贷款",
    "企业自筹",
    "社会资本",
)
FUNDING_STATUSES = ("applied", "approved", "received")

# --- groups and states (one definition each) ---------------------------------------------------

#: The reserve (储备库): projects conceived or held in reserve, not yet in preparation. The
#: reserve multiple divides their total investment by the annual plan.
RESERVE_STAGES = ("谋划", "储备")
#: Projects past construction: built or in operation.
OPERATING_STAGES = ("建成", "投产")
#: Not started yet: the reserve plus projects in preparation (前期), which already plan a start.
UNSTARTED_STAGES = (*RESERVE_STAGES, "前期")

#: Planning-quality bands, best to worst (UK IPA's five-point scale).
BANDS = ("green", "amber_green", "amber", "amber_red", "red")
#: Delivery RAG states a project can be rated.
RAGS = ("green", "amber", "red")
#: The delivery state of a project with nothing due yet (no year-to-date plan): not rated.
RAG_NONE = "none"
#: Every delivery state a table of projects can hold, rated ones first.
RAG_STATES = (*RAGS, RAG_NONE)

#: The six planning-quality dimensions, in the rubric's order.
DIMENSIONS = ("policy_fit", "definition", "approvals", "funding", "schedule", "responsibility")

# --- selecting projects -------------------------------------------------------------------------

#: Filters `Ledger.filter` understands, in the order panels show them.
FILTER_FIELDS = ("office", "unit", "level", "stage", "band", "rag", "name_contains")
#: The projects column each filter reads (band and rag come from the scores).
FILTER_COLUMNS = {
    "office": "office",
    "unit": "responsible_unit",
    "level": "level",
    "stage": "stage",
    "band": "band",
    "rag": "rag",
    "name_contains": "name",
}
#: Allowed values of the closed filters.
FILTER_VALUES = {"office": OFFICES, "level": LEVELS, "stage": STAGES, "band": BANDS, "rag": RAGS}
