"""The canonical ledger's tables, declared once (pandera); checked in `ledger.py`.

The domain words the columns allow live in ``vocabulary.py``.

Amounts are 万元. Dates are ``datetime64[us]`` (pandas 3's native unit); a month is the first
day of that month. Domain words (nature, stage, level, office, approval item, funding source)
are kept as the Chinese words ledgers use; statuses are short English codes. Display labels for
both live in ``config/labels.yaml``.
"""

from __future__ import annotations

import pandera.pandas as pa

from workbench.core.periods import QUARTER
from workbench.core.vocabulary import (  # noqa: F401 - the words are part of the schemas' API
    APPROVAL_ITEMS,
    APPROVAL_STATUSES,
    BATCH_KINDS,
    DATE,
    FUNDING_SOURCES,
    FUNDING_STATUSES,
    LEVELS,
    NATURES,
    OFFICES,
    STAGES,
    TABLE_NAMES,
    TIERS_531,
)

_QUARTER = QUARTER.pattern  # YYYYQn, as core.periods writes quarters


def _text(nullable: bool = True, **kw) -> pa.Column:
    return pa.Column("str", nullable=nullable, **kw)


def _one_of(values, nullable: bool = True) -> pa.Column:
    return pa.Column("str", pa.Check.isin(values), nullable=nullable)


def _amount(nullable: bool = False) -> pa.Column:
    return pa.Column("float64", pa.Check.ge(0), nullable=nullable)


def _date() -> pa.Column:
    return pa.Column(DATE, nullable=True)


PROJECTS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False, unique=True),
        "name": _text(nullable=False),
        "owner": _text(),
        "location": _text(),
        # empty only where the file neither says nor lets the loader tell (a minimal submission)
        "nature": _one_of(NATURES),
        "stage": _one_of(STAGES),
        "level": _one_of(LEVELS, nullable=False),
        "batch_quarter": pa.Column("str", pa.Check.str_matches(_QUARTER), nullable=True),
        "batch_kind": _one_of(BATCH_KINDS),
        "programme_982": pa.Column("bool", nullable=False),
        "tier_531": _one_of(TIERS_531),
        "office": _one_of(OFFICES, nullable=False),
        "sector": _text(),
        "category": _text(),
        "scope": _text(),
        "total_investment": _amount(),
        "annual_plan": _amount(),
        "planned_start": _date(),
        "actual_start": _date(),
        "planned_completion": _date(),
        "actual_completion": _date(),
        "responsible_unit": _text(),
        "leader": _text(),
        "physical_progress_note": _text(),
        # a part of a bundled project (打捆: 序号 "3-1" under "3", "(1)" under "1", a "其中：" row)
        # names its bundle's project_id; null for a project on its own or a bundle itself
        "parent_id": _text(),
        # the portfolio's own expert rating of delivery confidence as written (GMPP's DCA:
        # Green … Red); null where a ledger has none. Read by workbench.risk, never scored.
        "expert_rating": _text(),
    },
    name="projects",
    strict=True,
    ordered=True,
)

PROGRESS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False),
        "month": pa.Column(DATE, pa.Check(lambda s: (s.dt.day == 1).all(), name="first_of_month")),
        "planned": _amount(),
        "completed": _amount(),
        "physical_progress": pa.Column("float64", pa.Check.in_range(0, 100), nullable=True),
    },
    name="progress",
    strict=True,
    ordered=True,
    unique=["project_id", "month"],
)

APPROVALS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False),
        "item": _one_of(APPROVAL_ITEMS, nullable=False),
        "status": _one_of(APPROVAL_STATUSES, nullable=False),
        "approved_on": _date(),
        "expires_on": _date(),
    },
    name="approvals",
    strict=True,
    ordered=True,
    unique=["project_id", "item"],
)

FUNDING = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False),
        "source": _one_of(FUNDING_SOURCES, nullable=False),
        "amount": _amount(),
        "status": _one_of(FUNDING_STATUSES, nullable=False),
        "dated": _date(),
    },
    name="funding",
    strict=True,
    ordered=True,
)

PROBLEMS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False),
        "problem": _text(nullable=False),
        "owner": _text(),
        "raised_on": _date(),
        "due_on": _date(),
        "resolved_on": _date(),
    },
    name="problems",
    strict=True,
    ordered=True,
)

MILESTONES = pa.DataFrameSchema(
    {
        "project_id": pa.Column("str", nullable=False),
        "milestone": _text(nullable=False),
        "owner": _text(),
        "planned_on": _date(),
        "done_on": _date(),
    },
    name="milestones",
    strict=True,
    ordered=True,
)

#: Every table of a Ledger, in the order of TABLE_NAMES.
TABLES: dict[str, pa.DataFrameSchema] = {
    "projects": PROJECTS,
    "progress": PROGRESS,
    "approvals": APPROVALS,
    "funding": FUNDING,
    "problems": PROBLEMS,
    "milestones": MILESTONES,
}
if tuple(TABLES) != TABLE_NAMES:  # pragma: no cover - a schema added in one place only
    raise ImportError("schemas.TABLES and vocabulary.TABLE_NAMES list different tables")


#: Columns a table may be given without: filled with nulls when a Ledger is made, so a
#: projects table written before bundles were kept still loads.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"projects": ("parent_id", "expert_rating")}


def columns_of(table: str) -> list[str]:
    """Column names of a canonical table, in schema order."""
    return list(TABLES[table].columns)
