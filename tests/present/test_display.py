"""Styled tables and the Ledger's own HTML: labels, units, colours, escaping; wrong units refused."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.small_ledger import small_ledger
from workbench.core.words import value_label
from workbench.exceptions import ParameterError, WorkbenchError
from workbench.present.display import (
    BAND_CELLS,
    RAG_CELLS,
    cell_formatter,
    facts_html,
    header,
    table,
)
from workbench.present.theme import BAND_COLOURS, RAG_COLOURS


def test_ledger_repr_html_shows_counts_totals_months_findings_escaped():
    findings = pd.DataFrame([{
        "severity": "warning", "rule": "r", "file": "f", "sheet": "s", "row": 3, "column": "c",
        "value": "v", "message_zh": "m", "message_en": "m"}])
    findings["row"] = findings["row"].astype("Int64")
    book = small_ledger(source="<script>alert(1)</script>.xlsx").replace(findings=findings)
    page = book._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "2022年" in page and "2022-01…2022-12" in page
    assert "15.90 亿元" in page, "total investment 159,000 万元 shown as 15.90 亿元"
    assert "5.25 亿元" in page
    assert f"{value_label('warning')} 1" in page
    assert ">60<" in page, "60 progress rows counted"


def test_amounts_in_yi_or_wan_and_nothing_else(book):
    frame = book.projects[["name", "total_investment"]]
    assert ">5.00<" in table(frame).to_html()
    assert ">50,000<" in table(frame, amount_unit="wan").to_html()
    assert header("total_investment", "zh", "wan").endswith("（万元）")
    for call in (lambda: table(frame, amount_unit="yuan"),
                 lambda: header("total_investment", "zh", "yuan"),
                 lambda: cell_formatter("total_investment", "float64", "zh", "yuan"),
                 lambda: facts_html({"total_investment": 1.0}, "zh", "yuan")):
        with pytest.raises(ParameterError, match="amount_unit") as info:
            call()
        assert isinstance(info.value, WorkbenchError) and not isinstance(info.value, ValueError)
        assert info.value.field == "amount_unit" and info.value.value == "yuan"


def test_band_and_rag_cells_use_the_theme_colours():
    assert {code: colours[0] for code, colours in BAND_CELLS.items()} == BAND_COLOURS
    assert all(RAG_CELLS[r][0] == RAG_COLOURS[r] for r in RAG_CELLS)
    page = table(pd.DataFrame({"band": ["amber_red"], "rag": ["green"]})).to_html()
    assert f"background-color: {BAND_COLOURS['amber_red']}" in page
    assert f"background-color: {RAG_COLOURS['green']}" in page
