"""The quarterly review's figures (季度讲评), computed from a Ledger and its scores as of a date.

Everything here is pure: a Ledger (and Scores) in, a `Review` of plain numbers and tidy tables
out. Amounts stay in 万元; shares are fractions (0.25 = 25%); "points" are percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from workbench.core.numbers import share
from workbench.core.periods import elapsed_share, quarter_end
from workbench.core.vocabulary import LEVELS, OFFICES
from workbench.review.actions import rules_of, starts_unready, unit_overdue
from workbench.review.goals import goal_rules
from workbench.review.population import county_name, is_reserve, key_ledger
from workbench.review.progress import (
    batch_table,
    completion_table,
    completion_total,
    filtered_tables,
    monthly_totals,
    pipeline_table,
    project_columns,
    start_lists,
    ytd_by_project,
)
from workbench.review.rated import (
    band_counts,
    laggard_projects,
    rag_counts,
    rag_matrix,
    weakest_projects,
)
from workbench.review.support import (
    approvals_table,
    funding_table,
    open_problems,
    overdue_milestones,
    overdue_problems,
    projects_with_all_approvals,
)
from workbench.scoring import reserve_multiple


@dataclass(frozen=True)
class Review:
    """The figures of one quarterly review (docs/glossary.md: 季度讲评)."""

    quarter: str
    year: int
    as_of: pd.Timestamp
    office: str
    unit: str
    headline: dict  # named scalar figures (万元, fractions, counts)
    monthly: pd.DataFrame  # month, planned, completed, cumulative_planned, cumulative_completed
    completion: dict  # "level" / "office" / "sector" -> completion table
    starts_early: pd.DataFrame
    starts_late: pd.DataFrame
    completions: pd.DataFrame  # projects completed this year up to as_of
    batches: pd.DataFrame  # this quarter's 三个一批 by kind
    pipeline: pd.DataFrame  # stage, projects, total_investment
    funding: pd.DataFrame  # source, applied, approved, received
    approvals: pd.DataFrame  # item, required, done, completeness
    overdue_problems: pd.DataFrame
    overdue_milestones: pd.DataFrame
    rag: pd.DataFrame  # rag, projects
    rag_matrix: pd.DataFrame  # office x rag counts (long: office, rag, projects)
    units: pd.DataFrame  # the monthly assessment ranking
    bands: pd.DataFrame  # band, projects
    weakest: pd.DataFrame  # lowest planning scores with their main reasons
    laggards: pd.DataFrame  # red delivery with their open problems
    health: pd.DataFrame = field(default_factory=pd.DataFrame)
    county: str = ""  # the county's name, read from the ledger's locations
    unit_problems: pd.DataFrame = field(default_factory=pd.DataFrame)  # overdue problems by unit
    starts_unready: pd.DataFrame = field(default_factory=pd.DataFrame)  # starts lacking approvals
    notice_rules: dict = field(default_factory=dict)  # the rubric's 表扬/通报 rules
    goal_rules: dict = field(default_factory=dict)  # the rubric's 开门红 … 全年红 thresholds


def review_of(ledger, quarter: str, scores, *, as_of=None, office: str = "", unit: str = "",
              units=None) -> Review:
    """The quarterly review of `ledger` for `quarter`, given its `scores` as of the same date.

    Planning, delivery and ranking figures count the key projects only (`review.population`);
    `units` is the unit ranking scored on them (`scores.units` when None)."""
    as_of = quarter_end(quarter) if as_of is None or as_of == "" else pd.Timestamp(as_of).normalize()
    year = int(quarter[:4])
    tables = filtered_tables(ledger.counted().tables(), office, unit)  # a bundle (打捆) once
    projects, progress = tables["projects"], tables["progress"]
    reserve = projects[is_reserve(projects)]
    listed = projects[~is_reserve(projects)]  # this year's key projects (not 谋划/储备)
    ids = set(listed["project_id"])
    elapsed = elapsed_share(as_of)

    ytd = ytd_by_project(progress, year, as_of)
    frame = listed.merge(ytd, on="project_id", how="left").fillna(
        {"ytd_planned": 0.0, "ytd_completed": 0.0}
    )
    total = completion_total(frame, elapsed)
    completion = {
        "level": completion_table(frame, "level", elapsed, order=list(LEVELS)),
        "office": completion_table(frame, "office", elapsed, order=list(OFFICES)),
        "sector": completion_table(frame, "sector", elapsed),
    }
    due, started, early, late = start_lists(listed, year, as_of)
    year_start = pd.Timestamp(year=year, month=1, day=1)
    completed = projects[projects["actual_completion"].between(year_start, as_of)]
    completion_due = projects["planned_completion"].between(year_start, as_of)
    pipeline = pipeline_table(projects, as_of)
    batches = batch_table(projects, quarter, as_of)
    funding = funding_table(tables["funding"], as_of)
    approvals = approvals_table(tables["approvals"], as_of)
    problems = overdue_problems(tables["problems"], projects, as_of)
    milestones = overdue_milestones(tables["milestones"], projects, as_of)

    delivery = scores.delivery[scores.delivery["project_id"].isin(ids)]
    planning = scores.planning[scores.planning["project_id"].isin(ids)]
    reasons = scores.reasons[scores.reasons["project_id"].isin(ids)]
    reserve_planning = scores.planning[scores.planning["project_id"].isin(set(reserve["project_id"]))]
    reserve_bands = band_counts(reserve_planning)
    rag = rag_counts(delivery)
    bands = band_counts(planning)
    laggards = laggard_projects(delivery, projects, tables["problems"], as_of)
    funding_total = funding.iloc[-1]
    approvals_total = approvals.iloc[-1]

    headline = {
        "projects": len(listed),
        "total_investment": float(listed["total_investment"].sum()),
        "annual_plan": float(total["annual_plan"]),
        "ytd_planned": float(total["ytd_planned"]),
        "ytd_completed": float(total["ytd_completed"]),
        "completion_share": float(total["completion_share"]),
        "elapsed_share": elapsed,
        "points_vs_elapsed": float(total["points_vs_elapsed"]),
        "plan_rate": float(total["plan_rate"]),
        "starts_due": len(due),
        "starts_due_made": int(due["actual_start"].le(as_of).sum()),
        "start_rate": share(due["actual_start"].le(as_of).sum(), len(due)),
        "starts_made": len(started),
        "starts_early": len(early),
        "starts_late": len(late),
        "completions_due": int(completion_due.sum()),
        "completions_made": len(completed),
        "batch_projects": int(batches["projects"].sum()),
        "batch_converted": int(batches["converted"].sum()),
        "reserve_multiple": reserve_multiple(pipeline, float(total["annual_plan"])),
        "funding_applied": float(funding_total["applied"]),
        "funding_approved": float(funding_total["approved"]),
        "funding_received": float(funding_total["received"]),
        "approvals_completeness": float(approvals_total["completeness"]),
        "projects_all_approvals": projects_with_all_approvals(tables["approvals"], as_of),
        "open_problems": len(open_problems(tables["problems"], as_of)),
        "overdue_problems": len(problems),
        "overdue_milestones": len(milestones),
        "rag_green": int(rag.loc[rag["rag"].eq("green"), "projects"].sum()),
        "rag_amber": int(rag.loc[rag["rag"].eq("amber"), "projects"].sum()),
        "rag_red": int(rag.loc[rag["rag"].eq("red"), "projects"].sum()),
        "planning_mean": float(planning["score"].mean()) if len(planning) else float("nan"),
        "planning_green": int(bands.loc[bands["band"].isin(["green", "amber_green"]), "projects"].sum()),
        "planning_red": int(bands.loc[bands["band"].isin(["amber_red", "red"]), "projects"].sum()),
        "laggards": int(delivery["rag"].eq("red").sum()),
        "all_projects": len(projects),
        "reserve_projects": len(reserve),
        "reserve_total_investment": float(reserve["total_investment"].sum()),
        "reserve_planning_mean": float(reserve_planning["score"].mean()) if len(reserve_planning)
        else float("nan"),
        "reserve_planning_red": int(reserve_bands.loc[reserve_bands["band"].isin(
            ["amber_red", "red"]), "projects"].sum()),
        "funding_pending": float(funding_total["applied"] - funding_total["received"]),
        "funding_received_share": float(funding_total["received_share"]),
        "signed": int(batches.loc[batches["batch_kind"].eq("签约"), "projects"].sum()),
        "signed_started": int(batches.loc[batches["batch_kind"].eq("签约"), "converted"].sum()),
    }
    units = scores.units if units is None else units
    if unit or office:
        units = units[units["responsible_unit"].isin(set(projects["responsible_unit"].dropna()))]
    return Review(
        quarter=quarter,
        year=year,
        as_of=as_of,
        office=office,
        unit=unit,
        headline=headline,
        monthly=monthly_totals(progress, year, as_of),
        completion=completion,
        starts_early=project_columns(early, ["planned_start", "actual_start", "months"]),
        starts_late=project_columns(late, ["planned_start", "actual_start", "started", "months"]),
        completions=project_columns(
            completed, ["planned_completion", "actual_completion", "total_investment"]
        ),
        batches=batches,
        pipeline=pipeline,
        funding=funding,
        approvals=approvals,
        overdue_problems=problems,
        overdue_milestones=milestones,
        rag=rag,
        rag_matrix=rag_matrix(delivery, listed),
        units=units.reset_index(drop=True),
        bands=bands,
        weakest=weakest_projects(planning, reasons, projects),
        laggards=laggards,
        health=scores.health.reset_index(drop=True),
        county=county_name(ledger.projects),
        unit_problems=unit_overdue(problems, projects),
        starts_unready=starts_unready(listed, tables["approvals"], as_of),
        notice_rules=rules_of(getattr(scores, "rubric", None)),
        goal_rules=goal_rules(getattr(scores, "rubric", None)),
    )


def quarterly_review(ledger, quarter: str, rubric=None, *, as_of=None, office: str = "",
                     unit: str = "") -> Review:
    """The quarterly review of `ledger` for `quarter`, scored as of the quarter end (or `as_of`)."""
    from workbench.scoring.scores import score

    when = quarter_end(quarter) if as_of is None or as_of == "" else pd.Timestamp(as_of).normalize()
    scores = score(ledger, when, rubric)
    units = score(key_ledger(ledger.counted()), when, rubric).units  # ranked on key projects only
    return review_of(ledger, quarter, scores, as_of=when, office=office, unit=unit, units=units)
