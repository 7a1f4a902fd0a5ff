"""The analysts' what-if controls (ipywidgets; ``notebooks/what_if.ipynb``).

`whatif_controls` builds the sliders and lists, `scenario_from_values` turns their values into a
Scenario, `save_control` writes it as YAML and `live_comparison` redraws base vs scenario on
every change. ipywidgets is imported only when a control is built.
"""

from __future__ import annotations

import html
from pathlib import Path

from workbench.core.vocabulary import APPROVAL_ITEMS, FUNDING_SOURCES, OFFICES
from workbench.core.words import column_label, error_message, word
from workbench.exceptions import ScenarioError, WorkbenchError
from workbench.model.ledger import Ledger
from workbench.whatif.check import later_quarters, reserve_projects
from workbench.whatif.comparison_view import comparison_html
from workbench.whatif.scenario import ApprovalDelay, Scenario, save_scenario
from workbench.whatif.settings import settings


def scenario_from_values(name=None, slip_all=0, slip_offices=None, slip_office_months=0,
                         slip_projects=None, slip_project_months=0, shortfall_sources=None,
                         shortfall_percent=0, delay_item=None, delay_months=0,
                         forward_projects=None, forward_quarter=None, **weights) -> Scenario:
    """A Scenario from the controls' values (`workbench.present.widgets.values_of`); weights as
    ``w_<dimension>``."""
    unknown = [k for k in weights if not k.startswith("w_")]
    if unknown:
        raise ScenarioError(error_message("sc_unknown_controls", names=", ".join(sorted(unknown))),
                            field=sorted(unknown)[0])
    return Scenario(
        name=name or "scenario",
        slip_all=int(slip_all or 0),
        slip_by_office={o: int(slip_office_months) for o in slip_offices or ()} if slip_office_months else {},
        slip_by_project={p: int(slip_project_months) for p in slip_projects or ()} if slip_project_months else {},
        shortfall_by_source={s: float(shortfall_percent) for s in shortfall_sources or ()}
        if shortfall_percent else {},
        approval_delays=(ApprovalDelay(delay_item, int(delay_months)),) if delay_item and delay_months else (),
        bring_forward={p: forward_quarter for p in forward_projects or ()} if forward_quarter else {},
        weights={k[2:]: float(v) for k, v in weights.items() if v is not None},
    )


def whatif_controls(ledger: Ledger, rubric=None, as_of=None, lang: str = "zh") -> dict:
    """The analysts' controls, keyed by the parameters of `scenario_from_values`.

    Dropdowns and lists come from `workbench.present.widgets` (shared with the exploration notebook);
    sliders for months, percent and each rubric weight are added here.
    """
    import ipywidgets as ipw

    from workbench.present import widgets as w
    from workbench.scoring.rubric import as_rubric

    limit = int(settings()["limits"]["slip_months"])
    style = {"description_width": "14em"}

    def months(key: str) -> ipw.IntSlider:
        return ipw.IntSlider(0, 0, min(limit, 24), description=word(key, lang), style=style,
                             continuous_update=False, layout=ipw.Layout(width="auto"))

    reserve = reserve_projects(ledger, as_of)
    quarters = later_quarters(ledger, as_of)
    controls = {
        "name": ipw.Text(value="", description=word("whatif_scenario_name", lang), style=style,
                         layout=ipw.Layout(width="auto")),
        "slip_all": months("whatif_slip_all"),
        "slip_offices": w.multi_select("office", OFFICES, lang),
        "slip_office_months": months("whatif_slip_office"),
        "slip_projects": w.project_multi_select(ledger.projects, lang),
        "slip_project_months": months("whatif_slip_projects"),
        "shortfall_sources": w.multi_select("source", FUNDING_SOURCES, lang),
        "shortfall_percent": ipw.IntSlider(0, 0, 100, step=5, description=word("whatif_shortfall", lang),
                                           style=style, continuous_update=False,
                                           layout=ipw.Layout(width="auto")),
        "delay_item": w.dropdown("item", APPROVAL_ITEMS, lang),
        "delay_months": months("whatif_delay_months"),
        "forward_projects": w.project_multi_select(reserve, lang),
        "forward_quarter": w.dropdown("quarter", quarters, lang),
    }
    controls["forward_projects"].description = word("whatif_forward_projects", lang)
    controls["forward_quarter"].description = word("whatif_forward_quarter", lang)
    controls["delay_item"].description = word("whatif_delay_item", lang)
    controls["shortfall_sources"].description = word("whatif_shortfall_sources", lang)
    for dim, weight in as_rubric(rubric).weights().items():
        controls[f"w_{dim}"] = ipw.IntSlider(
            int(weight), 0, int(settings()["limits"]["weight"]),
            description=f"{column_label(dim, lang)} {word('whatif_weight', lang)}", style=style,
            continuous_update=False, layout=ipw.Layout(width="auto"))
    return controls


def save_control(controls: dict, folder: str | Path = "data/scenarios", lang: str = "zh"):
    """A file-name box and a "save scenario" button writing the controls' scenario as YAML."""
    import ipywidgets as ipw

    from workbench.present import widgets as w

    name = ipw.Text(value="scenario.yaml", description=word("whatif_scenario_file", lang),
                    layout=ipw.Layout(width="auto"))
    button = ipw.Button(description=word("whatif_save", lang), icon="save")
    message = ipw.HTML()

    def save(_button=None) -> Path | None:
        try:
            path = save_scenario(scenario_from_values(**w.values_of(controls)),
                                 Path(folder) / Path(name.value).name)
        except ScenarioError as exc:
            message.value = f"<span>{html.escape(str(exc))}</span>"
            return None
        message.value = html.escape(word("whatif_saved", lang).format(path=path))
        return path

    button.on_click(save)
    box = ipw.HBox([name, button, message])
    box.save = save  # callable from code and tests
    return box


def live_comparison(session, controls: dict, lang: str = "zh"):
    """An HTML widget showing the comparison of the controls' scenario, redrawn in place on
    every change (widget state, so it also updates in Voilà; a refused scenario shows why)."""
    import ipywidgets as ipw

    from workbench.present.widgets import values_of

    view = ipw.HTML(layout=ipw.Layout(width="100%"))

    def update(_change=None) -> None:
        try:
            comparison = session.run(scenario_from_values(**values_of(controls)))
        except WorkbenchError as exc:
            view.value = f'<p class="wb-note">{html.escape(str(exc))}</p>'
            return
        view.value = comparison_html(comparison, lang)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    view.update = update  # callable from code and tests
    return view
