"""What-if recompute latency at county scale (200 projects) and at 10,000 projects.

Targets (issue 6): one recompute ≤ 100 ms for a county, ≤ 1 s for 10,000 projects. A recompute
is what the notebook does on every slider move (`WhatIf.run`): apply the scenario (a new,
schema-checked Ledger), score it, forecast the year and compare with the cached base. The parts
are timed apart (each on its own, so they need not add up to the whole) to show where the time
goes, in wall-clock and in CPU time (the CPU figure is steadier on a shared machine).

    .venv/bin/python benchmarks/bench_whatif.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import statistics
import time

import pandas as pd

from workbench.model.ledger import check_table, conform
from workbench.sample.generate import generate_sample
from workbench.whatif import ApprovalDelay, Scenario, WhatIf, evaluate, scenario_tables

AS_OF = pd.Timestamp("2022-06-30")
TARGET_MS = {200: 100.0, 10_000: 1000.0}


def typical_scenario(ledger) -> Scenario:
    """Every lever at once: slips, bond shortfall, land delay, reserve brought forward, weights."""
    p = ledger.projects
    reserve = p[p["stage"].isin(["谋划", "储备"]) & p["actual_start"].isna()
                & (p["planned_start"].isna() | (p["planned_start"] > pd.Timestamp("2022-10-01")))]
    return Scenario(
        name="bench",
        slip_all=1,
        slip_by_office={"城镇建设": 2},
        shortfall_by_source={"地方政府专项债券": 30.0},
        approval_delays=(ApprovalDelay("用地", 2),),
        bring_forward={pid: "2022Q4" for pid in reserve["project_id"].head(3)},
        weights={"approvals": 35.0},
    )


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of `fn()` in milliseconds (after one warm-up call)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def schema_checks(ledger, tables: dict) -> None:
    """What Ledger.replace does to the tables a scenario changed."""
    for name, frame in tables.items():
        if frame is not getattr(ledger, name):
            check_table(name, conform(name, frame))


def measure(n: int, repeat: int) -> None:
    """Print the recompute latency and its parts for a sample of `n` projects."""
    ledger = generate_sample(2022, n, 2022)
    scenario = typical_scenario(ledger)
    session = WhatIf(ledger, AS_OF)
    tables = scenario_tables(ledger, scenario, AS_OF)
    applied = ledger.replace(**{k: v for k, v in tables.items() if v is not getattr(ledger, k)})
    parts = {
        "scenario tables (whatif, pandas/numpy)": timed(
            lambda: scenario_tables(ledger, scenario, AS_OF), repeat),
        "schema checks of changed tables (ledger)": timed(
            lambda: schema_checks(ledger, tables), repeat),
        "score + forecast of the scenario": timed(
            lambda: evaluate(applied, AS_OF, session.rubric, scenario.weights), repeat),
    }
    slips = itertools.cycle([1, 2])  # a new slip each time, so nothing scored can be reused
    run = timed(lambda: session.run(dataclasses.replace(scenario, slip_all=next(slips))), repeat)
    print(f"\n{n:>6} projects requested ({len(ledger.projects)} rows with the reserve, "
          f"{len(ledger.progress)} progress rows)")
    for label, (wall, cpu) in parts.items():
        print(f"  {label:<42}{wall:9.1f}{cpu:9.1f}")
    target = TARGET_MS[n]
    print(f"  {'recompute (WhatIf.run, base cached)':<42}{run[0]:9.1f}{run[1]:9.1f}"
          f"   target ≤ {target:.0f} ms: wall ratio {run[0] / target:.2f}, cpu ratio {run[1] / target:.2f}")
    weights = iter(range(10, 10 + 10 * (repeat + 1)))  # a new weight each time: a slider drag
    session.run(scenario)
    drag = timed(lambda: session.run(dataclasses.replace(scenario, weights={"approvals": next(weights) % 50})),
                 repeat)
    print(f"  {'weight slider move (scored scenario reused)':<42}{drag[0]:9.1f}{drag[1]:9.1f}"
          f"   target ≤ {target:.0f} ms: wall ratio {drag[0] / target:.2f}, cpu ratio {drag[1] / target:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"what-if recompute, median of {args.repeat} runs, as of {AS_OF:%Y-%m-%d}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':44}{'wall ms':>9}{'cpu ms':>9}")
    for n in (200, 10_000):
        measure(n, args.repeat)


if __name__ == "__main__":
    main()
