"""Benchmark: load + validate a 100,000-row ledger workbook, against pandas.read_excel(calamine).

Run: ``.venv/bin/python benchmarks/bench_load.py [--rows 100000] [--repeat 1]``.
The workbook (the sample's layout: title, unit row, two-row merged header, 合计, category rows,
24 monthly columns) is built once under benchmarks/_data/ (git-ignored) from the seeded sample,
its projects repeated with fresh names and codes. Target: load+validate ≤ 2× read_excel.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "_data"


def big_ledger(rows: int):
    """The sample's list projects repeated to `rows` projects (unique codes and names)."""
    from workbench.model.ledger import Ledger
    from workbench.sample.generate import generate_sample

    sample = generate_sample()
    listed = sample.projects[~sample.projects["stage"].isin(["谋划", "储备"])].reset_index(drop=True)
    reps = int(np.ceil(rows / len(listed)))
    projects = pd.concat([listed] * reps, ignore_index=True).iloc[:rows].copy()
    k = np.arange(rows)
    projects["project_id"] = [f"2201-411325-04-01-{i:06d}" for i in k]
    projects["name"] = projects["name"] + "（" + pd.Series(k).astype(str) + "）"
    progress = sample.progress.set_index("project_id")
    monthly = []
    for source_id, chunk in zip(listed["project_id"], range(len(listed)), strict=True):
        ids = projects["project_id"].iloc[chunk::len(listed)]
        rows_of = progress.loc[[source_id]].reset_index(drop=True)
        for pid in ids:
            monthly.append(rows_of.assign(project_id=pid))
    progress_big = pd.concat(monthly, ignore_index=True)
    return Ledger(projects=projects, progress=progress_big, year=sample.year)


def workbook_path(rows: int) -> Path:
    """The benchmark workbook, written once."""
    from workbench.sample.workbook import write_ledger_workbook

    path = DATA / f"ledger_{rows}.xlsx"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        write_ledger_workbook(big_ledger(rows), path)
        print(f"wrote {path} in {time.perf_counter() - t:.1f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    from workbench.ingest.load import load_ledger

    path = workbook_path(args.rows)
    pandas_s, ours_s = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        frame = pd.read_excel(path, engine="calamine", sheet_name=0, header=None)
        pandas_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        ledger = load_ledger(path)
        ours_s.append(time.perf_counter() - t)
    p, o = min(pandas_s), min(ours_s)
    s = ledger.summary()
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB), sheet 1 {frame.shape[0]} rows × "
          f"{frame.shape[1]} columns")
    print(f"loaded: {s['counts']['projects']} projects, {s['counts']['progress']} progress rows, "
          f"{s['errors']} errors, {s['warnings']} warnings")
    print(f"pandas.read_excel(engine='calamine'): {p:.2f} s")
    print(f"workbench load_ledger (load + validate): {o:.2f} s")
    print(f"ratio: {o / p:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
