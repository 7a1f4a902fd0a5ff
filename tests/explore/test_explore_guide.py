"""The README's "Analyst's guide" code answers the leader's questions on the bundled sample."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = ROOT / "README.md"


def _guide_code() -> str:
    text = README.read_text("utf-8")
    match = re.search(r"^## Analyst's guide.*?(?=^## |\Z)", text, re.S | re.M)
    assert match, "README.md has no \"## Analyst's guide\" section"
    blocks = re.findall(r"```python\n(.*?)```", match.group(0), re.S)
    assert len(blocks) >= 3, "the guide answers its questions in code"
    return "\n".join(blocks)


def test_the_analysts_guide_runs_on_the_sample(tmp_path, sample_path, monkeypatch):
    import functools

    import workbench.publish
    from workbench.publish.brief import unit_brief

    monkeypatch.chdir(ROOT)
    briefs = tmp_path / "briefs"  # the guide's briefs go here, not into the checkout's reports/
    monkeypatch.setattr(workbench.publish, "unit_brief", functools.partial(unit_brief, out=briefs))
    code = _guide_code().replace('"reports/', f'"{tmp_path}/')
    namespace: dict = {}
    exec(compile(code, "README.md (Analyst's guide)", "exec"), namespace)  # noqa: S102
    behind = namespace["behind"]
    assert set(behind["rag"]) <= {"red", "amber"}
    assert behind["points_vs_elapsed"].is_monotonic_increasing
    assert sorted(p.suffix for p in tmp_path.iterdir() if p.is_file()) == [".xlsx", ".xlsx"]
    assert [p.name for p in briefs.iterdir()] == ["县卫健委.html"]
