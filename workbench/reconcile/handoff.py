"""One merge per published run: the merge `workbench merge --report` made is handed to the
reconciliation notebook's kernel instead of being made again (a pickle named by an environment
variable, fingerprinted by every input file's path, size and modification time)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from workbench.ingest import file_fingerprint

#: Environment variable naming the pickled merge a run already made.
MERGE_HANDOFF = "WORKBENCH_MERGE_HANDOFF"


def split_inputs(inputs: str) -> list[Path]:
    """The notebook's ``inputs`` parameter (paths joined by ";", the master first) as paths."""
    return [Path(p.strip()).expanduser() for p in str(inputs).split(";") if p.strip()]


def _fingerprint(paths, precedence) -> list[str]:
    files = [*paths, *([precedence] if precedence else [])]
    return [file_fingerprint(p) for p in files]


def write_merge_handoff(merged, paths, precedence, target: Path) -> Path:
    """Pickle `merged` (made from `paths` and `precedence`) to `target` for the run's kernel."""
    with open(target, "wb") as fh:
        pickle.dump({"fingerprint": _fingerprint(paths, precedence), "merged": merged}, fh)
    return target


def report_merge(inputs: str, precedence: str = "", year: int | None = None):
    """The merge of `inputs` (see `split_inputs`); within a published run, the one the run made.

    Outside a run (JupyterLab, a plain papermill call) this is `merge_ledgers` itself."""
    from workbench.reconcile.merge import merge_ledgers

    paths = split_inputs(inputs)
    handoff = os.environ.get(MERGE_HANDOFF)
    if handoff and Path(handoff).is_file():
        with open(handoff, "rb") as fh:
            data = pickle.load(fh)
        if data.get("fingerprint") == _fingerprint(paths, precedence or None):
            return data["merged"]
    return merge_ledgers(paths, precedence=precedence or None, year=year or None)
