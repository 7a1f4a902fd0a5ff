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
