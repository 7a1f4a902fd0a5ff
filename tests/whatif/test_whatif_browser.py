"""Real browser: the what-if panel, published like the report, re-ranks when a slider moves.

Headless Chromium is driven through its DevTools protocol (``--remote-debugging-port``) with
the `websocket-client` package; the page is made by `workbench.publish.notebook_html`, the same
path the quarterly review takes, so the panel draws from the one inline Vega bundle, offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.browser_cdp import Browser
from tests.whatif.small_ledger import small_ledger
from workbench.core.vocabulary import DIMENSIONS
from workbench.model.asof import default_as_of
from workbench.publish import notebook_html
from workbench.scoring import load_rubric, score
from workbench.whatif.outcome import reweighted
from workbench.whatif.panel import whatif_panel

websocket = pytest.importorskip("websocket", reason="websocket-client drives Chromium's DevTools")

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def panel_page(tmp_path_factory) -> Path:
    """An offline report page holding only the what-if panel (as the review notebook shows it)."""
    ledger = small_ledger()
    as_of = default_as_of(ledger)
    rubric = load_rubric()
    scores = score(ledger, as_of, rubric)
    chart = whatif_panel(ledger, scores.planning, rubric, as_of, top=6, max_slip=6)
    bundle = chart.to_dict()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("whatif_panel(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6.json": json.dumps(bundle)})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 情景推演"), cell]
    page = tmp_path_factory.mktemp("panel") / "panel.html"
    page.write_text(notebook_html(nb, title="what-if", lang="zh"), encoding="utf-8")
    return page


# The y-axis labels of the project and unit rankings, top to bottom (Vega moves labels, it
# does not reorder them in the DOM, so they are sorted by where they are drawn).
_RANKING = """(() => ['wb_whatif_projects_group', 'wb_whatif_units_group'].map(name =>
  [...document.querySelectorAll(`div.wb-chart svg g.${name} g[aria-label^="Y-axis"] g.role-axis-label text`)]
    .map(t => [t.getBoundingClientRect().top, t.textContent])
    .sort((a, b) => a[0] - b[0]).map(pair => pair[1])))()"""

_FORECAST_END = """(() => [...document.querySelectorAll('div.wb-chart svg g.role-mark text')]
  .map(t => t.textContent).filter(s => /^\\d+\\.\\d\\d$/.test(s)))()"""


def _expected_order(weights: dict) -> list[str]:
    """Project names by re-weighted score (ties by id), as the Python engine ranks them."""
    ledger = small_ledger()
    rubric = load_rubric()
    planning = reweighted(score(ledger, default_as_of(ledger), rubric).planning, rubric, weights)
    names = ledger.projects.set_index("project_id")["name"]
    ranked = planning.assign(score=planning["score"].round(1)).sort_values(
        ["score", "project_id"], ascending=[False, True])
    return [names[p] for p in ranked["project_id"]]


def _move(name: str, value: int) -> str:
    return f"""(() => {{
      const el = document.querySelector('input[name="{name}"]');
      el.value = '{value}';
      el.dispatchEvent(new Event('input', {{bubbles: true}}));
      el.dispatchEvent(new Event('change', {{bubbles: true}}));
      return el.value;
    }})()"""


def test_moving_a_weight_slider_reranks_projects_and_a_slip_moves_the_forecast(panel_page, chromium, tmp_path):
    browser = Browser(chromium, tmp_path / "profile")
    try:
        browser.call("Network.enable")
        browser.call("Page.enable")
        browser.call("Page.navigate", url=panel_page.as_uri())
        browser.wait_for("document.querySelector('div.wb-chart[data-wb-drawn]') !== null")
        assert browser.js("document.body.innerText.includes('Error loading script')") is False
        sliders = browser.js("[...document.querySelectorAll('input[type=range]')].map(e => e.name)")
        assert {"w_approvals", "w_funding", "slip"} <= set(sliders)
        before = browser.js(_RANKING)
        assert len(before) == 2 and len(before[0]) == 6  # projects, units
        end_before = browser.js(_FORECAST_END)

        assert before[0] == _expected_order({})

        # weigh schedule credibility only: projects re-rank as whatif.reweighted ranks them
        weights = {d: 0 for d in DIMENSIONS} | {"schedule": 50}
        for dim, weight in weights.items():
            browser.js(_move(f"w_{dim}", weight))
        after = browser.wait_for(f"(() => {{ const r = {_RANKING}; "
                                 f"return JSON.stringify(r) !== {json.dumps(json.dumps(before))} && r; }})()")
        assert after[0] != before[0]
        assert after[0] == _expected_order(weights)
        assert after[1] != before[1]  # the units move too

        browser.js(_move("slip", 6))
        end_after = browser.wait_for(f"(() => {{ const e = {_FORECAST_END}; "
                                     f"return JSON.stringify(e) !== {json.dumps(json.dumps(end_before))} && e; }})()")
        assert float(end_after[0]) < float(end_before[0])

        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
        assert requests and all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    finally:
        browser.close()
