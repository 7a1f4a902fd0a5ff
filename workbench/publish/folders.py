"""Report folders, replaced atomically: a run writes into a temporary folder and moves into place.

A run writes into ``<out>/.tmp-…/`` and becomes ``<out>/<report>/`` only when every step
succeeded; the old report is removed only once the new one is there. A failed run is moved to
``<out>/_failed/<timestamp>/`` with its error, and the last good report stays untouched.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

#: Where failed runs are kept, under the output folder.
FAILED = "_failed"
#: The files of one report folder.
NOTEBOOK_FILE = "quarterly_review.ipynb"
HTML_FILE = "quarterly_review.html"
PDF_FILE = "quarterly_review.pdf"
META = "report.json"


def report_folder_name(quarter: str, lang: str, office: str = "", unit: str = "") -> str:
    """The folder of one report under the output folder: the quarter, then language and filters."""
    parts = [quarter] + ([lang] if lang != "zh" else [])
    parts += [re.sub(r"[^\w\-]+", "_", v).strip("_") for v in (office, unit) if v]
    return "_".join(parts)


def timestamp() -> str:
    """Now, to the microsecond, as a folder name sorts."""
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def temp_folder(out: Path) -> Path:
    """A new hidden folder inside `out` (created with it) for one run to write into."""
    out.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tmp-", dir=out))


def write_meta(folder: Path, meta: dict) -> Path:
    """Write a report's metadata (what the index lists) into its folder."""
    path = folder / META
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def keep_failed(tmp: Path, out: Path, message: str) -> Path:
    """Move a failed run's folder to ``<out>/_failed/<timestamp>/`` with the error; returns it."""
    target = out / FAILED / timestamp()
    target.parent.mkdir(parents=True, exist_ok=True)
    (tmp / "error.txt").write_text(message + "\n", encoding="utf-8")
    tmp.rename(target)
    return target


def move_into_place(tmp: Path, target: Path) -> Path:
    """Replace `target` by `tmp` (the old report is removed only once the new one is there)."""
    tmp.chmod(0o755)
    old = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{timestamp()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
