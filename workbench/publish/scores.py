"""Score files: a ledger file scored and written as a formula-safe workbook (``workbench score``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.words import check_lang, error_message
from workbench.exceptions import ExportError
from workbench.ingest import load_ledger
from workbench.present import write_tables
from workbench.scoring import Rubric, Scores, score
from workbench.scoring.rubric import as_rubric
from workbench.scoring.scores import score_tables

#: The file types a score file can be written as.
SCORE_FILE_TYPES = (".xlsx", ".xlsm", ".csv")


def score_file(path: str | Path, as_of=None, rubric: str | Path | Rubric | None = None,
               out: str | Path | None = None, lang: str = "zh",
               year: int | None = None, profile=None) -> tuple[Scores, Path | None]:
    """Load a ledger file (`year` its year when given, `profile` a mapping profile for another
    portfolio's file, ``load_ledger``), score it, and write the scores (xlsx/csv, formula-safe)
    when `out` is given. With a profile of report snapshots, `as_of` also picks the report.

    Everything the user gave is checked before the ledger is read: the language (ConfigError),
    the type of `out` (ExportError), the rubric (ConfigError).
    """
    check_lang(lang)
    if out is not None and Path(out).suffix.lower() not in SCORE_FILE_TYPES:
        raise ExportError(error_message("scores_suffix", name=Path(out).name),
                          file=str(out), field="out", value=Path(out).suffix)
    rubric = as_rubric(rubric)
    ledger = (load_ledger(path, year=year) if profile is None
              else load_ledger(path, year=year, profile=profile, as_of=as_of))
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
