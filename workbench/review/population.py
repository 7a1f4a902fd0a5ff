"""Which population a figure counts: the year's key projects (重点项目) or the reserve
(谋划、储备项目). One rule, used by every sentence, table and chart of the quarterly review.

A project is in the reserve when the ledger's stage is 谋划 or 储备 (`core.vocabulary.
RESERVE_STAGES`); every other project is a key project on this year's list. Planning scores,
delivery status and the unit ranking are counted over the key projects, and the reserve is
shown beside them, named as such, never mixed in.
"""

from __future__ import annotations

import re

import pandas as pd

from workbench.core.vocabulary import RESERVE_STAGES

KEY, RESERVE, ALL = "key", "reserve", "all"
POPULATIONS = (KEY, RESERVE)

#: Which population each table of the quarterly review counts, so that its heading and the
#: narrative name the same one (report.yaml ``pop_<population>``): delivery and the ranking
#: count the key projects; funding, approvals, problems and milestones are kept for every
#: project of the ledger, the reserve included (the reserve's 前期手续 and 资金 are its work).
TABLE_POPULATIONS = {
    "goal": KEY, "rag": KEY, "units": KEY, "starts": KEY, "completions": KEY,
    "funding": ALL, "approvals": ALL, "overdue_problems": ALL, "overdue_milestones": ALL,
}

#: The county's name at the start of a project's location (内乡县大桥乡 → 内乡县).
_COUNTY = re.compile(r"^\s*(\S{1,8}?(?:自治县|县|市|区|旗))")


def is_reserve(projects: pd.DataFrame) -> pd.Series:
    """Mask over `projects`: True for a reserve project (谋划 or 储备), False for a key project."""
    return projects["stage"].isin(RESERVE_STAGES)


def population(projects: pd.DataFrame) -> pd.Series:
    """Each project's population: "key" or "reserve"."""
    return is_reserve(projects).map({True: RESERVE, False: KEY})


def ids_of(projects: pd.DataFrame, which: str = KEY) -> set:
    """The project ids of one population."""
    return set(projects.loc[population(projects).eq(which), "project_id"])


def population_of(table: str) -> str:
    """The population the review's `table` counts ("key", "reserve" or "all"), by
    `TABLE_POPULATIONS`."""
    return TABLE_POPULATIONS[table]


def population_words(table: str, lang: str = "zh") -> str:
    """The name of the population `table` counts, as the report writes it (重点项目, 全部项目（含
    谋划、储备）…)."""
    from workbench.core.words import phrase

    return phrase(f"pop_{population_of(table)}", lang)


def key_ledger(ledger):
    """`ledger` with only its key projects and their rows (the unit ranking is scored on it)."""
    ids = ids_of(ledger.projects, KEY)
    return ledger.replace(**{name: frame[frame["project_id"].isin(ids)].reset_index(drop=True)
                             for name, frame in ledger.tables().items()})


def county_name(projects: pd.DataFrame) -> str:
    """The county the ledger belongs to, read from the projects' locations (the most common
    leading 县/市/区 name); "" when no location names one."""
    if "location" not in projects:
        return ""
    found = projects["location"].dropna().astype("str").str.extract(_COUNTY)[0].dropna()
    return str(found.value_counts().index[0]) if len(found) else ""
