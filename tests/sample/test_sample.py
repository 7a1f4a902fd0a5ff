"""The synthetic sample county: magnitudes, determinism, the workbook layout and the round trip."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.exceptions import ParameterError
from workbench.model.ledger import derived_project_id, is_project_code
from workbench.sample import generate_sample, sample_config, sample_facts
from workbench.sample.workbook import write_ledger_workbook

RESERVE = ("谋划", "储备")


@pytest.fixture(scope="module")
def ledger():
    return generate_sample()


@pytest.fixture(scope="module")
def listed(ledger):
    p = ledger.projects
    return p[~p["stage"].isin(RESERVE)]


@pytest.fixture(scope="module")
def small():
    return generate_sample(seed=11, projects=12)


@pytest.fixture(scope="module")
def fresh_xlsx(ledger, tmp_path_factory):
    return write_ledger_workbook(ledger, tmp_path_factory.mktemp("sample") / "fresh.xlsx")


# --- magnitudes (docs/sample.md, "Calibration targets and what the sample has") ------------------


def test_default_sample_has_the_magnitudes_of_a_neixiang_like_county(ledger):
    f = sample_facts(ledger)
    assert f["projects"] == 200
    assert 60 <= f["province_city"] <= 80  # ≈70 province/city key projects
    assert 0 < f["province"] < f["province_city"]
    assert 800 <= f["total_investment_yi"] <= 1500
    assert 150 <= f["annual_plan_yi"] <= 270
    assert 2 <= f["reserve_multiple"] <= 3
    assert 1.5 <= f["median_size_yi"] <= 2.5  # log-normal, median ≈ 2亿
    assert 20 <= f["max_size_yi"] <= 50  # a tail to 50亿
    assert f["min_size_wan"] >= 500  # key projects ≥ 500万
    low, high = f["new_start_plan_ratio"]
    assert 0.28 <= low and high <= 0.48  # annual plan / total for new starts


def test_nature_mix_matches_the_configured_mix(ledger):
    mix = sample_facts(ledger)["nature_mix"]
    for nature, share in sample_config()["nature_mix"].items():
        assert mix[nature] == pytest.approx(share, abs=0.03), nature
    assert mix["续建"] > mix["新开工"] > mix["竣工"] > 0 and mix["前期"] > 0


def test_planned_starts_cluster_at_quarter_openings_with_q1_strongest(listed):
    months = listed.loc[listed["nature"] == "新开工", "planned_start"].dt.month
    by_quarter = ((months - 1) // 3 + 1).value_counts()
    assert by_quarter.idxmax() == 1 and by_quarter[1] / len(months) >= 0.35  # 开门红
    for opening in (1, 4, 7, 10):
        rest = months.isin([opening + 1, opening + 2]).sum() / 2
        assert (months == opening).sum() > rest, f"month {opening} is not a cluster"


@pytest.mark.parametrize("seed", [1, 7, 99])
def test_magnitudes_hold_for_other_seeds(seed):
    f = sample_facts(generate_sample(seed=seed))
    assert 800 <= f["total_investment_yi"] <= 1500
    assert 150 <= f["annual_plan_yi"] <= 270
    assert 2 <= f["reserve_multiple"] <= 3
    assert 60 <= f["province_city"] <= 80


def test_magnitudes_scale_with_the_project_count():
    f = sample_facts(generate_sample(seed=3, projects=50))
    assert f["projects"] == 50
    assert f["province_city"] == round(0.35 * 50)
    assert 800 / 4 <= f["total_investment_yi"] <= 1500 / 4
    assert 150 / 4 <= f["annual_plan_yi"] <= 270 / 4
    assert 2 <= f["reserve_multiple"] <= 3


# --- determinism ------------------------------------------------------------------------------------


def test_same_seed_gives_identical_tables_and_another_seed_different_ones(ledger):
    again = generate_sample(seed=2022)
    for name, frame in ledger.tables().items():
        pd.testing.assert_frame_equal(frame, getattr(again, name), obj=name)
    other = generate_sample(seed=2023)
    assert not ledger.projects["name"].equals(other.projects["name"])
    assert not ledger.progress["completed"].equals(other.progress["completed"])


def test_bad_parameters_are_refused_with_a_clear_error():
    with pytest.raises(ParameterError, match="projects") as err:
        generate_sample(projects=0)
    assert (err.value.field, err.value.value) == ("projects", 0)
    with pytest.raises(ParameterError, match="seed") as err:
        generate_sample(seed=-1)
    assert (err.value.field, err.value.value) == ("seed", -1)
    with pytest.raises(ParameterError, match="year") as err:
        generate_sample(year="2022")
    assert err.value.field == "year"


# --- what the tables hold ------------------------------------------------------------------------------


def test_stages_split_the_list_from_the_reserve(ledger, listed):
    assert set(listed["stage"]) <= {"前期", "在建", "建成", "投产"}
    reserve = ledger.projects[ledger.projects["stage"].isin(RESERVE)]
    assert set(reserve["stage"]) == set(RESERVE)
    assert (reserve["annual_plan"] == 0).all()
    # the list comes first, in the order the ledger shows it (by category)
    first_reserve = ledger.projects["stage"].isin(RESERVE).idxmax()
    assert not ledger.projects["stage"].iloc[:first_reserve].isin(RESERVE).any()


def test_monthly_plan_adds_up_to_the_annual_plan_and_respects_start_dates(ledger, listed):
    progress = ledger.progress
    assert progress.groupby("project_id").size().eq(12).all()
    assert set(progress["project_id"]) == set(listed["project_id"])
    planned = progress.groupby("project_id")["planned"].sum()
    plan = listed.set_index("project_id")["annual_plan"]
    assert (planned.reindex(plan.index) - plan).abs().max() < 0.011
    new = listed[listed["nature"] == "新开工"].set_index("project_id")
    rows = progress.join(new[["planned_start", "actual_start"]], on="project_id", how="inner")
    before_plan = rows["month"] < rows["planned_start"].dt.to_period("M").dt.start_time
    assert (rows.loc[before_plan, "planned"] == 0).all()
    before_start = rows["actual_start"].isna() | (
        rows["month"] < rows["actual_start"].dt.to_period("M").dt.start_time
    )
    assert (rows.loc[before_start, "completed"] == 0).all()


def test_completion_runs_ahead_for_some_projects_and_behind_for_others(ledger):
    by_project = ledger.progress.groupby("project_id")[["planned", "completed"]].sum()
    ratio = by_project["completed"] / by_project["planned"]
    assert (ratio >= 1.0).mean() > 0.2
    assert (ratio < 0.85).mean() > 0.1


def test_the_sample_has_the_flaws_real_ledgers_have(ledger, listed):
    new = listed[listed["nature"] == "新开工"]
    late = new["actual_start"].dt.to_period("M") > new["planned_start"].dt.to_period("M")
    early = new["actual_start"].dt.to_period("M") < new["planned_start"].dt.to_period("M")
    assert late.sum() >= 5 and early.sum() >= 1
    approvals = ledger.approvals.merge(listed[["project_id", "nature"]], on="project_id")
    missing = approvals["status"].isin(["not_started", "in_progress"]).groupby(approvals["nature"])
    assert missing.mean()["前期"] > missing.mean()["续建"]
    assert (ledger.approvals["expires_on"] < pd.Timestamp("2022-12-31")).any()
    bonds = ledger.funding[ledger.funding["source"] == "地方政府专项债券"]
    assert (bonds["status"] == "applied").any()
    assert (~listed["project_id"].isin(ledger.funding["project_id"])).any()  # no funding at all
    open_problems = ledger.problems[ledger.problems["resolved_on"].isna()]
    assert (open_problems["due_on"] < pd.Timestamp("2022-12-31")).any()
    with_milestones = listed["project_id"].isin(ledger.milestones["project_id"])
    assert 0.5 < with_milestones.mean() < 1
    assert ledger.milestones["owner"].isna().any() and ledger.milestones["owner"].notna().mean() > 0.5
    assert listed["owner"].isna().any() and listed["leader"].isna().any()
    assert listed["owner"].notna().mean() > 0.9


def test_names_and_codes_read_like_real_ones(ledger):
    p = ledger.projects
    assert p["name"].is_unique
    assert p["name"].str.contains("项目|工程").all()
    coded = p["project_id"].map(is_project_code)
    assert 0.6 < coded.mean() < 1
    assert p.loc[coded, "project_id"].str.slice(5, 11).eq("411325").all()
    uncoded = p[~coded]
    assert (uncoded["project_id"] == [
        derived_project_id(n, o) for n, o in zip(uncoded["name"], uncoded["owner"], strict=True)
    ]).all()
    assert p["leader"].dropna().str.contains(r"（.+）$").all()
    small_kinds = p["name"].str.contains("小学|幼儿园|卫生院|敬老院|综合文化服务中心")
    assert small_kinds.any() and (p.loc[small_kinds, "total_investment"] <= 15000).all()
    towns = sample_config()["county"]["towns"]
    assert p["location"].dropna().str.contains("|".join(towns) + "|产业").all()


# --- the workbook ------------------------------------------------------------------------------------


@pytest.mark.slow  # writes (and reads) the full 306-project workbook
def test_workbook_looks_like_a_drc_ledger(ledger, listed, fresh_xlsx):
    wb = openpyxl.load_workbook(fresh_xlsx)
    assert wb.sheetnames == ["重点项目台账", "谋划储备项目", "前期手续", "资金来源", "存在问题", "节点计划"]
    ws = wb["重点项目台账"]
    assert ws["A1"].value == "2022年内乡县重点项目建设台账（合成样例数据）"
    assert ws["A2"].value == "填报时间：2022年12月31日"
    assert "单位：万元" in [c.value for c in ws[2]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4"} <= merged
    header = [c.value for c in ws[3]]
    assert header[:3] == ["序号", "项目代码", "项目名称"]
    assert "2022年月度计划投资" in header and "2022年月度完成投资" in header
    assert [c.value for c in ws[4]][-12:] == [f"{m}月" for m in range(1, 13)]
    assert ws["A3"].font.bold and ws.freeze_panes == "D5"
    total = [c.value for c in ws[5]]
    assert total[2] == "合计" and total[0] is None
    assert total[header.index("总投资")] == pytest.approx(listed["total_investment"].sum())
    assert sum(total[-12:]) == pytest.approx(ledger.progress["completed"].sum(), abs=0.1)
    category = ws["A6"].value
    match = re.fullmatch(r"一、(.+)（(\d+)个）", category)
    assert match and int(match.group(2)) == (listed["category"] == match.group(1)).sum()
    first = [c.value for c in ws[7]]
    assert first[0] == 1 and first[2] == listed["name"].iloc[0]
    assert ws.cell(7, header.index("总投资") + 1).number_format == "#,##0.00"
    dates = [c for c in ws[7] if isinstance(c.value, dt.datetime)]
    assert dates and all(c.number_format == "yyyy-mm-dd" for c in dates)
    notes = [ws.cell(r, 1).value for r in range(ws.max_row - 1, ws.max_row + 1)]
    assert notes[0].startswith("注：1. 本台账为合成样例数据") and notes[1] == "2. 金额单位为万元。"
    problems = wb["存在问题"]
    assert [c.value for c in problems[2]] == ["项目代码", "项目名称", "存在问题", "责任人", "提出日期",
                                              "限期", "销号日期"]  # fmt: skip


def test_workbook_neutralises_formula_like_text(small, tmp_path):
    projects = small.projects.copy()
    projects.loc[0, "scope"] = "=HYPERLINK(\"http://x\")"
    path = write_ledger_workbook(small.replace(projects=projects), tmp_path / "safe.xlsx")
    ws = openpyxl.load_workbook(path)["重点项目台账"]
    scope_col = [c.value for c in ws[3]].index("建设规模及主要建设内容") + 1
    assert ws.cell(7, scope_col).value.startswith("'=")


def test_workbook_is_written_atomically(small, tmp_path, monkeypatch):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"previous")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("workbench.sample.workbook.os.replace", broken_replace)
    with pytest.raises(OSError):
        write_ledger_workbook(small, path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.xlsx"]


def _cells(path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: ([list(row) for row in ws.iter_rows(values_only=True)],
                   sorted(str(r) for r in ws.merged_cells.ranges))
        for ws in wb.worksheets
    }  # fmt: skip


@pytest.mark.slow  # writes (and reads) the full 306-project workbook
def test_committed_sample_equals_a_fresh_generation(sample_path, fresh_xlsx):
    """Nobody edits data/sample by hand: regenerate with `workbench sample`."""
    if sample_path.read_bytes() == fresh_xlsx.read_bytes():  # the writer is byte-stable
        return
    committed, fresh = _cells(sample_path), _cells(fresh_xlsx)
    assert committed.keys() == fresh.keys()
    for sheet in fresh:
        rows_c, rows_f = committed[sheet][0], fresh[sheet][0]
        for r, (a, b) in enumerate(zip(rows_c, rows_f, strict=False), start=1):
            assert a == b, f"{sheet} row {r} differs: run `workbench sample` to regenerate"
        assert len(rows_c) == len(rows_f), sheet
        assert committed[sheet][1] == fresh[sheet][1], f"{sheet}: merged cells differ"


@pytest.mark.slow  # writes (and reads) the full 306-project workbook
def test_sample_round_trips_through_the_workbook(ledger, fresh_xlsx):
    """sample → xlsx → load_ledger gives back the generator's tables exactly."""
    load = pytest.importorskip("workbench.ingest.load")
    loaded = load.load_ledger(fresh_xlsx)
    assert loaded.year == ledger.year
    for name, frame in ledger.tables().items():
        pd.testing.assert_frame_equal(getattr(loaded, name), frame, obj=name)
    assert not (loaded.findings["severity"] == "error").any()
    assert len(loaded.rejected) == 0


def test_cli_sample_writes_the_workbook_and_says_what_it_wrote(tmp_path):
    result = CliRunner().invoke(app, ["sample", "--seed", "5", "--projects", "30", "--out",
                                      str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    path = tmp_path / "neixiang_2022_ledger.xlsx"
    assert path.exists() and str(path) in result.output
    assert "重点项目 30 个" in result.output and "亿元" in result.output
    bad = CliRunner().invoke(app, ["sample", "--projects", "0", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "projects" in bad.output


def test_sample_readme_states_the_computed_magnitudes(ledger, repo_root):
    """data/sample/README.md quotes figures computed from the sample, not guesses."""
    text = (repo_root / "data" / "sample" / "README.md").read_text("utf-8")
    f = sample_facts(ledger)
    assert "synthetic" in text.lower() and "workbench sample --seed 2022" in text
    for figure in (f"{f['total_investment_yi']:.2f} 亿元", f"{f['annual_plan_yi']:.2f} 亿元",
                   f"{f['completed_yi']:.2f} 亿元", f"{f['reserve_investment_yi']:.2f} 亿元",
                   f"{f['reserve_multiple']:.2f}×", f"{f['reserve_projects']} projects",
                   f"{f['province_city']} province/city", f"median {f['median_size_yi']:.2f}亿",
                   f"{f['q1_start_share']:.1%} in Q1"):  # fmt: skip
        assert figure in text, f"README does not state {figure!r}: update it from sample_facts"


def test_projects_without_a_category_come_first_without_a_category_row(small, tmp_path):
    load = pytest.importorskip("workbench.ingest.load")
    projects = small.projects.copy()
    projects["category"] = projects["category"].where(projects.index >= 2, None)
    ledger = small.replace(projects=projects)
    path = write_ledger_workbook(ledger, tmp_path / "uncategorised.xlsx")
    ws = openpyxl.load_workbook(path)["重点项目台账"]
    assert ws["A6"].value == 1 and ws["A8"].value.startswith("一、")
    loaded = load.load_ledger(path)
    pd.testing.assert_frame_equal(loaded.projects, ledger.projects)


# --- one definition each ---------------------------------------------------------------------------


def test_chinese_numbers_have_one_definition():
    from workbench.sample import identities, numerals, workbook

    said = [numerals.chinese_number(k) for k in (1, 4, 9, 10, 11, 12, 20, 23, 99)]
    assert said == ["一", "四", "九", "十", "十一", "十二", "二十", "二十三", "九十九"]
    assert workbook.chinese_number is numerals.chinese_number
    assert identities.chinese_number is numerals.chinese_number


def test_ledger_month_counts_months_of_the_ledger_year():
    import numpy as np

    from workbench.sample.draws import ledger_month

    dates = np.array(["2021-12-31", "2022-01-01", "2022-12-15", "2023-01-01", "NaT"],
                     dtype="datetime64[us]")
    assert ledger_month(dates, 2022).tolist() == [0, 1, 12, 13, 10_000]


def test_the_workbook_is_stamped_with_the_date_the_ledger_speaks_for(tmp_path):
    """填报时间 is the default as-of date: plans filled in for months ahead are not a report."""
    from tests.scoring_fixtures import CODE_A, ledger_of, monthly, project

    led = ledger_of([project(CODE_A)], monthly(CODE_A, [1000.0] * 12, [900.0] * 6 + [0.0] * 6))
    path = write_ledger_workbook(led, tmp_path / "planned_ahead.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    stamp = next(sheet.iter_rows(min_row=2, max_row=2, max_col=1, values_only=True))[0]
    assert stamp == "填报时间：2022年6月30日"
