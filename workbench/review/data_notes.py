"""What the reader of a review must know about its data: the plausibility warnings a run
accepted (a box under the title, ``warning_box``) and the 数据说明 appendix (``data_appendix``):
the file and its SHA-256, what was read as what, the row reconciliation and the warnings.

Every value from the file is HTML-escaped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.paths import file_sha256 as core_file_sha256
from workbench.core.words import phrase, word
from workbench.ingest import mapping_display
from workbench.model import plausibility_issues
from workbench.present.html import Html, esc

_BOX = ("border:2px solid #c0392b;background:#fdecea;color:#7b241c;padding:.6em 1em;"
        "margin:.5em 0 1em 0;border-radius:4px")
_RECON = ["sheet", "table", "rows", "title", "unit", "header", "blank", "category", "total", "note",
          "data", "accepted", "rejected", "skipped"]


def warning_box(ledger, lang: str = "zh") -> Html:
    """The ledger's plausibility warnings as a box for the first page ('' when there are none)."""
    issues = plausibility_issues(ledger) if ledger is not None else pd.DataFrame()
    if not len(issues):
        return Html("")
    items = "".join(f"<li>{esc(m)}</li>" for m in issues[f"message_{lang}"])
    return Html(f'<div class="wb-warnings" style="{_BOX}"><strong>{esc(phrase("warn_title", lang))}'
                f"</strong><ul>{items}</ul></div>")


def _plain_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="wb-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes (hex), '' when it cannot be read."""
    try:
        return core_file_sha256(path)
    except OSError:
        return ""


def data_appendix(ledger, lang: str = "zh", path=None) -> Html:
    """The 数据说明 appendix: file and SHA-256, the mapping, the reconciliation, the warnings."""
    path = Path(path or ledger.source or "")
    parts = [f"<h2>{esc(phrase('h_data_notes', lang))}</h2>",
             f"<p>{esc(phrase('data_file', lang, file=path.name, sha=file_sha256(path)))}</p>",
             f"<h3>{esc(phrase('h_data_mapping', lang))}</h3>"]
    mapping = ledger.mapping
    parts.append(_plain_table(mapping_display(mapping, lang)) if len(mapping)
                 else f'<p class="wb-note">{esc(phrase("none_listed", lang))}</p>')
    parts.append(f"<h3>{esc(phrase('h_data_recon', lang))}</h3>")
    recon = ledger.reconciliation
    if len(recon):
        shown = recon[[c for c in _RECON if c in recon]].copy()
        shown["table"] = shown["table"].map(lambda t: word(f"table_{t}", lang))
        parts.append(_plain_table(shown.rename(columns={c: word(f"recon_{c}", lang)
                                                        for c in shown.columns})))
    parts.append(f"<h3>{esc(phrase('h_data_warnings', lang))}</h3>")
    issues = plausibility_issues(ledger)
    if len(issues):
        parts.append("<ul>" + "".join(f"<li>{esc(m)}</li>" for m in issues[f"message_{lang}"])
                     + "</ul>")
    findings = ledger.findings
    if len(findings):
        msg = f"message_{lang}"
        counted = (findings.groupby(["severity", "rule"], sort=False)
                   .agg(n=("rule", "size"), example=(msg, "first")).reset_index())
        counted = pd.DataFrame({
            phrase("data_severity", lang): [word(s, lang) for s in counted["severity"]],
            phrase("data_rule", lang): counted["rule"],
            phrase("data_count", lang): counted["n"],
            phrase("data_example", lang): counted["example"]})
        parts.append(_plain_table(counted))
    elif not len(issues):
        parts.append(f'<p class="wb-note">{esc(phrase("none_listed", lang))}</p>')
    return Html('<div class="wb-data-notes">' + "".join(parts) + "</div>")
