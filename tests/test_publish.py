"""Publishing: parameters checked before a kernel starts, atomic folders, failures kept, the index.

Runs use a tiny notebook with the report's parameters (a kernel start each, no heavy imports)
and the small hand-made ledger written as a workbook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from tests.report_ledger import XSS_NAME, small_ledger
from workbench.cli import app
from workbench.exceptions import ParameterError, PublishError
from workbench.publish.params import notebook_parameters, report_parameters, typed_parameters
from workbench.publish.publish import (
    DEFAULT_NOTEBOOK,
    chart_div,
    index_html,
    publish_report,
    remote_references,
    with_chart_placeholders,
    write_index,
)

PARAMETERS = nbformat.read(DEFAULT_NOTEBOOK, as_version=4).cells[1].source


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


OK_BODY = "from IPython.display import HTML\nHTML(f'<h1>ok {quarter}</h1>')"


@pytest.fixture(scope="module")
def small_xlsx(tmp_path_factory) -> Path:
    from workbench.sample.workbook import write_ledger_workbook

    return write_ledger_workbook(small_ledger(), tmp_path_factory.mktemp("ledger") / "small.xlsx")


@pytest.fixture()
def notebooks(tmp_path) -> dict[str, Path]:
    return {
        "ok": tiny_notebook(tmp_path / "ok.ipynb", OK_BODY),
        "raises": tiny_notebook(tmp_path / "raises.ipynb", "raise RuntimeError('ledger broke')"),
        "killed": tiny_notebook(tmp_path / "killed.ipynb", "print('ran before the kill')",
                                "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
    }


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def good_report(tmp_path, notebooks, small_xlsx):
    out = tmp_path / "reports"
    logs = []
    published = publish_report("2022Q1", small_xlsx, out=out, pdf=False,
                               notebook=notebooks["ok"], progress=False, log=logs.append)
    return out, published, _snapshot(published.folder), logs


def test_a_good_run_publishes_notebook_html_and_index(good_report):
    out, published, files, logs = good_report
    # without a terminal: plain log lines, one a cell, no progress bar
    assert [line.split(" (")[0] for line in logs if "cell" in line] == [
        "  cell 1/3 done", "  cell 2/3 done", "  cell 3/3 done"]
    assert {"quarterly_review.ipynb", "quarterly_review.html", "report.json"} <= set(files)
    page = files["quarterly_review.html"].decode()
    assert "ok 2022Q1" in page
    # output areas take keyboard focus (a wide table can be scrolled without a mouse)
    assert re.search(r'<div tabindex="0" class="[^"]*jp-OutputArea-output', page)
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2022Q1/quarterly_review.html"' in index


@pytest.mark.parametrize("which", ["raises", "killed"])
def test_a_failed_run_keeps_the_last_good_report(good_report, notebooks, small_xlsx, which):
    out, published, before, _ = good_report
    logs = []
    with pytest.raises(PublishError) as err:
        publish_report("2022Q1", small_xlsx, out=out, pdf=False, notebook=notebooks[which],
                       progress=False, log=logs.append)
    assert _snapshot(published.folder) == before
    failed = sorted((out / "_failed").iterdir())
    assert len(failed) == 1
    kept = failed[0] / "quarterly_review.ipynb"
    assert kept.is_file() and str(failed[0]) in str(err.value)
    assert any(str(failed[0]) in line for line in logs)
    if which == "raises":
        assert "RuntimeError: ledger broke" in str(err.value)
        nb = nbformat.read(kept, as_version=4)
        assert any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    else:
        assert "DeadKernel" in str(err.value) or "died" in str(err.value).lower()
        # what ran before the kernel died is in the kept notebook
        nb = nbformat.read(kept, as_version=4)
        assert any("ran before the kill" in o.get("text", "")
                   for c in nb.cells for o in c.get("outputs", []))
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]


def test_a_broken_ledger_is_refused_before_any_kernel_and_keeps_the_report(good_report, tmp_path):
    out, published, before, _ = good_report
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = CliRunner().invoke(app, ["report", "--quarter", "2022Q1", "--ledger", str(broken),
                                      "--out", str(out), "--no-pdf"])
    assert result.exit_code == 2
    assert "broken.xlsx" in result.output
    assert _snapshot(published.folder) == before
    assert not (out / "_failed").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quarter", "2022Q5"], "YYYYQn"),
        (["--quarter", "22Q1"], "YYYYQn"),
        (["--quarter", "2023Q1"], "outside the data"),
        (["--quarter", "2022Q1", "--lang", "fr"], "lang"),
        (["--quarter", "2022Q1", "--ledger", "/no/such/ledger.xlsx"], "not found"),
        (["--quarter", "2022Q1", "--rubric", "/no/such/rubric.yaml"], "not found"),
        (["--quarter", "2022Q1", "--as-of", "2022-07-01"], "outside quarter"),
        (["--quarter", "2022Q1", "--office", "外交部"], "does not occur"),
        (["--quarter", "2022Q1", "--year", "2022"], "either"),
    ],
)
def test_parameter_errors_exit_2_with_a_message(tmp_path, small_xlsx, args, message):
    out = tmp_path / "reports"
    if "--ledger" not in args:
        args = args + ["--ledger", str(small_xlsx)]
    result = CliRunner().invoke(app, ["report", *args, "--out", str(out), "--no-pdf"])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists() or not any(out.iterdir())  # nothing ran, nothing written


def test_parameter_names_and_types_come_from_the_parameters_cell():
    declared = notebook_parameters(DEFAULT_NOTEBOOK)
    assert list(declared)[:7] == ["quarter", "ledger", "as_of", "lang", "rubric", "office", "unit"]
    assert declared["quarter"].type is str and declared["quarter"].default == "2022Q1"
    with pytest.raises(ParameterError, match="unknown parameter.*quater"):
        typed_parameters(declared, {"quater": "2022Q1"})
    with pytest.raises(ParameterError, match="quarter=2022 has type int.*expects str"):
        typed_parameters(declared, {"quarter": 2022})


def test_report_parameters_resolve_paths(small_xlsx):
    params = report_parameters(DEFAULT_NOTEBOOK, {"quarter": "2022Q2", "ledger": str(small_xlsx)})
    assert params["ledger"] == str(small_xlsx.resolve())
    assert params["lang"] == "zh" and params["as_of"] == ""


def test_missing_chromium_is_a_message_not_a_crash(tmp_path, notebooks, small_xlsx, monkeypatch):
    import workbench.publish.publish as publish

    monkeypatch.setattr(publish, "find_chromium", lambda: None)
    logs = []
    published = publish_report("2022Q1", small_xlsx, out=tmp_path, pdf=True,
                               notebook=notebooks["ok"], progress=False, log=logs.append)
    assert published.pdf is None and published.html.is_file()
    assert any("Chromium not found" in line for line in logs)


def test_chart_specs_are_escaped_into_placeholders():
    spec = {"title": "</script><script>alert(1)</script>", "mark": "bar"}
    div = chart_div(spec)
    assert "<script>" not in div and "&lt;/script&gt;" in div
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6+json": spec}),
        nbformat.v4.new_output("stream", name="stderr", text="a warning"),
    ]
    page_nb, charts = with_chart_placeholders(nb)
    assert charts == 1 and len(page_nb.cells[0].outputs) == 1
    assert page_nb.cells[0].outputs[0]["data"]["text/html"] == div


def test_remote_references_are_found():
    assert remote_references('<script src="https://cdn.example/vega.js"></script>')
    assert remote_references('<link rel="stylesheet" href="https://fonts.example/x.css">')
    assert remote_references("<style>@import url(x.css)</style>")
    assert remote_references('<img src="http://example.com/a.png">')
    assert not remote_references('<img src="data:image/png;base64,AAA"><a href="#x">x</a>')
    assert not remote_references('<script>var s = "<img src=http://x>";</script>')


def test_index_is_newest_first_relative_and_escaped(tmp_path):
    for folder, published, title in [("2022Q1", "2023-01-01T10:00:00", "一季度"),
                                     ("2022Q2", "2023-02-01T10:00:00", XSS_NAME)]:
        (tmp_path / folder).mkdir()
        meta = {"quarter": folder, "lang": "zh", "title": title, "published": published,
                "files": ["quarterly_review.html", "quarterly_review.pdf"]}
        (tmp_path / folder / "report.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "_failed" / "x").mkdir(parents=True)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert page.index("2022Q2/quarterly_review.html") < page.index("2022Q1/quarterly_review.html")
    assert XSS_NAME not in page and "&lt;script&gt;" in page
    assert "_failed" not in page and not remote_references(page)
    assert "尚无" in index_html([])


def test_the_kernel_reuses_the_checked_ledger_only_while_the_file_is_unchanged(
        tmp_path, small_xlsx, monkeypatch):
    import os

    from workbench.ingest.handoff import LEDGER_HANDOFF, report_ledger, write_ledger_handoff

    marked = small_ledger().replace(source="checked by the run")
    handoff = write_ledger_handoff(marked, small_xlsx, tmp_path / "ledger.pickle")
    monkeypatch.setenv(LEDGER_HANDOFF, str(handoff))
    assert report_ledger(small_xlsx).source == "checked by the run"
    stat = small_xlsx.stat()
    os.utime(small_xlsx, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert report_ledger(small_xlsx).source == str(small_xlsx)  # changed since: read again


def test_a_year_publishes_every_quarter_even_when_one_fails(tmp_path, small_xlsx):
    from workbench.publish.publish import publish_year

    notebook = tiny_notebook(tmp_path / "q2.ipynb",
                             "if quarter == '2022Q2':\n    raise RuntimeError('q2 broke')\n"
                             + OK_BODY)
    out = tmp_path / "reports"
    with pytest.raises(PublishError, match="1 of 4 quarters failed(.|\n)*2022Q2"):
        publish_year(2022, small_xlsx, out=out, pdf=False, notebook=notebook, progress=False,
                     log=lambda m: None)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("2022")) == [
        "2022Q1", "2022Q3", "2022Q4"]
    assert len(list((out / "_failed").iterdir())) == 1
