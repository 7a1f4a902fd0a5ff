"""Project starts per quarter, base vs scenario: how many planned starts are made on time.

A project's expected start is its actual start when made by ``as_of``, else its planned start
(not earlier than the day after ``as_of``); a project without either never starts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.periods import quarter_bounds
from workbench.model.ledger import Ledger
from workbench.whatif._arrays import by_project


def quarter_starts(base: Ledger, scenario: Ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per quarter: planned starts (base plan) and how many start by the quarter's end, base vs scenario."""
    year = base.year or as_of.year
    p0 = base.projects
    ids = p0["project_id"].to_numpy(dtype=object)
    p1 = by_project(scenario.projects, ids, ["actual_start", "planned_start"])
    cut = as_of.to_datetime64()
    earliest = (as_of + pd.Timedelta(days=1)).to_datetime64()

    def expected(actual: np.ndarray, planned: np.ndarray) -> np.ndarray:
        made = ~np.isnat(actual) & (actual <= cut)
        later = np.where(np.isnat(planned) | (planned >= earliest), planned, earliest)
        return np.where(made, actual, later)

    def dates(frame, column: str) -> np.ndarray:
        return frame[column].to_numpy(dtype="datetime64[us]")

    planned0 = dates(p0, "planned_start")
    e0 = expected(dates(p0, "actual_start"), planned0)
    e1 = expected(p1["actual_start"], p1["planned_start"])
    e_all = expected(dates(scenario.projects, "actual_start"), dates(scenario.projects, "planned_start"))
    rows = []
    for q in range(1, 5):
        quarter = f"{year}Q{q}"
        first, last = quarter_bounds(quarter)
        lo = first.to_datetime64()
        after = (last + pd.Timedelta(days=1)).to_datetime64()  # within the quarter: lo <= day < after
        planned = (planned0 >= lo) & (planned0 < after)
        n = int(planned.sum())
        b = int((planned & (e0 < after)).sum())
        s = int((planned & (e1 < after)).sum())
        rows.append({
            "quarter": quarter,
            "planned_starts": n,
            "base_on_time": b,
            "scenario_on_time": s,
            "base_rate": b / n if n else np.nan,
            "scenario_rate": s / n if n else np.nan,
            "base_starts": int(((e0 >= lo) & (e0 < after)).sum()),
            "scenario_starts": int(((e_all >= lo) & (e_all < after)).sum()),
        })
    out = pd.DataFrame(rows)
    out["rate_change_points"] = (out["scenario_rate"] - out["base_rate"]) * 100
    return out
