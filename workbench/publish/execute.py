"""Running the report notebook: papermill with an engine that saves once and keeps failed runs.

papermill's own engine rewrites the whole notebook twice a cell. The engine here leaves the
one save to papermill and, when the kernel dies or a cell times out, writes what ran so far
itself, so a failed run is kept with every output it produced. It reads two attributes of
papermill's NotebookExecutionManager that papermill does not document (``output_path``,
``cell_complete``), so ``pyproject.toml`` pins papermill below its next major version.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.core.words import error_message, message

#: The Jupyter kernel a report runs on (``make venv`` registers it).
KERNEL = "workbench"
#: The name the report engine is registered under with papermill.
ENGINE = "workbench"

Log = Callable[[str], None]


def stderr_log(message: str) -> None:
    """Write one log line to stderr at once (the default log of a run)."""
    print(message, file=sys.stderr, flush=True)


def kernel_available(name: str = KERNEL) -> bool:
    """True when a Jupyter kernel called `name` is registered."""
    from jupyter_client.kernelspec import KernelSpecManager

    return name in KernelSpecManager().find_kernel_specs()


def _report_engine(output: Path, log: Log | None, lang: str = "zh"):
    """A papermill engine that saves the notebook once, not at every cell's start and end.

    When the kernel dies or a cell times out it points papermill's final save at `output`, so
    the failed run is still written. With `log`, it logs one plain line a cell (for logs,
    cron mail, CI).
    """
    from papermill.engines import NBClientEngine

    class ReportEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            if log is not None:
                complete = nb_man.cell_complete
                total = len(nb_man.nb.cells)

                def cell_complete(cell, cell_index=None, **kw):
                    complete(cell, cell_index=cell_index, **kw)
                    took = cell.metadata.get("papermill", {}).get("duration") or 0.0
                    log(message("run_cell", lang, n=cell_index + 1, total=total, took=took))

                nb_man.cell_complete = cell_complete
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                nb_man.output_path = str(output)  # papermill's notebook_complete saves it
                raise

    return ReportEngine


def _local_kernel_manager():
    """The kernel manager of a report run, quiet in cron mail and the journal.

    - The kernel talks to papermill over Unix sockets in its runtime folder (ipc), not over TCP
      ports on localhost: other users of the machine cannot connect to it, and ipykernel has
      nothing to warn about ("Kernel is running over TCP without encryption").
    - Shutting down does not interrupt first. jupyter_client sends SIGINT before its shutdown
      request, and an idle kernel logs "KeyboardInterrupt caught in kernel" on every run; the
      shutdown request (then a kill after a second) ends a busy kernel all the same. A cell
      that times out is still interrupted (nbclient calls `interrupt_kernel` outside shutdown).
      This overrides a private coroutine of jupyter_client, pinned in ``constraints.txt``.
    """
    from jupyter_client import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return LocalKernelManager


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: dict,
    *,
    kernel: str = KERNEL,
    progress: bool | None = None,
    log: Log = stderr_log,
    timeout: int = 600,
    lang: str = "zh",
):
    """Execute `notebook` with `parameters` into `output` (papermill); returns the executed node.

    Shows papermill's progress bar on a terminal and plain log lines (in `lang`) otherwise. Raises what
    papermill raises when a cell fails or the kernel dies; `output` then holds the failed run.
    """
    import papermill
    from papermill.engines import papermill_engines

    if progress is None:
        progress = sys.stderr.isatty()
    papermill_engines.register(ENGINE, _report_engine(output, None if progress else log, lang))
    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=kernel,
        engine_name=ENGINE,
        request_save_on_cell_execute=False,
        progress_bar=progress,
        cwd=str(Path(notebook).resolve().parent),
        execution_timeout=timeout,
        start_timeout=120,
        kernel_manager_class=_local_kernel_manager(),
    )


@contextmanager
def kernel_environment(**variables: str) -> Iterator[None]:
    """Set environment `variables` for the kernels started inside the block; restore them after."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def failed_cell(nb) -> str:
    """A one-line description of the cell where an executed notebook failed ('' when none)."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return error_message("failed_cell", n=index + 1, ename=output.get("ename"),
                                     evalue=output.get("evalue"))
    return ""


def failure_reason(exc: BaseException, executed: Path) -> str:
    """Why a run failed, in one line: the failed cell of the `executed` notebook when it names one."""
    text = str(exc).strip()
    reason = f"{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"
    if executed.is_file():
        import nbformat

        try:
            where = failed_cell(nbformat.read(executed, as_version=4))
        except Exception:  # a half-written notebook still gets kept
            where = ""
        if where:
            reason = where
    return reason
