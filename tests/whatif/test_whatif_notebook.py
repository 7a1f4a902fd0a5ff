"""The analysts' what-if notebook: it executes on the bundled sample, and Voilà serves it without code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from tests.whatif.voila import served_by_voila

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "what_if.ipynb"
BIN = Path(sys.executable).parent


def test_notebook_is_committed_without_outputs_and_uses_the_workbench_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "workbench"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])


@pytest.mark.slow
def test_notebook_executes_on_the_sample(tmp_path, sample_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "what_if.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), kernel_name="workbench", cwd=str(ROOT), progress_bar=False,
        parameters={"ledger_path": str(sample_path), "scenario_dir": str(tmp_path / "scenarios")},
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = [k for o in outputs for k in o.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in kinds  # the controls
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    views = [m["state"]["value"] for m in states if m["model_name"] == "HTMLModel"]
    comparison = next(v for v in views if "wb-table" in v)
    assert comparison.count('class="wb-table"') >= 5  # headline, quarters, RAG, bands, units
    assert "<svg" in comparison  # the forecast curve, drawn offline as SVG
    from workbench.ingest import load_ledger
    from workbench.model.asof import default_as_of

    own = f"{default_as_of(load_ledger(sample_path)):%Y-%m-%d}"
    texts = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert f"推演基准日：{own}，即台账自身的截止日期" in texts, texts  # the ledger's date, said


def test_the_notebook_defaults_to_the_ledgers_own_date_and_says_so():
    """Not a demonstration date unrelated to the ledger: as_of is empty by default, which means
    the ledger's own date, and the parameters cell says so."""
    import papermill

    declared = papermill.inspect_notebook(str(NOTEBOOK))["as_of"]
    assert declared["default"] in ('""', "''"), declared
    assert "the ledger's own date" in declared["help"]
    assert "2022" not in nbformat.read(NOTEBOOK, as_version=4).cells[1].source.split("as_of")[1]


def test_the_what_if_session_names_its_date_and_where_it_came_from():
    from tests.whatif.small_ledger import small_ledger
    from workbench.model.asof import default_as_of
    from workbench.whatif import WhatIf

    sample_ledger = small_ledger()

    own = default_as_of(sample_ledger)
    assert WhatIf(sample_ledger).as_of_note() == (
        f"推演基准日：{own:%Y-%m-%d}，即台账自身的截止日期（最后填报完成投资的月份末）；此前各月为实际数。")
    assert WhatIf(sample_ledger, "2022-09-30").as_of_note("en").startswith(
        "The what-if starts from 2022-09-30 (given as as_of)")


@pytest.mark.slow
@pytest.mark.browser
def test_voila_serves_the_notebook_on_loopback_without_code(tmp_path, chromium):
    voila = BIN / "voila"
    if not voila.exists():
        pytest.skip("voila is not installed in this environment")

    def command(port: int) -> list[str]:
        return [str(voila), str(NOTEBOOK), "--no-browser", f"--port={port}",
                "--Voila.ip=127.0.0.1", "--strip_sources=True"]

    with served_by_voila(command, tmp_path / "voila.log") as (_, page, url):
        assert "application/vnd.jupyter.widget-view+json" in page  # widgets are on the page
        assert "live_comparison" not in page and "whatif_controls" not in page  # code hidden
        _move_the_slip_slider_and_see_the_comparison_change(url, chromium, tmp_path / "profile")


def _move_the_slip_slider_and_see_the_comparison_change(url: str, chromium: str, profile: Path) -> None:
    """In a real browser: the widgets render, and three steps of the "every unstarted project
    slips" slider redraw the headline table in place (kernel round trip through Voilà)."""
    from tests.browser_cdp import Browser

    browser = Browser(chromium, profile)
    try:
        browser.call("Page.enable")
        browser.call("Page.navigate", url=url)
        browser.wait_for("document.querySelectorAll('.noUi-handle').length > 3", timeout=240)
        headline = "(document.querySelector('table.wb-table') || {}).innerText"
        before = browser.wait_for(headline, timeout=120)
        assert "\t0\t0\t0" in before  # nothing slipped in the base-equals-scenario start
        browser.js("""(() => { const h = document.querySelectorAll('.noUi-handle')[0]; h.focus();
          for (let i = 0; i < 3; i++) {
            h.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', keyCode: 39, bubbles: true}));
          } })()""")
        after = browser.wait_for(
            f"(() => {{ const t = {headline}; return t !== {json.dumps(before)} && t; }})()", timeout=120)
        slipped = next(line for line in after.splitlines() if line.startswith("推迟开工项目数"))
        assert int(slipped.split("\t")[2]) > 0
    finally:
        browser.close()
