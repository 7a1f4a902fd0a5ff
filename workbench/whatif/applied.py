"""A scenario applied to a ledger: its tables (pure), a new checked Ledger, or just its curve.

The steps, in order: the rest of each year's plan is spread as rows where the ledger stops at
its data month; start slips re-spread the plan (`workbench.whatif.respread`); a funding
shortfall shrinks the funding lines and the plan from here on (a project stopped before it
started loses its planned dates); reserve projects brought forward get their S-curve share.
Rubric weights act on scoring only (`workbench.whatif.outcome`), never on the tables.

The scenario's projects carry the new planned dates (the forecast reads them, and the quarter
start rates). The scores read the plan as given (`as_planned`): a unit is assessed against the
dates it committed to, so a slip or a stop that moves a planned start past the as-of date never
turns a start already late into one not yet due (issue 14: 县发改委 84.1 → 87.1 with
``slip_all: 3``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.whatif._arrays import months_of, positions
from workbench.whatif._dates import as_of_for, month_number
from workbench.whatif.check import check_scenario
from workbench.whatif.forecast import forecast_curve
from workbench.whatif.project_effects import effect_arrays
from workbench.whatif.respread import bring_forward, respread_slips, with_rest_of_year
from workbench.whatif.scenario import Scenario


def apply(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> Ledger:
    """A new Ledger with `scenario` applied (the input Ledger and its frames are not changed).

    Only the tables the scenario changed are handed to `Ledger.replace`, which checks them
    against their schemas again; the others are shared (pandas copy-on-write keeps them safe).
    """
    return applied_ledger(ledger, scenario_tables(ledger, scenario, as_of))


#: The projects' columns a slip or a stop moves; the scores read them as the ledger gives them.
PLAN_DATES = ("planned_start", "planned_completion")


def as_planned(ledger: Ledger, tables: dict, scenario: Scenario) -> pd.DataFrame:
    """The scenario's projects with the ledger's own planned dates: what the scores read.

    A project brought forward keeps its new dates (it has a new plan, not a late one).
    """
    projects = tables["projects"]
    if projects is ledger.projects:
        return projects
    forward = projects["project_id"].isin(list(scenario.bring_forward)).to_numpy()
    if not forward.any():
        return ledger.projects  # only the dates moved: the plan as given, already checked
    base = ledger.projects
    return projects.assign(**{c: projects[c].where(forward, base[c]) for c in PLAN_DATES})


def applied_ledger(ledger: Ledger, tables: dict) -> Ledger:
    """`ledger` with the tables of `tables` that differ from its own (checked by `Ledger.replace`)."""
    return ledger.replace(**{name: frame for name, frame in tables.items()
                             if frame is not getattr(ledger, name)})


def scenario_tables(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> dict:
    """The canonical tables with `scenario` applied (pure; what `apply` wraps in a Ledger)."""
    as_of = as_of_for(ledger, as_of)
    check_scenario(scenario, ledger, as_of)
    return tables_with(ledger, scenario, as_of, effect_arrays(ledger, scenario, as_of))


def tables_with(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp, eff: dict) -> dict:
    """`scenario_tables` from the scenario's `effect_arrays` (`eff`), the scenario already checked."""
    tables = dict(ledger.tables())
    if dataclasses.replace(scenario, weights={}).is_zero():
        return tables  # nothing in the ledger moves (weights act on scoring only)
    projects, progress, funding = tables["projects"], tables["progress"], tables["funding"]
    year = ledger.year or as_of.year
    a = month_number(as_of)  # last month of history
    span = (year * 12, year * 12 + 11)  # January … December

    # 0. projects whose plan stops at the data month get the rest of their annual plan as rows
    progress = with_rest_of_year(ledger, as_of)

    # 1. start slips: re-spread the rest of the year's plan on the S-curve from the new start
    if (eff["slip"] > 0).any():
        progress, projects = respread_slips(projects, progress, eff["slip"], a, span)

    # 2. funding shortfall: fewer funds, less spent from here on; sole-source 100 % stops
    if any(scenario.shortfall_by_source.values()):
        cut = funding["source"].map(scenario.shortfall_by_source).to_numpy(dtype="float64", na_value=0.0)
        funding = funding.assign(amount=funding["amount"].to_numpy() * (1 - cut / 100))
        pos = positions(projects, progress)
        m = months_of(progress, "month")
        future = (m > a) & (m <= span[1]) & (pos >= 0)
        scale = np.ones(len(progress))
        scale[future] = eff["factor"][pos[future]]
        progress = progress.assign(planned=progress["planned"].to_numpy() * scale)
        halt = eff["stopped"] & eff["not_started"]
        if halt.any():
            projects = projects.assign(
                planned_start=projects["planned_start"].mask(halt),
                planned_completion=projects["planned_completion"].mask(halt),
            )

    # 3. reserve projects brought forward
    if scenario.bring_forward:
        projects, progress = bring_forward(projects, progress, scenario.bring_forward, a, span)

    tables.update(projects=projects, progress=progress, funding=funding)
    return tables


@dataclass(frozen=True)
class _Tables:
    """The parts of a Ledger the forecast reads (scenario tables not yet checked as a Ledger)."""

    projects: pd.DataFrame
    progress: pd.DataFrame
    year: int | None


def scenario_curve(ledger: Ledger, scenario: Scenario, as_of=None) -> pd.DataFrame:
    """`forecast_curve` of `scenario` applied to `ledger`, without building a checked Ledger
    (for many what-ifs at once, e.g. the leaders' slip slider)."""
    as_of = as_of_for(ledger, as_of)
    tables = scenario_tables(ledger, scenario, as_of)
    return forecast_curve(_Tables(tables["projects"], tables["progress"], ledger.year), as_of)
