"""The unit brief of the analyst's guide: ``notebooks/explore.ipynb`` for one unit, as one page.

Chinese by default (``lang="en"`` for English): every heading comes from labels.yaml. The page
is the same offline page as the quarterly review's (`notebook_html`): no code, charts drawn by
one inline Vega bundle, widgets replaced by a line saying where they work, nothing loaded from
elsewhere (a page that would is refused).

>>> from workbench.publish import unit_brief
>>> unit_brief("县卫健委")                   # reports/县卫健委.html  # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workbench.core.paths import REPO_ROOT, resolved_path
from workbench.core.words import check_lang, error_message, word
from workbench.exceptions import ParameterError
from workbench.publish.execute import Log, run_notebook, stderr_log
from workbench.publish.offline_html import notebook_html
from workbench.publish.params import check_scope, notebook_parameters

#: The notebook a brief is rendered from.
BRIEF_NOTEBOOK = REPO_ROOT / "notebooks" / "explore.ipynb"


def brief_name(unit: str = "", office: str = "", lang: str = "zh") -> str:
    """Whom a brief is about, as its file's stem: the unit, else the office, else the county."""
    name = unit or office or word("brief_county", check_lang(lang))
    if not name.strip() or any(c in name for c in "/\\\0") or name.strip(".") == "":
        raise ParameterError(error_message("brief_name", value=name), field="unit", value=name)
    return name


def unit_brief(
    unit: str = "",
    ledger_path: str | Path | None = None,
    *,
    out: str | Path = "reports",
    lang: str = "zh",
    office: str = "",
    as_of: str = "",
    project: str = "",
    notebook: str | Path = BRIEF_NOTEBOOK,
    progress: bool | None = False,
    log: Log = stderr_log,
) -> Path:
    """Render the brief of `unit` (or `office`, or the county) to ``out/<name>.html``; its path.

    An office or unit the ledger does not hold is refused before any kernel starts, with the
    ones it holds (ParameterError)."""
    name = brief_name(unit, office, lang)
    parameters = {"unit": unit, "office": office, "as_of": as_of, "project": project,
                  "lang": lang}
    if ledger_path is None:
        ledger_path = notebook_parameters(notebook)["ledger_path"].default
    parameters["ledger_path"] = str(resolved_path(ledger_path).resolve())
    if unit or office:
        from workbench.ingest import load_ledger

        check_scope(load_ledger(parameters["ledger_path"]), parameters,
                    parameters["ledger_path"], lang)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".brief-", dir=out) as tmp:
        nb = run_notebook(Path(notebook), Path(tmp) / "brief.ipynb", parameters,
                          progress=progress, log=log)
        title = word("brief_title", lang, who=name)
        page = Path(tmp) / "brief.html"
        page.write_text(notebook_html(nb, title=title, lang=lang), encoding="utf-8")
        target = out / f"{name}.html"
        os.replace(page, target)
    return target
