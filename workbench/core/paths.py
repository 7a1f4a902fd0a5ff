"""Where things are: the repository root and paths given relative to it."""

from __future__ import annotations

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
