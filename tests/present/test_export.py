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
    with pytest.raises(ExportError, match="没有可导出到 t.csv 的表"):
        write_tables({}, tmp_path / "t.csv")


PREFIXED = ["=1+1", "+x", "-x", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", PREFIXED)
def test_each_formula_prefix_is_neutralised_in_xlsx_and_csv(tmp_path, text):
    import openpyxl

    frame = pd.DataFrame({text: [text, "plain"], "n": [-1.5, 2]})
    xlsx = write_tables({"t": frame}, tmp_path / "t.xlsx")
    cells = [c for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    assert [c.value for c in cells] == ["'" + text, "n", "'" + text, -1.5, "plain", 2]
    csv = write_tables({"t": frame}, tmp_path / "t.csv")
    back = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["'" + text, "n"] and back.iloc[0, 0] == "'" + text
    assert list(back["n"]) == [-1.5, 2]


def test_xlsx_keeps_types_and_text_exactly(tmp_path):
    frame = pd.DataFrame({
        "text": pd.Series(["a & <b>", "  space  ", None], dtype="str"),
        "int": [1, -2, 3], "float": [0.1, float("nan"), 1e20],
        "flag": [True, False, True],
        "day": pd.to_datetime(["2022-01-31", None, "2022-12-01"]),
        "mixed": ["x", 3.5, None],
        "odd": pd.Series([pd.NA, pd.Timestamp("2022-03-01 08:30"), 7], dtype=object),
    })
    path = write_tables({"a/b:c": frame, "second": frame.head(1)}, tmp_path / "t.xlsx")
    back = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert list(back) == ["a_b_c", "second"], "a sheet name Excel refuses is made valid"
    read = back["a_b_c"]
    assert list(read["text"].iloc[:2]) == ["a & <b>", "  space  "] and pd.isna(read["text"][2])
    assert list(read["int"]) == [1, -2, 3] and read["float"][0] == 0.1 and read["float"][2] == 1e20
    assert pd.isna(read["float"][1]) and list(read["flag"]) == [True, False, True]
    assert read["day"][0] == pd.Timestamp("2022-01-31") and pd.isna(read["day"][1])
    assert read["mixed"][0] == "x" and read["mixed"][1] == 3.5
    assert pd.isna(read["odd"][0]) and read["odd"][1] == pd.Timestamp("2022-03-01 08:30")
    calamine = pd.read_excel(path, sheet_name="a_b_c", engine="calamine")
    assert calamine["day"][2] == pd.Timestamp("2022-12-01") and calamine["text"][0] == "a & <b>"


def test_xlsx_rows_span_blocks_and_xlsm_declares_macros(tmp_path, monkeypatch):
    import zipfile

    from workbench.present import xlsx

    monkeypatch.setattr(xlsx, "BLOCK_ROWS", 2)
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(5)], "v": [0.5, None, 2, 3, 4]})
    back = pd.read_excel(write_tables({"t": frame}, tmp_path / "t.xlsx"), engine="calamine")
    assert list(back["id"]) == list(frame["id"]) and back["v"].iloc[[0, 2, 4]].tolist() == [0.5, 2, 4]
    macro = write_tables({"t": frame}, tmp_path / "t.xlsm")
    types = zipfile.ZipFile(macro).read("[Content_Types].xml").decode()
    assert "macroEnabled.main+xml" in types, "Excel refuses a .xlsm without it"
    assert len(pd.read_excel(macro, engine="openpyxl")) == 5


def test_xlsx_laid_out_sheet_with_merged_cells(tmp_path):
    import openpyxl

    from workbench.present.xlsx import write_xlsx

    grid = pd.DataFrame([["标题", None, None], ["单位", None, 1.5], [None, "x", 2]])
    path = write_xlsx({"台账": grid}, tmp_path / "t.xlsx", header=False, merged={"台账": ["A1:C1"]})
    sheet = openpyxl.load_workbook(path).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]
    assert sheet["A1"].value == "标题" and sheet["C2"].value == 1.5 and sheet["B3"].value == "x"


def test_a_table_larger_than_an_excel_sheet_is_an_export_error(tmp_path):
    big = pd.DataFrame({"n": range(1_048_576)})
    with pytest.raises(ExportError, match="1048576") as info:
        write_tables({"大表": big}, tmp_path / "t.xlsx")
    assert info.value.sheet == "大表" and not (tmp_path / "t.xlsx").exists()
    assert write_tables({"大表": big.head(3)}, tmp_path / "t.csv").exists()
