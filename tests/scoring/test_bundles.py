"""Scores, the quarterly review, the explorer and what-if count a bundled project (打捆) once."""

from __future__ import annotations

import pytest

from workbench.explore.project_list import project_table
from workbench.review.quarterly import review_of
from workbench.sample.generate import generate_sample
from workbench.scoring import score
from workbench.whatif.outcome import evaluate


@pytest.fixture(scope="module")
def bundled():
    small = generate_sample(seed=7, projects=20)
    p = small.projects.copy()
    p.loc[[1, 2], "parent_id"] = p.at[0, "project_id"]  # project 0 a bundle of 1 and 2
    return small.replace(projects=p)


def test_scores_reviews_explorer_and_whatif_count_a_bundle_once(bundled):
    counted = bundled.counted()
    parts = set(bundled.projects["project_id"].iloc[[1, 2]])
    scores = score(bundled, "2022-06-30")
    assert set(scores.planning["project_id"]) == set(counted.projects["project_id"])
    assert not parts & set(scores.delivery["project_id"])
    review = review_of(bundled, "2022Q2", scores)
    listed = counted.projects[counted.projects["annual_plan"] > 0]
    assert review.headline["total_investment"] == pytest.approx(listed["total_investment"].sum())
    assert review.headline["projects"] == len(listed)
    assert not parts & set(project_table(bundled, scores)["project_id"])
    assert len(evaluate(bundled, "2022-06-30").ledger.projects) == len(bundled.projects) - 2
