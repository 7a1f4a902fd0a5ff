"""The repository itself: layout, pinned environments, notebooks without outputs."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _runtime_deps() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def test_top_level_layout_is_what_the_user_asked_for():
    for name in ("notebooks", "workbench", "data", "reports", "tests", "benchmarks", ".ci"):
        assert (ROOT / name).is_dir(), name
    for name in ("environment.yml", "pyproject.toml", "Makefile", "README.md", ".ci/run"):
        assert (ROOT / name).is_file(), name


def test_environment_yml_names_the_same_runtime_dependencies_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    assert "conda-forge" in env["channels"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[-1] == "-e ."
    names = {_name(d) for d in conda} - {"python", "pip"}
    names |= {_name(d) for d in pip_section[:-1]}
    assert names == _runtime_deps()


def test_every_runtime_dependency_is_pinned_in_the_constraints_file():
    pinned = {
        _name(line): line.split("==", 1)[1].strip()
        for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    missing = _runtime_deps() - set(pinned)
    assert not missing, f"not pinned in constraints.txt: {sorted(missing)}"
    assert pinned["pandas"].startswith("3."), "the workbench is built for pandas 3"


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("**/*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        nb = json.loads(path.read_text("utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{path.name} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} has execution counts"


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make report" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_public_name_of_the_package_resolves():
    import workbench

    for name in workbench.__all__:
        assert getattr(workbench, name) is not None, name


def test_nothing_in_the_repository_points_outside_it():
    """Docs and comments cite docs/, never notes kept beside the repository."""
    outside = ("DOMAIN" + ".md", "../" + "shared")  # spelled apart so this file does not match
    offenders = []
    for path in ROOT.rglob("*"):
        if (path.suffix not in {".py", ".md", ".yaml", ".yml", ".ipynb", ".toml", ".cfg"}
                or any(part in {".venv", ".git", "node_modules"} for part in path.parts)):
            continue
        text = path.read_text("utf-8", errors="ignore")
        if any(word in text for word in outside):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"files pointing outside the repository: {offenders}"


def test_the_readmes_whatif_example_runs_as_written():
    import re

    from typer.testing import CliRunner

    from workbench.cli import app

    line = next(x for x in (ROOT / "README.md").read_text("utf-8").splitlines()
                if x.startswith("workbench whatif"))
    scenario = re.search(r"(data/scenarios/\S+\.yaml)", line).group(1)
    result = CliRunner().invoke(app, ["whatif", str(ROOT / scenario), "--ledger",
                                      str(ROOT / "data/sample/neixiang_2022_ledger.xlsx")])
    assert result.exit_code == 0, result.output
    assert "开工延后与专项债缺口" in result.output and "推迟开工项目数" in result.output
