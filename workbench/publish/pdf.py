"""Printing a report page to PDF with headless Chromium, found on the PATH, isolated and quiet."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from workbench.core.words import error_message
from workbench.exceptions import PublishError

#: Executable names tried in turn.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    """The path of a Chromium/Chrome executable, or None."""
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_command(chromium: str, profile: Path) -> list[str]:
    """Headless Chromium's command line, isolated in `profile` and quiet on the network."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]


def run_chromium(args: list[str], chromium: str | None = None, timeout: int = 120) -> str:
    """Run headless Chromium with `args` in a fresh profile; returns its stdout."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise PublishError(error_message("chromium_missing"))
    with tempfile.TemporaryDirectory(prefix="wb-chromium-", ignore_cleanup_errors=True) as profile:
        command = chromium_command(chromium, Path(profile)) + args
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PublishError(error_message("chromium_timeout", timeout=timeout),
                               file=chromium) from None
    if process.returncode != 0:
        raise PublishError(error_message("chromium_failed", code=process.returncode,
                                         reason=err.strip()[-500:]), file=chromium)
    return out


def print_pdf(page: Path, pdf: Path, chromium: str | None = None, timeout: int = 120) -> Path:
    """Print the HTML file `page` to `pdf` with headless Chromium, after its charts are drawn."""
    run_chromium(
        [
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            Path(page).resolve().as_uri(),
        ],
        chromium,
        timeout,
    )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PublishError(error_message("chromium_no_pdf", page=page), file=str(page))
    return pdf
