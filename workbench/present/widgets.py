"""Shared ipywidgets controls (labelled in Chinese or English) and a tiny binding helper.

Used by the exploration notebook and the what-if notebook alike:

>>> from workbench.present import widgets as w
>>> controls = w.filter_controls(ledger)                      # office, unit, level, stage, band, RAG, search
>>> out = w.bind(controls, lambda **f: ledger.filter(**f))    # re-renders on every change
>>> w.panel(controls, out)                                    # doctest: +SKIP

`bind` works for any controls (sliders too): the callback receives each control's value by its
name, with "all" / empty choices passed as None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from workbench.core.vocabulary import BANDS, FILTER_COLUMNS, LEVELS, OFFICES, RAGS, STAGES
from workbench.core.words import check_lang, column_label, error_message, value_label, word
from workbench.exceptions import ParameterError, WorkbenchError

#: Fixed choices of the closed fields, in display order.
FIELD_CHOICES = {"office": OFFICES, "level": LEVELS, "stage": STAGES, "band": BANDS, "rag": RAGS}
#: Width of a control's description so panels line up.
DESCRIPTION_WIDTH = "6em"


def choices(values: Iterable, lang: str = "zh", all_option: bool = True) -> list[tuple[str, object]]:
    """(label, value) options for a Dropdown/SelectMultiple; "all" (value None) first if asked."""
    options = [(str(value_label(v, lang)), v) for v in values]
    return ([(word("ui_all", lang), None)] if all_option else []) + options


def field_values(field: str, projects: pd.DataFrame | None = None) -> tuple:
    """The choices of a filter field: fixed domain values, or the values found in `projects`.

    Raises ParameterError for a field that is neither a filter field nor a column of `projects`,
    or whose choices must be read from projects that were not given.
    """
    if field in FIELD_CHOICES:
        return tuple(FIELD_CHOICES[field])
    column = FILTER_COLUMNS.get(field, field)
    if projects is None:
        raise ParameterError(error_message("widget_needs_projects", name=field), field=field)
    if column not in projects.columns:
        raise ParameterError(
            error_message("widget_unknown_field", value=field, valid=", ".join(FILTER_COLUMNS)),
            field=field,
        )
    return tuple(sorted(projects[column].dropna().unique()))


def _style() -> dict:
    return {"description_width": DESCRIPTION_WIDTH}


def dropdown(field: str, values: Iterable, lang: str = "zh", all_option: bool = True,
             value=None) -> widgets.Dropdown:
    """A labelled single-choice dropdown of `values` ("all" first, meaning no filter)."""
    check_lang(lang)
    return widgets.Dropdown(
        options=choices(values, lang, all_option),
        value=value,
        description=column_label(FILTER_COLUMNS.get(field, field), lang),
        style=_style(),
        layout=widgets.Layout(width="auto"),
    )


def multi_select(field: str, values: Iterable, lang: str = "zh", rows: int = 4,
                 value: tuple = ()) -> widgets.SelectMultiple:
    """A labelled multi-choice list of `values` (nothing selected means no filter)."""
    check_lang(lang)
    return widgets.SelectMultiple(
        options=choices(values, lang, all_option=False),
        value=tuple(value),
        rows=rows,
        description=column_label(FILTER_COLUMNS.get(field, field), lang),
        style=_style(),
        layout=widgets.Layout(width="auto"),
    )


def search_box(lang: str = "zh", value: str = "") -> widgets.Text:
    """A search box for part of a project name (updates when Enter is pressed or focus leaves)."""
    check_lang(lang)
    return widgets.Text(
        value=value,
        placeholder=word("ui_search_hint", lang),
        description=word("ui_search", lang),
        continuous_update=False,
        style=_style(),
        layout=widgets.Layout(width="auto"),
    )


def project_options(projects: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(name（code）, project_id) options of a project picker, a blank choice first."""
    return [("", None)] + [
        (f"{name}（{pid}）", pid) for pid, name in zip(projects["project_id"], projects["name"], strict=True)
    ]


def project_picker(projects: pd.DataFrame, lang: str = "zh") -> widgets.Dropdown:
    """A dropdown of projects by name and code (value: project_id, None when nothing is chosen)."""
    check_lang(lang)
    return widgets.Dropdown(
        options=project_options(projects),
        value=None,
        description=column_label("name", lang),
        style=_style(),
        layout=widgets.Layout(width="auto"),
    )


def project_multi_select(projects: pd.DataFrame, lang: str = "zh", rows: int = 6
                         ) -> widgets.SelectMultiple:
    """A multi-choice list of projects by name and code (value: a tuple of project_ids)."""
    check_lang(lang)
    return widgets.SelectMultiple(
        options=project_options(projects)[1:],
        rows=rows,
        description=column_label("name", lang),
        style=_style(),
        layout=widgets.Layout(width="auto"),
    )


def filter_controls(ledger, lang: str = "zh", fields: Iterable[str] = tuple(FILTER_COLUMNS),
                    multi: bool = False) -> dict[str, widgets.Widget]:
    """Controls for the filters of `Ledger.filter`, keyed by its parameter names.

    Dropdowns by default (``multi=True`` gives multi-selects); ``name_contains`` is a search box.
    """
    controls: dict[str, widgets.Widget] = {}
    for field in fields:
        if field == "name_contains":
            controls[field] = search_box(lang)
            continue
        values = field_values(field, ledger.projects)
        controls[field] = multi_select(field, values, lang) if multi else dropdown(field, values, lang)
    return controls


def values_of(controls: dict[str, widgets.Widget]) -> dict:
    """Each control's value by name; "all", "" and empty selections become None."""
    out = {}
    for name, control in controls.items():
        value = control.value
        if value == "" or value == ():
            value = None
        elif isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out


def bind(controls: dict[str, widgets.Widget], render: Callable[..., object],
         output: widgets.Output | None = None, run_now: bool = True) -> widgets.Output:
    """Call ``render(**values_of(controls))`` on every change and show its result in `output`.

    A WorkbenchError raised by `render` is shown as its message instead of a traceback.
    Returns the Output widget (a new one unless given).
    """
    out = output if output is not None else widgets.Output()

    def update(_change=None) -> None:
        with out:
            out.clear_output(wait=True)
            try:
                result = render(**values_of(controls))
            except WorkbenchError as exc:
                print(exc)
                return
            if result is not None:
                display(result)

    for control in controls.values():
        control.observe(update, names="value")
    if run_now:
        update()
    return out


def panel(controls: dict[str, widgets.Widget], *outputs: widgets.Widget, columns: int = 4
          ) -> widgets.VBox:
    """The controls laid out in a grid of `columns`, followed by the outputs."""
    grid = widgets.GridBox(
        list(controls.values()),
        layout=widgets.Layout(grid_template_columns=f"repeat({columns}, minmax(12em, 1fr))",
                              grid_gap="4px 12px"),
    )
    return widgets.VBox([grid, *outputs])
