"""The quarterly review's figures (季度讲评), computed from a Ledger and its scores as of a date.

Everything here is pure: a Ledger (and Scores) in, a `Review` of plain numbers and tidy tables
out. Amounts stay in 万元; shares are fractions (0.25 = 25%); "points" are percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.vocabulary import FUNDING_SOURCES, FUNDING_STATUSES, OFFICES, STAGES

#: Delivery RAG values in display order; "none" stands for nothing due yet.
RAGS = ("green", "amber", "red", "none")
#: Planning bands in display order.
BANDS = ("green", "amber_green", "amber", "amber_red", "red")
#: How many projects the "weakest" and "laggards" lists name at most.
LIST_LENGTH = 10


@dataclass(frozen=True)
class Review:
    """The figures of one quarterly review (see DOMAIN.md, "The quarterly review")."""

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


# --- small pure measures ----------------------------------------------------------------------


def share(part: float, whole: float) -> float:
    """`part / whole`, NaN when `whole` is zero."""
    return float(part) / float(whole) if whole else float("nan")


def quarter_end(quarter: str) -> pd.Timestamp:
    """The last day of a quarter written YYYYQn."""
    return pd.Period(quarter, freq="Q").end_time.normalize()


def year_elapsed_share(as_of: pd.Timestamp) -> float:
    """序时进度: the share of the year elapsed at `as_of` (scoring's definition when available)."""
    try:
        from workbench.core.periods import elapsed_share
    except ImportError:  # scoring not installed: the calendar share, as the rubric defines it
        start = pd.Timestamp(year=as_of.year, month=1, day=1)
        days = 366 if as_of.is_leap_year else 365
        return ((as_of - start).days + 1) / days
    return float(elapsed_share(as_of))


def stage_at(projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each project's pipeline stage at `as_of`, from its dates where they tell more than the ledger."""
    stage = projects["stage"].copy()
    completed = projects["actual_completion"].le(as_of)
    started = projects["actual_start"].le(as_of)
    not_yet_started = projects["actual_start"].gt(as_of) & stage.isin(["在建", "建成", "投产"])
    stage = stage.mask(not_yet_started, "前期")
    stage = stage.mask(started & ~completed & stage.isin(["建成", "投产"]), "在建")
    stage = stage.mask(started & ~completed & stage.isin(["谋划", "储备", "前期"]), "在建")
    stage = stage.mask(completed & ~stage.isin(["建成", "投产"]), "建成")
    return stage


def filtered_tables(tables: dict, office: str = "", unit: str = "") -> dict:
    """The ledger's tables restricted to one office and/or responsible unit."""
    projects = tables["projects"]
    keep = pd.Series(True, index=projects.index)
    if office:
        keep &= projects["office"].eq(office)
    if unit:
        keep &= projects["responsible_unit"].eq(unit)
    ids = set(projects.loc[keep, "project_id"])
    return {
        name: frame[frame["project_id"].isin(ids)].reset_index(drop=True)
        for name, frame in tables.items()
    }


# --- completion -------------------------------------------------------------------------------


def ytd_by_project(progress: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Planned and completed investment per project from January to the month of `as_of`."""
    months = progress["month"]
    window = progress[(months.dt.year == year) & (months <= as_of)]
    out = window.groupby("project_id", as_index=False)[["planned", "completed"]].sum()
    return out.rename(columns={"planned": "ytd_planned", "completed": "ytd_completed"})


def monthly_totals(progress: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """The year's planned and completed investment a month, cumulated (completed up to `as_of`)."""
    months = pd.date_range(f"{year}-01-01", periods=12, freq="MS").astype("datetime64[us]")
    frame = progress[progress["month"].dt.year == year]
    sums = frame.groupby("month")[["planned", "completed"]].sum().reindex(months, fill_value=0.0)
    sums.index.name = "month"
    out = sums.reset_index()
    out["completed"] = out["completed"].where(out["month"] <= as_of)
    out["cumulative_planned"] = out["planned"].cumsum()
    out["cumulative_completed"] = out["completed"].cumsum().where(out["month"] <= as_of)
    return out


def completion_table(frame: pd.DataFrame, by: str, elapsed: float, order=None) -> pd.DataFrame:
    """Completion against 序时进度 grouped `by` a projects column (one row a group, then totals)."""
    grouped = frame.groupby(by, dropna=False).agg(
        projects=("project_id", "size"),
        annual_plan=("annual_plan", "sum"),
        ytd_planned=("ytd_planned", "sum"),
        ytd_completed=("ytd_completed", "sum"),
    )
    if order is not None:
        grouped = grouped.reindex([o for o in order if o in grouped.index] +
                                  [g for g in grouped.index if g not in order])
    else:
        grouped = grouped.sort_values("annual_plan", ascending=False)
    out = grouped.reset_index().rename(columns={by: "group"})
    out["group"] = out["group"].astype("str").where(out["group"].notna(), "—")
    out["completion_share"] = out["ytd_completed"] / out["annual_plan"].replace(0, np.nan)
    out["elapsed_share"] = elapsed
    out["points_vs_elapsed"] = (out["completion_share"] - elapsed) * 100
    out["plan_rate"] = out["ytd_completed"] / out["ytd_planned"].replace(0, np.nan)
    return out


# --- starts, completions, batches, pipeline ------------------------------------------------


def _months_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later.dt.year - earlier.dt.year) * 12 + (later.dt.month - earlier.dt.month)


def start_lists(projects: pd.DataFrame, year: int, as_of: pd.Timestamp):
    """Projects due to start this year by `as_of`, and the early and late starts among them.

    Early: started this year before the planned month. Late: planned to start by `as_of` but
    not started by then, or started in a later month than planned.
    """
    year_start = pd.Timestamp(year=year, month=1, day=1)
    planned, actual = projects["planned_start"], projects["actual_start"]
    due = projects[planned.between(year_start, as_of)]
    started = actual.between(year_start, as_of)
    slip = _months_between(actual, planned)
    early = projects[started & (slip < 0)].assign(months=-slip[started & (slip < 0)])
    not_started = planned.between(year_start, as_of) & ~(actual <= as_of)
    late_start = started & (slip > 0) & planned.between(year_start, as_of)
    late = projects[not_started | late_start].assign(
        actual_start=actual.where(actual <= as_of)[not_started | late_start],  # not yet known
        months=np.where(
            not_started[not_started | late_start],
            _months_between(pd.Series(as_of, index=projects.index), planned)[not_started | late_start],
            slip[not_started | late_start],
        )
    )
    return due, projects[started], early, late


def _project_columns(frame: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    cols = ["project_id", "name", "office", "responsible_unit", *extra]
    return frame[cols].reset_index(drop=True)


def batch_table(projects: pd.DataFrame, quarter: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """This quarter's 三个一批: projects per kind and how many converted by `as_of`.

    签约 converts when the project has started (履约开工), 开工 when it started, 投产 when it
    completed (or is recorded 投产).
    """
    batch = projects[projects["batch_quarter"].eq(quarter)]
    started = batch["actual_start"].le(as_of)
    completed = batch["actual_completion"].le(as_of) | batch["stage"].eq("投产")
    converted = np.where(batch["batch_kind"].eq("投产"), completed, started)
    frame = batch.assign(converted=converted)
    rows = []
    for kind in ("签约", "开工", "投产"):
        part = frame[frame["batch_kind"].eq(kind)]
        rows.append(
            {
                "batch_kind": kind,
                "projects": len(part),
                "total_investment": float(part["total_investment"].sum()),
                "converted": int(part["converted"].sum()),
                "conversion_rate": share(part["converted"].sum(), len(part)),
            }
        )
    return pd.DataFrame(rows)


def pipeline_table(projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Projects and total investment per pipeline stage at `as_of` (谋划→…→投产)."""
    stage = stage_at(projects, as_of)
    grouped = projects.assign(stage=stage).groupby("stage")
    out = pd.DataFrame(
        {
            "projects": grouped.size(),
            "total_investment": grouped["total_investment"].sum(),
        }
    ).reindex(list(STAGES), fill_value=0)
    out.index.name = "stage"
    out = out.reset_index()
    out["projects"] = out["projects"].astype(int)
    return out


def reserve_multiple(pipeline: pd.DataFrame, annual_plan: float) -> float:
    """Reserve depth: investment of 谋划 and 储备 projects over the year's annual plan."""
    reserve = pipeline.loc[pipeline["stage"].isin(["谋划", "储备"]), "total_investment"].sum()
    return share(reserve, annual_plan)


# --- funding, approvals, problems, milestones -----------------------------------------------


def funding_table(funding: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Funding applied / approved / received per source by `as_of` (cumulative: received counts
    as approved and applied, approved as applied)."""
    known = funding[funding["dated"].isna() | funding["dated"].le(as_of)]
    rank = {s: i for i, s in enumerate(FUNDING_STATUSES)}
    level = known["status"].map(rank)
    rows = []
    for source in FUNDING_SOURCES:
        part = known["source"].eq(source)
        row = {"source": source}
        for status in FUNDING_STATUSES:
            row[status] = float(known.loc[part & level.ge(rank[status]), "amount"].sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    out = out[(out[list(FUNDING_STATUSES)] > 0).any(axis=1)].reset_index(drop=True)
    total = {"source": "total", **{s: float(out[s].sum()) for s in FUNDING_STATUSES}}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["received_share"] = out["received"] / out["applied"].replace(0, np.nan)
    return out


def approvals_done(approvals: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Whether each approval row counts as done and valid at `as_of`."""
    done = approvals["status"].eq("done")
    dated_ok = approvals["approved_on"].isna() | approvals["approved_on"].le(as_of)
    valid = approvals["expires_on"].isna() | approvals["expires_on"].gt(as_of)
    return done & dated_ok & valid


def approvals_table(approvals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Approval completeness per item: required items, done and valid at `as_of`, and the share."""
    from workbench.core.vocabulary import APPROVAL_ITEMS

    required = approvals[approvals["status"].ne("not_required")]
    frame = required.assign(done=approvals_done(required, as_of))
    grouped = frame.groupby("item")["done"].agg(["size", "sum"]).reindex(list(APPROVAL_ITEMS))
    out = grouped.fillna(0).astype(int).rename(columns={"size": "required", "sum": "done"})
    out.index.name = "item"
    out = out.reset_index()
    total = {"item": "total", "required": int(out["required"].sum()), "done": int(out["done"].sum())}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["completeness"] = out["done"] / out["required"].replace(0, np.nan)
    return out


def projects_with_all_approvals(approvals: pd.DataFrame, as_of: pd.Timestamp) -> int:
    """How many projects hold every approval they need at `as_of`."""
    required = approvals[approvals["status"].ne("not_required")]
    done = approvals_done(required, as_of)
    return int(done.groupby(required["project_id"]).all().sum())


def open_problems(problems: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Problems raised by `as_of` and not resolved by then."""
    raised = problems["raised_on"].isna() | problems["raised_on"].le(as_of)
    unresolved = problems["resolved_on"].isna() | problems["resolved_on"].gt(as_of)
    return problems[raised & unresolved]


def overdue_problems(problems: pd.DataFrame, projects: pd.DataFrame, as_of) -> pd.DataFrame:
    """Open problems past their due date at `as_of`, most overdue first, with the project named."""
    frame = open_problems(problems, as_of)
    frame = frame[frame["due_on"].lt(as_of)]
    frame = frame.assign(days_overdue=(as_of - frame["due_on"]).dt.days.astype(int))
    named = frame.merge(projects[["project_id", "name"]], on="project_id", how="left")
    cols = ["project_id", "name", "problem", "owner", "due_on", "days_overdue"]
    return named[cols].sort_values("days_overdue", ascending=False).reset_index(drop=True)


def overdue_milestones(milestones: pd.DataFrame, projects: pd.DataFrame, as_of) -> pd.DataFrame:
    """Milestones planned before `as_of` and not done by then, most overdue first."""
    late = milestones["planned_on"].lt(as_of) & ~milestones["done_on"].le(as_of)
    frame = milestones[late]
    frame = frame.assign(days_overdue=(as_of - frame["planned_on"]).dt.days.astype(int))
    named = frame.merge(projects[["project_id", "name"]], on="project_id", how="left")
    cols = ["project_id", "name", "milestone", "owner", "planned_on", "days_overdue"]
    return named[cols].sort_values("days_overdue", ascending=False).reset_index(drop=True)


# --- scores: RAG, units, planning quality, laggards ----------------------------------------


def rag_counts(delivery: pd.DataFrame) -> pd.DataFrame:
    """Projects per delivery RAG ("none" when nothing was due)."""
    rag = delivery["rag"].astype("object").where(delivery["rag"].notna(), "none")
    counts = rag.value_counts().reindex(list(RAGS), fill_value=0)
    return pd.DataFrame({"rag": list(RAGS), "projects": counts.astype(int).to_numpy()})


def rag_matrix(delivery: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per office and delivery RAG (long form, every pair present)."""
    frame = delivery.merge(projects[["project_id", "office"]], on="project_id")
    rag = frame["rag"].astype("object").where(frame["rag"].notna(), "none")
    counts = frame.assign(rag=rag).groupby(["office", "rag"]).size()
    offices = [o for o in OFFICES if o in set(projects["office"])]
    index = pd.MultiIndex.from_product([offices, list(RAGS)], names=["office", "rag"])
    return counts.reindex(index, fill_value=0).rename("projects").reset_index()


def band_counts(planning: pd.DataFrame) -> pd.DataFrame:
    """Projects per planning-quality band, green to red."""
    counts = planning["band"].value_counts().reindex(list(BANDS), fill_value=0)
    return pd.DataFrame({"band": list(BANDS), "projects": counts.astype(int).to_numpy()})


def weakest_projects(planning, reasons, projects, lang_messages=("message_zh", "message_en"),
                     n: int = LIST_LENGTH) -> pd.DataFrame:
    """The `n` lowest planning scores, each with its three largest reasons (zh and en)."""
    low = planning.nsmallest(n, "score")[["project_id", "score", "band"]]
    top = reasons[reasons["points_lost"] > 0].sort_values("points_lost", ascending=False)
    top = top.groupby("project_id").head(3)
    joined = top.groupby("project_id").agg(
        reasons_zh=(lang_messages[0], "；".join), reasons_en=(lang_messages[1], "; ".join)
    )
    out = low.merge(projects[["project_id", "name", "office", "responsible_unit"]], on="project_id")
    out = out.merge(joined, on="project_id", how="left")
    return out.sort_values(["score", "name"]).reset_index(drop=True)


def laggard_projects(delivery, projects, problems, as_of, n: int = LIST_LENGTH) -> pd.DataFrame:
    """落后项目: red delivery, furthest behind first, with their open problems (存在问题)."""
    red = delivery[delivery["rag"].eq("red")]
    cols = ["project_id", "ytd_planned", "ytd_completed", "spi", "points_vs_elapsed"]
    frame = red[[c for c in cols if c in red.columns]].merge(
        projects[["project_id", "name", "office", "responsible_unit", "leader"]], on="project_id"
    )
    issues = open_problems(problems, as_of).groupby("project_id")["problem"].agg("；".join)
    frame = frame.merge(issues.rename("problems"), on="project_id", how="left")
    frame["problems"] = frame["problems"].fillna("")
    sort = "spi" if "spi" in frame.columns else "ytd_completed"
    return frame.sort_values([sort, "name"]).head(n).reset_index(drop=True)


# --- the review -----------------------------------------------------------------------------


def review_of(ledger, quarter: str, scores, *, as_of=None, office: str = "", unit: str = "") -> Review:
    """The quarterly review of `ledger` for `quarter`, given its `scores` as of the same date."""
    as_of = quarter_end(quarter) if as_of is None or as_of == "" else pd.Timestamp(as_of).normalize()
    year = int(quarter[:4])
    tables = filtered_tables(ledger.tables(), office, unit)
    projects, progress = tables["projects"], tables["progress"]
    ids = set(projects["project_id"])
    elapsed = year_elapsed_share(as_of)

    ytd = ytd_by_project(progress, year, as_of)
    listed = projects[projects["annual_plan"] > 0]  # this year's list (reserve projects have no plan)
    frame = listed.merge(ytd, on="project_id", how="left").fillna(
        {"ytd_planned": 0.0, "ytd_completed": 0.0}
    )
    total = completion_table(frame.assign(all="all"), "all", elapsed).iloc[0]
    completion = {
        "level": completion_table(frame, "level", elapsed, order=["省", "市", "县"]),
        "office": completion_table(frame, "office", elapsed, order=list(OFFICES)),
        "sector": completion_table(frame, "sector", elapsed),
    }
    due, started, early, late = start_lists(projects, year, as_of)
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
    }
    units = scores.units
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
        starts_early=_project_columns(early, ["planned_start", "actual_start", "months"]),
        starts_late=_project_columns(late, ["planned_start", "actual_start", "months"]),
        completions=_project_columns(
            completed, ["planned_completion", "actual_completion", "total_investment"]
        ),
        batches=batches,
        pipeline=pipeline,
        funding=funding,
        approvals=approvals,
        overdue_problems=problems,
        overdue_milestones=milestones,
        rag=rag,
        rag_matrix=rag_matrix(delivery, projects),
        units=units.reset_index(drop=True),
        bands=bands,
        weakest=weakest_projects(planning, reasons, projects),
        laggards=laggards,
        health=scores.health.reset_index(drop=True),
    )


def quarterly_review(ledger, quarter: str, rubric=None, *, as_of=None, office: str = "",
                     unit: str = "") -> Review:
    """The quarterly review of `ledger` for `quarter`, scored as of the quarter end (or `as_of`)."""
    from workbench.scoring.scores import score

    when = quarter_end(quarter) if as_of is None or as_of == "" else pd.Timestamp(as_of).normalize()
    scores = score(ledger, when, rubric)
    return review_of(ledger, quarter, scores, as_of=when, office=office, unit=unit)
