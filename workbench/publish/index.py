"""The index page of an output folder: every published report, newest first, offline."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import quote

from workbench.core.words import phrase
from workbench.publish.folders import FAILED, HTML_FILE, META, NOTEBOOK_FILE, PDF_FILE


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


def _esc(value) -> str:
    return html.escape(str(value or ""), quote=True)


def _report_file(files: list, name: str) -> str | None:
    """The report's file of `name`'s kind: the quarterly review's own name, else the one file
    with its suffix (weekly_dispatch.html, monthly_assessment.pdf …)."""
    if name in files:
        return name
    suffix = Path(name).suffix
    found = [f for f in files if str(f).endswith(suffix)]
    return found[0] if len(found) == 1 else None


def index_html(reports: list[dict]) -> str:
    """The offline index page listing `reports` with relative links (every value escaped)."""
    rows = []
    for r in reports:
        links = []
        for file, key in ((HTML_FILE, "index_html"), (PDF_FILE, "index_pdf"),
                          (NOTEBOOK_FILE, "index_notebook")):
            file = _report_file(r.get("files", []), file)
            if file:
                href = quote(f"{r['folder']}/{file}")
                links.append(f'<a href="{_esc(href)}">{_esc(phrase(key, "zh"))}</a>')
        rows.append(
            "<tr>"
            f"<td>{_esc(r.get('title'))}</td><td>{_esc(r.get('period') or r.get('quarter'))}</td>"
            f"<td>{_esc(r.get('lang'))}</td><td>{_esc(r.get('published', '').replace('T', ' '))}</td>"
            f"<td>{' · '.join(links)}</td></tr>"
        )
    head = "".join(
        f"<th>{_esc(phrase(k, 'zh'))}</th>"
        for k in ("index_report", "index_quarter", "index_lang", "index_published", "index_files")
    )
    empty = f'<p>{_esc(phrase("index_empty", "zh"))}</p>' if not reports else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(phrase("index_title", "zh"))}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
  margin: 2em auto; max-width: 60em; color: #1f2933; font-size: 16px; }}
h1 {{ font-size: 1.6em; }} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #d9dee3; padding: .5em .7em; text-align: left; }}
th {{ background: #f2f4f6; }} a {{ color: #1d5fa8; }}
</style></head><body>
<h1>{_esc(phrase("index_title", "zh"))}</h1>{empty}
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
