"""Each process-level speed-up still works and still changes nothing a user receives.

The speed-ups live in `workbench.core.speedups`; the CLI's ``main()``, ``workbench report`` and the
report notebook's first cell apply them explicitly. Each test below fails when its speed-up stops
working (the work it skips is done again) or changes the output; the process-level ones run in a
fresh interpreter, as a run would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from workbench.core.speedups import REPORT_RUN, focusable_outputs, lean_html_exporter
from workbench.publish.offline_html import (
    chart_div,
    report_exporter,
    report_resources,
    with_chart_placeholders,
)

#: What nbconvert's BeautifulSoup pass gives an image without alt text.
STOCK_ALT = "No description has been provided for this image"
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5"
       "ErkJggg==")


# --- lean_html_exporter: the same page as stock nbconvert's HTMLExporter ------------------------


def _tree(page: str, *, focusable: bool = False, alt: bool = False) -> tuple[str, list[str]]:
    """`page` parsed as a browser would and printed back with sorted attributes, and the list of
    attributes this normalisation added.

    Parsing both pages removes what nbconvert's BeautifulSoup pass changes in every page it
    re-prints (attribute order, how entities and void tags are spelled), so the two pages can be
    compared by what a browser reads. `focusable` adds ``tabindex="0"`` to output areas that lack
    it (what `focusable_outputs` adds to the lean page: stock nbconvert adds it only inside a
    ``.jp-Notebook`` body, which the report template does not use); `alt` adds stock's alt text
    to images that lack it (what the lean exporter omits on purpose: reports have no images).
    """
    soup = BeautifulSoup(page, "html.parser")
    added = []
    if focusable:
        for div in soup.select("div.jp-OutputArea-output"):
            if "tabindex" not in div.attrs:
                div["tabindex"] = "0"
                added.append("tabindex")
    if alt:
        for img in soup.select("img:not([alt])"):
            img["alt"] = STOCK_ALT
            added.append("alt")
    for tag in soup.find_all(True):
        tag.attrs = dict(sorted(tag.attrs.items()))
    return str(soup), added


def _pages(nb, lang: str = "zh") -> tuple[str, str]:
    """The report page of `nb` by stock nbconvert and by the lean exporter (same template and
    resources; the Vega bundle is not inserted, as it is added after either exporter ran)."""
    from nbconvert import HTMLExporter

    nb, charts = with_chart_placeholders(nb)
    nb.metadata["title"] = "重点项目建设讲评 <2022Q1> & co"
    pages = []
    for cls in (HTMLExporter, lean_html_exporter()):
        body, _ = report_exporter(cls).from_notebook_node(nb, resources=report_resources(lang, charts > 0))
        pages.append(body)
    return pages[0], pages[1]


def _assert_same_page_but_what_is_omitted(stock: str, lean: str) -> list[str]:
    """The two pages differ only by what the lean exporter adds (tabindex) or omits (alt text);
    returns the alt texts that the lean page omits."""
    stock_tree, focusable = _tree(stock, focusable=True)
    lean_tree, omitted = _tree(lean, alt=True)
    assert lean_tree == stock_tree
    outputs = len(BeautifulSoup(lean, "html.parser").select("div.jp-OutputArea-output"))
    assert outputs > 0 and focusable == ["tabindex"] * outputs
    assert lean.count('tabindex="0"') == outputs  # on output areas, once each, nowhere else
    assert set(omitted) <= {"alt"}
    return omitted


def _report_like_notebook():
    """Every kind of output a report shows: markdown (table, code, entities, CJK), HTML tables
    and cards, a chart, plain text, stdout, a warning on stderr (dropped), a hidden cell."""
    md = nbformat.v4.new_markdown_cell(
        "# 讲评 & <b>bold</b>\n\n| 单位 | 亿元 |\n|---|---|\n| 县发改委 | 1.50 |\n\n"
        "```python\nx = 1 < 2\n```\n\n&nbsp;注：x<br>y")
    code = nbformat.v4.new_code_cell("review")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": (
            "<table class='wb-table'><thead><tr><th>项目</th></tr></thead>"
            "<tbody><tr><td>&nbsp;1&amp;2 &lt;script&gt;</td></tr></tbody></table><br>"
            "<div class=wb-cards><p>unclosed</div>")}),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.vegalite.v5+json": {"mark": "bar", "title": "</script>\"'&"}}),
        nbformat.v4.new_output("stream", name="stdout", text="hello <b> & 你好\n"),
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "1 < 2 & 3"},
                               execution_count=1),
    ]
    hidden = nbformat.v4.new_code_cell("secret")
    hidden.metadata["tags"] = ["report-hide"]
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hidden\n")]
    nb = nbformat.v4.new_notebook(cells=[md, code, hidden])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lean_exporter_gives_stock_nbconverts_page(lang):
    stock, lean = _pages(_report_like_notebook(), lang)
    assert chart_div({"mark": "bar", "title": "</script>\"'&"}) in lean
    assert _assert_same_page_but_what_is_omitted(stock, lean) == []


def test_lean_exporter_omits_only_the_alt_text_of_images():
    nb = _report_like_notebook()
    nb.cells[1].outputs.append(nbformat.v4.new_output("display_data", data={"image/png": PNG}))
    stock, lean = _pages(nb)
    assert STOCK_ALT in stock and STOCK_ALT not in lean
    assert _assert_same_page_but_what_is_omitted(stock, lean) == ["alt"]


def test_reports_have_no_images_so_the_omitted_alt_text_is_never_missed():
    for page in (ROOT / "tests" / "fixtures" / "golden").glob("*.html"):
        assert "<img" not in page.read_text(encoding="utf-8"), page.name


def test_focusable_outputs_marks_each_output_area_once():
    page = ('<div class="jp-OutputArea-output x"></div><div class="jp-OutputArea"></div>'
            '<div tabindex="-1" class="jp-OutputArea-output"></div>')
    assert focusable_outputs(page) == (
        '<div tabindex="0" class="jp-OutputArea-output x"></div><div class="jp-OutputArea"></div>'
        '<div tabindex="-1" class="jp-OutputArea-output"></div>')
    assert focusable_outputs(focusable_outputs(page)) == focusable_outputs(page)


@pytest.mark.slow
def test_lean_exporter_gives_stock_nbconverts_page_for_the_sample_report(tmp_path, sample_path):
    """The real thing: the sample's quarterly review, executed, exported both ways."""
    from workbench.publish import publish_report

    published = publish_report("2022Q2", sample_path, out=tmp_path, pdf=False, progress=False,
                               log=lambda m: None)
    nb = nbformat.read(published.notebook, as_version=4)
    stock, lean = _pages(nb)
    assert "<img" not in lean
    assert _assert_same_page_but_what_is_omitted(stock, lean) == []


# --- the process-level speed-ups, each in a fresh interpreter --------------------------------

#: Registered first, so it runs last at exit: after a gc.freeze registered later.
EXIT_PROBE = """
import atexit, gc, sys, types
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))
def rfc3987_imported():
    return isinstance(sys.modules.get("rfc3987_syntax"), types.ModuleType)
"""


def _python(code: str, **env: str) -> list[str]:
    """Run `code` in a fresh interpreter on this checkout; its stdout lines (it must exit 0)."""
    environ = {k: v for k, v in os.environ.items() if k != REPORT_RUN}
    environ |= {"PYTHONPATH": str(ROOT), **env}
    done = subprocess.run([sys.executable, "-c", EXIT_PROBE + code], capture_output=True,
                          text=True, env=environ, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_skip_iri_format_checks_keeps_jsonschema_from_importing_rfc3987_syntax():
    without = _python("import jsonschema\nprint('rfc3987:', rfc3987_imported())")
    assert "rfc3987: True" in without  # there is an import to skip (else drop the speed-up)
    lines = _python("""
from workbench.core.speedups import skip_iri_format_checks
skip_iri_format_checks()
import jsonschema, nbformat
print("rfc3987:", rfc3987_imported())
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
nbformat.validate(nb)
bad = nbformat.v4.new_notebook()
bad.cells = [{"cell_type": "not a cell", "source": "", "metadata": {}, "id": "x"}]
try:
    nbformat.validate(bad)
    print("validates: no")
except nbformat.ValidationError:
    print("validates: yes")
""")
    assert lines[:2] == ["rfc3987: False", "validates: yes"]


@pytest.mark.slow
def test_skip_iri_format_checks_leaves_an_imported_jsonschema_alone():
    lines = _python("""
import jsonschema
from workbench.core.speedups import skip_iri_format_checks
skip_iri_format_checks()
print("rfc3987:", rfc3987_imported())
""")
    assert lines[0] == "rfc3987: True"


@pytest.mark.slow
@pytest.mark.parametrize("apply", [True, False])
def test_freeze_at_exit_freezes_after_the_program_and_changes_nothing_it_writes(tmp_path, apply):
    out = tmp_path / "written.txt"
    lines = _python(f"""
from workbench.core.speedups import freeze_at_exit
if {apply}:
    freeze_at_exit()
class Node:  # a cycle only the collector could free
    def __init__(self):
        self.me = self
kept = [Node() for _ in range(10_000)]
log = open({str(out)!r}, "w", encoding="utf-8")  # left open: closed at exit
log.write("x" * 100_000)
print("done")
""")
    assert lines == ["done", f"frozen at exit: {apply}"]
    assert out.read_text(encoding="utf-8") == "x" * 100_000


@pytest.mark.slow
def test_the_cli_entry_point_freezes_at_exit():
    lines = _python("""
sys.argv = ["workbench", "--help"]
from workbench.cli import main
try:
    main()
except SystemExit as done:
    assert done.code in (0, None), done.code
""")
    assert lines[-1] == "frozen at exit: True"


KERNEL_CELL = """
from workbench.core.speedups import report_kernel_speedups
print("applied:", report_kernel_speedups())
import jsonschema
print("rfc3987:", rfc3987_imported())
"""


@pytest.mark.slow
def test_report_kernel_speedups_do_nothing_outside_a_report_run():
    assert _python(KERNEL_CELL) == ["applied: False", "rfc3987: True", "frozen at exit: False"]


@pytest.mark.slow
def test_report_kernel_speedups_apply_both_in_a_report_run():
    lines = _python(KERNEL_CELL, **{REPORT_RUN: "1"})
    assert lines == ["applied: True", "rfc3987: False", "frozen at exit: True"]


def test_the_report_notebook_applies_the_kernel_speedups_before_any_other_import():
    import ast

    cells = json.loads((ROOT / "notebooks" / "quarterly_review.ipynb").read_text("utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code" and "parameters" not in
            c.get("metadata", {}).get("tags", [])]
    first = ast.parse("".join(code[0]["source"])).body
    assert ast.unparse(first[0]) == "from workbench.core import report_kernel_speedups"
    assert ast.unparse(first[1]) == "report_kernel_speedups()"


# --- private APIs used: upper bounds pinned ------------------------------------------------------


@pytest.mark.parametrize("name, below", [("nbconvert", "8"), ("papermill", "3")])
def test_libraries_whose_private_api_is_used_are_pinned_below_their_next_major(name, below):
    """LeanHTMLExporter subclasses nbconvert's private methods; the report engine reads
    attributes of papermill's execution manager that papermill does not document. Both the
    pip and the conda environment carry the bound."""
    import yaml
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))["dependencies"]
    conda = [d for d in env if isinstance(d, str) and d.startswith(f"{name}>")]
    for requirements in (project["dependencies"], conda):
        requirement = next(Requirement(r) for r in requirements if r.startswith(f"{name}>"))
        assert f"<{below}" in {str(s) for s in requirement.specifier}, requirements


def test_collector_paused_pauses_and_restores_the_collector_as_it_found_it():
    import gc

    from workbench.core.speedups import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off finds it off
    finally:
        gc.enable()
