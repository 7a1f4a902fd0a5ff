"""The floor plan holds: imports point downward, no cycles, small modules, thin notebooks.

Every import in the package counts, including those inside functions: an import deferred for
speed is still a dependency. A failure names both modules, so the fix is obvious.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.core.layers import LAYERS, layer_of

PACKAGE = ROOT / "workbench"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    """Dotted name → file of every module in the package (packages by their __init__)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _facade_exports() -> dict[str, dict[str, str]]:
    """Package → {public name → defining module}, read from each facade's ``_EXPORTS``."""
    exports = {}
    for module, path in MODULES.items():
        if path.name != "__init__.py":
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            if (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_EXPORTS"
                                                     for t in node.targets)):
                exports[module] = ast.literal_eval(node.value)
    return exports


FACADES = _facade_exports()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported workbench module, line, inside a function) for every import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            targets = []
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package
                    for _ in range(child.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES
                           else FACADES.get(base, {}).get(a.name, base) for a in child.names]
            for target in targets:
                if target == "workbench" or target.startswith("workbench."):
                    resolved = _resolve(target)
                    if resolved and resolved != module:
                        found.append((resolved, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _part(module: str) -> str | None:
    """The subpackage (or top-level module) a module belongs to; None for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layering_violations(modules: dict[str, Path] = MODULES) -> list[str]:
    """Every import that points upward or sideways, as 'a (line n) imports b: why'."""
    problems = []
    for module, path in sorted(modules.items()):
        own = _part(module)
        if own is None:  # the top-level facade re-exports from every layer by name
            continue
        for target, line, in_function in imports_of(module, path):
            other = _part(target)
            where = f"{module} (line {line}{', inside a function' if in_function else ''})"
            if other is None:
                problems.append(f"{where} imports the top-level package workbench: "
                                f"import from the subpackage that defines the name")
            elif target == f"workbench.{own}" and module != target:
                problems.append(f"{where} imports its own facade workbench.{own}: "
                                f"import the module that defines the name")
            elif other != own and layer_of(other) >= layer_of(own):
                kind = "a sibling" if layer_of(other) == layer_of(own) else "a layer above"
                problems.append(f"{where} imports {target}, {kind} ({other} is not below {own})")
    return problems


def import_cycles(modules: dict[str, Path] = MODULES) -> list[list[str]]:
    """Strongly connected groups of modules (more than one) in the full import graph.

    A facade's edges to its own children are left out: re-exporting is not depending.
    """
    edges = {m: set() for m in modules}
    for module, path in modules.items():
        for target, _, _ in imports_of(module, path):
            facade = path.name == "__init__.py" and target.startswith(module + ".")
            if not facade and not module.startswith(target + "."):
                edges[module].add(target)
    index, low, stack, on, groups = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return groups


def test_every_subpackage_is_in_a_layer():
    parts = {_part(m) for m in MODULES} - {None}
    for part in parts:
        layer_of(part)  # KeyError names the stray one
    assert {p for names in LAYERS for p in names} >= parts


def test_imports_point_downward_including_those_inside_functions():
    problems = layering_violations()
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_the_layering_check_catches_an_upward_import(tmp_path):
    """The check is not vacuous: an upward import inside a function is reported by name."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from workbench.publish import publish_reports\n", "utf-8")
    problems = layering_violations({"workbench.model.bad": bad})
    assert len(problems) == 1
    assert "workbench.model.bad" in problems[0] and "workbench.publish" in problems[0]


def test_no_import_cycles_counting_imports_inside_functions():
    cycles = import_cycles()
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_no_module_is_longer_than_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


#: Top-level modules (not subpackages): the exceptions, the command line and its merge command.
_MODULE_PARTS = {"exceptions", "cli"}


@pytest.mark.parametrize("part", sorted({p for names in LAYERS for p in names} - _MODULE_PARTS))
def test_each_subpackage_says_what_it_does_and_what_it_may_import(part):
    init = PACKAGE / part / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
    assert "rely on this" in doc, f"workbench.{part}: the docstring says what others rely on it for"
    assert "may import" in doc, f"workbench.{part}: the docstring says what it may import"


def _public_modules() -> set[str]:
    return {"workbench"} | {f"workbench.{p}" for names in LAYERS for p in names}


@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_notebooks_import_only_public_entry_points(notebook):
    cells = json.loads((ROOT / "notebooks" / notebook).read_text("utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name.split(".")[0] == "workbench":
                assert name in _public_modules(), f"{notebook} imports {name}: use its facade"


def test_public_names_stay_functions_whatever_was_imported_before():
    """``import workbench.x`` binds the submodule on the package: no public name may be shadowed."""
    import importlib

    import workbench

    for module in MODULES:
        if module != "workbench":
            importlib.import_module(module)
    for name in workbench.__all__:
        value = getattr(workbench, name)
        assert not isinstance(value, type(workbench)), f"workbench.{name} is a module"
    from workbench import export

    assert callable(export)
