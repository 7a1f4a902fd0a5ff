"""Formula-safe spreadsheet exports; a file type that cannot be written is an ExportError."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.exceptions import EXIT_USAGE, ExportError
from workbench.present.export import formula_safe, formula_safe_frame, write_tables


def test_formula_prefixes_are_neutralised_and_numbers_untouched():
    assert formula_safe("=1+1") == "'=1+1" and formula_safe("-x") == "'-x"
    assert formula_safe("道路") == "道路" and formula_safe(-3) == -3
    frame = formula_safe_frame(pd.DataFrame({"=a": ["@b", "c"], "n": [-1, 2]}))
    assert list(frame.columns) == ["'=a", "n"]
    assert list(frame["'=a"]) == ["'@b", "c"] and list(frame["n"]) == [-1, 2]


def test_write_tables_to_xlsx_and_csv(tmp_path):
    tables = {"one": pd.DataFrame({"a": [1]}), "two": pd.DataFrame({"b": ["+x"]})}
    xlsx = write_tables(tables, tmp_path / "sub" / "t.xlsx")
    assert list(pd.read_excel(xlsx, sheet_name=None, engine="openpyxl")) == ["one", "two"]
    csv = write_tables(tables, tmp_path / "t.csv")
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"


def test_an_unknown_file_type_is_an_export_error_naming_the_file(tmp_path):
    target = tmp_path / "t.pdf"
    with pytest.raises(ExportError, match="t.pdf") as info:
        write_tables({"one": pd.DataFrame({"a": [1]})}, target)
    assert info.value.file == str(target) and info.value.exit_code == EXIT_USAGE
    assert not isinstance(info.value, ValueError)
    assert not target.exists()
    with pytest.raises(ExportError, match="no table"):
        write_tables({}, tmp_path / "t.csv")
