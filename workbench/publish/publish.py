"""Publishing the quarterly review: run the notebook (papermill), export offline HTML, print a PDF.

Side effects (kernels, files, browsers) live here. A run writes into a temporary folder inside
the output folder and moves into ``<out>/<report>/`` only when every step succeeded; a failed
run keeps its executed notebook under ``<out>/_failed/<timestamp>/`` and leaves the last good
report untouched. ``<out>/index.html`` lists every published report, newest first.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.core.paths import REPO_ROOT
from workbench.core.speedups import (
    REPORT_RUN,
    import_lean_exporter_meanwhile,
    lean_html_exporter,
)
from workbench.exceptions import PublishError
from workbench.review.sections import report_title

DEFAULT_NOTEBOOK = REPO_ROOT / "notebooks" / "quarterly_review.ipynb"
TEMPLATES = Path(__file__).resolve().with_name("templates")
KERNEL = "workbench"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FAILED = "_failed"
META = "report.json"
NOTEBOOK_FILE, HTML_FILE, PDF_FILE = "quarterly_review.ipynb", "quarterly_review.html", "quarterly_review.pdf"

#: The Vega-Lite mime types altair emits (v5 writes ``+json``, v6 ``.json``).
VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")

#: Anything in a page that would make the browser fetch from elsewhere.
_REMOTE = [
    re.compile(r"<script\b[^>]*\bsrc\s*=", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*(?![\"']?(?:data:|#))", re.I),
    re.compile(r"<(?:img|iframe|embed|source|video|audio)\b[^>]*\bsrc\s*=\s*(?![\"']?data:)", re.I),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"@import\b", re.I),
]

_INLINE_SCRIPT = re.compile(r"(<script\b(?![^>]*\bsrc\s*=)[^>]*>).*?(</script>)", re.I | re.S)

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Published:
    """Where one published report lives."""

    quarter: str
    lang: str
    folder: Path
    notebook: Path
    html: Path
    pdf: Path | None


# --- running the notebook -------------------------------------------------------------------


def kernel_available(name: str = KERNEL) -> bool:
    """True when a Jupyter kernel called `name` is registered."""
    from jupyter_client.kernelspec import KernelSpecManager

    return name in KernelSpecManager().find_kernel_specs()


def _report_engine(output: Path, log: Log | None):
    """A papermill engine that saves the notebook once, not at every cell's start and end.

    papermill's own engine rewrites the whole notebook twice a cell (a third of a report's
    run). This one leaves the final save to papermill and, when the kernel dies or a cell
    times out, writes what ran so far to `output` itself, so a failed run is still kept.
    With `log`, it logs one plain line a cell (for logs, cron mail, CI).
    """
    from papermill.engines import NBClientEngine

    class ReportEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            if log is not None:
                complete = nb_man.cell_complete
                total = len(nb_man.nb.cells)

                def cell_complete(cell, cell_index=None, **kw):
                    complete(cell, cell_index=cell_index, **kw)
                    took = cell.metadata.get("papermill", {}).get("duration") or 0.0
                    log(f"  cell {cell_index + 1}/{total} done ({took:.1f} s)")

                nb_man.cell_complete = cell_complete
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                nb_man.output_path = str(output)  # papermill's notebook_complete saves it
                raise

    return ReportEngine


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: dict,
    *,
    kernel: str = KERNEL,
    progress: bool | None = None,
    log: Log = _stderr,
    timeout: int = 600,
):
    """Execute `notebook` with `parameters` into `output` (papermill); returns the executed node.

    Shows papermill's progress bar on a terminal and plain log lines otherwise. Raises what
    papermill raises when a cell fails or the kernel dies; `output` then holds the failed run.
    """
    import papermill
    from papermill.engines import papermill_engines

    if progress is None:
        progress = sys.stderr.isatty()
    papermill_engines.register("workbench", _report_engine(output, None if progress else log))
    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=kernel,
        engine_name="workbench",
        request_save_on_cell_execute=False,
        progress_bar=progress,
        cwd=str(Path(notebook).resolve().parent),
        execution_timeout=timeout,
        start_timeout=120,
    )


def failed_cell(nb) -> str:
    """A one-line description of the cell where an executed notebook failed ('' when none)."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {index + 1}: {output.get('ename')}: {output.get('evalue')}"
    return ""


# --- HTML -----------------------------------------------------------------------------------


def chart_div(spec: dict) -> str:
    """The HTML placeholder of one chart: its Vega-Lite spec as an escaped data attribute."""
    payload = html.escape(json.dumps(spec, ensure_ascii=False, separators=(",", ":")), quote=True)
    return f'<div class="wb-chart" data-wb-spec="{payload}"></div>'


HIDE_TAG = "report-hide"
#: Where the report template wants the Vega bundle (inserted after nbconvert has run).
BUNDLE_MARKER = "/*WB_VEGA_BUNDLE*/"


def with_chart_placeholders(nb) -> tuple[object, int]:
    """A copy of `nb` ready for the page, and how many charts it holds.

    Vega-Lite outputs become chart placeholders; stderr output (warnings) and cells tagged
    ``report-hide`` are dropped.
    """
    import copy

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
                output["data"] = {"text/html": chart_div(spec)}
                count += 1
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


def notebook_html(nb, *, title: str, lang: str = "zh") -> str:
    """A self-contained, offline HTML page of an executed notebook: no code, no prompts.

    Charts are drawn by one inline copy of Vega-Embed; nothing is loaded from elsewhere.
    """
    nb, charts = with_chart_placeholders(nb)
    nb.metadata["title"] = title
    exporter = lean_html_exporter()(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="report",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {"wb_lang": "zh-CN" if lang == "zh" else "en", "wb_charts": charts > 0}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if charts:
        if body.count(BUNDLE_MARKER) != 1:
            raise PublishError("the report template lost its Vega bundle marker")
        body = body.replace(BUNDLE_MARKER, vega_bundle())
    problems = remote_references(body)
    if problems:
        raise PublishError("the report would load from elsewhere: " + "; ".join(problems[:5]))
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


# --- PDF ------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """The path of a Chromium/Chrome executable, or None."""
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_command(chromium: str, profile: Path) -> list[str]:
    """Headless Chromium's command line, isolated in `profile` and quiet on the network."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]


def run_chromium(args: list[str], chromium: str | None = None, timeout: int = 120) -> str:
    """Run headless Chromium with `args` in a fresh profile; returns its stdout."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise PublishError("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="wb-chromium-", ignore_cleanup_errors=True) as profile:
        command = chromium_command(chromium, Path(profile)) + args
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PublishError(f"Chromium did not finish within {timeout} s") from None
    if process.returncode != 0:
        raise PublishError(f"Chromium failed ({process.returncode}): {err.strip()[-500:]}")
    return out


def print_pdf(page: Path, pdf: Path, chromium: str | None = None, timeout: int = 120) -> Path:
    """Print the HTML file `page` to `pdf` with headless Chromium, after its charts are drawn."""
    run_chromium(
        [
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            Path(page).resolve().as_uri(),
        ],
        chromium,
        timeout,
    )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PublishError(f"Chromium wrote no PDF for {page}")
    return pdf


# --- publishing -----------------------------------------------------------------------------


def report_folder_name(quarter: str, lang: str, office: str = "", unit: str = "") -> str:
    """The folder of one report under the output folder: the quarter, then language and filters."""
    parts = [quarter] + ([lang] if lang != "zh" else [])
    parts += [re.sub(r"[^\w\-]+", "_", v).strip("_") for v in (office, unit) if v]
    return "_".join(parts)


def _timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _keep_failed(tmp: Path, out: Path, message: str) -> Path:
    """Move a failed run's folder to ``<out>/_failed/<timestamp>/`` with the error; returns it."""
    target = out / FAILED / _timestamp()
    target.parent.mkdir(parents=True, exist_ok=True)
    (tmp / "error.txt").write_text(message + "\n", encoding="utf-8")
    tmp.rename(target)
    return target


def _move_into_place(tmp: Path, target: Path) -> None:
    """Replace `target` by `tmp` (the old report is removed only once the new one is there)."""
    old = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{_timestamp()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish_report(
    quarter: str,
    ledger: str | Path | None = None,
    *,
    out: str | Path = "reports",
    lang: str = "zh",
    as_of: str = "",
    rubric: str | Path | None = None,
    office: str = "",
    unit: str = "",
    scenario: str | Path | None = None,
    pdf: bool = True,
    notebook: str | Path = DEFAULT_NOTEBOOK,
    progress: bool | None = None,
    log: Log = _stderr,
    load=None,
) -> Published:
    """Run the quarterly review for `quarter` and publish it atomically under `out`.

    Parameters are checked before any kernel starts (ParameterError). A failed run raises
    PublishError naming the failed cell and where its executed notebook was kept.
    """
    from workbench.ingest.handoff import LEDGER_HANDOFF, write_ledger_handoff
    from workbench.publish.params import checked_report

    given = {"quarter": quarter, "lang": lang, "as_of": as_of, "office": office, "unit": unit}
    if ledger:
        given["ledger"] = str(Path(ledger).expanduser().resolve())
    if rubric:
        given["rubric"] = str(Path(rubric).expanduser().resolve())
    if scenario:  # what-if: a "base vs scenario" section (workbench.whatif.whatif)
        given["scenario"] = str(Path(scenario).expanduser().resolve())
    params, checked_ledger = checked_report(notebook, given, load=load)
    if not kernel_available():
        raise PublishError(
            f"the Jupyter kernel '{KERNEL}' is not registered: run "
            f"`python -m ipykernel install --sys-prefix --name {KERNEL}` (make report does)"
        )
    chromium = find_chromium() if pdf else None
    if pdf and not chromium:
        log("Chromium not found: the PDF is skipped (install chromium to print it, "
            "or pass --no-pdf to silence this message)")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out))
    name = report_folder_name(quarter, lang, office, unit)
    log(f"{name}: running {Path(notebook).name} on {params['ledger']}")
    started = time.monotonic()
    handoff = write_ledger_handoff(checked_ledger, params["ledger"], tmp / ".ledger.pickle")
    previous = {var: os.environ.get(var) for var in (LEDGER_HANDOFF, REPORT_RUN)}
    try:
        os.environ[LEDGER_HANDOFF] = str(handoff)  # the kernel reads the checked ledger once
        os.environ[REPORT_RUN] = "1"  # the kernel applies workbench.core.speedups.report_kernel
        import_lean_exporter_meanwhile()
        try:
            nb = run_notebook(Path(notebook), tmp / NOTEBOOK_FILE, params, progress=progress,
                              log=log)
        finally:
            for var, value in previous.items():
                _restore_env(var, value)
            handoff.unlink(missing_ok=True)
        title = report_title(quarter, lang, office, unit)
        page = tmp / HTML_FILE
        page.write_text(notebook_html(nb, title=title, lang=lang), encoding="utf-8")
        if chromium:
            print_pdf(page, tmp / PDF_FILE, chromium)
        meta = {
            "quarter": quarter,
            "lang": lang,
            "office": office,
            "unit": unit,
            "title": title,
            "ledger": params["ledger"],
            "as_of": params.get("as_of", ""),
            "published": datetime.now().isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - started, 1),
            "files": sorted(p.name for p in tmp.iterdir()),
        }
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    except BaseException as exc:
        reason = _failure_reason(exc, tmp / NOTEBOOK_FILE)
        kept = _keep_failed(tmp, out, reason)
        log(f"{name}: FAILED ({reason}); the executed notebook is kept in {kept}; "
            f"the last good report was left in place")
        if isinstance(exc, Exception):
            raise PublishError(f"report {name} failed: {reason}; see {kept}") from exc
        raise
    tmp.chmod(0o755)
    target = out / name
    _move_into_place(tmp, target)
    write_index(out)
    log(f"{name}: published {target} in {time.monotonic() - started:.1f} s")
    return Published(
        quarter,
        lang,
        target,
        target / NOTEBOOK_FILE,
        target / HTML_FILE,
        target / PDF_FILE if chromium else None,
    )


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _failure_reason(exc: BaseException, executed: Path) -> str:
    reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    if executed.is_file():
        import nbformat

        try:
            where = failed_cell(nbformat.read(executed, as_version=4))
        except Exception:  # a half-written notebook still gets kept
            where = ""
        if where:
            reason = where
    return reason


def publish_year(year: int, ledger: str | Path | None = None, **options) -> list[Published]:
    """Publish every quarter of `year` the ledger's data covers (the ledger is read once).

    A quarter that fails is reported and the others are still published; PublishError at the
    end lists the failures.
    """
    from workbench.core.paths import resolved_path
    from workbench.publish.params import quarters_covered

    notebook = options.get("notebook", DEFAULT_NOTEBOOK)
    if ledger is None:
        from workbench.publish.params import notebook_parameters

        ledger = resolved_path(notebook_parameters(notebook)["ledger"].default)
    loaded = _cached_loader(options.pop("load", None))
    quarters = quarters_covered(loaded(str(Path(ledger).resolve())), year)
    if not quarters:
        from workbench.exceptions import ParameterError

        raise ParameterError(f"{ledger} holds no data for {year}")
    published, failures = [], []
    for quarter in quarters:  # one failed quarter does not stop the others
        try:
            published.append(publish_report(quarter, ledger, load=loaded, **options))
        except PublishError as exc:
            failures.append(str(exc))
    if failures:
        raise PublishError(f"{len(failures)} of {len(quarters)} quarters failed:\n"
                           + "\n".join(failures))
    return published


def _cached_loader(load=None):
    if load is None:
        from workbench.ingest.load import load_ledger as load
    cache: dict = {}

    def loaded(path):
        if path not in cache:
            cache[path] = load(path)
        return cache[path]

    return loaded


# --- index ----------------------------------------------------------------------------------


def published_reports(out: str | Path) -> list[dict]:
    """The metadata of every report published under `out`, newest first."""
    found = []
    for meta in Path(out).glob(f"*/{META}"):
        if meta.parent.name.startswith((".", FAILED)):
            continue
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        info["folder"] = meta.parent.name
        found.append(info)
    return sorted(found, key=lambda i: (i.get("published", ""), i["folder"]), reverse=True)


def index_html(reports: list[dict]) -> str:
    """The offline index page listing `reports` with relative links (every value escaped)."""
    from urllib.parse import quote

    from workbench.core.words import phrase

    def esc(value) -> str:
        return html.escape(str(value or ""), quote=True)

    rows = []
    for r in reports:
        links = []
        for file, key in ((HTML_FILE, "index_html"), (PDF_FILE, "index_pdf"),
                          (NOTEBOOK_FILE, "index_notebook")):
            if file in r.get("files", []):
                href = quote(f"{r['folder']}/{file}")
                links.append(f'<a href="{esc(href)}">{esc(phrase(key, "zh"))}</a>')
        rows.append(
            "<tr>"
            f"<td>{esc(r.get('title'))}</td><td>{esc(r.get('quarter'))}</td>"
            f"<td>{esc(r.get('lang'))}</td><td>{esc(r.get('published', '').replace('T', ' '))}</td>"
            f"<td>{' · '.join(links)}</td></tr>"
        )
    head = "".join(
        f"<th>{esc(phrase(k, 'zh'))}</th>"
        for k in ("index_report", "index_quarter", "index_lang", "index_published", "index_files")
    )
    empty = f'<p>{esc(phrase("index_empty", "zh"))}</p>' if not reports else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(phrase("index_title", "zh"))}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
  margin: 2em auto; max-width: 60em; color: #1f2933; font-size: 16px; }}
h1 {{ font-size: 1.6em; }} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #d9dee3; padding: .5em .7em; text-align: left; }}
th {{ background: #f2f4f6; }} a {{ color: #1d5fa8; }}
</style></head><body>
<h1>{esc(phrase("index_title", "zh"))}</h1>{empty}
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


def write_index(out: str | Path) -> Path:
    """Refresh ``<out>/index.html`` (written atomically)."""
    out = Path(out)
    page = out / "index.html"
    tmp = out / f".index-{os.getpid()}.html"
    tmp.write_text(index_html(published_reports(out)), encoding="utf-8")
    tmp.replace(page)
    return page


def publish_reports(quarter: str | None = None, year: int | None = None, **options) -> list[Published]:
    """Publish one quarter, or every quarter of `year` the data covers (the CLI's entry point)."""
    from workbench.exceptions import ParameterError

    if bool(quarter) == bool(year):
        raise ParameterError("give either --quarter YYYYQn or --year YYYY")
    if year:
        ledger = options.pop("ledger", None)
        return publish_year(year, ledger, **options)
    return [publish_report(quarter, **options)]
