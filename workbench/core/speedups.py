"""Process-level speed-ups, in one place, each applied explicitly by an entry point.

Nothing here runs at import. Each function removes work that a run does not need, and each has
a test that fails if it stops working or changes what a user receives
(``tests/core/test_speedups.py``):

- `skip_iri_format_checks`: jsonschema (imported by nbformat and altair) imports rfc3987_syntax,
  which compiles an IRI grammar for seconds; only "iri" format checks use it and no report does.
- `freeze_at_exit`: a run ends with many thousands of objects alive (pandas, papermill,
  nbconvert, altair); Python's last garbage collection walks them all only to discard them
  (about 0.4 s). Objects frozen at exit are skipped; every file is closed by then.
- `report_kernel_speedups`: both of the above, in a report run's kernel only (the notebook calls it first).
- `lean_html_exporter`: nbconvert's HTMLExporter without its BeautifulSoup pass over the page,
  which re-parses the finished page only to add alt text to images (a report has none) and
  tabindex to output areas (done here with one regular expression). It subclasses nbconvert's
  private API, so ``pyproject.toml`` and ``environment.yml`` pin nbconvert below its next major
  version.
- `import_lean_exporter_meanwhile`: import nbconvert on a second thread while the kernel runs.
- `collector_paused`: Python's cyclic garbage collector paused while a ledger loads. The load
  holds every row of the workbook as a list (tens of thousands, plus the merged ranges) and each
  full collection the allocations set off walks all of them again: about 0.1–0.2 s of a
  50,000-row load, for no garbage (the rows hold no cycles and go by reference counting).
  Resumed afterwards, also on error; a caller that had it off finds it off.
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

#: Set in the environment of a report run's kernel by `workbench report`.
REPORT_RUN = "WORKBENCH_REPORT_RUN"


def skip_iri_format_checks() -> None:
    """Keep jsonschema from importing rfc3987_syntax in this process (call before it is imported)."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def freeze_at_exit() -> None:
    """Skip the interpreter's last garbage collection over objects about to be discarded."""
    atexit.register(gc.freeze)


def report_kernel_speedups() -> bool:
    """Apply the kernel-side speed-ups when this kernel runs a published report; True if applied.

    Outside a report run (JupyterLab, a plain papermill call) nothing changes.
    """
    if not os.environ.get(REPORT_RUN):
        return False
    skip_iri_format_checks()
    freeze_at_exit()
    return True


_OUTPUT_DIV = re.compile(r'<div(?=[^>]*\bclass="[^"]*\bjp-OutputArea-output\b)(?![^>]*\btabindex=)')


def focusable_outputs(page: str) -> str:
    """`page` with every output area focusable by keyboard (``tabindex="0"``), as nbconvert does."""
    return _OUTPUT_DIV.sub('<div tabindex="0"', page)


@cache
def lean_html_exporter():
    """An HTMLExporter class that skips nbconvert's BeautifulSoup pass (see the module docstring)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class LeanHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return focusable_outputs(body), resources

    return LeanHTMLExporter


def import_lean_exporter_meanwhile() -> None:
    """Import nbconvert on a second thread (the caller waits for a kernel meanwhile)."""

    def load() -> None:
        try:
            lean_html_exporter()
        except Exception:  # the caller asks again and sees the error then
            pass

    threading.Thread(target=load, name="import-nbconvert", daemon=True).start()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block (see the module docstring)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
