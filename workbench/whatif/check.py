"""A scenario against a ledger: what it may name there, and what may be brought forward.

`check_scenario` refuses a scenario naming a project, office or unit the ledger lacks, or
bringing forward a project that cannot be (ScenarioError naming the field). `reserve_projects`
and `later_quarters` are the choices the analysts' controls offer for bringing forward.

Only reserve projects (储备库: `workbench.core.vocabulary.RESERVE_STAGES`, 谋划 and 储备, the
same projects the portfolio health's reserve multiple counts) that have not started may be
brought forward: the lever is "储备库项目提前实施". A project already in preparation (前期) has
its own planned start; a start slip or approval delay moves it.
"""

from __future__ import annotations

import pandas as pd

from workbench.core.periods import quarter_end, quarter_of, quarter_start
from workbench.core.vocabulary import OFFICES, RESERVE_STAGES
from workbench.core.words import column_label, date, messages_language
from workbench.model.ledger import Ledger
from workbench.whatif._dates import as_of_for
from workbench.whatif.scenario import SLIP_FIELDS, Scenario, refuse


def check_scenario(scenario: Scenario, ledger: Ledger, as_of: pd.Timestamp | None = None) -> None:
    """Raise ScenarioError naming the field when the scenario names something `ledger` lacks."""
    p = ledger.projects
    for name, column in SLIP_FIELDS.items():
        keys = list(getattr(scenario, name))
        if not keys:
            continue
        known = OFFICES if column == "office" else p[column]
        unknown = [k for k, ok in zip(keys, pd.Index(keys).isin(known), strict=True) if not ok]
        if unknown:
            raise refuse(f"{name}.{unknown[0]}", "sc_not_in_ledger", unknown[0],
                         column=column, what=column_label(column, messages_language()))
    named = [d.project for d in scenario.approval_delays if d.project is not None]
    if named:
        known = set(p["project_id"][p["project_id"].isin(named)])
        for i, delay in enumerate(scenario.approval_delays):
            if delay.project is not None and delay.project not in known:
                raise refuse(f"approval_delays[{i}].project", "sc_unknown_project", delay.project,
                             value=delay.project)
    if not scenario.bring_forward:
        return
    as_of = as_of_for(ledger, as_of)
    rows = p[p["project_id"].isin(list(scenario.bring_forward))].set_index("project_id")
    for project, quarter in scenario.bring_forward.items():
        where = f"bring_forward.{project}"
        if project not in rows.index:
            raise refuse(where, "sc_unknown_project", project, value=project)
        start = quarter_start(quarter)  # the quarter's form was checked with the scenario
        row = rows.loc[project]
        if ledger.year is not None and start.year != ledger.year:
            raise refuse(where, "sc_other_year", quarter, quarter=quarter, year=ledger.year)
        if start <= as_of:
            raise refuse(where, "sc_quarter_begun", quarter, quarter=quarter,
                         as_of=f"{as_of:%Y-%m-%d}")
        if pd.notna(row["actual_start"]) or row["stage"] not in RESERVE_STAGES:
            raise refuse(where, "sc_not_reserve", project, stage=row["stage"],
                         started=date(row["actual_start"]))
        if pd.notna(row["planned_start"]) and row["planned_start"] <= start:
            raise refuse(where, "sc_starts_already", quarter, quarter=quarter,
                         start=f"{row['planned_start']:%Y-%m-%d}")


def reserve_projects(ledger: Ledger, as_of=None) -> pd.DataFrame:
    """Projects that may be brought forward: reserve stages, not started, no start planned yet
    or one after the next quarter's opening."""
    as_of = as_of_for(ledger, as_of)
    p = ledger.projects
    next_quarter = quarter_end(quarter_of(as_of)) + pd.Timedelta(days=1)
    later = p["planned_start"].isna() | (p["planned_start"] > next_quarter)
    return p[p["stage"].isin(RESERVE_STAGES) & p["actual_start"].isna() & later]


def later_quarters(ledger: Ledger, as_of=None) -> list[str]:
    """The quarters of the ledger's year that have not begun by `as_of`."""
    as_of = as_of_for(ledger, as_of)
    year = ledger.year or as_of.year
    return [q for q in (f"{year}Q{n}" for n in range(1, 5)) if quarter_start(q) > as_of]
