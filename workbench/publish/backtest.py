"""The back-test page: ``notebooks/backtest.ipynb`` for one portfolio, as one offline page.

The same offline page as the quarterly review's (`notebook_html`): no code, the chart drawn by
one inline Vega bundle, nothing loaded from elsewhere; written atomically.

>>> backtest_page("nyc", "data/reference/nyc/NYC_capital_projects_20190901.csv",
...               "reports/backtest_nyc.html")            # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workbench.core.paths import REPO_ROOT, resolved_path
from workbench.core.words import check_lang, phrase
from workbench.publish.execute import Log, run_notebook, stderr_log
from workbench.publish.offline_html import notebook_html

#: The notebook a back-test page is rendered from.
BACKTEST_NOTEBOOK = REPO_ROOT / "notebooks" / "backtest.ipynb"


def backtest_page(profile: str, path, out, *, lang: str = "zh", planning: bool = True, command: str = "",
                  notebook: str | Path = BACKTEST_NOTEBOOK, progress: bool | None = False,
                  log: Log = stderr_log) -> Path:
    """Render the back-test of the panel at `path` read through `profile` to the page `out`."""
    check_lang(lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    parameters = {"profile": str(profile), "path": str(resolved_path(path).resolve()), "lang": lang,
                  "planning": bool(planning), "command": command}
    with tempfile.TemporaryDirectory(prefix=".backtest-", dir=out.parent) as tmp:
        nb = run_notebook(Path(notebook), Path(tmp) / "backtest.ipynb", parameters,
                          progress=progress, log=log)
        page = Path(tmp) / "backtest.html"
        page.write_text(notebook_html(nb, title=phrase("bt_title", lang, name=profile), lang=lang),
                        encoding="utf-8")
        os.replace(page, out)
    return out
