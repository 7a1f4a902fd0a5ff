"""The sample county as a year: its ledger at each month end, each Friday of Q4 and the year end.

`sample_series(seed, projects, year)` returns the ledgers (as of date, Ledger) and the change
log without writing; `write_sample_series(out_dir, …)` writes them as
``{file_stem}_{YYYY-MM-DD}.xlsx`` (填报时间 = that date) and ``changes.csv`` (UTF-8 with a BOM,
so Excel opens it). The year-end ledger is `generate_sample`'s, less the projects dropped in the
year; the earlier ones are derived from it (`series_state`), with the edits of `series_plan`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger
from workbench.sample.changelog import change_log
from workbench.sample.generate import generate_sample
from workbench.sample.parameters import check_parameters, sample_config
from workbench.sample.series_plan import plan_edits
from workbench.sample.series_state import funding_steps, snapshot_ledger

#: The change log's file name in the series folder.
CHANGES_FILE = "changes.csv"


def series_file_name(day: pd.Timestamp) -> str:
    """The workbook name of the ledger of `day`: ``{file_stem}_{YYYY-MM-DD}.xlsx``."""
    return f"{sample_config()['county']['file_stem']}_{day:%Y-%m-%d}.xlsx"


def sample_series(
    seed: int = 2022, projects: int = 200, year: int = 2022
) -> tuple[list[tuple[pd.Timestamp, Ledger]], pd.DataFrame]:
    """The sample year's ledgers, oldest first, as (as of date, Ledger), and its change log."""
    check_parameters(seed, projects, year)
    cfg = sample_config()
    truth = generate_sample(seed=seed, projects=projects, year=year)
    plan = plan_edits(truth, cfg, seed)
    steps = funding_steps(np.random.default_rng([seed, cfg["series"]["seed_offset"], 1]),
                          cfg["series"], truth.funding)  # fmt: skip
    files = [series_file_name(day) for day in plan.dates]
    ledgers = []
    for k, day in enumerate(plan.dates):
        source = f"workbench sample --series --seed {seed} --projects {projects} --year {year} ({day:%Y-%m-%d})"
        ledgers.append((day, snapshot_ledger(truth, steps, plan, k, source)))
    return ledgers, change_log(truth, steps, plan, files)


def write_sample_series(
    out_dir="data/sample/series", seed: int = 2022, projects: int = 200, year: int = 2022
) -> tuple[list[Path], pd.DataFrame]:
    """Write the sample year's ledgers and ``changes.csv`` into `out_dir`: the workbook paths
    (oldest first) and the change log."""
    from workbench.sample.workbook import write_ledger_workbook

    ledgers, log = sample_series(seed=seed, projects=projects, year=year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    county = sample_config()["county"]["name"]
    paths = [
        write_ledger_workbook(ledger, out / series_file_name(day), county=county,
                              report_day=day.date())  # fmt: skip
        for day, ledger in ledgers
    ]
    log.to_csv(out / CHANGES_FILE, index=False, encoding="utf-8-sig", lineterminator="\n")
    return paths, log
