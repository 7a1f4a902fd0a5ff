"""The offline HTML page of an executed report: no code, charts drawn by one inline Vega bundle.

Vega-Lite outputs become placeholders (their spec in a data attribute); nbconvert renders the
page with the ``report`` template; the Vega, Vega-Lite and Vega-Embed JavaScript then replaces
the template's marker, so nbconvert never parses its 900 kB. A page that would load anything
from elsewhere is refused.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

from workbench.core.speedups import lean_html_exporter
from workbench.core.words import error_message, word
from workbench.exceptions import PublishError

#: nbconvert templates of the workbench (``report``: the quarterly review page).
TEMPLATES = Path(__file__).resolve().with_name("templates")

#: The Vega-Lite mime types altair emits (v5 writes ``+json``, v6 ``.json``).
VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")

#: ipywidgets' output (a live control: nothing to draw without a kernel).
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Cells with this tag are left out of the page.
HIDE_TAG = "report-hide"
#: Where the report template wants the Vega bundle (inserted after nbconvert has run).
BUNDLE_MARKER = "/*WB_VEGA_BUNDLE*/"

#: Anything in a page that would make the browser fetch from elsewhere.
_REMOTE = [
    re.compile(r"<script\b[^>]*\bsrc\s*=", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*(?![\"']?(?:data:|#))", re.I),
    re.compile(r"<(?:img|iframe|embed|source|video|audio)\b[^>]*\bsrc\s*=\s*(?![\"']?data:)", re.I),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"@import\b", re.I),
]

_INLINE_SCRIPT = re.compile(r"(<script\b(?![^>]*\bsrc\s*=)[^>]*>).*?(</script>)", re.I | re.S)


def chart_div(spec: dict) -> str:
    """The HTML placeholder of one chart: its Vega-Lite spec as an escaped data attribute."""
    payload = html.escape(json.dumps(spec, ensure_ascii=False, separators=(",", ":")), quote=True)
    return f'<div class="wb-chart" data-wb-spec="{payload}"></div>'


def interactive(spec) -> bool:
    """True when a Vega-Lite spec binds a parameter to an input (slider, dropdown, checkbox …)."""
    if isinstance(spec, dict):
        if any(isinstance(p, dict) and p.get("bind") not in (None, "scales", "legend")
               for p in spec.get("params") or []):
            return True
        return any(interactive(v) for v in spec.values() if isinstance(v, dict | list))
    if isinstance(spec, list):
        return any(interactive(v) for v in spec)
    return False


def print_note(key: str, lang: str = "zh") -> str:
    """The line printed where paper cannot show an interactive control: where the live one is."""
    return f'<p class="wb-print-note">{html.escape(word(key, lang))}</p>'


def with_chart_placeholders(nb, lang: str = "zh") -> tuple[object, int]:
    """A copy of `nb` ready for the page, and how many charts it holds.

    Vega-Lite outputs become chart placeholders, those with sliders or dropdowns preceded by a
    line shown on paper only (where the live version is); ipywidgets become a line saying where
    they work; stderr output (warnings) and cells tagged ``report-hide`` are dropped.
    """
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if HIDE_TAG not in c.get("metadata", {}).get("tags", [])]
    count = 0
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data") or {}
            mime = next((k for k in data if VEGALITE_MIME.match(k)), None)
            if mime:
                spec = data[mime]
                if isinstance(spec, str):
                    spec = json.loads(spec)
                note = print_note("print_live_chart", lang) if interactive(spec) else ""
                output["data"] = {"text/html": note + chart_div(spec)}
                count += 1
            elif WIDGET_MIME in data:
                note = print_note("print_live_widget", lang)
                output["data"] = {"text/html": note.replace("wb-print-note", "wb-note", 1)}
            kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
    return nb, count


def vega_bundle() -> str:
    """The Vega, Vega-Lite and Vega-Embed JavaScript, bundled for one inline script tag.

    Bundling takes seconds, so the result is kept per vl-convert version in the user's cache
    folder (``$XDG_CACHE_HOME/workbench``, else ``~/.cache/workbench``).
    """
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    cache = _cache_dir() / f"vega-bundle-{version}.js"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle()
    if re.search(r"</script", bundle, re.I):
        bundle = re.sub(r"</(script)", r"<\\/\1", bundle, flags=re.I)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(cache)
    except OSError:  # a read-only home still gets its report
        pass
    return bundle


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench"


def report_exporter(exporter_class=None):
    """The HTML exporter of the report page: the ``report`` template, no code, no prompts.

    `exporter_class` defaults to the lean exporter (`workbench.core.speedups`); a test passes
    stock nbconvert's HTMLExporter to compare the two pages.
    """
    cls = exporter_class or lean_html_exporter()
    return cls(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="report",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def report_resources(lang: str, charts: bool) -> dict:
    """The resources the report template reads: the page's language and whether it has charts."""
    return {"wb_lang": "zh-CN" if lang == "zh" else "en", "wb_charts": charts}


def notebook_html(nb, *, title: str, lang: str = "zh") -> str:
    """A self-contained, offline HTML page of an executed notebook: no code, no prompts.

    Charts are drawn by one inline copy of Vega-Embed; nothing is loaded from elsewhere.
    """
    nb, charts = with_chart_placeholders(nb, lang)
    nb.metadata["title"] = title
    body, _ = report_exporter().from_notebook_node(nb, resources=report_resources(lang, charts > 0))
    if charts:
        if body.count(BUNDLE_MARKER) != 1:
            raise PublishError(error_message("template_no_marker"),
                               file=str(TEMPLATES / "report" / "index.html.j2"))
        body = body.replace(BUNDLE_MARKER, vega_bundle())
    problems = remote_references(body)
    if problems:
        raise PublishError(error_message("report_not_offline", found="; ".join(problems[:5])),
                           value=problems[0])
    return body


def remote_references(page: str) -> list[str]:
    """Fragments of `page` that would make a browser fetch something (empty when offline).

    Inline scripts are skipped (the Vega bundle mentions markup in strings); a script with a
    ``src`` is reported.
    """
    page = _INLINE_SCRIPT.sub("<script></script>", page)
    found = []
    for pattern in _REMOTE:
        for match in pattern.finditer(page):
            found.append(page[match.start() : match.start() + 80])
    return found
