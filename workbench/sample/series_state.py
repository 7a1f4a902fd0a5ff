"""The sample ledger as it stood on a day of the year: derived from the year-end truth and the edits.

A ledger shows, on day d, completed investment only for months that ended by d, actual starts
and completions (and the stage they give) only when they happened by d, problems raised by d
(resolved only when resolved by d), approvals done by d (others still in progress), funding
lines at the status they had reached by d, milestones done by d; added projects from the ledger
that adds them, dropped ones until the ledger that drops them, earlier names and baselines
before an edit. A unit late with its update shows its projects as in the ledger before: each
project is read at its *effective* ledger (`effective`), the one before when its unit is late.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import RESERVE_STAGES, STAGES
from workbench.model.ledger import Ledger
from workbench.sample.series_plan import EditPlan, reported_month
from workbench.sample.tags import _NOTES

#: Funding statuses in the order a line goes through them.
FUNDING_ORDER = ("applied", "approved", "received")
#: Sources whose money is applied for first (special bonds, central budget).
APPLIED_FIRST = ("地方政府专项债券", "中央预算内投资")
_BUILDING, _PREPARING = STAGES[3], STAGES[2]


def funding_steps(rng, sc: dict, funding: pd.DataFrame) -> pd.DataFrame:
    """Every funding line's statuses over time (one row a status, column ``line``): a line reached
    its final status on its date, and went through the earlier ones before (applied → approved
    → received; bonds and central budget start at applied, other sources at approved)."""
    parts = []
    days = rng.integers(sc["funding_step_days"][0], sc["funding_step_days"][1] + 1,
                        (len(funding), len(FUNDING_ORDER)))  # fmt: skip
    for line, row in enumerate(funding.itertuples(index=False)):
        final = FUNDING_ORDER.index(row.status)
        first = 0 if row.source in APPLIED_FIRST else 1
        dated = row.dated
        for j, status in enumerate(reversed(FUNDING_ORDER[min(first, final): final + 1])):
            parts.append((line, row.project_id, row.source, row.amount, status, dated))
            dated = dated - pd.Timedelta(days=int(days[line, j]))
    steps = pd.DataFrame(parts, columns=["line", "project_id", "source", "amount", "status", "dated"])
    steps["dated"] = steps["dated"].astype("datetime64[us]")
    return steps.sort_values(["line", "dated"], kind="stable").reset_index(drop=True)


def effective(plan: EditPlan, units: np.ndarray, k: int) -> np.ndarray:
    """Each project's effective ledger in ledger k: k, or k − 1 when its unit is late in k."""
    out = np.full(len(units), k)
    late = plan.late.get(k)
    if late is not None:
        out[np.array([u == late for u in units], dtype=bool)] = k - 1
    return out


def project_states(truth: Ledger, plan: EditPlan, eff: np.ndarray) -> pd.DataFrame:
    """The projects table at each project's effective ledger, with ``present`` and ``day``."""
    p = truth.projects
    ids = p["project_id"]
    day = np.array(plan.dates, dtype="datetime64[us]")[eff]
    out = p.copy()
    out["day"] = day
    out["eff"] = eff
    added = ids.map(plan.added).fillna(0).to_numpy(dtype=int)
    dropped = ids.map(plan.dropped).fillna(len(plan.dates)).to_numpy(dtype=int)
    out["present"] = (added <= eff) & (eff < dropped)
    position = {pid: i for i, pid in enumerate(ids)}
    for pid, (k, old) in plan.renamed.items():
        if eff[position[pid]] < k:
            out.loc[position[pid], "name"] = old
    for pid, (k, name, old) in plan.rebaselines.items():
        if eff[position[pid]] < k:
            out.loc[position[pid], name] = old
    when = pd.Series(day, index=p.index)
    starts = p["actual_start"].where(p["actual_start"] <= when)
    ends = p["actual_completion"].where(p["actual_completion"] <= when)
    held = p["stage"].isin(RESERVE_STAGES).to_numpy()
    stage = np.select([held, ends.notna().to_numpy(), starts.notna().to_numpy()],
                      [p["stage"].to_numpy(), p["stage"].to_numpy(), _BUILDING], _PREPARING)  # fmt: skip
    out["stage"] = pd.Series(stage, index=p.index, dtype="str")
    out["actual_start"], out["actual_completion"] = starts, ends
    changed = (out["stage"] != p["stage"]) & p["physical_progress_note"].notna()
    notes = [_note(s, n) for s, n in zip(out.loc[changed, "stage"], p.loc[changed, "nature"],
                                         strict=True)]  # fmt: skip
    out.loc[changed, "physical_progress_note"] = pd.Series(notes, index=out.index[changed],
                                                           dtype="str")  # fmt: skip
    return out


def _note(stage: str, nature: str) -> str:
    """The progress note of a stage a project had before its year-end one."""
    if stage == _BUILDING:
        return _NOTES["在建_done" if nature == "竣工" else "在建_new"][0]
    return _NOTES[stage][0]


def snapshot_ledger(truth: Ledger, steps: pd.DataFrame, plan: EditPlan, k: int,
                    source: str) -> Ledger:  # fmt: skip
    """Ledger k of the series (at ``plan.dates[k]``)."""
    units = truth.projects["responsible_unit"].to_numpy(dtype=object)
    states = project_states(truth, plan, effective(plan, units, k))
    shown = states[states["present"]]
    day = pd.Series(shown["day"].to_numpy(), index=shown["project_id"].to_numpy())
    ids = set(day.index)

    def rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        frame = frame[frame["project_id"].isin(ids)].reset_index(drop=True)
        return frame, frame["project_id"].map(day)

    progress, d = rows(truth.progress)
    reported = d.map({v: reported_month(pd.Timestamp(v)) for v in pd.unique(d)})
    progress["completed"] = progress["completed"].where(progress["month"] <= reported, 0.0)
    progress = _rescaled_plans(progress, truth, plan, states)
    approvals, d = rows(truth.approvals)
    later = (approvals["status"] == "done") & ~(approvals["approved_on"] <= d)
    approvals.loc[later, "status"] = "in_progress"
    approvals.loc[later, ["approved_on", "expires_on"]] = pd.NaT
    funding, d = rows(steps)
    funding = funding[funding["dated"] <= d].drop_duplicates("line", keep="last")
    problems, d = rows(truth.problems)
    problems = problems[problems["raised_on"] <= d].copy()
    problems["resolved_on"] = problems["resolved_on"].where(problems["resolved_on"] <= d[problems.index])
    milestones, d = rows(truth.milestones)
    milestones["done_on"] = milestones["done_on"].where(milestones["done_on"] <= d)
    return Ledger(
        projects=shown[list(truth.projects.columns)],
        progress=progress,
        approvals=approvals,
        funding=funding.drop(columns="line"),
        problems=problems,
        milestones=milestones,
        year=truth.year,
        source=source,
    )


def _rescaled_plans(progress: pd.DataFrame, truth: Ledger, plan: EditPlan,
                    states: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Monthly plans of projects whose annual plan is still the earlier one, scaled to it (in
    cents; the rounding remainder on the last planned month)."""
    final = truth.projects.set_index("project_id")["annual_plan"]
    eff = states.set_index("project_id")["eff"]
    planned = progress["planned"].to_numpy(copy=True)
    for pid, (k, name, old) in plan.rebaselines.items():
        if name != "annual_plan" or pid not in eff.index or eff[pid] >= k:
            continue
        at = np.flatnonzero(progress["project_id"].to_numpy() == pid)
        if not len(at) or final[pid] <= 0:
            continue
        scaled = np.round(planned[at] * old / final[pid], 2)
        last = at[np.flatnonzero(planned[at] > 0)[-1]] if (planned[at] > 0).any() else at[-1]
        planned[at] = scaled
        planned[last] = round(max(old - (scaled.sum() - planned[last]), 0.0), 2)
    return progress.assign(planned=planned)
