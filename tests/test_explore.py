"""Exploration helpers on a small hand-made ledger: filter, project cards, display, export, widgets."""

from __future__ import annotations

from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from workbench.core.words import column_label, value_label
from workbench.exceptions import ParameterError, WorkbenchError
from workbench.explore.explore import (
    AmbiguousProject,
    ProjectNotFound,
    export,
    find_project,
    overview,
    project_card,
    project_table,
)
from workbench.model.ledger import Ledger
from workbench.model.schemas import columns_of
from workbench.present.display import table

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
    projects = projects[columns_of("projects")]
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


def fake_scores() -> SimpleNamespace:
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
                           as_of=pd.Timestamp("2022-09-30"))


@pytest.fixture(scope="module")
def book() -> Ledger:
    return small_ledger()


def _ids(ledger: Ledger) -> set[str]:
    return set(ledger.projects["project_id"])


def _assert_consistent(original: Ledger, selected: Ledger) -> None:
    """Every table holds exactly the original rows of the selected projects."""
    ids = _ids(selected)
    for name, frame in selected.tables().items():
        assert set(frame["project_id"]) <= ids, name
        expected = original.tables()[name]
        expected = expected[expected["project_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected, obj=name)


# --- filter ------------------------------------------------------------------------------------


def test_filter_by_office_keeps_every_table_consistent(book):
    social = book.filter(office="社会事业")
    assert _ids(social) == {HOSPITAL, TCM}
    _assert_consistent(book, social)
    assert len(social.progress) == 24 and len(social.problems) == 2 and len(social.milestones) == 1
    assert len(book.projects) == 5, "the original ledger is unchanged"


def test_filters_combine_and_accept_labels_in_either_language(book):
    assert _ids(book.filter(level="县")) == _ids(book.filter(level="县级")) == _ids(
        book.filter(level="County")) == {HOSPITAL, SEWAGE, ROAD}
    assert _ids(book.filter(name_contains="产业园")) == {PARK, SEWAGE}
    assert _ids(book.filter(name_contains="产业园", office="城镇建设")) == {SEWAGE}
    assert _ids(book.filter(office=["社会事业", "工业发展"], stage="在建")) == {HOSPITAL, TCM, PARK}
    assert _ids(book.filter(name_contains="ＨＹＰＥＲＬＩＮＫ")) == {ROAD}, "full-width folds"
    _assert_consistent(book, book.filter(name_contains="产业园"))


def test_filter_by_unit_exact_or_by_an_unambiguous_part(book):
    assert _ids(book.filter(unit="县住建局")) == {SEWAGE, ROAD}
    assert _ids(book.filter(unit="住建")) == {SEWAGE, ROAD}
    with pytest.raises(ParameterError, match="close names: 县住建局"):
        book.filter(unit="住建所")
    with pytest.raises(ParameterError, match="several units"):
        book.filter(unit="县")


def test_filter_refuses_unknown_values_with_the_allowed_ones(book):
    with pytest.raises(ParameterError, match="office.*教育.*社会事业"):
        book.filter(office="教育")
    with pytest.raises(ParameterError, match="rag"):
        book.filter(rag="purple", scores=fake_scores())


def test_filter_by_band_and_rag_uses_the_scores(book):
    scores = fake_scores()
    assert _ids(book.filter(band="green", scores=scores)) == {HOSPITAL, PARK}
    assert _ids(book.filter(band=["红", "橙"], scores=scores)) == {SEWAGE, ROAD}
    behind = book.filter(rag=["red", "amber"], scores=scores)
    assert _ids(behind) == {HOSPITAL, TCM, ROAD}, "a project with nothing due (<NA>) is not behind"
    _assert_consistent(book, behind)
    assert _ids(book.filter(office="社会事业", rag="red", scores=scores)) == {HOSPITAL}


def test_filter_to_nothing_is_an_empty_but_valid_ledger(book):
    empty = book.filter(office="农业经济")
    assert all(len(frame) == 0 for frame in empty.tables().values())
    assert "0" in empty._repr_html_()


def test_ledger_repr_html_shows_counts_totals_months_findings_escaped():
    findings = pd.DataFrame([{
        "severity": "warning", "rule": "r", "file": "f", "sheet": "s", "row": 3, "column": "c",
        "value": "v", "message_zh": "m", "message_en": "m"}])
    findings["row"] = findings["row"].astype("Int64")
    book = small_ledger(source="<script>alert(1)</script>.xlsx").replace(findings=findings)
    page = book._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "2022年" in page and "2022-01…2022-12" in page
    assert "15.90 亿元" in page, "total investment 159,000 万元 shown as 15.90 亿元"
    assert "5.25 亿元" in page
    assert f"{value_label('warning')} 1" in page
    assert ">60<" in page, "60 progress rows counted"


# --- project card ------------------------------------------------------------------------------


def test_card_by_id_and_by_part_of_the_name(book):
    assert project_card(book, PARK).project_id == PARK
    assert project_card(book, "人民医院").project_id == HOSPITAL
    assert project_card(book, " 人民医院 ").project_id == HOSPITAL
    assert find_project(book, "04-01-000004") == SEWAGE, "part of a code works too"


def test_ambiguous_name_lists_every_candidate(book):
    with pytest.raises(AmbiguousProject) as info:
        project_card(book, "医院")
    message = str(info.value)
    assert "县人民医院新院区建设项目" in message and "县中医院门诊楼改扩建项目" in message
    assert HOSPITAL in message and TCM in message
    assert {pid for pid, _ in info.value.candidates} == {HOSPITAL, TCM}
    assert isinstance(info.value, WorkbenchError)


def test_unknown_name_gives_close_names_or_says_nothing_matches(book):
    with pytest.raises(ProjectNotFound, match="产业园污水处理厂") as info:
        project_card(book, "产业园污水处里厂")  # a typo
    assert not isinstance(info.value, AmbiguousProject)
    with pytest.raises(ProjectNotFound, match="no project matches '火车站'"):
        project_card(book, "火车站")
    with pytest.raises(ProjectNotFound):
        project_card(book, "")


def test_card_shows_everything_about_the_project(book):
    card = project_card(book, "人民医院", as_of="2022-09-30", scores=fake_scores())
    page = card._repr_html_()
    for text in ("县人民医院新院区建设项目", HOSPITAL, "<svg", "用地指标未落实", "2021-06-01",
                 "地方政府专项债券", "主体封顶", "用地手续办理中，扣5分", "88",
                 column_label("ytd_completed"), value_label("green")):
        assert text in page, text
    assert "资金拨付慢" not in page, "a resolved problem is not open"
    assert list(card.approvals["item"]) == ["立项", "用地", "环评"]
    assert card.progress["cumulative_completed"].dropna().iloc[-1] == pytest.approx(12000 * 0.8 * 9 / 12)
    assert card.progress["completed"].isna().sum() == 3, "months after the as-of date are not shown as 0"
    assert card.reasons["points_lost"].sum() == pytest.approx(7.0)


def test_card_escapes_data_and_speaks_english_when_asked(book):
    page = project_card(book, ROAD, scores=fake_scores(), lang="en").to_html()
    assert "<b>道路</b>" not in page and "&lt;b&gt;道路&lt;/b&gt;" in page
    assert "Open problems" in page and "Facts" in page and "基本情况" not in page


# --- display -----------------------------------------------------------------------------------


def test_tables_show_yi_percent_colours_and_escape(book):
    frame = project_table(book, fake_scores())
    page = table(frame).to_html()
    assert "总投资（亿元）" in page and ">5.00<" in page
    assert "60.0%" in page and "-15.0" in page
    assert "background-color: #c62828" in page, "red RAG coloured"
    assert "&lt;b&gt;" in page and "<b>道路" not in page
    english = table(frame, lang="en").to_html()
    assert "Total investment (CNY 100m)" in english and "Social undertakings" in english


def test_overview_counts_and_totals_the_selection(book):
    view = overview(book.filter(office="社会事业"), scores=fake_scores())
    assert view.headline()["projects"] == 2
    assert view.headline()["annual_plan"] == pytest.approx(20000.0)
    assert view.by == "responsible_unit", "one office is broken down by unit"
    assert "<svg" in view._repr_html_()


# --- export ------------------------------------------------------------------------------------


def test_export_ledger_round_trips_with_chinese_headers(book, tmp_path):
    path = export(book, tmp_path / "选中项目.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["项目", "月度进度", "前期手续", "资金来源", "存在问题", "节点计划"]
    projects = sheets["项目"]
    assert f"{column_label('total_investment')}（万元）" in projects.columns
    back = {column_label(c): c for c in book.projects.columns}
    back[f"{column_label('total_investment')}（万元）"] = "total_investment"
    back[f"{column_label('annual_plan')}（万元）"] = "annual_plan"
    projects = projects.rename(columns=back)
    assert list(projects["project_id"]) == list(book.projects["project_id"])
    assert list(projects["total_investment"]) == list(book.projects["total_investment"])
    assert list(projects["level"]) == [value_label(v) for v in book.projects["level"]]
    assert projects["name"].iloc[4] == "'" + EVIL_NAME, "formula neutralised, text kept"
    assert len(sheets["月度进度"]) == len(book.progress)
    assert "责任单位（人）" in sheets["存在问题"].columns


def test_export_is_formula_safe(book, tmp_path):
    path = export(book.filter(office=["城镇建设", "工业发展"]), tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'+电力接入" in texts and "'" + EVIL_NAME in texts


def test_export_a_selection_table(book, tmp_path):
    frame = project_table(book.filter(rag="red", scores=fake_scores()), fake_scores())
    path = export(frame, tmp_path / "behind.xlsx", lang="en")
    back = pd.read_excel(path, engine="openpyxl")
    assert len(back) == 2 and "Project" in back.columns and "Delivery RAG" in back.columns
    assert set(back["Delivery RAG"]) == {"Red"}
    with pytest.raises(ParameterError, match="xlsx"):
        export(book, tmp_path / "book.csv")
    with pytest.raises(ParameterError):
        export(frame, tmp_path / "x.pdf")


# --- widgets -----------------------------------------------------------------------------------


def test_filter_controls_drive_a_bound_render(book):
    from workbench.present import widgets as w

    controls = w.filter_controls(book)
    assert list(controls) == ["office", "unit", "level", "stage", "band", "rag", "name_contains"]
    assert controls["office"].description == column_label("office")
    assert ("县住建局", "县住建局") in controls["unit"].options
    seen = []
    w.bind(controls, lambda **f: seen.append(book.filter(**f, scores=fake_scores())))
    assert _ids(seen[-1]) == _ids(book)
    controls["office"].value = "城镇建设"
    assert _ids(seen[-1]) == {SEWAGE, ROAD}
    controls["name_contains"].value = "污水"
    assert _ids(seen[-1]) == {SEWAGE}
    controls["office"].value = None
    controls["name_contains"].value = ""
    controls["rag"].value = "red"
    assert _ids(seen[-1]) == {HOSPITAL, ROAD}


def test_bind_shows_a_workbench_error_instead_of_raising(book):
    from workbench.present import widgets as w

    box = w.search_box()
    calls = []

    def render(name_contains):
        calls.append(name_contains)
        raise ParameterError("bad")

    w.bind({"name_contains": box}, render)
    box.value = "x"
    assert calls == [None, "x"]


def test_explorer_panel_opens_a_card_when_a_project_is_chosen(book):
    from workbench.explore.explore import explorer

    panel = explorer(book, scores=fake_scores())
    grid, picker, card_out, listing = panel.children
    office = grid.children[0]
    office.value = "城镇建设"
    assert {v for _, v in picker.options} == {None, SEWAGE, ROAD}
    picker.value = SEWAGE  # opens the card (shown only inside a kernel); must not raise
    picker.value = None


# --- on the generated sample, with the real scores ---------------------------------------------


@pytest.fixture(scope="module")
def sample():
    pytest.importorskip("workbench.scoring.scores")
    from workbench.sample.generate import generate_sample

    return generate_sample()


def test_band_and_rag_filters_need_scores_on_the_ledger_and_score_in_explore(sample):
    from workbench.exceptions import ParameterError
    from workbench.explore.explore import filter_ledger
    from workbench.scoring.scores import score

    with pytest.raises(ParameterError, match="scores"):
        sample.filter(rag="red")  # the model does not score: it says how to pass the scores
    scores = score(sample)
    assert _ids(sample.filter(rag="red", scores=scores)) == _ids(filter_ledger(sample, rag="red"))
    red = filter_ledger(sample, rag="red")
    expected = set(scores.delivery.loc[scores.delivery["rag"] == "red", "project_id"])
    assert _ids(red) == expected and expected
    _assert_consistent(sample, red)
    amber = filter_ledger(sample, band="amber", office="工业发展")
    in_band = set(scores.planning.loc[scores.planning["band"] == "amber", "project_id"])
    industry = set(sample.projects.loc[sample.projects["office"] == "工业发展", "project_id"])
    assert _ids(amber) == in_band & industry


def test_card_of_a_sample_project_explains_every_lost_point(sample):
    from workbench.scoring.scores import score

    scores = score(sample)
    pid = scores.planning.sort_values("score")["project_id"].iloc[0]
    card = project_card(sample, pid, scores=scores)
    assert card.reasons["points_lost"].sum() == pytest.approx(100 - card.planning["score"])
    expected = scores.delivery.set_index("project_id").loc[pid, "rag"]
    shown = card.delivery["rag"]
    assert (pd.isna(expected) and pd.isna(shown)) or shown == expected


def test_empty_filters_mean_no_filter(book):
    assert _ids(book.filter(office=None, unit="", name_contains="  ", level=[])) == _ids(book)
    with pytest.raises(ParameterError, match="level"):
        book.filter(level=3)
