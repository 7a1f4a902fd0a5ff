"""Benchmark: `workbench report` on the bundled sample (execute + HTML, no PDF) against the floor.

The floor is what any papermill report costs: papermill running a notebook of one empty cell
on the same kernel, then nbconvert exporting it to HTML. Both run as fresh processes, as a
scheduled run would, alternately in the same session; the medians and their ratio are printed.
Target: ratio ≤ 1.5.

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--quarter 2022Q1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "sample" / "neixiang_2022_ledger.xlsx"

FLOOR = """
import sys
if sys.argv[2:] == ["skip-iri"]:
    sys.modules["rfc3987_syntax"] = None  # the same import skip `workbench report` makes
import nbformat, papermill
from nbconvert import HTMLExporter
folder = sys.argv[1]
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
nb.metadata["kernelspec"] = {"name": "workbench", "display_name": "workbench", "language": "python"}
nbformat.write(nb, f"{folder}/empty.ipynb")
papermill.execute_notebook(f"{folder}/empty.ipynb", f"{folder}/out.ipynb",
                           kernel_name="workbench", progress_bar=False)
body, _ = HTMLExporter().from_filename(f"{folder}/out.ipynb")
open(f"{folder}/out.html", "w", encoding="utf-8").write(body)
"""


CPU: dict[str, list[float]] = {}


def timed(command: list[str], name: str = "") -> float:
    """Wall seconds one command takes (it must succeed); its CPU seconds (with the kernel's,
    less sensitive to a busy machine) are kept in CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(name, []).append(cpu)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quarter", default="2022Q1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        report = [str(BIN / "workbench"), "report", "--quarter", args.quarter, "--ledger",
                  str(SAMPLE), "--out", f"{folder}/reports", "--no-pdf"]
        floor = [sys.executable, "-c", FLOOR, folder]
        lean_floor = floor + ["skip-iri"]
        timed(floor)  # warm-up: disk caches, the kernel spec, the Vega bundle cache
        timed(report)
        floors, lean_floors, reports = [], [], []
        for _ in range(args.runs):
            floors.append(timed(floor, "floor"))
            lean_floors.append(timed(lean_floor, "lean"))
            reports.append(timed(report, "report"))
        html = Path(folder, "reports", args.quarter, "quarterly_review.html").stat().st_size
    f, r = statistics.median(floors), statistics.median(reports)
    lean = statistics.median(lean_floors)
    print(f"floor  (papermill empty notebook + nbconvert): "
          f"{', '.join(f'{t:.2f}' for t in floors)} s  median {f:.2f} s")
    print(f"floor, with the report's import skip (rfc3987_syntax): "
          f"{', '.join(f'{t:.2f}' for t in lean_floors)} s  median {lean:.2f} s")
    print(f"report (workbench report {args.quarter}, no PDF):       "
          f"{', '.join(f'{t:.2f}' for t in reports)} s  median {r:.2f} s  (HTML {html / 1e6:.2f} MB)")
    print(f"ratio report/floor: {r / f:.2f}x  (target <= 1.5x); "
          f"against the floor with the same import skip: {r / lean:.2f}x")
    paired = [rep / flo for rep, flo in zip(reports, floors, strict=True)]
    print(f"paired ratios (each report / the floor run just before it): "
          f"{', '.join(f'{x:.2f}' for x in paired)}  median {statistics.median(paired):.2f}x")
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    print(f"CPU seconds (median, incl. kernel): floor {cpu['floor']:.2f}, floor with skip "
          f"{cpu['lean']:.2f}, report {cpu['report']:.2f}; ratio {cpu['report'] / cpu['floor']:.2f}x"
          f" / {cpu['report'] / cpu['lean']:.2f}x")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (wall times spread when others share the machine)")


if __name__ == "__main__":
    main()
