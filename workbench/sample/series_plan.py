"""The dates of the sample year's ledgers and the edits made between them (``series:`` in sample.yaml).

`snapshot_dates` gives the month ends from January to September, every Friday of the last
quarter and the year end. `plan_edits` draws, from its own seeded generator (the year-end
sample is not touched), which projects are added, dropped, renamed or re-baselined at which
ledger, and which responsible unit is late with its update in which ledger. Everything is
stated from the year-end truth: an edit's *earlier* value is drawn, the final one is the sample's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.vocabulary import NATURES, RESERVE_STAGES
from workbench.model.ledger import Ledger, is_project_code
from workbench.sample.draws import rounded_amount

#: Baseline fields a re-baseline changes (docs/history.md, "rebaselines").
BASELINE_FIELDS = ("planned_start", "planned_completion", "total_investment", "annual_plan")


def snapshot_dates(year: int) -> list[pd.Timestamp]:
    """Month ends January–September, Fridays of October–December, then 31 December."""
    ends = [pd.Timestamp(year, m, 1) + pd.offsets.MonthEnd(0) for m in range(1, 10)]
    fridays = list(pd.date_range(f"{year}-10-01", f"{year}-12-31", freq="W-FRI"))
    last = pd.Timestamp(year, 12, 31)
    dates = ends + fridays + ([] if fridays and fridays[-1] == last else [last])
    return [d.as_unit("us") for d in dates]


def reported_month(day: pd.Timestamp) -> pd.Timestamp:
    """The last month whose end is on or before `day` (its first day)."""
    end = day + pd.offsets.MonthEnd(0)
    first = pd.Timestamp(day.year, day.month, 1)
    return first if end == day else first - pd.offsets.MonthBegin(1)


@dataclass
class EditPlan:
    """What the generator edits at which ledger (index into `dates`)."""

    dates: list[pd.Timestamp]
    added: dict[str, int] = field(default_factory=dict)  # id → first ledger holding it
    dropped: dict[str, int] = field(default_factory=dict)  # id → first ledger without it
    renamed: dict[str, tuple[int, str]] = field(default_factory=dict)  # id → (ledger, earlier name)
    rebaselines: dict[str, tuple[int, str, object]] = field(default_factory=dict)  # id → (ledger, field, earlier)
    late: dict[int, str] = field(default_factory=dict)  # ledger → the unit that sent no update


def plan_edits(truth: Ledger, cfg: dict, seed: int) -> EditPlan:
    """The edits of the sample year, drawn from a generator seeded with (seed, seed_offset)."""
    sc = cfg["series"]
    rng = np.random.default_rng([seed, sc["seed_offset"]])
    dates = snapshot_dates(int(truth.year))
    plan = EditPlan(dates)
    p = truth.projects
    scale = (~p["stage"].isin(RESERVE_STAGES)).sum() / 200
    count = lambda key: int(round(sc[key] * scale)) if sc[key] else 0  # noqa: E731
    _late_units(rng, sc, p, plan)
    units = dict(zip(p["project_id"], p["responsible_unit"], strict=True))
    listed = p[~p["stage"].isin(RESERVE_STAGES)]
    reserve = p[p["stage"].isin(RESERVE_STAGES)]
    n = len(dates)
    # additions and drops on ledgers of their own (odd / even), never the ledger a unit is late in,
    # so no ledger both adds and drops a project (a diff could mistake one for the other)
    n_added = count("added")
    n_reserve = int(round(n_added * sc["added_reserve_share"]))
    new_starts = listed[listed["nature"] == NATURES[0]]["project_id"].to_numpy()
    picks = [*_some(rng, reserve["project_id"].to_numpy(), n_reserve),
             *_some(rng, new_starts, n_added - n_reserve)]  # fmt: skip
    for pid in picks:
        plan.added[pid] = _ledger_for(rng, range(1, n - 1, 2), plan.late, units[pid])
    taken = set(plan.added)
    prep = listed[listed["nature"] == NATURES[3]]["project_id"]
    pool = [pid for pid in [*prep, *reserve["project_id"]] if pid not in taken]
    for pid in _some(rng, np.array(pool, dtype=object), count("dropped")):
        plan.dropped[pid] = _ledger_for(rng, range(2, n - 1, 2), plan.late, units[pid])
    taken |= set(plan.dropped)
    _renames(rng, sc, listed, set(p["name"]), taken, plan)
    taken |= set(plan.renamed)
    _rebaselines(rng, sc, listed, taken, plan, count("rebaselines_per_month"))
    return plan


def _some(rng, values: np.ndarray, k: int) -> list:
    k = min(k, len(values))
    return [] if k <= 0 else list(values[np.sort(rng.choice(len(values), k, replace=False))])


def _ledger_for(rng, pool, late: dict[int, str], unit) -> int:
    """A ledger from `pool` in which the project's unit is not late."""
    options = [k for k in pool if late.get(k) is None or late.get(k) != unit]
    return int(options[rng.integers(len(options))])


def _late_units(rng, sc, projects: pd.DataFrame, plan: EditPlan) -> None:
    """Units late with their update: a ledger where the reported month advances (not the last)
    and not right after another late one; a unit with enough list projects."""
    dates = plan.dates
    advancing = [k for k in range(1, len(dates) - 1)
                 if reported_month(dates[k]) != reported_month(dates[k - 1])]  # fmt: skip
    listed = projects[~projects["stage"].isin(RESERVE_STAGES)]
    sizes = listed["responsible_unit"].value_counts()
    units = sorted(sizes[sizes >= sc["late_unit_min_projects"]].index)
    chosen: list[int] = []
    for k in rng.permutation(advancing):
        if len(chosen) < min(sc["late_units"], len(units)) and all(abs(k - c) > 1 for c in chosen):
            chosen.append(int(k))
    for k, u in zip(sorted(chosen), _some(rng, np.array(units, dtype=object), len(chosen)),
                    strict=True):  # fmt: skip
        plan.late[k] = u


def _renames(rng, sc, listed: pd.DataFrame, names: set, taken: set, plan: EditPlan) -> None:
    pool = []
    for pid, name in zip(listed["project_id"], listed["name"], strict=True):
        if pid in taken or not is_project_code(pid):
            continue
        for final, earlier in sc["rename_rules"]:
            at = name.rfind(final)
            if at >= 0:
                old = name[:at] + earlier + name[at + len(final):]
                if old != name and old not in names:
                    pool.append((pid, old))
                break
    for i in _some(rng, np.arange(len(pool)), int(round(sc["renamed"] * len(listed) / 200))):
        pid, old = pool[i]
        plan.renamed[pid] = (int(rng.integers(1, len(plan.dates))), old)


def _rebaselines(rng, sc, listed: pd.DataFrame, taken: set, plan: EditPlan, per_month: int) -> None:
    weights = sc["rebaseline_fields"]
    rows = listed[~listed["project_id"].isin(taken)].reset_index(drop=True)
    free = np.ones(len(rows), dtype=bool)
    months = sorted({d.month for d in plan.dates[1:]})
    for month in months:
        ledgers = [k for k, d in enumerate(plan.dates) if k > 0 and d.month == month]
        for i in _some(rng, np.flatnonzero(free), per_month):
            free[i] = False
            row = rows.loc[i]
            k = int(rng.choice(ledgers))
            fields = [f for f in BASELINE_FIELDS if _can_rebaseline(row, f, plan.dates[k])]
            w = np.array([weights[f] for f in fields], dtype=float)
            name = fields[int(rng.choice(len(fields), p=w / w.sum()))]
            old = _earlier_value(rng, sc, row, name)
            if old is not None:
                plan.rebaselines[row["project_id"]] = (k, name, old)


def _can_rebaseline(row, name: str, day: pd.Timestamp) -> bool:
    """Amounts can always be re-baselined; a planned date only while it is still ahead."""
    if name == "planned_start":
        return row["nature"] in (NATURES[0], NATURES[3]) and row["planned_start"] > day
    if name == "planned_completion":
        return row["planned_completion"] > day
    return True


def _earlier_value(rng, sc, row, name: str):
    """The value the earlier ledgers show (None when it would not differ)."""
    if name in ("planned_start", "planned_completion"):
        key = "start_shift_months" if name == "planned_start" else "completion_shift_months"
        months = int(rng.integers(sc[key][0], sc[key][1] + 1))
        return (row[name] - pd.DateOffset(months=months)).as_unit("us")
    new = float(row[name])
    factor = rng.uniform(*sc[f"{name}_factor"])
    old = float(rounded_amount(np.array([new * factor]))[0])
    if name == "total_investment":
        old = max(old, float(row["annual_plan"]), 500.0)
    else:
        old = min(max(old, 1.0), float(row["total_investment"]))
    return None if old == new else old
