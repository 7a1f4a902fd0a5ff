"""The unit-ranking trend over a year of weekly snapshots: 52 snapshots of 2,000 projects.

Target (issue 13): ≤ 1 s for the trend the monthly assessment report draws
(`workbench.review.unit_trend`): every snapshot's projects and progress read from the store
(``history.snapshot_panel``, only the columns the trend needs) and each unit's year-to-date
completion rate and rank computed at every snapshot. The store is built first with
``history.add_snapshot`` (not timed): the synthetic county at 2,000 projects, one ledger a
Friday of 2022, each reporting the months up to its date (so no two snapshots are the same).

    .venv/bin/python benchmarks/bench_history_trend.py [--projects 2000] [--weeks 52]
                                                       [--store PATH] [--repeat 5]

With --store PATH the store is kept there and reused when it already holds the snapshots.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from workbench.history import add_snapshot, list_snapshots, snapshot_panel
from workbench.review import unit_trend
from workbench.review.monthly import TREND_PROGRESS, TREND_PROJECTS
from workbench.sample.generate import generate_sample

TARGET_S = 1.0


def build_store(store: Path, projects: int, weeks: int) -> None:
    """`weeks` weekly snapshots of the synthetic county at `projects` projects (not timed)."""
    if store.exists() and len(list_snapshots(store)) >= weeks:
        return
    started = time.monotonic()
    ledger = generate_sample(projects=projects)
    fridays = pd.date_range("2022-01-07", periods=weeks, freq="7D")
    for n, friday in enumerate(fridays):
        progress = ledger.progress.copy()
        unreported = progress["month"] > friday  # months after the Friday are not reported yet
        progress.loc[unreported, "completed"] = 0.0
        reported = progress["month"].eq(friday.to_period("M").start_time)  # this month so far
        progress.loc[reported, "completed"] *= min(1.0, friday.day / 28)
        add_snapshot(ledger.replace(progress=progress), store, as_of=friday)
        if n % 10 == 9:
            print(f"  built {n + 1} snapshots in {time.monotonic() - started:.0f} s", flush=True)


def trend(store: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """The trend over every snapshot, with the seconds of each part."""
    t0 = time.perf_counter()
    projects = snapshot_panel("projects", store, columns=TREND_PROJECTS)
    progress = snapshot_panel("progress", store, columns=TREND_PROGRESS)
    t1 = time.perf_counter()
    out = unit_trend(projects, progress)
    t2 = time.perf_counter()
    return out, {"read": t1 - t0, "compute": t2 - t1, "total": t2 - t0,
                 "rows": len(projects) + len(progress)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "history.duckdb"
        print(f"store {store}: {args.weeks} weekly snapshots of {args.projects} projects")
        build_store(store, args.projects, args.weeks)
        snapshots = list_snapshots(store)
        print(f"  {len(snapshots)} snapshots, {int(snapshots['projects'].iloc[-1])} projects "
              "in the last (list and reserve)")
        runs = [trend(store) for _ in range(args.repeat)]
        out = runs[-1][0]
        best = min(runs, key=lambda r: r[1]["total"])[1]
        median = statistics.median(r[1]["total"] for r in runs)
        print(f"  trend: {out['as_of'].nunique()} snapshots × {out['responsible_unit'].nunique()} "
              f"units = {len(out)} ranks from {best['rows']:,} panel rows")
        print(f"  read panels {best['read']:.3f} s + rank {best['compute']:.3f} s = "
              f"{best['total']:.3f} s (best of {args.repeat}; median {median:.3f} s)")
        print(f"  target ≤ {TARGET_S:.1f} s: ratio {best['total'] / TARGET_S:.2f} "
              f"({'met' if best['total'] <= TARGET_S else 'NOT met'})")


if __name__ == "__main__":
    main()
