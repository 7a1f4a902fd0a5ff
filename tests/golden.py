"""Golden copies of what a user receives: the sample's quarterly-report page and score workbook.

The copies in ``tests/fixtures/golden/`` were made before the package was reorganised into
layers, so a test can show that moving code changed no figure, word or table a reader sees.
Only what differs from run to run is masked: the Vega bundle (one inline copy of a third-party
script, 900 kB), the random id papermill gives the injected-parameters cell, and the checkout's
path. Regenerate them (``python -m tests.golden``) only for a change that is meant to alter the
report, and say so in the commit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
SAMPLE = ROOT / "data" / "sample" / "neixiang_2022_ledger.xlsx"

#: The reports kept as golden copies: (quarter, language).
REPORTS = (("2022Q4", "zh"), ("2022Q2", "en"))
#: The score workbook's as-of date.
SCORE_AS_OF = "2022-09-30"

_BIG_SCRIPT = re.compile(r"(<script\b[^>]*>)([^<]{100000,}|.{100000,}?)(</script>)", re.S)
_RANDOM_CELL_ID = re.compile(r'id="cell-id=[0-9a-f]{8}"')


def normalised_page(page: str) -> str:
    """`page` with the run-dependent parts masked (see the module docstring)."""
    page = _BIG_SCRIPT.sub(r"\1/*VEGA_BUNDLE*/\3", page)
    page = _RANDOM_CELL_ID.sub('id="cell-id=RANDOM"', page)
    return page.replace(str(ROOT), "<ROOT>")


def golden_page_name(quarter: str, lang: str) -> str:
    return f"quarterly_review_{quarter}_{lang}.html"


def workbench_command() -> list[str]:
    """The CLI as a user runs it (the venv's entry point next to this interpreter)."""
    return [str(Path(sys.executable).with_name("workbench"))]


def render_report(quarter: str, lang: str, out: Path) -> str:
    """Publish one sample report (no PDF) with the CLI and return its normalised page."""
    subprocess.run(
        [*workbench_command(), "report", "--quarter", quarter, "--lang", lang,
         "--ledger", str(SAMPLE), "--out", str(out), "--no-pdf"],
        check=True, capture_output=True, cwd=ROOT,
    )
    folder = quarter if lang == "zh" else f"{quarter}_{lang}"
    page = (out / folder / "quarterly_review.html").read_text(encoding="utf-8")
    return normalised_page(page)


def write_scores(out: Path) -> Path:
    """Score the sample with the CLI into `out`/scores.xlsx."""
    path = out / "scores.xlsx"
    subprocess.run(
        [*workbench_command(), "score", str(SAMPLE), "--as-of", SCORE_AS_OF, "--out", str(path)],
        check=True, capture_output=True, cwd=ROOT,
    )
    return path


def workbook_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook, as written (no type guessing beyond the cell types)."""
    return pd.read_excel(path, sheet_name=None, engine="calamine")


def main() -> None:
    """Regenerate the golden copies from the current code."""
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for quarter, lang in REPORTS:
            page = render_report(quarter, lang, Path(tmp))
            (GOLDEN / golden_page_name(quarter, lang)).write_text(page, encoding="utf-8")
        scores = write_scores(Path(tmp))
        (GOLDEN / "scores.xlsx").write_bytes(scores.read_bytes())


if __name__ == "__main__":
    main()
