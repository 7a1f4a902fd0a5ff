"""Finding one project by what an analyst types: its 项目代码, its name, or part of either.

>>> find_project(book, "人民医院")                                   # doctest: +SKIP
"""

from __future__ import annotations

import difflib

import pandas as pd

from workbench.core.text import fold
from workbench.core.words import error_message
from workbench.exceptions import AmbiguousProject, ProjectNotFound

#: At most this many matches are listed in the message of an AmbiguousProject.
LISTED_MATCHES = 30


def find_project(ledger, query: str) -> str:
    """The project_id of the one project named by `query` (its id, its name, or part of either).

    An exact id wins over an exact name, which wins over a part of either. Raises
    AmbiguousProject listing every match when several fit, ProjectNotFound with close names
    when none does (both carry ``candidates``, (id, name) pairs, and ``value``, the query).
    """
    projects = ledger.projects
    if query is None or str(query).strip() == "":
        raise ProjectNotFound(error_message("project_none_given"), field="project")
    q = fold(query)
    ids = projects["project_id"].map(fold)
    names = projects["name"].map(fold)
    for mask in (ids == q, names == q, ids.str.contains(q, regex=False) | names.str.contains(q, regex=False)):
        hits = projects.loc[mask, ["project_id", "name"]]
        if len(hits) == 1:
            return str(hits["project_id"].iloc[0])
        if len(hits) > 1:
            pairs = list(hits.itertuples(index=False, name=None))
            listed = "\n".join(f"  - {pid}  {name}" for pid, name in pairs[:LISTED_MATCHES])
            more = ("\n" + error_message("listed_more", n=len(pairs) - LISTED_MATCHES)
                    if len(pairs) > LISTED_MATCHES else "")
            raise AmbiguousProject(
                error_message("project_ambiguous", n=len(pairs), value=query, listed=listed + more),
                pairs, field="project", value=str(query),
            )
    close = close_projects(projects, str(query))
    if close:
        listed = "\n".join(f"  - {pid}  {name}" for pid, name in close)
        raise ProjectNotFound(error_message("project_close", value=query, listed=listed), close,
                              field="project", value=str(query))
    raise ProjectNotFound(error_message("project_none", value=query, n=len(projects)),
                          field="project", value=str(query))


def close_projects(projects: pd.DataFrame, query: str, n: int = 5) -> list[tuple[str, str]]:
    """Up to `n` (project_id, name) pairs whose names look like `query` (a typo, another order)."""
    names = projects["name"].tolist()
    close = difflib.get_close_matches(query, names, n=n, cutoff=0.4)
    if not close:  # a typed name often shares characters with the real one in another order
        q = set(fold(query))
        ranked = sorted(
            ((len(q & set(fold(name))) / max(len(q), 1), name) for name in names), reverse=True
        )
        close = [name for share, name in ranked[:n] if share >= 0.5]
    by_name = dict(zip(projects["name"], projects["project_id"], strict=False))
    return [(by_name[name], name) for name in close]
