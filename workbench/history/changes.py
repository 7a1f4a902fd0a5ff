"""The queries of a diff: each compares two snapshots inside the store and returns only what
changed (DuckDB does the joins; pandas sees the changed rows).

Projects are matched by ``project_key``. Items (problems, approvals, funding) are matched by
project key and their own key (problem text, approval item, funding source), the n-th repeat of
a key with the n-th; items of a project added or dropped in the period are not listed (the
project's own row says it); a problem raised and resolved between the two snapshots is both
opened and closed. Every query takes ``$old`` and ``$new`` snapshot ids.
"""

from __future__ import annotations

import pandas as pd

#: The fields whose change is a re-baseline (a plan changed after it was set).
BASELINE_FIELDS = ("planned_start", "planned_completion", "total_investment", "annual_plan")
#: Fields compared between two snapshots of a project.
COMPARED = ("name", "stage", *BASELINE_FIELDS)
ID_COLUMNS = ["project_key", "project_id", "name", "responsible_unit"]

_IDS = "n.project_key, n.project_id, n.name, n.responsible_unit"
_ITEM_IDS = "project_key, n.project_id, p.name, p.responsible_unit"
_SIDES = """
    WITH n AS (SELECT * FROM {table} WHERE snapshot_id = $new),
         o AS (SELECT * FROM {table} WHERE snapshot_id = $old)"""
_ITEMS = """
    WITH common AS (SELECT project_key FROM projects WHERE snapshot_id = $new
                    INTERSECT SELECT project_key FROM projects WHERE snapshot_id = $old),
         n AS (SELECT *, row_number() OVER (PARTITION BY project_key, {item} ORDER BY position)
               AS nth FROM {table} WHERE snapshot_id = $new AND project_key IN (SELECT project_key FROM common)),
         o AS (SELECT *, row_number() OVER (PARTITION BY project_key, {item} ORDER BY position)
               AS nth FROM {table} WHERE snapshot_id = $old AND project_key IN (SELECT project_key FROM common)),
         p AS (SELECT project_key, name, responsible_unit FROM projects WHERE snapshot_id = $new)"""

QUERIES = {
    "added": _SIDES.format(table="projects") + f"""
        SELECT {_IDS} FROM n ANTI JOIN o USING (project_key) ORDER BY n.position""",
    "dropped": _SIDES.format(table="projects") + """
        SELECT o.project_key, o.project_id, o.name, o.responsible_unit
        FROM o ANTI JOIN n USING (project_key) ORDER BY o.position""",
    "changed": _SIDES.format(table="projects") + f"""
        SELECT {_IDS}, {", ".join(f"n.{c}, o.{c} AS {c}_old" for c in COMPARED[1:])},
               o.name AS name_old
        FROM n JOIN o USING (project_key)
        WHERE {" OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in COMPARED)}
        ORDER BY n.position""",
    "investment": """
        WITH done AS (
            SELECT g.snapshot_id, g.project_key, sum(g.completed) FILTER (
                WHERE year(g.month) = s.year) AS done
            FROM progress g JOIN snapshots s USING (snapshot_id)
            WHERE g.snapshot_id IN ($old, $new) GROUP BY ALL)
        SELECT n.project_key, n.project_id, n.name, n.responsible_unit,
               b.done AS completed_before, a.done AS completed_after,
               a.done - coalesce(b.done, 0) AS done_in_period
        FROM projects n
        LEFT JOIN done a ON a.snapshot_id = $new AND a.project_key = n.project_key
        LEFT JOIN done b ON b.snapshot_id = $old AND b.project_key = n.project_key
        WHERE n.snapshot_id = $new ORDER BY n.position""",
    "problems_opened": _ITEMS.format(table="problems", item="problem") + f"""
        SELECT {_ITEM_IDS}, n.problem, n.owner, n.raised_on, n.due_on, n.resolved_on
        FROM n ANTI JOIN o USING (project_key, problem, nth) JOIN p USING (project_key)
        ORDER BY n.position""",
    "problems_closed": _ITEMS.format(table="problems", item="problem") + f"""
        SELECT {_ITEM_IDS}, n.problem, n.owner, n.raised_on, n.due_on, n.resolved_on
        FROM n LEFT JOIN o USING (project_key, problem, nth) JOIN p USING (project_key)
        WHERE o.resolved_on IS NULL AND n.resolved_on IS NOT NULL ORDER BY n.position""",
    "problems_overdue": """
        SELECT g.project_key, g.project_id, p.name, p.responsible_unit, g.problem, g.owner,
               g.raised_on, g.due_on,
               CAST(date_diff('day', g.raised_on, s.as_of) AS DOUBLE) AS age_days,
               date_diff('day', g.due_on, s.as_of) AS days_overdue
        FROM problems g JOIN snapshots s USING (snapshot_id)
        LEFT JOIN projects p ON p.snapshot_id = g.snapshot_id AND p.project_key = g.project_key
        WHERE g.snapshot_id = $new AND $old IS NOT NULL AND g.resolved_on IS NULL
          AND g.due_on < s.as_of
        ORDER BY days_overdue DESC, g.project_key""",
    "approvals_done": _ITEMS.format(table="approvals", item="item") + f"""
        SELECT {_ITEM_IDS}, n.item,
               coalesce(o.status, '') AS old, n.approved_on
        FROM n LEFT JOIN o USING (project_key, item, nth) JOIN p USING (project_key)
        WHERE n.status = 'done' AND o.status IS DISTINCT FROM 'done' ORDER BY n.position""",
    "funding": _ITEMS.format(table="funding", item="source") + f"""
        SELECT {_ITEM_IDS}, n.source,
               coalesce(o.status, '') AS old, n.status AS new, n.amount, n.dated
        FROM n LEFT JOIN o USING (project_key, source, nth) JOIN p USING (project_key)
        WHERE o.status IS DISTINCT FROM n.status ORDER BY n.position""",
    # a unit is late when the ledger's last month with investment moved on and the unit's did not
    "stale_units": """
        WITH latest AS (
            SELECT snapshot_id, project_key, max(month) AS month FROM progress
            WHERE snapshot_id IN ($old, $new) AND completed > 0 GROUP BY ALL),
        per_unit AS (
            SELECT p.responsible_unit, count(*) AS projects, max(b.month) AS before,
                   max(a.month) AS last_month
            FROM projects p
            JOIN latest a ON a.snapshot_id = $new AND a.project_key = p.project_key
            JOIN latest b ON b.snapshot_id = $old AND b.project_key = p.project_key
            WHERE p.snapshot_id = $new AND p.responsible_unit IS NOT NULL GROUP BY ALL)
        SELECT responsible_unit, projects, last_month FROM per_unit
        WHERE last_month <= before
          AND (SELECT max(month) FROM latest WHERE snapshot_id = $new)
            > (SELECT max(month) FROM latest WHERE snapshot_id = $old)
        ORDER BY responsible_unit""",
}


def change_table(con, name: str, old: int, new: int) -> pd.DataFrame:
    """One change table of the diff from snapshot `old` to snapshot `new`."""
    frame = con.execute(QUERIES[name], {"old": old, "new": new}).df()
    for column in frame.columns:  # DuckDB hands text back as object; the house speaks str
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("str")
    return frame
