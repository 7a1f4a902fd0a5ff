"""Values as counties write them (issue 12): date phrases, status words in date columns,
percentages, thousands separators, amounts with their own unit, 建设性质 derived when not
written, the ledger's year and columns of another year, 1-N月累计 beside 当月 and quarterly plans.

Each ledger is built the way a county's office builds it: a title row naming the year, a unit
row, a header row (two rows where a group heads its 其中 columns), then the projects.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.exceptions import ParameterError
from workbench.ingest.load import load_ledger

T = pd.Timestamp


def _workbook(path: Path, title: str | None, header: list, rows: list, sub: list | None = None,
              merges: tuple = (), sheet: str = "Sheet1", formats: dict | None = None,
              under_title: str | None = None) -> Path:
    """A county ledger: title, [report-date line], unit row, header row(s), project rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    top = []
    if title:
        top.append([title])
    if under_title:
        top.append([under_title])
    top.append(["单位：万元"])
    for line in top:
        ws.append(line)
    ws.append(header)
    if sub is not None:
        ws.append(sub)
    first = ws.max_row + 1
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(first + r, c + 1).number_format = fmt
    wb.save(path)
    return path


HEADER = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "计划开工时间",
          "计划竣工时间", "实际开工时间", "3月完成投资", "形象进度(%)"]


def _row(i, name, nature="续建", total=10000, plan=2000, start="2021-05-01", end="2023-12-31",
         actual="", march=100, pct=""):
    return [i, name, "某某公司", nature, total, plan, start, end, actual, march, pct]


def _project(ledger, name) -> pd.Series:
    return ledger.projects.set_index("name").loc[name]


@pytest.fixture(scope="module")
def phrases(tmp_path_factory):
    path = tmp_path_factory.mktemp("values") / "台账.xlsx"
    rows = [
        _row(1, "年底竣工项目", end="2022年底"),
        _row(2, "年末竣工项目", end="2022年末"),
        _row(3, "二季度开工项目", nature="新开工", start="2022年二季度", end="2023年上半年"),
        _row(4, "月底开工项目", nature="新开工", start="3月底", end="年中"),
        _row(5, "已开工项目", actual="已开工"),
        _row(6, "待定项目", nature="前期", start="待定", end="未定"),
        _row(7, "百分比格式项目", pct=0.65),
        _row(8, "百分比文字项目", pct="65%"),
        _row(9, "亿元项目", total="6.5亿元"),
    ]
    return load_ledger(_workbook(path, "2022年重点项目建设台账", HEADER, rows,
                                 formats={(6, 10): "0%"}))


def test_end_of_period_phrases_are_the_last_day_of_the_period(phrases):
    assert _project(phrases, "年底竣工项目")["planned_completion"] == T("2022-12-31")
    assert _project(phrases, "年末竣工项目")["planned_completion"] == T("2022-12-31")


def test_period_phrases_start_at_its_first_day_and_complete_on_its_last(phrases):
    p = _project(phrases, "二季度开工项目")
    assert p["planned_start"] == T("2022-04-01") and p["planned_completion"] == T("2023-06-30")
    p = _project(phrases, "月底开工项目")  # no year written: the ledger's (the title's 2022)
    assert p["planned_start"] == T("2022-03-31") and p["planned_completion"] == T("2022-06-30")


def test_a_status_word_in_a_date_column_is_a_fact_not_a_date(phrases):
    p = _project(phrases, "已开工项目")
    assert pd.isna(p["actual_start"])
    f = phrases.findings.query("rule == 'date_status_word'")
    assert len(f) == 1 and f.iloc[0]["value"] == "已开工" and f.iloc[0]["severity"] == "warning"
    assert "记为“已开工”" in f.iloc[0]["message_zh"] and "not a date" in f.iloc[0]["message_en"]


def test_undecided_dates_are_unknown_without_a_finding(phrases):
    p = _project(phrases, "待定项目")
    assert pd.isna(p["planned_start"]) and pd.isna(p["planned_completion"])
    assert not (phrases.findings["value"].isin(["待定", "未定"])).any()


def test_every_row_is_kept_and_nothing_is_an_error(phrases):
    assert len(phrases.projects) == 9 and len(phrases.rejected) == 0
    assert not (phrases.findings["severity"] == "error").any()


def test_a_percent_format_and_a_percent_text_give_the_same_value(phrases):
    progress = phrases.progress.merge(phrases.projects[["project_id", "name"]], on="project_id")
    pct = progress.set_index("name")["physical_progress"]
    assert pct["百分比格式项目"] == pct["百分比文字项目"] == 65.0


def test_an_amount_with_its_own_unit_converts(phrases):
    assert _project(phrases, "亿元项目")["total_investment"] == 65000.0


def test_thousands_separators_in_a_csv_export(tmp_path):
    path = tmp_path / "2022年台账.csv"
    path.write_text("序号,项目名称,建设单位,建设性质,总投资,2022年计划投资,3月完成投资\n"
                    '1,道路工程,城投公司,续建,"1,234.5","1,000",12\n', encoding="utf-8-sig")
    ledger = load_ledger(path)
    p = ledger.projects.iloc[0]
    assert (p["total_investment"], p["annual_plan"]) == (1234.5, 1000.0)


# --- 建设性质 derived when the ledger does not write it ----------------------------------------


def test_a_ledger_without_nature_keeps_every_row_with_the_nature_derived(tmp_path):
    header = ["序号", "项目名称", "建设单位", "总投资", "2022年计划投资", "计划开工时间", "计划竣工时间",
              "1-3月累计完成投资"]
    rows = [
        [1, "今年开工", "甲", 1000, 500, "2022-03", "2023-12", 10],
        [2, "往年开工", "乙", 1000, 500, "2021-05", "2023-12", 10],
        [3, "今年竣工", "丙", 1000, 500, "2020-05", "2022-10", 10],
        [4, "没有开工时间", "丁", 1000, 0, "", "", 0],
        [5, "明年开工", "戊", 1000, 0, "2023-06", "2024-12", ""],
        [6, "没有日期但已完成投资", "己", 1000, 500, "", "", 50],
    ]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    assert len(ledger.projects) == 6 and len(ledger.rejected) == 0
    nature = ledger.projects.set_index("name")["nature"]
    assert nature.to_dict() == {"今年开工": "新开工", "往年开工": "续建", "今年竣工": "竣工",
                                "没有开工时间": "前期", "明年开工": "前期",
                                "没有日期但已完成投资": "续建"}  # started: the stage rule of 在建
    f = ledger.findings.query("rule == 'nature_derived'")
    assert len(f) == 1 and f.iloc[0]["severity"] == "warning"
    assert f.iloc[0]["column"] == "建设性质" and f.iloc[0]["value"] == "6"
    assert "2022" in f.iloc[0]["message_zh"]


def test_blank_nature_cells_are_derived_and_written_ones_kept(tmp_path):
    rows = [_row(1, "写明续建", nature="续建", start="2022-04"),
            _row(2, "空白今年开工", nature="", start="2022-04")]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", HEADER, rows))
    nature = ledger.projects.set_index("name")["nature"]
    assert nature["写明续建"] == "续建" and nature["空白今年开工"] == "新开工"
    assert ledger.findings.query("rule == 'nature_derived'")["value"].tolist() == ["1"]


# --- the ledger's year ----------------------------------------------------------------------


def _year_ledger(tmp_path, title, sheet="Sheet1", name="ledger.xlsx", under_title=None):
    return _workbook(tmp_path / name, title, HEADER, [_row(1, "某项目")], sheet=sheet,
                     under_title=under_title)


def test_the_year_comes_from_the_title_then_sheet_then_file_then_report_date(tmp_path):
    cases = [
        (_year_ledger(tmp_path, "2022年重点项目台账", sheet="2021年", name="2020.xlsx"), 2022, "title"),
        (_year_ledger(tmp_path, "重点项目台账", sheet="2021年台账", name="a2020.xlsx"), 2021, "sheet"),
        (_year_ledger(tmp_path, "重点项目台账", name="2020年台账.xlsx"), 2020, "file"),
        (_year_ledger(tmp_path, "重点项目台账", name="b.xlsx", under_title="填报日期：2019年4月10日"),
         2019, "report_date"),
    ]
    for path, year, source in cases:
        ledger = load_ledger(path)
        assert (ledger.year, ledger.extras.attrs["year_source"]) == (year, source), path.name


def test_the_year_given_wins_and_is_checked(tmp_path):
    path = _year_ledger(tmp_path, "2022年重点项目台账")
    ledger = load_ledger(path, year=2021)
    assert ledger.year == 2021 and ledger.extras.attrs["year_source"] == "given"
    with pytest.raises(ParameterError):
        load_ledger(path, year=99)


def test_load_validate_and_score_take_year_and_say_where_it_came_from(tmp_path):
    path = _year_ledger(tmp_path, "2022年重点项目台账")
    result = CliRunner().invoke(app, ["load", str(path)])
    assert result.exit_code == 0 and "台账年份：2022（取自标题）" in result.output
    result = CliRunner().invoke(app, ["load", str(path), "--year", "2023", "--lang", "en"])
    assert result.exit_code == 0 and "ledger year: 2023 (given with --year)" in result.output
    result = CliRunner().invoke(app, ["validate", str(path), "--year", "2023"])
    assert "台账年份：2023（--year 指定）" in result.output
    result = CliRunner().invoke(app, ["validate", str(path), "--json"])
    assert '"year_source": "title"' in result.output
    result = CliRunner().invoke(app, ["score", str(path), "--year", "2022"])
    assert result.exit_code == 0, result.output


def test_a_column_of_another_year_never_fills_this_years_field(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2021年计划投资", "2022年计划投资",
              "2023年计划投资"]
    rows = [[1, "某项目", "甲", "续建", 10000, 1111, 2222, 3333]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    assert ledger.projects.iloc[0]["annual_plan"] == 2222
    f = ledger.findings.query("rule == 'other_year_column'")
    assert set(f["column"]) == {"2021年计划投资", "2023年计划投资"}
    assert {"2021年计划投资", "2023年计划投资"} <= set(ledger.extras.columns)


def test_last_years_plan_first_and_this_years_under_a_group(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2021年计划投资", "2022年计划投资", ""]
    sub = ["", "", "", "", "", "", "全年", "其中：一季度"]
    rows = [[1, "某项目", "甲", "续建", 10000, 1111, 4000, 900]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows, sub=sub,
                                   merges=("G3:H3",)))
    assert ledger.projects.iloc[0]["annual_plan"] == 4000
    assert "2021年计划投资" in set(ledger.findings.query("rule == 'other_year_column'")["column"])


# --- sub-columns: year to date beside the month, quarterly plans ------------------------------


def test_year_to_date_beside_this_month_keeps_the_quarter_whole(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "", "",
              "1-3月完成投资", ""]
    sub = ["", "", "", "", "", "全年", "其中：一季度", "二季度", "累计", "其中：3月份"]
    rows = [[1, "某项目", "甲", "续建", 10000, 4000, 900, 1100, 700, 300]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows, sub=sub,
                                   merges=("F3:H3", "I3:J3")))
    progress = ledger.progress.set_index(ledger.progress["month"].dt.month)
    assert progress["completed"].sum() == 700  # Q1 completed is 1-3月累计, not March alone
    assert progress.loc[3, "completed"] == 300 and progress.loc[2, "completed"] == 400
    assert progress.loc[3, "planned"] == 900 and progress.loc[6, "planned"] == 1100
    assert ledger.projects.iloc[0]["annual_plan"] == 4000
    assert not ledger.findings.query("rule == 'monthly_plan_assumed'").shape[0]


def test_this_month_without_a_number_is_the_last_month_of_the_year_to_date(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "1-6月累计完成投资",
              "当月完成投资"]
    rows = [[1, "某项目", "甲", "续建", 10000, 4000, 1500, 200]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    done = ledger.progress.set_index(ledger.progress["month"].dt.month)["completed"]
    assert done.sum() == 1500 and done[6] == 200 and done[5] == 1300


def test_year_to_date_below_this_month_is_an_error(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "1-3月累计完成投资",
              "3月完成投资"]
    rows = [[1, "某项目", "甲", "续建", 10000, 4000, 100, 300]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    assert "ytd_decreasing" in set(ledger.findings["rule"])


def test_a_column_of_whole_percents_keeps_its_small_values():
    from workbench.ingest.values import percent_column

    values, bad = percent_column(pd.Series([85, 40, 1, "50%", "—"], dtype=object))
    assert values.tolist()[:4] == [85.0, 40.0, 1.0, 50.0] and not bad.any()
    values, _ = percent_column(pd.Series([0.65, "65%", 1], dtype=object))  # percent-formatted
    assert values.tolist() == [65.0, 65.0, 100.0]


def test_a_construction_period_written_in_phrases(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "建设年限"]
    rows = [[1, "甲项目", "甲", "续建", 1000, 500, "2021年3月-2022年底"],
            [2, "乙项目", "乙", "新开工", 1000, 500, "二季度至年底"]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    p = ledger.projects.set_index("name")
    assert (p.loc["甲项目", "planned_start"], p.loc["甲项目", "planned_completion"]) == (
        T("2021-03-01"), T("2022-12-31"))
    assert (p.loc["乙项目", "planned_start"], p.loc["乙项目", "planned_completion"]) == (
        T("2022-04-01"), T("2022-12-31"))


@pytest.mark.parametrize("group, sub", [("2022年", "计划投资"), ("2022年计划", "投资"),
                                        ("2022年", "年内计划投资"), ("2022年投资计划", None)])
def test_the_years_plan_written_as_counties_head_it(tmp_path, group, sub):
    header = ["序号", "项目名称", "建设单位", "建设性质", "概算投资", group, ""]
    subs = None if sub is None else ["", "", "", "", "", sub, "1-3月完成投资"]
    if sub is None:
        header[-1] = "1-3月完成投资"
    rows = [[1, "某项目", "甲", "续建", 10000, 2500, 300]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows, sub=subs,
                                   merges=("F3:G3",) if sub else ()))
    p = ledger.projects.iloc[0]
    assert (p["total_investment"], p["annual_plan"]) == (10000, 2500)


def test_a_first_quarter_beside_the_half_year_to_date_is_counted_once(tmp_path):
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2022年计划投资", "一季度计划投资",
              "上半年计划投资", "1-6月累计完成投资"]
    rows = [[1, "某项目", "甲", "续建", 10000, 4000, 800, 2000, 1500]]
    ledger = load_ledger(_workbook(tmp_path / "x.xlsx", "2022年重点项目台账", header, rows))
    planned = ledger.progress.set_index(ledger.progress["month"].dt.month)["planned"]
    assert planned.sum() == 2000 and planned[3] == 800 and planned[6] == 1200
