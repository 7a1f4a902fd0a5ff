"""Benchmark: the snapshot store (issue 13).

    .venv/bin/python benchmarks/bench_history.py [--projects 100000] [--repeat 3]

1. ``snapshot add`` of a ledger file (hash, load, store) against ``load_ledger`` of the same
   file, paired in one run, best of `--repeat`. Target ≤ 1.3×. The files: the bundled sample
   county (306 projects, six sheets) and a sample-layout county of `--county` key projects
   (written once under benchmarks/_data/, git-ignored).
2. ``diff_snapshots`` of two snapshots of `--projects` projects (twelve months of progress each;
   the second with 2 % of plans moved, 1 % of projects dropped and 1 % added, problems closed),
   best of `--repeat`. Target ≤ 1 s at 100,000 projects.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.history import add_snapshot, diff_snapshots  # noqa: E402
from workbench.ingest import load_ledger  # noqa: E402
from workbench.model.ledger import Ledger  # noqa: E402
from workbench.model.schemas import columns_of  # noqa: E402
from workbench.publish import snapshot_ledger  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_add(path: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stores = iter(Path(tmp) / f"s{i}.duckdb" for i in range(100))
        load_ledger(path)  # warm imports and caches for both
        snapshot_ledger(path, next(stores))
        loads, adds = [], []
        for _ in range(repeat):  # paired: each add right after a load of the same file
            loads.append(best(lambda: load_ledger(path), 1))
            store = next(stores)
            add_snapshot(_tiny(), store, as_of="2021-12-31")  # the store exists, as in use
            adds.append(best(lambda s=store: snapshot_ledger(path, s), 1))
    load, add = min(loads), min(adds)
    print(f"snapshot add {path.name}: load_ledger {load:.2f} s · snapshot add {add:.2f} s · "
          f"ratio {add / load:.2f}× (target ≤ 1.3×)")


def county_file(projects: int) -> Path:
    """A sample-county ledger of `projects` key projects, written once under benchmarks/_data/."""
    from workbench.sample import generate_sample, write_ledger_workbook

    path = ROOT / "benchmarks/_data" / f"county_{projects}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_ledger_workbook(generate_sample(projects=projects), path)
    return path


def _tiny() -> Ledger:
    projects = pd.DataFrame({"project_id": ["X-1"], "name": ["x"], "nature": ["续建"],
                             "stage": ["在建"], "level": ["县"], "programme_982": [False],
                             "office": ["工业发展"], "total_investment": [1.0],
                             "annual_plan": [1.0]}).reindex(columns=columns_of("projects"))
    return Ledger(projects=projects)


def portfolio(n: int, seed: int) -> Ledger:
    rng = np.random.default_rng(seed)
    ids = np.array([f"2201-411325-04-01-{i:06d}" for i in range(n)], dtype=object)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    projects = pd.DataFrame({
        "project_id": ids, "name": [f"项目{i}" for i in range(n)], "owner": "某公司",
        "nature": "续建", "stage": rng.choice(["前期", "在建", "建成"], n), "level": "县",
        "programme_982": False, "office": "工业发展",
        "responsible_unit": rng.choice([f"单位{u}" for u in range(40)], n),
        "total_investment": rng.uniform(1e3, 1e5, n).round(2),
        "annual_plan": rng.uniform(1e2, 1e4, n).round(2),
        "planned_start": start, "planned_completion": start + pd.Timedelta(days=700),
    }).reindex(columns=columns_of("projects"))
    months = pd.date_range("2022-01-01", periods=12, freq="MS")
    progress = pd.DataFrame({
        "project_id": np.repeat(ids, 12), "month": np.tile(months, n),
        "planned": rng.uniform(0, 1e3, n * 12).round(2),
        "completed": rng.uniform(0, 1e3, n * 12).round(2)}).reindex(columns=columns_of("progress"))
    k = n // 5
    problems = pd.DataFrame({
        "project_id": ids[:k], "problem": "用地未落实", "owner": "县自然资源局",
        "raised_on": pd.Timestamp("2022-03-01"), "due_on": pd.Timestamp("2022-06-30"),
        "resolved_on": pd.NaT}).reindex(columns=columns_of("problems"))
    return Ledger(projects=projects, progress=progress, problems=problems, year=2022)


def edited(ledger: Ledger, seed: int) -> Ledger:
    rng = np.random.default_rng(seed)
    n = len(ledger.projects)
    p = ledger.projects.copy()
    moved = rng.choice(n, n // 50, replace=False)
    p.loc[moved, "planned_completion"] = p.loc[moved, "planned_completion"] + pd.Timedelta(days=90)
    dropped = set(p["project_id"].iloc[rng.choice(n, n // 100, replace=False)])
    p = p[~p["project_id"].isin(dropped)]
    new = portfolio(n // 100, seed + 1).projects.assign(
        project_id=lambda f: "2301-" + f["project_id"].str[5:])
    p = pd.concat([p, new], ignore_index=True)
    problems = ledger.problems.copy()
    problems.loc[problems.index[::3], "resolved_on"] = pd.Timestamp("2022-07-15")
    return ledger.replace(projects=p, problems=problems)


def bench_diff(n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "h.duckdb"
        old = portfolio(n, 1)
        add_snapshot(old, store, as_of="2022-06-30")
        add_snapshot(edited(old, 2), store, as_of="2022-07-31")
        result = diff_snapshots(store=store)
        took = best(lambda: diff_snapshots(store=store), repeat)
    print(f"diff of two {n:,}-project snapshots: {took:.2f} s (target ≤ 1 s) · "
          f"{result.counts()['rebaselines']:,} re-baselines, {len(result.added):,} added, "
          f"{len(result.dropped):,} dropped, {len(result.problems_closed):,} problems closed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--county", type=int, default=3000,
                        help="projects of the larger sample-layout ledger for snapshot add")
    args = parser.parse_args()
    bench_add(ROOT / "data/sample/neixiang_2022_ledger.xlsx", args.repeat)
    bench_add(county_file(args.county), max(1, args.repeat - 1))
    bench_diff(args.projects, args.repeat)


if __name__ == "__main__":
    main()
