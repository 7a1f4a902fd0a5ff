"""The README's cron and systemd examples, run as written (paths, the year and the mail command
swapped for the test's) and killed with SIGTERM mid-run, as systemd does on timeout: the last
good report stays, the failure is recorded under reports/_failed/, the --on-failure command is
told, and no temporary file (nor the ledger copy handed to the kernel) is left."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.publish.conftest import snapshot

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(kind: str, work: Path, ledger: Path) -> str:
    """The README's cron line or systemd ExecStart, as the shell runs it, on the test's files."""
    if kind == "cron":
        line = re.search(r"```cron\n(.+)\n```", README).group(1)
        command = line.split(None, 5)[5].replace("\\%", "%")  # cron's own escaping
    else:
        command = re.search(r"^ExecStart=/bin/sh -c '(.+)'$", README, re.M).group(1)
        command = command.replace("%%", "%")  # systemd's own escaping
    command = command.replace("/srv/workbench", str(work)).replace("/srv/ledgers/current.xlsx",
                                                                   str(ledger))
    command = re.sub(r'"\$\(date -d [\'"]last month[\'"] \+%Y\)"', "2022", command)
    command = re.sub(r"--on-failure ('[^']*'|\"[^\"]*\")", "--on-failure 'cat > mail.txt'",
                     command)
    assert "2022" in command and "mail.txt" in command and str(ledger) in command
    return command


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("kind", ["cron", "systemd"])
def test_the_readme_run_killed_by_sigterm_fails_cleanly(tmp_path, small_xlsx, kind):
    work = tmp_path / "srv"
    (work / "reports" / "2022Q1").mkdir(parents=True)
    (work / ".venv").symlink_to(ROOT / ".venv")
    good = work / "reports" / "2022Q1"
    (good / "quarterly_review.html").write_text("<h1>the last good report</h1>")
    (good / "report.json").write_text('{"quarter": "2022Q1"}')
    before = snapshot(good)
    journal = work / "journal.log"  # cron appends to reports/cron.log itself; systemd: the journal
    with journal.open("w") as sink:
        run = subprocess.Popen(["/bin/sh", "-c", readme_command(kind, work, small_xlsx)],
                               cwd=work, stdout=sink, stderr=sink, start_new_session=True)
        log = work / "reports" / "cron.log" if kind == "cron" else journal
        deadline = time.monotonic() + 120
        while "单元格完成" not in (log.read_text("utf-8") if log.exists() else ""):
            assert run.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        os.killpg(run.pid, signal.SIGTERM)  # what systemd sends every process of the unit
        run.wait(30)
        deadline = time.monotonic() + 90
        while not group_gone(run.pid):
            assert time.monotonic() < deadline, "the run did not end after SIGTERM"
            time.sleep(0.2)
    text = log.read_text("utf-8")
    # the workbench's own traceback never (the dying kernel may print its own to stderr)
    assert "workbench/cli.py" not in text and "site-packages/typer" not in text, text
    assert snapshot(good) == before, "the last good report is untouched"
    [failed] = (work / "reports" / "_failed").iterdir()
    assert "SIGTERM" in (failed / "error.txt").read_text("utf-8")
    reports = work / "reports"
    assert not [p for p in reports.iterdir() if p.name.startswith((".tmp", ".old"))]
    assert not list(reports.rglob("*.pickle")), "no copy of the ledger is left"
    assert not [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob(".tmp-*")
                if str(run.pid) in p.name]
    assert "SIGTERM" in (work / "mail.txt").read_text("utf-8"), "--on-failure was told"
    assert "收到 SIGTERM，运行中止" in text
    assert not (reports / "2022Q2").exists(), "a signal stops the remaining quarters too"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_run_stopped_by_a_signal_exits_128_plus_its_number(tmp_path, small_xlsx, signum, code):
    """systemd and cron read a killed unit from its exit code: 143 after SIGTERM, 130 after
    SIGINT (as a shell reports them), and only once the failure is recorded under _failed/."""
    reports = tmp_path / "reports"
    log = tmp_path / "run.log"
    with log.open("w") as sink:
        run = subprocess.Popen([str(ROOT / ".venv" / "bin" / "workbench"), "report", "--quarter",
                                "2022Q1", "--ledger", str(small_xlsx), "--out", str(reports),
                                "--no-pdf"], cwd=tmp_path, stdout=sink, stderr=sink,
                               start_new_session=True)
        deadline = time.monotonic() + 120
        while "单元格完成" not in log.read_text("utf-8"):
            assert run.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        os.killpg(run.pid, signum)  # as systemd (SIGTERM) or a terminal's Ctrl-C (SIGINT) does
        assert run.wait(90) == code, log.read_text("utf-8")
    [failed] = (reports / "_failed").iterdir()
    assert signum.name in (failed / "error.txt").read_text("utf-8")
    assert f"收到 {signum.name}，运行中止" in log.read_text("utf-8")
    assert not [p for p in reports.iterdir() if p.name.startswith((".tmp", ".old"))]
