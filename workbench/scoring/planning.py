"""Planning quality per project (0–100): the planning table with six dimension scores, band, flags.

A project's dimension score is its weight minus the points its rules took (`losses.py`); the
score is their sum, the band follows the rubric's limits, and the flags name what needs action
now. ``planning(ledger, as_of)`` gives the table with its reasons (`reasons.py`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import APPROVAL_ITEMS, DIMENSIONS
from workbench.model.ledger import Ledger
from workbench.scoring.facts import Facts, funding_coverage, funding_need, project_facts
from workbench.scoring.lookup import dates_of
from workbench.scoring.losses import Loss, planning_losses, tenths
from workbench.scoring.reasons import reasons_table
from workbench.scoring.rubric import Rubric, as_rubric

PLANNING_COLUMNS = ["project_id", *DIMENSIONS, "score", "band", "flags"]
#: Flag codes in the order they are joined.
FLAGS = ("start_soon_no_land_or_permit", "start_overdue", "approval_expired",
         "problems_overdue", "funding_low")
#: Items whose absence blocks a start (the 90-day flag).
START_BLOCKING_ITEMS = ("用地", "施工许可")


def band_of(score: np.ndarray, rubric: Rubric) -> np.ndarray:
    """The band of each score (min ≤ score < max; the top band includes its max)."""
    bands = sorted(rubric.bands(), key=lambda b: b[1])
    mins = np.array([b[1] for b in bands])
    names = np.array([b[0] for b in bands], dtype=object)
    idx = np.clip(np.searchsorted(mins, score + 1e-9, side="right") - 1, 0, len(bands) - 1)
    return names[idx]


def flags_of(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> pd.Series:
    """The flags raised for each project ("; "-joined codes, "" if none)."""
    day = np.datetime64(facts.as_of)
    start = dates_of(p["planned_start"])
    window = np.timedelta64(int(rubric.flags["start_soon_days"]), "D")
    blocked = np.zeros(facts.n, dtype=bool)
    for item in START_BLOCKING_ITEMS:
        blocked |= facts.credit[item] < 1.0
    soon = ~facts.started & ~np.isnat(start) & (start >= day) & (start <= day + window)
    need = funding_need(p["annual_plan"].to_numpy(), p["total_investment"].to_numpy(),
                        rubric.rule("funding_secured")["need_share_without_plan"])
    covered = funding_coverage(facts.secured, need)
    expired = np.zeros(facts.n, dtype=bool)
    for item in APPROVAL_ITEMS:
        expired |= facts.state[item] == 3
    raised = [
        soon & blocked,
        ~facts.started & (np.nan_to_num(facts.start_slip) > 0),
        expired,
        facts.problems_overdue > 0,
        (need > 0) & (covered < rubric.flags["funding_low_share"]),
    ]
    mask = np.zeros(facts.n, dtype="int64")
    for bit, on in enumerate(raised):
        mask |= on.astype("int64") << bit
    combos = np.unique(mask)
    text = {int(c): "; ".join(f for b, f in enumerate(FLAGS) if c >> b & 1) for c in combos}
    codes = np.searchsorted(combos, mask)
    joined = np.array([text[int(c)] for c in combos], dtype=object)[codes]
    return pd.Series(joined, dtype="str")


def planning_scores(ledger: Ledger, facts: Facts, losses: dict[str, list[Loss]],
                    rubric: Rubric) -> pd.DataFrame:
    """One row a project: dimension scores, total score (0–100), band and flags."""
    p = ledger.projects
    out = {"project_id": p["project_id"]}
    total = np.zeros(len(p), dtype="int64")
    for d in DIMENSIONS:
        lost = sum((loss.tenths for loss in losses[d]), np.zeros(len(p), dtype="int64"))
        dim = tenths(rubric.weight(d)) - lost
        total += dim
        out[d] = dim / 10.0
    out["score"] = total / 10.0
    out["band"] = pd.Series(band_of(total / 10.0, rubric), dtype="str")
    out["flags"] = flags_of(p, facts, rubric)
    frame = pd.DataFrame(out)
    frame["band"] = frame["band"].astype("str")
    return frame


def planning(ledger: Ledger, as_of, rubric: Rubric | str | None = None):
    """(planning scores, reasons) of every project as of a date."""
    rubric = as_rubric(rubric)
    facts = project_facts(ledger, as_of, rubric)
    losses = planning_losses(ledger, facts, rubric)
    return (planning_scores(ledger, facts, losses, rubric),
            reasons_table(ledger, losses, rubric, facts.as_of))
