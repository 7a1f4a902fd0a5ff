"""Scheduled runs fail cleanly: an unwritable or full output folder is one line and exit 1;
SIGTERM/SIGINT record the failure and leave no temporary files; folders left by a killed run
are recorded by the next; the final move never loses the last good report; --on-failure runs a
command with the failure summary. (Without a kernel: fast; the runs with one are in
test_runs_killed.py.)"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.exceptions import EXIT_FAILED, PublishError
from workbench.publish.folders import FAILED, HANDOFF_FILE, move_into_place, temp_folder
from workbench.publish.runs import (
    Interrupted,
    notify_on_failure,
    run_folder,
    run_on_failure,
    stopped_by_signals,
)


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def left_over(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith((".tmp", ".old"))]


def test_an_output_folder_that_cannot_be_made_is_one_line_exit_1(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(PublishError) as err:
        temp_folder(blocker / "reports")
    assert err.value.exit_code == EXIT_FAILED and str(blocker / "reports") in str(err.value)
    assert "\n" not in str(err.value)


def test_report_to_an_unwritable_out_is_one_line_and_exit_1(tmp_path, sample_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--ledger", str(sample_path),
                                      "--out", str(blocker / "reports"), "--no-pdf",
                                      "--accept-warnings"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines()
             if str(blocker) in line and "无法写入输出文件夹" in line]
    assert len(lines) == 1, result.output


def test_a_full_disk_during_the_run_leaves_nothing_behind_and_says_so(tmp_path, monkeypatch):
    import workbench.publish.runs as runs

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    out, logs = tmp_path / "reports", []
    with pytest.raises(PublishError) as err:
        with run_folder(out, "2022Q1", Path("nb.ipynb"), "nb.ipynb", "en", logs.append) as tmp:
            (tmp / HANDOFF_FILE).write_bytes(b"the whole ledger")
            monkeypatch.setattr(runs, "keep_failed", full)  # recording fails too: the disk is full
            full()
    assert "No space left" in str(err.value) and err.value.exit_code == EXIT_FAILED
    assert left_over(out) == [] and not (out / FAILED).exists()
    assert any("could not be recorded" in line for line in logs)


def test_a_failure_is_recorded_without_the_ledger_copy(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(PublishError) as err, run_folder(out, "2022Q1", Path("nb.ipynb"),
                                                        "nb.ipynb", "zh", print) as tmp:
        (tmp / HANDOFF_FILE).write_bytes(b"the whole ledger")
        raise RuntimeError("cell broke")
    kept = Path(err.value.kept)
    assert kept.parent == out / FAILED and (kept / "error.txt").is_file()
    assert not (kept / HANDOFF_FILE).exists() and left_over(out) == []


def test_sigterm_and_sigint_stop_the_block_as_a_recorded_failure(tmp_path):
    for signum in (signal.SIGTERM, signal.SIGINT):
        out = tmp_path / signum.name
        before = signal.getsignal(signum)
        with pytest.raises(PublishError) as err, stopped_by_signals("en"):
            with run_folder(out, "2022Q1", Path("nb.ipynb"), "nb.ipynb", "en", print) as tmp:
                (tmp / HANDOFF_FILE).write_bytes(b"the whole ledger")
                os.kill(os.getpid(), signum)
        assert signum.name in str(err.value) and err.value.exit_code == 128 + signum
        kept = Path(err.value.kept)
        assert signum.name in (kept / "error.txt").read_text()
        assert not (kept / HANDOFF_FILE).exists() and left_over(out) == []
        assert signal.getsignal(signum) == before, "the handlers are put back"


def test_interrupted_is_not_an_ordinary_exception():
    """A year of quarters stops at a signal (publish_year catches PublishError only)."""
    assert not isinstance(Interrupted(signal.SIGTERM), Exception)


def test_the_next_run_records_the_folder_a_killed_run_left(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    stale = out / f".tmp-{dead_pid()}-abcd"
    stale.mkdir()
    (stale / HANDOFF_FILE).write_bytes(b"the whole ledger")
    (stale / "quarterly_review.ipynb").write_text("{}")
    alive = out / f".tmp-{os.getpid()}-live"  # a run still going (this process) is left alone
    alive.mkdir()
    logs = []
    tmp = temp_folder(out, "en", logs.append)
    assert sorted(left_over(out)) == sorted([alive.name, tmp.name])
    [kept] = (out / FAILED).iterdir()
    assert (kept / "quarterly_review.ipynb").is_file() and not (kept / HANDOFF_FILE).exists()
    assert "killed" in (kept / "error.txt").read_text() and any("recorded" in m for m in logs)


def test_an_old_report_set_aside_by_a_killed_run_is_put_back(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    old = out / f".old-{dead_pid()}-20230105-073000-000001-2022Q4"
    old.mkdir()
    (old / "quarterly_review.html").write_text("the last good report")
    temp_folder(out)
    assert (out / "2022Q4" / "quarterly_review.html").read_text() == "the last good report"
    assert not old.exists()


def test_a_failure_during_the_final_move_keeps_the_last_good_report(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    (out / "2022Q1").mkdir(parents=True)
    (out / "2022Q1" / "quarterly_review.html").write_text("the last good report")
    tmp = temp_folder(out)
    (tmp / "quarterly_review.html").write_text("the new report")
    rename = Path.rename

    def failing(self, target):
        if self == tmp:
            raise OSError(errno.EIO, "Input/output error")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError):
        move_into_place(tmp, out / "2022Q1")
    monkeypatch.undo()
    assert (out / "2022Q1" / "quarterly_review.html").read_text() == "the last good report"
    assert [p.name for p in out.iterdir() if p.name.startswith(".old")] == []


def test_on_failure_gets_the_summary_on_stdin_and_in_the_environment(tmp_path):
    seen = tmp_path / "seen"
    command = (f'cat > {seen}; echo "$WORKBENCH_EXIT_CODE|$WORKBENCH_FAILED_DIR|'
               f'$WORKBENCH_FAILURE" >> {seen}')
    exc = PublishError("报告 2022Q1 失败：cell 3: KeyError", kept="/r/_failed/x")
    assert run_on_failure(command, exc, "zh") == 0
    text = seen.read_text()
    assert text.startswith("报告 2022Q1 失败：cell 3: KeyError\n  失败记录：/r/_failed/x")
    assert "1|/r/_failed/x|报告 2022Q1 失败：cell 3: KeyError\n" in text
    with pytest.raises(ValueError), notify_on_failure(f"cat > {tmp_path / 'bug'}"):
        raise ValueError("a bug")  # a bug is reported too, then surfaces as before
    assert "ValueError: a bug" in (tmp_path / "bug").read_text()


def test_a_broken_on_failure_command_does_not_hide_the_failure(tmp_path):
    logs = []
    assert run_on_failure("exit 3", PublishError("x"), "en", logs.append) == 3
    assert logs == ["ran the --on-failure command (exit code 3)"]


def test_report_on_failure_runs_the_command_and_keeps_the_exit_code(tmp_path):
    mail = tmp_path / "mail"
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q9", "--out", str(tmp_path / "r"),
                                      "--no-pdf", "--on-failure", f"cat > {mail}"])
    assert result.exit_code == 2, result.output
    assert "2022Q9" in mail.read_text() and "参数错误" in mail.read_text()
