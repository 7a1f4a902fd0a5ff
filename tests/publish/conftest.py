"""Fixtures of the publishing tests: tiny notebooks with the report's parameters, a small ledger.

Runs use a tiny notebook with the report's parameters (a kernel start each, no heavy imports)
and the small hand-made ledger written as a workbook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.report_ledger import small_ledger
from workbench.publish import DEFAULT_NOTEBOOK, publish_report

PARAMETERS = nbformat.read(DEFAULT_NOTEBOOK, as_version=4).cells[1].source
OK_BODY = "from IPython.display import HTML\nHTML(f'<h1>ok {quarter}</h1>')"


def tiny_notebook(path: Path, *bodies: str) -> Path:
    """A notebook with the report's parameters cell and a code cell for each of `bodies`."""
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(
        cells=[params, *(nbformat.v4.new_code_cell(body) for body in bodies)])
    nb.metadata["kernelspec"] = {"name": "workbench", "display_name": "workbench",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of `folder` by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def small_xlsx(tmp_path_factory) -> Path:
    from workbench.sample import write_ledger_workbook

    return write_ledger_workbook(small_ledger(), tmp_path_factory.mktemp("ledger") / "small.xlsx")


@pytest.fixture()
def notebooks(tmp_path) -> dict[str, Path]:
    return {
        "ok": tiny_notebook(tmp_path / "ok.ipynb", OK_BODY),
        "raises": tiny_notebook(tmp_path / "raises.ipynb", "raise RuntimeError('ledger broke')"),
        "killed": tiny_notebook(tmp_path / "killed.ipynb", "print('ran before the kill')",
                                "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
    }


@pytest.fixture()
def good_report(tmp_path, notebooks, small_xlsx):
    """A report published from the "ok" notebook: (out, Published, its files, the log lines)."""
    out = tmp_path / "reports"
    logs = []
    published = publish_report("2022Q1", small_xlsx, out=out, pdf=False,
                               notebook=notebooks["ok"], progress=False, log=logs.append)
    return out, published, snapshot(published.folder), logs
