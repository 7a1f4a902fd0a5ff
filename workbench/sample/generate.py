"""A synthetic, seeded Neixiang-like county ledger (parameters in ``config/sample.yaml``).

`generate_sample(seed, projects, year)` returns a `Ledger` whose projects table lists this
year's key projects (stage 前期/在建/建成/投产) first and the reserve (谋划/储备) after, each
part ordered as the ledger workbook shows it (by category, then list level, then size).
Nothing here is real: names, owners and people are invented from word lists.

The steps, in the order they draw from one random generator (the order is the sample: moving
a draw changes every table): the list (`projects.py`), the reserve, who each project is
(`identities.py`, `tags.py`), then the monthly progress (`progress.py`) and the item tables
(`item_tables.py`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.sample.identities import add_identities
from workbench.sample.item_tables import (
    approvals_table,
    funding_table,
    milestones_table,
    problems_table,
)
from workbench.sample.parameters import check_parameters, sample_config
from workbench.sample.progress import progress_table
from workbench.sample.projects import (
    in_ledger_order,
    list_projects,
    projects_table,
    reserve_projects,
)


def generate_sample(seed: int = 2022, projects: int = 200, year: int = 2022) -> Ledger:
    """A deterministic synthetic county ledger: `projects` list projects plus a reserve."""
    check_parameters(seed, projects, year)
    cfg = sample_config()
    rng = np.random.default_rng(seed)
    report = pd.Timestamp(year, *cfg["county"]["report_month_day"])
    listed = list_projects(rng, cfg, projects, year, report)
    reserve = reserve_projects(rng, cfg, float(listed["annual_plan"].sum()), year)
    frame = pd.concat([listed, reserve], ignore_index=True)
    frame = add_identities(rng, cfg, frame, year)
    frame = in_ledger_order(frame, list(cfg["categories"]))
    on_list = frame[frame["on_list"]]
    tables = {
        "projects": projects_table(frame),
        "progress": progress_table(rng, cfg, on_list, year),
        "approvals": approvals_table(rng, cfg, frame, report),
        "funding": funding_table(rng, cfg, frame, year, report),
        "problems": problems_table(rng, cfg, on_list, year, report),
        "milestones": milestones_table(rng, cfg, on_list, year, report),
    }
    source = f"workbench sample --seed {seed} --projects {projects} --year {year}"
    return Ledger(**tables, year=year, source=source)


def write_sample(
    out_dir="data/sample", seed: int = 2022, projects: int = 200, year: int = 2022
) -> tuple[Path, Ledger]:
    """Generate the sample and write its ledger workbook into `out_dir`: the path and the ledger."""
    from workbench.sample.workbook import write_ledger_workbook

    ledger = generate_sample(seed=seed, projects=projects, year=year)
    county = sample_config()["county"]
    path = Path(out_dir) / f"{county['file_stem']}_{year}_ledger.xlsx"
    return write_ledger_workbook(ledger, path, county=county["name"]), ledger
