"""Score files: a ledger file scored and written as a formula-safe workbook (``workbench score``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.ingest.load import load_ledger
from workbench.present.export import write_tables
from workbench.scoring.rubric import Rubric, as_rubric
from workbench.scoring.scores import Scores, score, score_tables


def score_file(path: str | Path, as_of=None, rubric: str | Path | Rubric | None = None,
               out: str | Path | None = None, lang: str = "zh") -> tuple[Scores, Path | None]:
    """Load a ledger file, score it, and write the scores (xlsx/csv, formula-safe) when `out` is given."""
    rubric = as_rubric(rubric)
    ledger = load_ledger(path)
    scores = score(ledger, as_of, rubric)
    written = None
    if out is not None:
        out = Path(out)
        tables = score_tables(ledger, scores, lang)
        if out.suffix.lower() == ".csv":
            written = _write_csvs(tables, out)
        else:
            written = write_tables(tables, out)
    return scores, written


def _write_csvs(tables: dict[str, pd.DataFrame], out: Path) -> Path:
    """CSV holds one table: project scores go to `out`, reasons and units beside it."""
    frames = list(tables.values())
    write_tables({"scores": frames[0]}, out)
    for suffix, frame in zip(("_reasons", "_units"), frames[1:], strict=True):
        write_tables({suffix: frame}, out.with_name(f"{out.stem}{suffix}{out.suffix}"))
    return out
