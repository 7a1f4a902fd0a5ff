"""Exporting a selection to Excel (or CSV) with Chinese headers, labelled values, formula-safe.

>>> export(book.filter(unit="县卫健委"), "reports/卫健委项目.xlsx")       # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.words import check_lang, error_message, value_label, word
from workbench.exceptions import ParameterError
from workbench.explore.columns import ASSIGNEE
from workbench.model.ledger import Ledger
from workbench.present.display import AMOUNT_COLUMNS, VALUE_COLUMNS, header
from workbench.present.export import write_tables

#: File types `export` writes.
SUFFIXES = (".xlsx", ".csv")


def export(selection, path: str | Path, lang: str = "zh") -> Path:
    """Write a selection (a Ledger, a DataFrame or a Styler) to Excel with Chinese headers.

    A Ledger writes one sheet a table; a DataFrame (e.g. `project_table` of a filtered ledger)
    one sheet. Amounts stay in 万元 (the header says so), domain values are shown as labels, and
    every text cell is formula-safe (a leading = + - @ is neutralised). ``.csv`` takes a DataFrame.
    """
    check_lang(lang)
    path = Path(path)
    if isinstance(selection, Ledger):
        if path.suffix.lower() == ".csv":
            raise ParameterError(error_message("export_ledger_csv", name=path.name),
                                 file=str(path), field="path")
        tables = {
            word(f"table_{name}", lang): export_frame(
                frame.rename(columns=ASSIGNEE) if name in ("problems", "milestones") else frame,
                lang,
            )
            for name, frame in selection.tables().items()
        }
    elif isinstance(selection, pd.DataFrame) or hasattr(selection, "data"):
        frame = selection if isinstance(selection, pd.DataFrame) else selection.data
        tables = {word("table_selection", lang): export_frame(frame, lang)}
    else:
        raise ParameterError(error_message("export_what", kind=type(selection).__name__),
                             field="selection", value=type(selection).__name__)
    if path.suffix.lower() not in SUFFIXES:
        raise ParameterError(error_message("export_suffix", name=path.name), file=str(path),
                             field="path")
    return write_tables(tables, path)


def export_frame(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """`frame` with display headers (amounts marked 万元) and labelled domain values."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if column in VALUE_COLUMNS:
            out[column] = out[column].map(lambda v: value_label(v, lang))
        elif pd.api.types.is_bool_dtype(out[column].dtype):
            out[column] = out[column].map(lambda v: word("ui_yes" if v else "ui_no", lang))
    headers = {c: header(c, lang, "wan") if c in AMOUNT_COLUMNS else header(c, lang)
               for c in out.columns}
    return out.rename(columns=headers)
