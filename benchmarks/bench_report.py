"""Benchmark: `workbench report` on the bundled sample (execute + HTML, no PDF) against the floor.

The floor is what any papermill report costs: papermill running a notebook of one cell on the
same kernel, then nbconvert exporting it to HTML. The headline floor is like for like: it gets
the process-level speed-ups the report uses (`workbench.core.speedups`), in its own process
(the rfc3987_syntax import skip and gc.freeze at exit, as `workbench`'s main() and report
command apply them) and in its kernel (its one cell calls `report_kernel_speedups()`, as the
report notebook's first cell does, with WORKBENCH_REPORT_RUN set). The plain floor (an empty
cell, no speed-ups: it compiles the IRI grammar the report skips) is printed as a
secondary figure. All run as fresh processes, as a scheduled run would, alternately in the same
session; the medians and their ratios are printed. Target: like-for-like ratio ≤ 1.5.

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
TARGET = 1.5

#: The floor's one cell when it runs like for like: what the report notebook's first cell does.
KERNEL_SPEEDUPS = "from workbench.core import report_kernel_speedups\nreport_kernel_speedups()"

FLOOR = """
import sys
folder, like_for_like = sys.argv[1], sys.argv[2:] == ["like-for-like"]
if like_for_like:  # the report process's speed-ups, applied as workbench's main() and report do
    from workbench.core.speedups import freeze_at_exit, skip_iri_format_checks
    freeze_at_exit()
    skip_iri_format_checks()
import nbformat, papermill
from nbconvert import HTMLExporter
cell = KERNEL_CELL if like_for_like else ""
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
nb.metadata["kernelspec"] = {"name": "workbench", "display_name": "workbench", "language": "python"}
nbformat.write(nb, f"{folder}/one_cell.ipynb")
papermill.execute_notebook(f"{folder}/one_cell.ipynb", f"{folder}/out.ipynb",
                           kernel_name="workbench", progress_bar=False)
body, _ = HTMLExporter().from_filename(f"{folder}/out.ipynb")
open(f"{folder}/out.html", "w", encoding="utf-8").write(body)
""".replace("KERNEL_CELL", repr(KERNEL_SPEEDUPS))


CPU: dict[str, list[float]] = {}


def timed(command: list[str], name: str = "", env: dict[str, str] | None = None) -> float:
    """Wall seconds one command takes (it must succeed); its CPU seconds (with the kernel's,
    less sensitive to a busy machine) are kept in CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(name, []).append(cpu)
    return wall


def _times(values: list[float]) -> str:
    return f"{', '.join(f'{t:.2f}' for t in values)} s  median {statistics.median(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quarter", default="2022Q1")
    args = parser.parse_args()
    from workbench.core.speedups import REPORT_RUN

    plain_env = {k: v for k, v in os.environ.items() if k != REPORT_RUN}
    like_env = plain_env | {REPORT_RUN: "1"}  # the floor's kernel applies the speed-ups
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        report = [str(BIN / "workbench"), "report", "--quarter", args.quarter, "--ledger",
                  str(SAMPLE), "--out", f"{folder}/reports", "--no-pdf"]
        plain = [sys.executable, "-c", FLOOR, folder]
        like = plain + ["like-for-like"]
        timed(plain, env=plain_env)  # warm-up: disk caches, the kernel spec, the Vega bundle cache
        timed(like, env=like_env)
        timed(report, env=plain_env)
        likes, plains, reports = [], [], []
        for _ in range(args.runs):
            likes.append(timed(like, "like", like_env))
            plains.append(timed(plain, "plain", plain_env))
            reports.append(timed(report, "report", plain_env))
        html = Path(folder, "reports", args.quarter, "quarterly_review.html").stat().st_size
    lf, pf, r = (statistics.median(v) for v in (likes, plains, reports))
    print("floor, like for like (papermill one-cell notebook + nbconvert, with the report's "
          "speed-ups in process and kernel):")
    print(f"        {_times(likes)}")
    print(f"floor, plain (empty cell, no speed-ups):            {_times(plains)}")
    print(f"report (workbench report {args.quarter}, no PDF):       {_times(reports)}"
          f"  (HTML {html / 1e6:.2f} MB)")
    verdict = "within" if r / lf <= TARGET else "NOT within"
    print(f"ratio report / like-for-like floor: {r / lf:.2f}x  ({verdict} target <= {TARGET}x)")
    print(f"  secondary: report / plain floor: {r / pf:.2f}x (the plain floor pays the imports "
          f"the report skips)")
    paired = [rep / flo for rep, flo in zip(reports, likes, strict=True)]
    print(f"  paired (each report / the like-for-like floor of the same round): "
          f"{', '.join(f'{x:.2f}' for x in paired)}  median {statistics.median(paired):.2f}x")
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    print(f"CPU seconds (median, incl. kernel): like-for-like floor {cpu['like']:.2f}, plain floor "
          f"{cpu['plain']:.2f}, report {cpu['report']:.2f}; ratio {cpu['report'] / cpu['like']:.2f}x"
          f" like for like, {cpu['report'] / cpu['plain']:.2f}x against the plain floor")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (wall times spread when others share the machine)")


if __name__ == "__main__":
    main()
