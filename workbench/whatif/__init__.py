"""What-if: scenarios as data, applied to a Ledger, compared with the base, shown with sliders.

A `Scenario` is data (YAML); `apply` makes a new Ledger; `compare` returns the deltas. Its levers:

- **start slips** in months, for every project (``slip_all``) or by project, office, sector or
  responsible unit: a project not yet started moves its planned start and completion and
  re-spreads the rest of its year on the S-curve (`respread`); the largest of several slips
  naming one project applies.
- **funding shortfall** in percent by source: that source's funding shrinks, and each project's
  remaining plan by the shortfall's share of its funding (100 % of a sole source stops it).
- **approval delays** (months, by approval item, optionally for one project): every project
  whose item is still pending slips its start by the delay.
- **bring forward**: a reserve project (储备库: 谋划/储备, not started) starts in the first month
  of the named quarter; its investment in the year is its total's S-curve share.
- **rubric weights**: new weights (points) for the planning-quality dimensions; scores, bands
  and ranks are recomputed with them.

Months up to ``as_of`` (by default `workbench.model.asof.default_as_of`) are history and are
never changed.

The modules, along the flow: ``settings`` (config/whatif.yaml) → ``scenario`` (the data, its
value checks and YAML) → ``check`` (a scenario against a ledger; what may be brought forward) →
``project_effects`` (per project: slip, funding kept, stopped) → ``forecast`` (the year per project and
month by month) → ``respread`` (the S-curve) → ``applied`` (the scenario's tables, a new
Ledger) → ``outcome`` (scored and forecast, re-weighted) → ``starts`` (quarter start rates) →
``comparison`` (base vs scenario) → ``session`` (`WhatIf`); shown by ``comparison_view``
(tables, chart, HTML, text), ``panel`` (the leaders' offline Vega-Lite panel), ``controls``
(the analysts' ipywidgets) and ``report`` (the quarterly review's what-if part).

Other modules rely on this for `Scenario`, `load_scenario` and `check_scenario` (the report
checks a scenario before any kernel starts), `apply`, `compare`, `compare_files` and
`comparison_text` (the ``workbench whatif`` command), the `WhatIf` session, the widget controls
and the report's offline panel. It may import ``exceptions``, ``core``, ``present``, ``model``,
``ingest``, ``scoring`` and ``sample`` (every layer below ``review | explore | whatif``), never
``review`` or ``explore``.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    # the scenario as data
    "Scenario": "workbench.whatif.scenario",
    "ApprovalDelay": "workbench.whatif.scenario",
    "load_scenario": "workbench.whatif.scenario",
    "save_scenario": "workbench.whatif.scenario",
    "scenario_from_dict": "workbench.whatif.scenario",
    "check_scenario": "workbench.whatif.check",
    "reserve_projects": "workbench.whatif.check",
    # applying, forecasting, comparing
    "effects": "workbench.whatif.project_effects",
    "apply": "workbench.whatif.applied",
    "scenario_tables": "workbench.whatif.applied",
    "year_forecast": "workbench.whatif.forecast",
    "forecast_curve": "workbench.whatif.forecast",
    "evaluate": "workbench.whatif.outcome",
    "Outcome": "workbench.whatif.outcome",
    "compare": "workbench.whatif.comparison",
    "compare_files": "workbench.whatif.comparison",
    "Comparison": "workbench.whatif.comparison",
    "WhatIf": "workbench.whatif.session",
    # showing it
    "comparison_text": "workbench.whatif.comparison_view",
    "comparison_html": "workbench.whatif.comparison_view",
    "whatif_controls": "workbench.whatif.controls",
    "save_control": "workbench.whatif.controls",
    "scenario_from_values": "workbench.whatif.controls",
    "live_comparison": "workbench.whatif.controls",
    "whatif_panel": "workbench.whatif.panel",
    "report_section": "workbench.whatif.report",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
