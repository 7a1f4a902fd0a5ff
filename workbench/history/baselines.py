"""Each project's baseline history: every time a plan (start, completion, total investment,
annual plan) changed from one snapshot to the next, with the old and new values.

Yearly baseline resets hid slippage on the US federal IT dashboard (GAO-14-64): the count of
re-baselines per project is a measure in its own right, not noise to be overwritten.
"""

from __future__ import annotations

import pandas as pd

from workbench.history.changes import BASELINE_FIELDS
from workbench.history.snapshots import snapshot_panel
from workbench.history.store import Store

COLUMNS = ["project_key", "project_id", "name", "as_of", "field", "old", "new"]


def baseline_history(store: Store = None) -> pd.DataFrame:
    """Every re-baseline in the store, oldest first (one row per project, snapshot and field)."""
    panel = snapshot_panel("projects", store,
                           columns=["project_id", "name", *BASELINE_FIELDS])
    return rebaselines_of_panel(panel)


def rebaselines_of_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """The re-baselines in a panel of projects (``project_key``, ``as_of`` and the four
    baseline fields per snapshot)."""
    panel = panel.sort_values(["project_key", "as_of"], kind="stable")
    same_project = panel["project_key"].eq(panel["project_key"].shift())
    parts = []
    for field in BASELINE_FIELDS:
        before = panel[field].shift()
        now = panel[field]
        differs = same_project & ~((before == now) | (before.isna() & now.isna()))
        if differs.any():
            rows = panel.loc[differs, ["project_key", "project_id", "name", "as_of"]]
            parts.append(rows.assign(field=field, old=before[differs].astype(object).to_numpy(),
                                     new=now[differs].astype(object).to_numpy()))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(
        ["as_of", "project_key", "field"], kind="stable").reset_index(drop=True)[COLUMNS]

