"""`make whatif` serves the what-if notebook with Voilà and tells it to cull idle kernels: a
visitor who leaves must not leave a kernel (about 40 MB, holding the whole ledger) behind.
The test starts Voilà exactly as the Makefile does, its flags read from the Makefile, with only
the port and the cull times made short, opens the page once and watches the kernel go."""

from __future__ import annotations

import re
import shlex
import sys
import time
from pathlib import Path

import pytest

from tests.whatif.voila import served_by_voila

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: The cull times of the test (seconds); the Makefile's are 600 and 60.
IDLE, INTERVAL = 4, 1

pytestmark = pytest.mark.slow


def makefile_whatif_command() -> list[str]:
    """The `whatif` target's command line, continuation lines joined, $(BIN) resolved."""
    text = (ROOT / "Makefile").read_text("utf-8").replace("\\\n", " ")
    recipe = re.search(r"^whatif:.*\n\t(.+)$", text, re.M)[1]
    return shlex.split(recipe.replace("$(BIN)", str(BIN)))


def voila_command(port: int) -> list[str]:
    """The Makefile's command with the test's port and short cull times (each flag must be
    there: a Makefile that stops culling fails here)."""
    command = makefile_whatif_command()
    flags = {"--port=": f"--port={port}",
             "--MappingKernelManager.cull_idle_timeout=": f"--MappingKernelManager.cull_idle_timeout={IDLE}",
             "--MappingKernelManager.cull_interval=": f"--MappingKernelManager.cull_interval={INTERVAL}"}
    for prefix, flag in flags.items():
        found = [i for i, arg in enumerate(command) if arg.startswith(prefix)]
        assert found, f"make whatif does not pass {prefix}…"
        command[found[0]] = flag
    return command


def kernels_of(pid: int) -> list:
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.Error:
            continue
    return out


def test_the_makefile_runs_voila_with_culling_of_idle_kernels():
    command = makefile_whatif_command()
    assert command[0].endswith("voila") and command[1] == "notebooks/what_if.ipynb"
    assert "--MappingKernelManager.cull_idle_timeout=600" in command
    assert "--MappingKernelManager.cull_interval=60" in command


def test_voila_started_as_make_whatif_does_culls_the_kernel_of_a_visit(tmp_path):
    if not (BIN / "voila").exists():
        pytest.skip("voila is not installed in this environment")
    log_path = tmp_path / "voila.log"
    # one visit: the page is rendered in a kernel started for it
    with served_by_voila(voila_command, log_path) as (process, page, _):
        assert "application/vnd.jupyter.widget-view+json" in page
        assert len(kernels_of(process.pid)) == 1, "the visit started one kernel"
        deadline = time.monotonic() + IDLE + 60
        while kernels_of(process.pid):  # the visitor has gone: no websocket, no activity
            assert time.monotonic() < deadline, "the idle kernel was not culled\n" + \
                log_path.read_text()[-2000:]
            time.sleep(0.5)
        text = log_path.read_text()
        assert f"Culling kernels with idle durations > {IDLE} seconds" in text
        assert re.search(r"Culling 'idle' kernel .* due to \d+ seconds of inactivity", text), text
        assert process.poll() is None, "Voilà itself keeps serving"
