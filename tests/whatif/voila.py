"""Voilà started for a test, as a user's browser meets it: on a free loopback port, its output
in a log file, the first page fetched (which starts the visit's kernel), and the whole process
group stopped afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_by_voila(command_for: Callable[[int], list[str]], log_path: Path,
                    wait: float = 240) -> Iterator[tuple[subprocess.Popen, str, str]]:
    """Run ``command_for(port)`` from the repository, wait until its page answers, and yield
    (the process, the page's HTML, its URL); the process group is stopped on leaving."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = log_path.open("w")
    process = subprocess.Popen(command_for(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        page, deadline = None, time.monotonic() + wait
        while page is None:
            assert process.poll() is None, f"voila exited: {log_path.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"voila did not answer within {wait:.0f} s"
            try:
                with urllib.request.urlopen(url, timeout=200) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        yield process, page, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
