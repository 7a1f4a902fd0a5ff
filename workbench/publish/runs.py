"""A run's life when nobody watches it: its folder, signals that stop it, a command told of failure.

- `run_folder`: the temporary folder one report is written into; whatever stops the run (a
  failed cell, a dead kernel, a full disk, SIGTERM) records it under ``_failed/`` with its
  reason and leaves the last good report in place. The ledger copy handed to the kernel is
  never kept.
- `stopped_by_signals`: SIGTERM (what systemd sends on timeout, ``kill``'s default) and SIGINT
  (Ctrl-C) raise `Interrupted` in the main thread, so the run cleans up like any failure and
  the command exits 128 + the signal's number (143 for SIGTERM, 130 for SIGINT) with one
  line; a second signal while cleaning up is ignored.
- `notify_on_failure`: ``--on-failure CMD`` runs CMD through the shell when the command fails,
  with the failure summary on its stdin and in the environment (``WORKBENCH_FAILURE``,
  ``WORKBENCH_EXIT_CODE``, ``WORKBENCH_FAILED_DIR``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from workbench.core.words import error_message, error_text, message
from workbench.exceptions import EXIT_FAILED, PublishError, StoppedBySignal, WorkbenchError
from workbench.publish.execute import KERNEL, Log, failure_reason, kernel_available
from workbench.publish.folders import (
    keep_failed,
    move_into_place,
    temp_folder,
    unwritable_as_error,
    write_meta,
)
from workbench.publish.index import write_index
from workbench.publish.offline_html import notebook_html
from workbench.publish.pdf import find_chromium, print_pdf

#: The signals that stop a run cleanly.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
#: How long an --on-failure command may take (systemd kills the unit 90 s after SIGTERM).
ON_FAILURE_TIMEOUT = 60


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal (raised by the handler of `stopped_by_signals`)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.kept: str | None = None


@contextmanager
def stopped_by_signals(lang: str = "zh") -> Iterator[None]:
    """SIGTERM and SIGINT raise `Interrupted` inside the block (main thread only); it leaves
    the block as StoppedBySignal (a PublishError, exit 128 + the signal's number) naming the
    signal and the failed run's folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for s in STOP_SIGNALS:  # the first signal stops the run; later ones let it clean up
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        yield
    except Interrupted as exc:
        text = message("interrupted_kept" if exc.kept else "interrupted", lang, signal=str(exc),
                       kept=exc.kept)
        raise StoppedBySignal(text, exc.signum, kept=exc.kept, field="signal",
                              value=str(exc)) from None
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def run_folder(out: Path, name: str, notebook: Path, executed: str, lang: str, log: Log
               ) -> Iterator[Path]:
    """The temporary folder of one run (`temp_folder`); when the block fails the folder is kept
    under ``_failed/`` with its reason (`executed`: the notebook file that names the failed
    cell) and PublishError is raised, or the signal's `Interrupted` goes on with ``kept``."""
    tmp = temp_folder(out, lang, log)
    try:
        yield tmp
    except BaseException as exc:
        reason = failure_reason(exc, tmp / executed)
        if isinstance(exc, Interrupted):  # the signal first, then where the notebook stopped
            reason = message("interrupted_at", lang, signal=str(exc), where=reason)
        try:
            kept = str(keep_failed(tmp, out, reason))
        except OSError as err:  # a full or read-only disk: say so, leave nothing behind
            shutil.rmtree(tmp, ignore_errors=True)
            kept, reason = None, reason + message("not_kept", lang, reason=err.strerror or err)
        log(message("run_failed", lang, name=name, reason=reason, kept=kept or "—"))
        if isinstance(exc, Interrupted):
            exc.kept = kept
            raise
        if isinstance(exc, Exception):
            raise PublishError(message("run_failed_error", lang, name=name, reason=reason,
                                       kept=kept or "—"),
                               kept=kept, file=str(notebook), reason=reason) from exc
        raise


def failure_summary(exc: BaseException, lang: str = "zh") -> str:
    """What an --on-failure command is told: the error as the terminal shows it, the command
    line, the host and the time."""
    text = error_text(exc, lang) if isinstance(exc, WorkbenchError) else \
        f"{type(exc).__name__}: {exc}"
    return "\n".join([text, "", "$ " + " ".join(sys.argv),
                      f"{os.uname().nodename} · {datetime.now().isoformat(timespec='seconds')}"])


def run_on_failure(command: str, exc: BaseException, lang: str = "zh",
                   log: Log | None = None) -> int | None:
    """Run `command` through the shell with the summary of `exc` on stdin and in the
    environment; its exit code (None when it could not run). Never raises."""
    code = getattr(exc, "exit_code", EXIT_FAILED)
    kept = getattr(exc, "kept", None)
    summary = failure_summary(exc, lang)
    env = dict(os.environ, WORKBENCH_FAILURE=summary.split("\n")[0], WORKBENCH_EXIT_CODE=str(code),
               WORKBENCH_FAILED_DIR="\n".join(kept) if isinstance(kept, list) else kept or "")
    try:
        done = subprocess.run(command, shell=True, input=summary + "\n", text=True, env=env,  # noqa: S602
                              timeout=ON_FAILURE_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        if log is not None:
            log(message("on_failure_broke", lang, reason=err))
        return None
    if log is not None:
        log(message("on_failure_ran", lang, code=done.returncode))
    return done.returncode


@contextmanager
def notify_on_failure(command: str | None, lang: str = "zh", log: Log | None = None
                      ) -> Iterator[None]:
    """Run `command` (``--on-failure``) when the block raises anything, then re-raise."""
    if not command:
        yield
        return
    try:
        yield
    except BaseException as exc:
        run_on_failure(command, exc, lang, log)
        raise


def ready_to_run(pdf: bool, lang: str, log: Log) -> str | None:
    """Chromium's path for the PDF (None when there is none, or no PDF is wanted), after
    checking that the notebooks' kernel is registered (PublishError before any run)."""
    if not kernel_available():
        raise PublishError(error_message("kernel_missing", kernel=KERNEL), field="kernel",
                           value=KERNEL)
    chromium = find_chromium() if pdf else None
    if pdf and not chromium:
        log(message("no_chromium", lang))
    return chromium


def finished_run(nb, tmp: Path, out: Path, name: str, *, title: str, lang: str, html: str,
                 pdf: str, chromium: str | None, meta: dict, started: float) -> Path:
    """A run's last steps inside its folder: the offline page, its PDF when Chromium is there,
    ``meta.json`` (`meta` with the title, language, time and files), then the folder moved into
    place as ``out/name``. Returns where it went."""
    page = tmp / html
    page.write_text(notebook_html(nb, title=title, lang=lang), encoding="utf-8")
    if chromium:
        print_pdf(page, tmp / pdf, chromium)
    write_meta(tmp, {**meta, "lang": lang, "title": title,
                     "published": datetime.now().isoformat(timespec="seconds"),
                     "seconds": round(time.monotonic() - started, 1),
                     "files": sorted(p.name for p in tmp.iterdir())})
    return move_into_place(tmp, out / name)


def announce_published(out: Path, name: str, target: Path, started: float, lang: str,
                       log: Log) -> None:
    """The index refreshed and one line saying where the report went and how long it took."""
    with unwritable_as_error(out, lang):
        write_index(out)
    log(message("run_published", lang, name=name, target=target, took=time.monotonic() - started))
