"""Where every table row of a report page lands when it is printed: a measurable page-break check.

`marked_page` puts an invisible marker (no width, no height, inside the page: the layout does not move) at
the start of every table's header and at the start and end of every cell of its body rows;
`row_pages` reads back, with ``pdftotext`` page by page, which page each marker was printed on.
`break_problems` then names every row split across pages, every page that holds a single row
of a longer table (a row stranded at the top of a page, or left alone at its bottom), and every
page that continues a table without repeating its header.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections import defaultdict
from pathlib import Path

_MARK_STYLE = ("display:inline-block;width:0;height:0;overflow:visible;white-space:nowrap;"
               "font-size:4px;line-height:0;color:#fff;vertical-align:top")
_MARKER = re.compile(r"WBT(\d+)(H|R(\d+)[SE])Z")
_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S | re.I)
_TBODY = re.compile(r"<tbody\b.*?</tbody>", re.S | re.I)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_CELL_OPEN = re.compile(r"<t[hd]\b[^>]*>", re.I)
_CELL_CLOSE = re.compile(r"</t[hd]>", re.I)


def _mark(text: str, end: bool = False) -> str:
    # an end marker overflows to its left, so it never widens the page (Chromium would shrink it)
    direction = ";direction:rtl" if end else ""
    return f'<span style="{_MARK_STYLE}{direction}">{text}</span>'


def _marked_row(row: str, t: int, r: int) -> str:
    start = _CELL_OPEN.search(row)
    row = row[: start.end()] + _mark(f"WBT{t}R{r}SZ") + row[start.end():]
    return _CELL_CLOSE.sub(lambda m: _mark(f"WBT{t}R{r}EZ", end=True) + m.group(0), row)


def _marked_table(table: str, t: int) -> str:
    head = _THEAD.search(table)
    if head:
        first = _CELL_OPEN.search(table, head.start())
        table = table[: first.end()] + _mark(f"WBT{t}HZ") + table[first.end():]
    counter = iter(range(10**6))
    return _TBODY.sub(lambda b: _ROW.sub(lambda m: _marked_row(m.group(0), t, next(counter)),
                                         b.group(0)), table)


def marked_page(page: str) -> tuple[str, dict[int, int]]:
    """`page` with markers in its tables (not in its scripts), and each table's body-row count."""
    cut = page.find("<script")
    body, scripts = (page[:cut], page[cut:]) if cut >= 0 else (page, "")
    counts: dict[int, int] = {}

    def table(match) -> str:
        t = len(counts)
        counts[t] = sum(len(_ROW.findall(b)) for b in _TBODY.findall(match.group(0)))
        return _marked_table(match.group(0), t)

    return _TABLE.sub(table, body) + scripts, counts


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of `pdf` (pdftotext, reading order)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def row_pages(pdf: Path) -> tuple[dict, dict]:
    """Pages (1-based) of each marker in `pdf`: ({(table, row): pages}, {table: header pages})."""
    rows: dict[tuple[int, int], set[int]] = defaultdict(set)
    heads: dict[int, set[int]] = defaultdict(set)
    for number, text in enumerate(page_texts(pdf), start=1):
        for match in _MARKER.finditer(text):
            t = int(match.group(1))
            if match.group(2) == "H":
                heads[t].add(number)
            else:
                rows[(t, int(match.group(3)))].add(number)
    return dict(rows), dict(heads)


def break_problems(pdf: Path, counts: dict[int, int]) -> list[str]:
    """Every page-break fault of the marked, printed page (empty when there is none)."""
    rows, heads = row_pages(pdf)
    problems = []
    for t, n in counts.items():
        by_page: dict[int, list[int]] = defaultdict(list)
        for r in range(n):
            pages = rows.get((t, r))
            if not pages:
                problems.append(f"table {t} row {r}: not found in the PDF")
                continue
            if len(pages) > 1:
                problems.append(f"table {t} row {r}: split across pages {sorted(pages)}")
            by_page[min(pages)].append(r)
        for page, members in sorted(by_page.items()):
            if n > 1 and len(members) == 1:
                problems.append(f"table {t} ({n} rows): row {members[0]} alone on page {page}")
            if t in heads and page not in heads[t]:
                problems.append(f"table {t}: page {page} continues it without its header")
    return problems


def bound_inputs(page: str) -> list[str]:
    """What each slider or dropdown of the page's charts shows beside it: name and value, no spaces.

    Read from the Vega-Lite specs of the page's chart placeholders (``bind`` of each parameter).
    """
    shown = []
    for attr in re.findall(r'data-wb-spec="([^"]*)"', page):
        for param in _params(json.loads(html.unescape(attr))):
            bind = param.get("bind")
            if not isinstance(bind, dict) or "input" not in bind:
                continue
            value = param.get("value")
            if isinstance(value, float):
                value = f"{value:g}"
            if bind["input"] == "select" and bind.get("labels"):
                value = bind["labels"][bind["options"].index(value)]
            shown.append(re.sub(r"\s+", "", f"{bind.get('name', param['name'])}{value}"))
    return shown


def _params(spec):
    if isinstance(spec, dict):
        yield from (p for p in spec.get("params") or [] if isinstance(p, dict))
        for value in spec.values():
            yield from _params(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _params(value)
