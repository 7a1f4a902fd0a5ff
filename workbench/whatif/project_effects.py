"""What a scenario does to each project: months its start slips, the share of funds it keeps, stopped.

When several slips name the same project the largest applies (they are alternative statements
of how late it is, not additions); an approval delay slips every project whose item is still
pending (in progress or not started). A slip only moves a project that has not started by
``as_of`` and has a planned start. A funding shortfall keeps each project the share of its
funding not cut; a project left with nothing is stopped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.whatif._arrays import positions, sum_by
from workbench.whatif._dates import as_of_for
from workbench.whatif.scenario import SLIP_FIELDS, Scenario


def effects(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per project: slip months, shortfall factor, stopped, brought-forward quarter (vectorised)."""
    as_of = as_of_for(ledger, as_of)
    eff = effect_arrays(ledger, scenario, as_of)
    p = ledger.projects
    forward = p["project_id"].map(scenario.bring_forward) if scenario.bring_forward else None
    return pd.DataFrame(
        {
            "project_id": p["project_id"],
            "not_started": eff["not_started"],
            "slip_months": eff["slip"].astype("int64"),
            "funding_factor": eff["factor"],
            "stopped": eff["stopped"],
            "brought_forward_to": forward if forward is not None
            else pd.Series(None, index=p.index, dtype="str"),
        }
    )


def effect_arrays(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """`effects` as arrays in the order of ``ledger.projects``: not_started, slip, factor, stopped."""
    p = ledger.projects
    actual = p["actual_start"].to_numpy(dtype="datetime64[us]")
    not_started = np.isnat(actual) | (actual > as_of.to_datetime64())
    slip = np.full(len(p), float(scenario.slip_all))
    for name, column in SLIP_FIELDS.items():
        mapping = {k: v for k, v in getattr(scenario, name).items() if v}
        if mapping:
            slip = np.maximum(slip, p[column].map(mapping).to_numpy(dtype="float64", na_value=0.0))
    delays = [d for d in scenario.approval_delays if d.months]
    if delays:
        a = ledger.approvals
        pending = a["status"].isin(["in_progress", "not_started"]).to_numpy()
        pos = positions(p, a)
        items = a["item"].to_numpy()
        ids = a["project_id"].to_numpy()
        for delay in delays:
            rows = pending & (items == delay.item) & (pos >= 0)
            if delay.project is not None:
                rows &= ids == delay.project
            hit = np.zeros(len(p), dtype=bool)
            hit[pos[rows]] = True
            slip = np.where(hit, np.maximum(slip, delay.months), slip)
    slip = np.where(not_started & p["planned_start"].notna().to_numpy(), slip, 0.0)
    factor = np.ones(len(p))
    if any(scenario.shortfall_by_source.values()):
        f = ledger.funding
        pos = positions(p, f)
        cut = f["source"].map(scenario.shortfall_by_source).to_numpy(dtype="float64", na_value=0.0) / 100
        amount = f["amount"].to_numpy()
        everything = np.ones(len(f), dtype=bool)
        lost = sum_by(pos, amount * cut, everything, len(p))
        total = sum_by(pos, amount, everything, len(p))
        share = np.divide(lost, total, out=np.zeros(len(p)), where=total > 0)
        factor = np.clip(1 - share, 0.0, 1.0)
    return {"not_started": not_started, "slip": slip, "factor": factor, "stopped": factor <= 1e-9}
