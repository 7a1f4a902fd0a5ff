"""One read of the ledger per report run: the checked Ledger handed from the CLI to the kernel.

`workbench report` reads and checks the ledger before any kernel starts; the notebook's kernel
then receives that Ledger instead of reading the file again. The handoff is a pickle named by
an environment variable and fingerprinted by the file's path, size and modification time, so a
ledger changed in between is read afresh.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.paths import resolved_path

# --- one read of the ledger per run --------------------------------------------------------

#: Environment variable naming the pickled Ledger a report run already read and checked.
LEDGER_HANDOFF = "WORKBENCH_LEDGER_HANDOFF"


def file_fingerprint(path: str | Path) -> str:
    """Path, size and modification time of a file: changes whenever the file does."""
    stat = Path(path).stat()
    return f"{Path(path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def write_ledger_handoff(ledger, path: str | Path, target: Path) -> Path:
    """Pickle `ledger` (read from `path`) to `target` for the notebook of the same run."""
    import pickle

    with open(target, "wb") as fh:
        pickle.dump({"fingerprint": file_fingerprint(path), "ledger": ledger}, fh)
    return target


def report_ledger(path: str | Path):
    """The Ledger in `path`; within a report run, the copy the run already read and checked.

    Outside a run (JupyterLab, a plain papermill call) this is `load_ledger(path)`.
    """
    import os
    import pickle

    path = resolved_path(path)
    handoff = os.environ.get(LEDGER_HANDOFF)
    if handoff and Path(handoff).is_file():
        with open(handoff, "rb") as fh:
            data = pickle.load(fh)
        if data.get("fingerprint") == file_fingerprint(path):
            return data["ledger"]
    from workbench.ingest.load import load_ledger

    return load_ledger(path)
