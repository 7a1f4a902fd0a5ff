"""Property tests of the scores on generated ledgers (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.scoring_fixtures import as_of_dates, ledgers
from workbench.core.vocabulary import BANDS, DIMENSIONS
from workbench.scoring.rubric import load_rubric
from workbench.scoring.scores import score

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RUBRIC = load_rubric()

#: Twenty generated ledgers a property: 2–4 s each.
pytestmark = pytest.mark.slow


@SETTINGS
@given(ledger=ledgers(), as_of=as_of_dates)
def test_every_score_is_within_its_bounds(ledger, as_of):
    s = score(ledger, as_of)
    for d in DIMENSIONS:
        assert s.planning[d].between(0, RUBRIC.weight(d)).all(), d
    assert s.planning["score"].between(0, 100).all()
    assert s.planning["band"].isin(BANDS).all()
    assert (s.reasons["points_lost"] > 0).all()
    d = s.delivery
    assert (d["spi"].dropna() >= 0).all()
    assert d["elapsed_share"].between(0, 1).all()
    assert d["rag"].dropna().isin(["green", "amber", "red"]).all()
    assert d["rag"].isna().eq(d["ytd_planned"] == 0).all()
    units = s.units
    assert units["total"].dropna().between(0, 100).all()
    ranked = units["rank"].dropna()
    assert ranked.between(1, len(units)).all()
    # a unit is unranked only when it is the unassigned group or has no investment data
    no_data = units["assessment_note"].eq("data_missing")
    assert (units["rank"].isna() == (no_data | units["responsible_unit"].eq("未明确"))).all()
    assert units.loc[no_data, "total"].isna().all()


@SETTINGS
@given(ledger=ledgers(), as_of=as_of_dates)
def test_dimension_scores_add_to_the_total(ledger, as_of):
    p = score(ledger, as_of).planning
    assert np.allclose(p[list(DIMENSIONS)].sum(axis=1), p["score"], atol=1e-9)


def test_the_generator_makes_reasons_worth_a_tenth_of_a_point():
    """Without them, dropping 0.1-point reasons passed the property below (issue 14)."""
    seen = []

    # derandomized: the same 30 examples every run, so the count cannot flake (a random draw
    # once found reasons of 0.1 point in only 2 of 20 examples)
    @settings(max_examples=30, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(ledger=ledgers(), as_of=as_of_dates)
    def count(ledger, as_of):
        seen.append(int((score(ledger, as_of).reasons["points_lost"] == 0.1).sum()))

    count()
    assert sum(seen) > 0 and sum(1 for n in seen if n) >= 3, seen


@SETTINGS
@given(ledger=ledgers(), as_of=as_of_dates)
def test_reasons_add_up_to_the_points_lost(ledger, as_of):
    s = score(ledger, as_of)
    event(f"reasons worth 0.1 point: {'some' if (s.reasons['points_lost'] == 0.1).any() else 'none'}")
    lost = s.reasons.groupby("project_id")["points_lost"].sum()
    lost = lost.reindex(s.planning["project_id"], fill_value=0.0).to_numpy()
    assert np.allclose(lost, 100 - s.planning["score"].to_numpy(), atol=1e-9)
    by_dim = s.reasons.groupby(["project_id", "dimension"], observed=True)["points_lost"].sum()
    for d in DIMENSIONS:
        lost_d = by_dim.xs(d, level="dimension") if d in by_dim.index.get_level_values(1) else None
        lost_d = (pd.Series(dtype=float) if lost_d is None else lost_d).reindex(
            s.planning["project_id"], fill_value=0.0).to_numpy()
        assert np.allclose(lost_d, RUBRIC.weight(d) - s.planning[d].to_numpy(), atol=1e-9), d
    assert s.reasons["message_zh"].astype(str).str.len().gt(0).all()
    assert s.reasons["message_en"].astype(str).str.len().gt(0).all()


@SETTINGS
@given(ledger=ledgers(), as_of=as_of_dates, data=st.data())
def test_adding_an_approval_never_lowers_the_approvals_score(ledger, as_of, data):
    p = ledger.projects
    pid = data.draw(st.sampled_from(list(p["project_id"])))
    have = set(ledger.approvals.loc[ledger.approvals["project_id"] == pid, "item"])
    missing = [i for i in ("立项", "用地", "规划", "环评", "能评", "施工许可") if i not in have]
    if not missing:
        return
    item = data.draw(st.sampled_from(missing))
    status = data.draw(st.sampled_from(["done", "in_progress", "not_started", "not_required"]))
    approved = data.draw(st.sampled_from([None, "2021-06-01", "2022-06-01", "2023-06-01"]))
    expires = data.draw(st.sampled_from([None, "2022-03-01", "2024-01-01"]))
    row = pd.DataFrame([dict(project_id=pid, item=item, status=status,
                             approved_on=pd.Timestamp(approved) if approved else pd.NaT,
                             expires_on=pd.Timestamp(expires) if expires else pd.NaT)])
    more = ledger.replace(approvals=pd.concat([ledger.approvals, row], ignore_index=True))
    before = score(ledger, as_of).planning.set_index("project_id")["approvals"]
    after = score(more, as_of).planning.set_index("project_id")["approvals"]
    assert (after >= before - 1e-9).all()


@SETTINGS
@given(ledger=ledgers(), as_of=as_of_dates, data=st.data())
def test_more_secured_funding_never_lowers_the_funding_score(ledger, as_of, data):
    pid = data.draw(st.sampled_from(list(ledger.projects["project_id"])))
    row = pd.DataFrame([dict(
        project_id=pid, source=data.draw(st.sampled_from(["中央预算内投资", "企业自筹"])),
        amount=float(data.draw(st.integers(0, 30000))),
        status=data.draw(st.sampled_from(["applied", "approved", "received"])),
        dated=data.draw(st.sampled_from([pd.NaT, pd.Timestamp("2022-02-01"),
                                         pd.Timestamp("2022-11-01")])))])
    more = ledger.replace(funding=pd.concat([ledger.funding, row], ignore_index=True))
    before = score(ledger, as_of).planning.set_index("project_id")["funding"]
    after = score(more, as_of).planning.set_index("project_id")["funding"]
    assert (after >= before - 1e-9).all()
    if not ledger.funding.empty:
        # raising an existing line's status (applied → approved) never lowers it either
        raised = ledger.funding.assign(status=ledger.funding["status"].replace("applied", "approved"))
        up = score(ledger.replace(funding=raised), as_of).planning.set_index("project_id")["funding"]
        assert (up >= before - 1e-9).all()


@SETTINGS
@given(ledger=ledgers(), early=as_of_dates, later_days=st.integers(0, 300))
def test_a_later_as_of_with_no_new_progress_never_improves_spi(ledger, early, later_days):
    later = min(early + pd.Timedelta(days=later_days), pd.Timestamp("2022-12-31"))
    progress = ledger.progress
    after_early = progress["month"] > early.replace(day=1)
    quiet = ledger.replace(progress=progress.assign(
        completed=progress["completed"].where(~after_early, 0.0)))
    spi_early = score(quiet, early).delivery.set_index("project_id")["spi"]
    spi_later = score(quiet, later).delivery.set_index("project_id")["spi"]
    both = spi_early.notna() & spi_later.notna()
    assert (spi_later[both] <= spi_early[both] + 1e-12).all()
    # and nothing that was due stops being due
    assert not (spi_early.notna() & spi_later.isna()).any()
