"""The exploration notebook executes under papermill: on the whole sample and as a one-unit brief."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"

papermill = pytest.importorskip("papermill")


def _run(tmp_path, **parameters) -> dict:
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, kernel_name="workbench", cwd=str(ROOT),
        progress_bar=False, execution_timeout=300, start_timeout=120,
    )
    return json.loads(out.read_text("utf-8"))


def _outputs(nb: dict) -> list[dict]:
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def _html(nb: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in _outputs(nb))


def test_notebook_is_committed_without_outputs_and_runs_on_the_workbench_kernel():
    nb = json.loads(NOTEBOOK.read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "workbench"
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in nb["cells"] if c["cell_type"] == "code")
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert set(papermill.inspect_notebook(str(NOTEBOOK))) >= {"ledger_path", "unit", "office", "lang"}


@pytest.mark.slow
def test_notebook_runs_on_the_sample(tmp_path, sample_path):
    nb = _run(tmp_path, ledger_path=str(sample_path))
    assert not [o for o in _outputs(nb) if o["output_type"] == "error"]
    page = _html(nb)
    for text in ("重点项目台账", "已选项目", "<svg", "基本情况", "月度计划与完成", "扣分原因"):
        assert text in page, text
    widget_views = [o for o in _outputs(nb)
                    if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widget_views, "the interactive panel is a widget"


@pytest.mark.slow
def test_notebook_renders_a_static_brief_for_one_unit(tmp_path, sample_path):
    from workbench.ingest.load import load_ledger

    projects = load_ledger(sample_path).projects
    unit = projects["responsible_unit"].value_counts().index[0]
    mine = projects[projects["responsible_unit"] == unit]
    saved = tmp_path / "brief.xlsx"
    nb = _run(tmp_path, ledger_path=str(sample_path), unit=unit, export_to=str(saved))
    assert not [o for o in _outputs(nb) if o["output_type"] == "error"]
    page = _html(nb)
    assert f"已选项目: {len(mine)}<" in page
    others = projects.loc[projects["responsible_unit"] != unit, "project_id"]
    assert not [pid for pid in others if pid in page], "only the unit's projects are shown"
    exported = pd.read_excel(saved, sheet_name="项目", engine="openpyxl")
    assert set(exported["责任单位"]) == {unit}
    assert sorted(exported["项目代码"]) == sorted(mine["project_id"])
