"""Publishing runs: atomic folders, failures kept with what ran, a year's quarters, the handoff.

Every test here starts a kernel on a tiny notebook (see conftest.py), so all are slow.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from tests.publish.conftest import OK_BODY, snapshot, tiny_notebook
from tests.report_ledger import small_ledger
from workbench.exceptions import PublishError
from workbench.publish import publish_report, publish_year

pytestmark = pytest.mark.slow


def test_a_good_run_publishes_notebook_html_and_index(good_report):
    out, published, files, logs = good_report
    # without a terminal: plain log lines, one a cell, no progress bar
    assert [line.split("（")[0] for line in logs if "单元格" in line] == [
        "  第 1/3 个单元格完成", "  第 2/3 个单元格完成", "  第 3/3 个单元格完成"]
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
    assert snapshot(published.folder) == before
    failed = sorted((out / "_failed").iterdir())
    assert len(failed) == 1
    kept = failed[0] / "quarterly_review.ipynb"
    assert kept.is_file() and str(failed[0]) in str(err.value)
    assert err.value.kept == str(failed[0]) and err.value.exit_code == 1
    assert any(str(failed[0]) in line for line in logs)
    if which == "raises":
        assert "RuntimeError: ledger broke" in str(err.value)
        nb = nbformat.read(kept, as_version=4)
        assert any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    else:
        assert "DeadKernel" in str(err.value) or "died" in str(err.value).lower()
        # what ran before the kernel died is in the kept notebook (papermill's manager is
        # pointed at it: the private API the papermill pin in pyproject.toml guards)
        nb = nbformat.read(kept, as_version=4)
        assert any("ran before the kill" in o.get("text", "")
                   for c in nb.cells for o in c.get("outputs", []))
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]


def test_missing_chromium_is_a_message_not_a_crash(tmp_path, notebooks, small_xlsx, monkeypatch):
    import workbench.publish.runs as runs

    monkeypatch.setattr(runs, "find_chromium", lambda: None)
    logs = []
    published = publish_report("2022Q1", small_xlsx, out=tmp_path, pdf=True,
                               notebook=notebooks["ok"], progress=False, log=logs.append)
    assert published.pdf is None and published.html.is_file()
    assert any("未找到 Chromium" in line for line in logs)


def test_the_kernel_runs_with_the_report_speedups_and_the_checked_ledger(tmp_path, small_xlsx):
    """The kernel is told it runs a report, so the notebook's first cell applies the speed-ups
    (nothing imported jsonschema before it), and it is handed the ledger the run checked; the
    run's own environment is restored afterwards."""
    import os

    from workbench.core.speedups import REPORT_RUN
    from workbench.ingest.handoff import LEDGER_HANDOFF

    body = ("import os, sys, types\n"
            "from workbench.core import report_kernel_speedups\n"
            "applied = report_kernel_speedups()\n"
            "import jsonschema\n"
            "skipped = not isinstance(sys.modules.get('rfc3987_syntax'), types.ModuleType)\n"
            "from IPython.display import HTML\n"
            f"handoff = bool(os.environ.get('{LEDGER_HANDOFF}'))\n"
            "HTML(f'<p>applied={applied} skipped={skipped} handoff={handoff}</p>')")
    published = publish_report("2022Q1", small_xlsx, out=tmp_path, pdf=False,
                               notebook=tiny_notebook(tmp_path / "env.ipynb", body),
                               progress=False, log=lambda m: None)
    page = published.html.read_text(encoding="utf-8")
    assert "<p>applied=True skipped=True handoff=True</p>" in page
    assert REPORT_RUN not in os.environ and LEDGER_HANDOFF not in os.environ
    assert not list(tmp_path.rglob(".ledger.pickle"))


def test_a_quarter_given_with_spaces_is_published_as_yyyyqn(tmp_path, notebooks, small_xlsx):
    published = publish_report(" 2022Q1 ", small_xlsx, out=tmp_path, pdf=False,
                               notebook=notebooks["ok"], progress=False, log=lambda m: None)
    assert published.quarter == "2022Q1" and published.folder.name == "2022Q1"
    assert "ok 2022Q1" in published.html.read_text(encoding="utf-8")


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
    notebook = tiny_notebook(tmp_path / "q2.ipynb",
                             "if quarter == '2022Q2':\n    raise RuntimeError('q2 broke')\n"
                             + OK_BODY)
    out = tmp_path / "reports"
    with pytest.raises(PublishError, match="4 个季度中有 1 个失败(.|\n)*2022Q2") as err:
        publish_year(2022, small_xlsx, out=out, pdf=False, notebook=notebook, progress=False,
                     log=lambda m: None)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("2022")) == [
        "2022Q1", "2022Q3", "2022Q4"]
    failed = list((out / "_failed").iterdir())
    assert len(failed) == 1 and err.value.kept == [str(failed[0])]
