"""A small hand-made ledger (five projects, every side table filled) and scores chosen for it.

Shared by the tests of the analyst's views (tests/explore) and of the presentation helpers
(tests/present): an evil project name, a resolved and an open problem, bands and RAGs of every
kind, months reported up to September 2022.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from workbench.model.ledger import Ledger
from workbench.model.schemas import columns_of

HOSPITAL = "2201-411325-04-01-000001"
TCM = "2201-411325-04-01-000002"
PARK = "2201-411325-04-01-000003"
SEWAGE = "2201-411325-04-01-000004"
ROAD = "WB-ABCDEF0123"
EVIL_NAME = '=HYPERLINK("http://x")<b>道路</b>'

PROJECTS = [
    # id, name, office, unit, level, stage, nature, total, annual plan
    (HOSPITAL, "县人民医院新院区建设项目", "社会事业", "县卫健委", "县", "在建", "续建", 50000.0, 12000.0),
    (TCM, "县中医院门诊楼改扩建项目", "社会事业", "县卫健委", "市", "在建", "新开工", 20000.0, 8000.0),
    (PARK, "内乡县产业园标准化厂房", "工业发展", "产业集聚区管委会", "省", "在建", "新开工", 80000.0, 30000.0),
    (SEWAGE, "产业园污水处理厂", "城镇建设", "县住建局", "县", "前期", "前期", 6000.0, 1000.0),
    (ROAD, EVIL_NAME, "城镇建设", "县住建局", "县", "在建", "续建", 3000.0, 1500.0),
]


def small_ledger(source: str = "small.xlsx") -> Ledger:
    """Five projects over two offices' worth of units, with every side table filled."""
    projects = pd.DataFrame(
        PROJECTS,
        columns=["project_id", "name", "office", "responsible_unit", "level", "stage", "nature",
                 "total_investment", "annual_plan"],
    )
    for column in ("owner", "location", "batch_quarter", "batch_kind", "tier_531", "sector",
                   "category", "scope", "leader", "physical_progress_note"):
        projects[column] = None
    projects["programme_982"] = projects["level"] == "省"
    for column in ("planned_start", "actual_start", "planned_completion", "actual_completion"):
        projects[column] = pd.NaT
    projects["planned_start"] = pd.Timestamp("2022-03-01")
    projects = projects.reindex(columns=columns_of("projects"))  # parent_id: no bundles
    months = pd.date_range("2022-01-01", "2022-12-01", freq="MS")
    progress = pd.DataFrame(
        [
            (p[0], m, p[-1] / 12, p[-1] / 12 * (0.8 if i < 9 else 0.0), None)
            for p in PROJECTS
            for i, m in enumerate(months)
        ],
        columns=columns_of("progress"),
    )
    approvals = pd.DataFrame(
        [
            (p[0], item, "done" if k % 2 == 0 else "in_progress",
             pd.Timestamp("2021-06-01") if k % 2 == 0 else pd.NaT, pd.NaT)
            for p in PROJECTS
            for k, item in enumerate(("立项", "用地", "环评"))
        ],
        columns=columns_of("approvals"),
    )
    funding = pd.DataFrame(
        [(p[0], "地方政府专项债券", p[-1] / 2, "approved", pd.Timestamp("2022-02-01")) for p in PROJECTS],
        columns=columns_of("funding"),
    )
    problems = pd.DataFrame(
        [
            (HOSPITAL, "用地指标未落实", "县自然资源局", pd.Timestamp("2022-04-01"),
             pd.Timestamp("2022-06-30"), pd.NaT),
            (HOSPITAL, "资金拨付慢", "县财政局", pd.Timestamp("2022-02-01"),
             pd.Timestamp("2022-03-31"), pd.Timestamp("2022-03-20")),
            (PARK, "+电力接入", "供电公司", pd.Timestamp("2022-05-01"), pd.Timestamp("2022-12-31"),
             pd.NaT),
        ],
        columns=columns_of("problems"),
    )
    milestones = pd.DataFrame(
        [(HOSPITAL, "主体封顶", "施工单位", pd.Timestamp("2022-09-30"), pd.NaT)],
        columns=columns_of("milestones"),
    )
    return Ledger(projects=projects, progress=progress, approvals=approvals, funding=funding,
                  problems=problems, milestones=milestones, source=source)


def fake_scores(as_of: str = "2022-09-30") -> SimpleNamespace:
    """Scores shaped like workbench.scoring.scores.Scores, with chosen bands and RAGs."""
    ids = [p[0] for p in PROJECTS]
    planning = pd.DataFrame({
        "project_id": ids,
        "policy_fit": [15.0, 10, 15, 5, 5], "definition": [15.0, 15, 10, 5, 10],
        "approvals": [20.0, 10, 25, 5, 10], "funding": [20.0, 20, 20, 10, 10],
        "schedule": [10.0, 10, 10, 5, 5], "responsibility": [8.0, 10, 10, 5, 5],
        "score": [88.0, 75, 90, 35, 45],
        "band": ["green", "amber_green", "green", "red", "amber_red"],
        "flags": ["", "", "", "start_without_land", ""],
    })
    reasons = pd.DataFrame({
        "project_id": [HOSPITAL, HOSPITAL],
        "dimension": ["approvals", "responsibility"],
        "rule": ["approval_items", "overdue_problems"],
        "points_lost": [5.0, 2.0],
        "message_zh": ["用地手续办理中，扣5分", "存在逾期未销号问题，扣2分"],
        "message_en": ["land approval in progress: -5", "an overdue open problem: -2"],
    })
    delivery = pd.DataFrame({
        "project_id": ids,
        "ytd_planned": [9000.0, 6000, 22500, 750, 1125],
        "ytd_completed": [7200.0, 4800, 18000, 600, 900],
        "spi": [0.8] * 5, "elapsed_share": [0.75] * 5, "completion_share": [0.6] * 5,
        "points_vs_elapsed": [-15.0] * 5,
        "start_slip_months": [0.0] * 5, "completion_slip_months": [0.0] * 5,
        "rag": pd.Series(["red", "amber", "green", pd.NA, "red"], dtype="str"),
    })
    return SimpleNamespace(planning=planning, reasons=reasons, delivery=delivery,
                           as_of=pd.Timestamp(as_of))


def with_values(ledger: Ledger, table: str, project: str, **values) -> Ledger:
    """`ledger` with some columns of one project's rows in `table` set to new values."""
    frame = getattr(ledger, table).copy()
    rows = frame.index[frame["project_id"] == project]
    for column, value in values.items():
        frame.loc[rows, column] = value
    return ledger.replace(**{table: frame})


def ids_of(ledger: Ledger) -> set[str]:
    """The project ids of `ledger`."""
    return set(ledger.projects["project_id"])


def assert_consistent(original: Ledger, selected: Ledger) -> None:
    """Every table holds exactly the original rows of the selected projects."""
    ids = ids_of(selected)
    for name, frame in selected.tables().items():
        assert set(frame["project_id"]) <= ids, name
        expected = original.tables()[name]
        expected = expected[expected["project_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected, obj=name)
