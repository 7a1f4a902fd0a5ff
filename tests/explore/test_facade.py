"""The explore facade: every public name resolves, and no submodule can shadow one.

``import workbench.explore.x`` binds module ``x`` on the package. Were a module named like a
public function (``export.py``, ``overview.py``), ``from workbench.explore import export`` would
hand back the module once anything had imported it; the same holds one floor up for
``workbench.export``.
"""

from __future__ import annotations

import importlib
import pkgutil
import types

import workbench
import workbench.explore as explore


def _import_every_submodule() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(explore.__path__)]
    for name in names:
        importlib.import_module(f"workbench.explore.{name}")
    importlib.import_module("workbench.present.export")
    return names


def test_no_submodule_is_named_like_a_public_name():
    names = _import_every_submodule()
    assert not set(names) & set(explore._EXPORTS), "a submodule shadows a public name"
    assert not (set(names) & set(workbench._EXPORTS))


def test_public_names_are_the_functions_whatever_was_imported_before():
    _import_every_submodule()
    for name in explore.__all__:
        assert not isinstance(getattr(explore, name), types.ModuleType), name
    from workbench import export
    from workbench.explore import export as explore_export
    from workbench.explore.spreadsheet import export as defined

    assert export is explore_export is defined
    assert workbench.export is defined
    top = {m.name for m in pkgutil.iter_modules(workbench.__path__)}
    assert "export" not in top, "a module workbench/export.py would shadow workbench.export"


def test_the_top_level_names_of_explore_come_from_its_modules():
    for name in ("project_card", "lagging", "overview", "export"):
        assert getattr(workbench, name) is getattr(explore, name)
        assert workbench._EXPORTS[name] == explore._EXPORTS[name]
