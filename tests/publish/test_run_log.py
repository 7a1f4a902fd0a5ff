"""What a scheduled run prints is what cron mails and journald keeps: the run's own log lines,
in the chosen language, and nothing from the kernel's machinery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_report_run_logs_only_its_own_lines(tmp_path, small_xlsx):
    workbench = Path(sys.executable).with_name("workbench")
    run = subprocess.run(
        [str(workbench), "report", "--quarter", "2022Q1", "--ledger", str(small_xlsx),
         "--out", str(tmp_path / "reports"), "--no-pdf"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "WORKBENCH_LANG": "zh"})
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    foreign = [line for line in lines if not line.lstrip().startswith(("2022Q1", "第"))]
    assert lines and not foreign, foreign
    # in particular no "Kernel is running over TCP without encryption": the kernel listens on
    # Unix sockets only, which other users of the machine cannot reach
    assert "TCP" not in run.stderr and "WARNING" not in run.stderr
