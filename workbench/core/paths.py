"""Where things are: the repository root and paths given relative to it."""

from __future__ import annotations

import hashlib
from pathlib import Path

#: The repository root (notebooks, data and reports live here in a checkout).
REPO_ROOT = Path(__file__).resolve().parents[2]

#: The snapshot store used when none is named (``--store``), relative to the working folder.
DEFAULT_STORE = Path("data/history.duckdb")

def resolved_path(path: str | Path) -> Path:
    """`path` as given when it exists, else relative to the repository root (notebook defaults)."""
    path = Path(path).expanduser()
    if path.is_absolute() or path.exists():
        return path
    return REPO_ROOT / path


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks; OSError when it cannot be read.
    The content hash the snapshot store and the report's 数据说明 both give."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
