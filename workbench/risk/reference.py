"""Outcome pairs of a public reference portfolio read through a profile, with the planning
score each project had at each report (the comparator the back-test must show beside the model).

The planning-quality score measures how complete a ledger's planning fields are; it is scored
here only to show, on the same rows, that it is not a delivery-risk measure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ingest.profiles import load_with_profile, snapshot_reports
from workbench.risk.panel import as_panel, outcome_pairs
from workbench.risk.settings import RiskSettings, risk_settings
from workbench.scoring.scores import score


def reference_pairs(path, profile, settings: RiskSettings | None = None,
                    planning: bool = True) -> pd.DataFrame:
    """The outcome pairs of the panel in `path` (a file or a folder of per-report files) read
    through `profile`, with ``planning_score`` (NaN when not scored or `planning` is off)."""
    settings = settings or risk_settings()
    reports = snapshot_reports(path, profile)
    pairs = outcome_pairs(as_panel(reports), settings)
    pairs["planning_score"] = np.nan
    if planning:
        for t in sorted(pairs["snapshot"].unique()):
            at = pairs["snapshot"] == t
            pairs.loc[at, "planning_score"] = _planning_at(path, profile, pd.Timestamp(t), pairs.loc[at])
    return pairs


def _planning_at(path, profile, when: pd.Timestamp, rows: pd.DataFrame) -> np.ndarray:
    """The planning score of `rows` in the Ledger of the report at `when` (by id, else name)."""
    ledger = load_with_profile(path, profile, as_of=when)
    table = score(ledger, as_of=when, reasons=False).planning
    by_id = dict(zip(table["project_id"], table["score"], strict=True))
    names = dict(zip(ledger.projects["name"].str.strip(), ledger.projects["project_id"], strict=True))
    found = [by_id.get(pid, by_id.get(names.get(str(name).strip()), np.nan))
             for pid, name in zip(rows["project_id"], rows["name"], strict=True)]
    return np.asarray(found, dtype="float64")
