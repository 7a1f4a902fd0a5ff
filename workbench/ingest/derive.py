"""What a project sheet says without a column for it: status words written in date columns
(开工时间 "已开工"), and 建设性质 derived from the dates and the ledger's year when the ledger
has no 建设性质 (column or cell) and no 项目阶段 to take it from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.words import column_label
from workbench.ingest.context import SheetRows
from workbench.ingest.values import choice_key, column_of

#: The fact a status word states, as the findings name it.
FACT_WORDS = {"started": "已开工", "completed": "已竣工"}


def status_words(sheet: SheetRows, f: str) -> tuple[pd.Series | None, np.ndarray]:
    """Date column `f` without its status words (None when the sheet lacks it), and the fact
    each row's cell states ("started" / "completed" / None); each such cell is a warning."""
    series = sheet.field(f)
    n = sheet.n
    facts = np.full(n, None, dtype=object)
    if series is None:
        return None, facts
    words = sheet.ctx.aliases.date_status
    found, _ = column_of(series, lambda v: (words.get(choice_key(v)) if isinstance(v, str) else None, True))
    mask = found.notna().to_numpy()
    if mask.any():
        facts[mask] = found[mask].to_numpy()
        sheet.flag("date_status_word", mask, f, extras=[FACT_WORDS.get(x) for x in facts])
        series = series.where(~mask, None)
    return series, facts


def nature_from_dates(sheet: SheetRows, out: dict, facts: np.ndarray, year: int | None,
                      missing: np.ndarray) -> pd.Series:
    """建设性质 of the rows in `missing` from their start (planned, else actual) and planned
    completion against `year` (``aliases.yaml`` defaults.nature_completing says whether a
    project finishing this year is 竣工); a status word stands in for a start date that is not
    written (a start with no date, or investment completed this year without a start date,
    takes the stage rule of 在建). One warning names the column, the
    count and what was derived. Rows whose nature cannot be told (no year) stay None."""
    n = sheet.n
    derived = pd.Series([None] * n, dtype=object)
    if not missing.any() or year is None:
        return derived
    start = pd.Series(out["planned_start"]).fillna(pd.Series(out["actual_start"]))
    start_year = start.dt.year.to_numpy(dtype="float64")
    end_year = pd.Series(out["planned_completion"]).dt.year.to_numpy(dtype="float64")
    completing = bool(sheet.ctx.aliases.defaults.get("nature_completing", True))
    no_start = np.isnan(start_year)
    values = np.full(n, None, dtype=object)
    values[start_year == year] = "新开工"
    before = start_year < year
    values[before] = "续建"
    if completing:
        values[before & (end_year == year)] = "竣工"
    values[start_year > year] = "前期"
    facts = np.where(pd.isna(facts) & _invested(sheet), "started", facts)
    values[no_start & (facts == "completed")] = "竣工"
    # started without a date: this year or before is not known; the stage rule (在建) says
    values[no_start & (facts == "started")] = sheet.ctx.aliases.defaults["nature_from_stage"].get("在建")
    values[no_start & (facts == None)] = "前期"  # noqa: E711 (elementwise)
    values[~missing] = None
    derived = pd.Series(values, dtype=object)
    told = derived.notna()
    if told.any():
        counts = derived[told].value_counts()
        summary = "、".join(f"{k} {v}" for k, v in counts.items())
        header = sheet.header("nature") if "nature" in sheet.layout.fields else column_label("nature")
        sheet.ctx.findings.add("nature_derived", sheet.raw.name, None, header, int(told.sum()),
                               year, summary)
    return derived


def _invested(sheet: SheetRows) -> np.ndarray:
    """True where a monthly completed column of the sheet holds an amount above 0 (the project
    has started, whatever its dates say is missing)."""
    out = np.zeros(sheet.n, dtype=bool)
    for m in sheet.layout.monthly:
        if m.kind == "completed":
            values, _ = sheet.amount(m.col)
            out |= np.nan_to_num(values) > 0
    return out
