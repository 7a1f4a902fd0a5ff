"""The bundled submissions (data/sample/submissions, written by ``make sample``) are what the
generator makes today, and the README's line merges them with every row accounted for."""

from __future__ import annotations

import re

import pytest

from workbench.reconcile import merge_ledgers
from workbench.sample import generate_sample, sample_config, write_sample_submissions

pytestmark = pytest.mark.slow


def test_bundled_submissions_are_a_fresh_generation(repo_root, tmp_path):
    bundled = repo_root / "data/sample/submissions"
    ledger = generate_sample(seed=2022, projects=200, year=2022)
    fresh = write_sample_submissions(ledger, tmp_path, county=sample_config()["county"]["name"])
    assert sorted(p.name for p in bundled.glob("*.xlsx")) == sorted(p.name for p in fresh)
    for path in fresh:
        assert (bundled / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_readme_merge_of_the_bundled_submissions(repo_root):
    readme = (repo_root / "README.md").read_text("utf-8")
    line = re.search(r"workbench merge (主台账\.xlsx 县\*.+?) --out", readme).group(1)
    folder = repo_root / "data/sample/submissions"
    paths = [p for word in line.split() for p in sorted(folder.glob(word))]
    assert paths[0].name == "主台账.xlsx" and len(paths) == len(list(folder.glob("*.xlsx")))
    merged = merge_ledgers(paths)
    assert merged.accounts["accounted"].all() and len(merged.accounts) == len(paths)
    assert (merged.accounts["linked"] > 0).all()
