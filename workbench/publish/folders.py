"""Report folders, replaced atomically: a run writes into a temporary folder and moves into place.

A run writes into ``<out>/.tmp-<pid>-…/`` and becomes ``<out>/<report>/`` only when every step
succeeded; the old report is removed only once the new one is there. A failed run is moved to
``<out>/_failed/<timestamp>/`` with its error, and the last good report stays untouched.

A run killed outright (SIGKILL, power loss) cannot clean up after itself: the next run finds
the folders whose process is gone (the pid is in their name) and records each under
``_failed/`` like any other failure (without the ledger copy handed to the kernel); an old
report set aside by a run killed in the middle of the final move is put back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from workbench.core.words import message
from workbench.exceptions import PublishError

#: Where failed runs are kept, under the output folder.
FAILED = "_failed"
#: The files of one report folder.
NOTEBOOK_FILE = "quarterly_review.ipynb"
HTML_FILE = "quarterly_review.html"
PDF_FILE = "quarterly_review.pdf"
META = "report.json"
#: The copy of the ledger handed to the kernel (``workbench.ingest.handoff``): never kept.
HANDOFF_FILE = ".ledger.pickle"
_TMP = re.compile(r"^\.tmp-(\d+)-")
_OLD = re.compile(r"^\.old-(\d+)-(\d{8}-\d{6}-\d{6})-(.+)$")


def report_folder_name(quarter: str, lang: str, office: str = "", unit: str = "") -> str:
    """The folder of one report under the output folder: the quarter, then language and filters."""
    parts = [quarter] + ([lang] if lang != "zh" else [])
    parts += [re.sub(r"[^\w\-]+", "_", v).strip("_") for v in (office, unit) if v]
    return "_".join(parts)


def timestamp() -> str:
    """Now, to the microsecond, as a folder name sorts."""
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def temp_folder(out: Path, lang: str = "zh", log=None) -> Path:
    """A new hidden folder inside `out` (created with it) for one run to write into, named with
    this process's id; folders left by killed runs are cleaned first (`clean_stale`).
    PublishError (exit 1, one line) when `out` cannot be written."""
    with unwritable_as_error(out, lang):
        out.mkdir(parents=True, exist_ok=True)
        for line in clean_stale(out, lang):
            if log is not None:
                log(line)
        return Path(tempfile.mkdtemp(prefix=f".tmp-{os.getpid()}-", dir=out))


class unwritable_as_error:  # noqa: N801 - used as a context manager, named like one
    """Turn an OSError (read-only, full, not a folder, no permission) raised inside the block
    into a one-line PublishError naming `out`."""

    def __init__(self, out: Path, lang: str = "zh"):
        self.out, self.lang = out, lang

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, OSError):
            raise PublishError(message("out_unwritable", self.lang, out=self.out,
                                       reason=exc.strerror or exc), file=str(self.out),
                               field="out") from None
        return False


def _alive(pid: int) -> bool:
    """True when process `pid` exists (it may belong to someone else)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out: Path, lang: str = "zh") -> list[str]:
    """Record under ``_failed/`` every temporary folder of `out` whose run is gone (its ledger
    copy deleted), and put back an old report a killed run set aside; returns what was done."""
    done = []
    for path in sorted(out.iterdir()):
        tmp, old = _TMP.match(path.name), _OLD.match(path.name)
        if tmp and path.is_dir() and not _alive(int(tmp.group(1))):
            (path / HANDOFF_FILE).unlink(missing_ok=True)
            kept = keep_failed(path, out, message("stale_killed", lang, pid=tmp.group(1)))
            done.append(message("stale_recorded", lang, kept=kept))
        elif old and path.is_dir() and not _alive(int(old.group(1))):
            target = out / old.group(3)
            if target.exists():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.rename(target)
                done.append(message("old_restored", lang, target=target))
    return done


def write_meta(folder: Path, meta: dict) -> Path:
    """Write a report's metadata (what the index lists) into its folder."""
    path = folder / META
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def keep_failed(tmp: Path, out: Path, reason: str) -> Path:
    """Move a failed run's folder to ``<out>/_failed/<timestamp>/`` with the error; returns it."""
    target = out / FAILED / timestamp()
    target.parent.mkdir(parents=True, exist_ok=True)
    (tmp / HANDOFF_FILE).unlink(missing_ok=True)
    (tmp / "error.txt").write_text(reason + "\n", encoding="utf-8")
    tmp.rename(target)
    return target


def move_into_place(tmp: Path, target: Path) -> Path:
    """Replace `target` by `tmp` (the old report is removed only once the new one is there)."""
    tmp.chmod(0o755)
    old = None
    if target.exists():
        old = target.with_name(f".old-{os.getpid()}-{timestamp()}-{target.name}")
        target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        if old is not None:  # the new report is not there: the old one goes back
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
