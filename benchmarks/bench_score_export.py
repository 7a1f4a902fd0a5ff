"""Benchmark: `workbench score LEDGER --out x.xlsx` on a 50,000-project ledger workbook.

    .venv/bin/python benchmarks/bench_score_export.py [--projects 50000] [--out-type xlsx]

The ledger is the load benchmark's workbook (benchmarks/bench_load.py: the sample's layout, its
list projects repeated to `--projects`, written once under benchmarks/_data/, git-ignored). The
command runs in a fresh process, as a user runs it; the script prints its wall time, CPU time
and peak RSS (getrusage of the child), then runs the same steps as `score_file` in another fresh
process and prints each step's time (load, score, export tables, write), and the reason rows.
Targets: ≤ 15 s and ≤ 1 GB peak on 50,000 projects (before: about 103 s and 2.2 GB with openpyxl).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

STEPS = r"""
import json, sys, time
times = {}
def step(name, fn):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    times[name] = (time.perf_counter() - t, time.process_time() - c)
    return out
def imports():
    global load_ledger, write_tables, score, score_tables
    from workbench.ingest import load_ledger
    from workbench.present import write_tables
    from workbench.scoring import score
    from workbench.scoring.scores import score_tables
step("import", imports)
ledger = step("load + validate", lambda: load_ledger(sys.argv[1]))
scores = step("score", lambda: score(ledger))
tables = step("export tables", lambda: score_tables(ledger, scores))
step("write", lambda: write_tables(tables, sys.argv[2]))
rows = {name: len(frame) for name, frame in tables.items()}
print(json.dumps({"times": times, "rows": rows, "projects": len(ledger.projects)}))
"""


def run_child(command: list[str]) -> tuple[float, float, float, str]:
    """Run `command` in a fresh process: (wall s, CPU s, peak RSS GB, stdout).

    The figures are that child's own (``os.wait4``): the children's totals of ``getrusage``
    would report the largest peak of any child so far, and a child's peak includes what its
    parent held when it forked."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024**2, stdout


def ledger_workbook(projects: int) -> Path:
    """The load benchmark's workbook, built in a child process when missing (building it
    takes about 1 GB, which this process must not hold when it starts the measured child)."""
    from bench_load import DATA

    path = DATA / f"ledger_{projects}.xlsx"
    if not path.exists():
        code = f"from bench_load import workbook_path; workbook_path({projects})"
        subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--out-type", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--no-steps", action="store_true", help="skip the per-step run")
    args = parser.parse_args()
    ledger = ledger_workbook(args.projects)
    workbench = Path(sys.executable).with_name("workbench")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"scores.{args.out_type}"
        wall, cpu, peak, _ = run_child([str(workbench), "score", str(ledger), "--out", str(out)])
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        print(f"ledger: {ledger.name} ({ledger.stat().st_size / 1e6:.1f} MB)")
        print(f"workbench score --out {out.name}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS "
              f"{peak:.2f} GB, wrote {size:.1f} MB (load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores)")
        if not args.no_steps:
            out.unlink()
            _, _, step_peak, stdout = run_child([sys.executable, "-c", STEPS, str(ledger), str(out)])
            steps = json.loads(stdout.strip().splitlines()[-1])
            rows = ", ".join(f"{name} {n:,}" for name, n in steps["rows"].items())
            print(f"steps ({steps['projects']:,} projects; rows written: {rows}; peak RSS "
                  f"{step_peak:.2f} GB):")
            for name, (seconds, cpu_s) in steps["times"].items():
                print(f"  {name:<16} {seconds:6.2f} s wall  {cpu_s:6.2f} s CPU")
    print(f"targets: ≤ 15 s [{'ok' if wall <= 15 else 'MISSED'}] ({wall / 15:.2f}× the budget; "
          f"CPU {cpu:.1f} s [{'ok' if cpu <= 15 else 'MISSED'}], the figure other load on the "
          f"machine does not inflate), ≤ 1 GB peak [{'ok' if peak <= 1 else 'MISSED'}] "
          f"({peak:.2f} GB)")


if __name__ == "__main__":
    main()
