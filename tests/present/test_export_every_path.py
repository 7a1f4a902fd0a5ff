"""Every formula prefix (= + - @ tab CR) is neutralised on every export path: `workbench score
--out` to .xlsx and to .csv (scores, reasons, units), a Ledger exported to .xlsx and a table
exported to .csv. The text reaches the file unchanged but for a leading apostrophe, and no cell
of any file starts a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.scoring_fixtures import perfect_ledger
from workbench.cli import app
from workbench.explore import export

#: Each prefix a spreadsheet program reads as the start of a formula, as a name would carry it.
PREFIXES = {"equals": "=", "plus": "+", "minus": "-", "at": "@", "tab": "\t", "cr": "\r"}


def hostile_ledger(prefix: str):
    """The scoring fixture's ledger with a project and a unit whose names start with `prefix`."""
    ledger = perfect_ledger()
    projects = ledger.projects.copy()
    projects.loc[0, "name"] = f"{prefix}HYPERLINK(\"http://x\")项目"
    projects.loc[0, "responsible_unit"] = f"{prefix}1+1单位"
    return ledger.replace(projects=projects)


def cells(path: Path) -> list:
    """Every cell value of an .xlsx (asserting none is a formula) or a .csv file."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [value for row in csv.reader(f) for value in row]
    book = openpyxl.load_workbook(path)
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in found if c.data_type == "f"], f"{path.name}: a formula"
    return [c.value for c in found]


def is_number(text: str) -> bool:
    """True for a number as a CSV holds it ("-49.6"): a spreadsheet reads it as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_neutralised(paths: list[Path], prefix: str) -> None:
    values = [v for path in paths for v in cells(path) if isinstance(v, str)]
    starts = tuple(PREFIXES.values())
    assert not [v for v in values if v.startswith(starts) and not is_number(v)], \
        "a cell starts a formula"
    assert f"'{prefix}HYPERLINK(\"http://x\")项目" in values, "the name is kept, neutralised"
    assert f"'{prefix}1+1单位" in values, "the unit is kept, neutralised"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
def test_score_out_neutralises_every_prefix(tmp_path, monkeypatch, prefix, suffix):
    import workbench.publish.scores as scores

    monkeypatch.setattr(scores, "load_ledger", lambda path, year=None: hostile_ledger(prefix))
    out = tmp_path / f"scores{suffix}"
    result = CliRunner().invoke(app, ["score", str(tmp_path / "ledger.xlsx"), "--as-of",
                                      "2022-06-30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = [out] if suffix == ".xlsx" else sorted(tmp_path.glob("scores*.csv"))
    assert len(written) == (1 if suffix == ".xlsx" else 3)
    assert_neutralised(written, prefix)


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
def test_a_ledger_export_neutralises_every_prefix(tmp_path, prefix):
    assert_neutralised([export(hostile_ledger(prefix), tmp_path / "台账.xlsx")], prefix)


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
def test_a_table_exported_to_csv_neutralises_every_prefix(tmp_path, prefix):
    table = hostile_ledger(prefix).projects
    assert_neutralised([export(table, tmp_path / "项目.csv")], prefix)
