"""Sheets laid out the way county offices lay them out: three header rows, a hidden 栏次 row,
units in a header and in a unit row, 责任单位 and 包联领导 merged down over several projects, a
hidden row, a hidden column, a notes block below the data."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbench.ingest.load import load_ledger
from workbench.ingest.readers import read_sheets

SHEET = "2022年项目台账"
HEADERS = ["序号", "项目名称", "建设单位", "建设性质", "总投资（亿元）", "2021年计划投资"]
PROJECTS = [  # name, nature, total (亿元), 2021 plan, annual plan, Jan, Feb, Mar (万元)
    ("城区污水管网改造工程", "新建", 1.2, 900, 3000, 100, 200, 300),
    ("第二高级中学新建项目", "续建", 2.5, 800, 6000, 0, 500, 700),
    ("产业集聚区标准化厂房", "新建", 0.8, 700, 2000, 50, 60, 70),
    ("乡村道路提升工程", "续建", 0.5, 600, 1500, 10, 20, 30),
    ("县医院综合楼", "新建", 3.0, 500, 8000, 400, 400, 400),
    ("智慧城市一期", "续建", 1.0, 400, 2500, 0, 0, 250),
]


def county_workbook(path, hide_plan=False):
    """Title, unit row, three header rows, a hidden 栏次 row, six projects (one hidden) with
    merged 责任单位 / 包联领导, a hidden 2021 plan column, a notes block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "某县2022年重点项目建设台账"
    ws.merge_cells("A1:N1")
    ws["A2"], ws["J2"] = "填报单位：县发改委", "单位：万元"
    for c, h in enumerate(HEADERS, 1):
        ws.cell(3, c, h)
        ws.merge_cells(start_row=3, start_column=c, end_row=5, end_column=c)
    ws["G3"] = "2022年计划投资"
    ws.merge_cells("G3:I3")
    ws["G4"] = "年度计划投资" if not hide_plan else "全年"
    ws.merge_cells("G4:G5")
    ws["H4"] = "其中"
    ws.merge_cells("H4:I4")
    ws["H5"], ws["I5"] = "一季度", "二季度"
    ws["J3"] = "2022年完成投资"
    ws.merge_cells("J3:L3")
    ws["J4"] = "其中"
    ws.merge_cells("J4:L4")
    ws["J5"], ws["K5"], ws["L5"] = "1月", "2月", "3月"
    for c, h in ((13, "责任单位"), (14, "包联领导")):
        ws.cell(3, c, h)
        ws.merge_cells(start_row=3, start_column=c, end_row=5, end_column=c)
    for c in range(1, 15):  # 栏次
        ws.cell(6, c, c)
    ws.row_dimensions[6].hidden = True
    for i, (name, nature, total, old, plan, m1, m2, m3) in enumerate(PROJECTS):
        r = 7 + i
        for c, v in enumerate([i + 1, name, "县城投公司", nature, total, old, plan, None, None,
                               m1, m2, m3], 1):
            ws.cell(r, c, v)
    ws["M7"], ws["M10"], ws["N7"] = "县交通局", "县住建局", "张副县长"
    ws.merge_cells("M7:M9")
    ws.merge_cells("M10:M12")
    ws.merge_cells("N7:N12")
    ws.row_dimensions[9].hidden = True
    ws.column_dimensions["F"].hidden = True
    notes = ["填报说明：", "1.本表金额单位为万元，总投资为亿元。", "2.责任单位按月更新。",
             "三、每月25日前报县发改委。"]
    for i, text in enumerate(notes):
        ws.cell(13 + i, 1, text)
        ws.merge_cells(start_row=13 + i, start_column=1, end_row=13 + i, end_column=14)
    ws["A17"], ws["F17"], ws["H17"] = "填报人：李四", "联系电话：", 13800000000
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return load_ledger(county_workbook(tmp_path_factory.mktemp("county") / "ledger.xlsx"))


def test_every_project_read_and_nothing_else(county):
    assert list(county.projects["name"]) == [p[0] for p in PROJECTS]
    assert len(county.rejected) == 0
    rec = county.reconciliation.set_index("sheet").loc[SHEET]
    assert bool(rec["balanced"])
    # 3 header rows + the 栏次 row; 5 note rows (填报说明 … 填报人), 6 data rows
    assert (rec["title"], rec["unit"], rec["header"], rec["note"], rec["data"]) == (1, 1, 4, 5, 6)


def test_vertical_merges_are_filled_down_and_counted(county):
    p = county.projects.set_index("name")
    assert list(p["responsible_unit"]) == ["县交通局"] * 3 + ["县住建局"] * 3
    assert list(p["leader"]) == ["张副县长"] * 6
    rec = county.reconciliation.set_index("sheet").loc[SHEET]
    assert rec["filled"] == 2 + 2 + 5
    filled = county.findings[county.findings["rule"] == "merged_filled"]
    assert dict(zip(filled["column"], filled["value"], strict=True)) == {"责任单位": "4", "包联领导": "5"}


def test_hidden_row_is_read_and_said(county):
    assert "产业集聚区标准化厂房" in set(county.projects["name"])  # Excel row 9, hidden
    assert county.reconciliation.set_index("sheet").loc[SHEET, "hidden"] == 1
    hidden = county.findings[county.findings["rule"] == "hidden_rows_read"]
    assert list(hidden["value"]) == ["1"]
    assert "第9行" in hidden.iloc[0]["message_zh"]


def test_unit_of_a_header_beats_the_unit_row(county):
    p = county.projects.set_index("name")
    assert p.loc["城区污水管网改造工程", "total_investment"] == 12000.0  # 1.2 亿元
    assert p.loc["城区污水管网改造工程", "annual_plan"] == 3000.0  # 万元 (unit row)


def test_three_header_rows_give_months_under_a_group(county):
    progress = county.progress.merge(county.projects[["project_id", "name"]])
    hospital = progress[progress["name"] == "县医院综合楼"].set_index("month")
    assert [hospital.loc[f"2022-0{m}-01", "completed"] for m in (1, 2, 3)] == [400.0, 400.0, 400.0]


def test_visible_column_beats_a_hidden_one(county):
    assert county.projects.set_index("name").loc["县医院综合楼", "annual_plan"] == 8000.0
    assert "2021年计划投资" in county.extras.columns
    assert not (county.findings["rule"] == "hidden_column_used").any()


def test_a_hidden_column_of_another_year_never_stands_in_for_this_years_plan(tmp_path):
    """The issue's case: 2022年计划投资/全年 visible, 2021年计划投资 hidden: this year's is used."""
    ledger = load_ledger(county_workbook(tmp_path / "l.xlsx", hide_plan=True))
    assert ledger.projects.set_index("name").loc["县医院综合楼", "annual_plan"] == 8000.0
    assert not (ledger.findings["rule"] == "hidden_column_used").any()
    assert "2021年计划投资" in ledger.extras.attrs["unmatched"]  # kept, listed, not used


def test_hidden_column_used_only_when_nothing_visible_matches_and_said(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["项目名称", "建设性质", "总投资", "计划总投资", "年度计划投资"])
    ws.append(["县医院综合楼", "新建", 30000, 30000, 8000])
    ws.column_dimensions["D"].hidden = True  # a hidden copy of a visible field: left in extras
    ws.column_dimensions["E"].hidden = True  # the only annual plan: used, and said
    wb.save(tmp_path / "h.xlsx")
    ledger = load_ledger(tmp_path / "h.xlsx")
    assert ledger.projects.iloc[0]["annual_plan"] == 8000.0
    used = ledger.findings[ledger.findings["rule"] == "hidden_column_used"]
    assert len(used) == 1
    row = used.iloc[0]
    assert (row["sheet"], row["column"], row["value"]) == (SHEET, "年度计划投资", "E")
    assert "隐藏列E" in row["message_zh"]


def test_a_row_of_units_under_the_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "建设性质", "总投资", "年度计划投资", "形象进度"])
    ws.append(["", "", "亿元", "万元", "%"])
    ws.append(["县医院综合楼", "新建", 3, 8000, 0.3])
    ledger = load_ledger(wb.save(tmp_path / "u.xlsx") or tmp_path / "u.xlsx")
    p = ledger.projects.iloc[0]
    assert (p["total_investment"], p["annual_plan"]) == (30000.0, 8000.0)
    assert ledger.reconciliation.iloc[0]["header"] == 2


@pytest.mark.parametrize("numbers", [[1, 2, 3, 4, 5], ["甲", "乙", 1, 2, 3], ["栏次", "1", "2", "3=4+5", "4"]])
def test_numbering_rows_are_part_of_the_header(tmp_path, numbers):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "建设性质", "总投资", "年度计划投资"])
    ws.append(numbers)
    ws.append([1, "县医院综合楼", "新建", 30000, 8000])
    ws.append(["备注：1.金额单位为万元；"])
    ws.append(["2.数据截至3月底。"])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    ledger = load_ledger(path)
    assert list(ledger.projects["name"]) == ["县医院综合楼"]
    rec = ledger.reconciliation.iloc[0]
    assert (rec["header"], rec["data"], rec["note"], rec["rejected"]) == (2, 1, 2, 0)


def test_notes_in_the_name_column_below_the_data(tmp_path):
    frame = pd.DataFrame({"序号": [1, 2, None, None, None], "项目名称": [
        "县医院综合楼", "智慧城市一期", "注：本表由各责任单位填报", "编制说明：金额为万元", "填表人：王五"],
        "建设性质": ["新建", "续建", None, None, None], "总投资": [30000, 10000, None, None, None]})
    path = tmp_path / "notes.xlsx"
    frame.to_excel(path, index=False)
    ledger = load_ledger(path)
    assert list(ledger.projects["name"]) == ["县医院综合楼", "智慧城市一期"]
    assert ledger.reconciliation.iloc[0]["note"] == 3
    assert len(ledger.rejected) == 0


@pytest.mark.parametrize("where", ["below", "header"])
def test_a_unit_line_under_the_header_or_in_a_header_cell(tmp_path, where):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年项目台账"])
    header = ["项目名称", "建设性质", "总投资", "年度计划投资"]
    ws.append(header + (["单位：亿元"] if where == "header" else []))
    if where == "below":
        ws.append(["金额单位：亿元"])
    ws.append(["县医院综合楼", "新建", 3, 0.8])
    ledger = load_ledger(wb.save(tmp_path / "u.xlsx") or tmp_path / "u.xlsx")
    p = ledger.projects.iloc[0]
    assert (p["total_investment"], p["annual_plan"]) == (30000.0, 8000.0)
    assert len(ledger.rejected) == 0
    assert ledger.extras.attrs["unmatched"] == []


def test_numbered_note_lines_in_the_serial_and_name_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "建设性质", "总投资", "年度计划投资"])
    ws.append([1, "县医院综合楼", "新建", 30000, 8000])
    ws.append([2, "智慧城市一期", "续建", 10000, 2500])
    ws.append(["说明：", None, None, None, None])
    ws.append([1, "本表金额单位为万元。", None, None, None])
    ws.append([2, "一、项目按行业排列。", None, None, None])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    ledger = load_ledger(path)
    assert list(ledger.projects["name"]) == ["县医院综合楼", "智慧城市一期"]
    rec = ledger.reconciliation.iloc[0]
    assert (rec["data"], rec["note"], rec["rejected"]) == (2, 3, 0)


def test_three_header_rows_in_a_csv_without_merges(tmp_path):
    rows = [["项目名称", "建设性质", "总投资", "2022年计划投资", "", "", "2022年完成投资", ""],
            ["", "", "", "年度计划投资", "其中", "", "其中", ""],
            ["", "", "", "", "一季度", "二季度", "1月", "2月"],
            ["县医院综合楼", "新建", "30000", "8000", "2000", "2000", "300", "400"]]
    path = tmp_path / "deep.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    ledger = load_ledger(path)
    assert ledger.projects.iloc[0]["annual_plan"] == 8000.0
    assert ledger.reconciliation.iloc[0]["header"] == 3
    completed = ledger.progress.set_index("month")["completed"]
    assert (completed.iloc[0], completed.iloc[1]) == (300.0, 400.0)


def test_a_hidden_approval_column_gives_way_to_a_visible_one(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "建设性质", "总投资", "立项", "立项"])
    ws.append(["县医院综合楼", "新建", 30000, "办理中", "已批复"])
    ws.column_dimensions["D"].hidden = True
    path = tmp_path / "a.xlsx"
    wb.save(path)
    ledger = load_ledger(path)
    assert list(ledger.approvals["status"]) == ["done"]
    assert len(ledger.rejected) == 0


def test_attachment_line_title_and_unit_cells_above_the_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append([])
    ws.append(["某县2023年重点项目建设台账"])
    ws.append(["填报单位：县发改委", None, "填报时间：2023年4月5日", None, "单位：亿元"])
    ws.append(["项目名称", "建设性质", "总投资", "年度计划投资（万元）"])
    ws.append(["县医院综合楼", "新建", 3, 8000])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    ledger = load_ledger(path)
    p = ledger.projects.iloc[0]
    assert (p["total_investment"], p["annual_plan"]) == (30000.0, 8000.0)
    assert ledger.year == 2023
    rec = ledger.reconciliation.iloc[0]
    assert (rec["title"] + rec["unit"] + rec["blank"], rec["header"], rec["data"]) == (4, 1, 1)


def test_an_amount_merged_over_projects_is_not_copied_and_said(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "建设性质", "总投资", "年度计划投资", "责任单位"])
    ws.append(["乡村道路提升工程（一标段）", "新建", 9000, 3000, "县交通局"])
    ws.append(["乡村道路提升工程（二标段）", "新建", None, 1000, None])
    ws.append(["乡村道路提升工程（三标段）", "新建", None, 1000, None])
    ws.merge_cells("C2:C4")
    ws.merge_cells("E2:E4")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    ledger = load_ledger(path)
    assert list(ledger.projects["total_investment"]) == [9000.0]  # never 3 × 9000
    assert sorted(ledger.rejected["row"]) == [3, 4]  # loud: no total on their rows
    said = ledger.findings[ledger.findings["rule"] == "merged_amount"].iloc[0]
    assert (said["column"], said["value"]) == ("总投资", "2")
    assert "第3、4行" in said["message_zh"]
    assert ledger.reconciliation.iloc[0]["filled"] == 2  # 责任单位 only


def test_an_old_xls_says_what_is_hidden_too(tmp_path):
    """Excel 97–2003 files (what WPS often saves) have no sheet XML: their hidden rows and
    columns are read from the row and column records, and treated as in .xlsx."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(SHEET)
    ws.write(0, 0, "某县2022年重点项目建设台账")
    headers = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2021年计划投资", "年度计划投资",
               "责任单位"]
    for c, h in enumerate(headers):
        ws.write(1, c, h)
    rows = [(1, "城区污水管网改造工程", "县城投公司", "续建", 12000, 900, 3000, "县住建局"),
            (2, "产业集聚区标准化厂房", "县城投公司", "新建", 20000, 0, 5000, "县工信局"),
            (3, "县医院综合楼", "县城投公司", "新建", 30000, 500, 8000, "县卫健委")]
    for r, values in enumerate(rows, 2):
        for c, v in enumerate(values):
            ws.write(r, c, v)
    ws.row(3).hidden = True  # Excel row 4: 产业集聚区标准化厂房
    ws.col(5).hidden = True  # F: 2021年计划投资
    path = tmp_path / "ledger.xls"
    book.save(str(path))
    sheet = next(s for s in read_sheets(path) if s.name == SHEET)
    assert (set(sheet.hidden_rows), set(sheet.hidden_cols)) == ({3}, {5})
    ledger = load_ledger(path)
    assert "产业集聚区标准化厂房" in set(ledger.projects["name"])
    hidden = ledger.findings[ledger.findings["rule"] == "hidden_rows_read"]
    assert list(hidden["value"]) == ["1"] and "第4行" in hidden.iloc[0]["message_zh"]


def _plain_rows():
    headers = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2021年计划投资", "年度计划投资",
               "责任单位"]
    rows = [[1, "城区污水管网改造工程", "县城投公司", "续建", 12000, 900, 3000, "县住建局"],
            [2, "产业集聚区标准化厂房", "县城投公司", "新建", 20000, 0, 5000, "县工信局"],
            [3, "县医院综合楼", "县城投公司", "新建", 30000, 500, 8000, "县卫健委"]]
    return [["某县2022年重点项目建设台账"], headers, *rows]


@pytest.mark.parametrize("grouped", [False, True], ids=["rows", "row-group"])
def test_an_ods_says_what_is_hidden_too(tmp_path, grouped):
    """LibreOffice and WPS save .ods with hidden rows and columns marked in content.xml
    (visibility="collapse"), inside outline groups too: treated as in .xlsx."""
    from tests.ods_writer import write_ods

    path = write_ods(tmp_path / "ledger.ods", {SHEET: _plain_rows()}, hidden_rows={SHEET: {3}},
                     hidden_cols={SHEET: {6}}, grouped=grouped)
    sheet = next(s for s in read_sheets(path) if s.name == SHEET)
    assert (set(sheet.hidden_rows), set(sheet.hidden_cols)) == ({3}, {6})
    ledger = load_ledger(path)
    hidden = ledger.findings[ledger.findings["rule"] == "hidden_rows_read"]
    assert list(hidden["value"]) == ["1"] and "第4行" in hidden.iloc[0]["message_zh"]
    # the only annual plan is hidden: used, and said
    used = ledger.findings[ledger.findings["rule"] == "hidden_column_used"]
    assert len(used) == 1 and ledger.projects["annual_plan"].sum() == 16000


def test_a_format_that_hides_what_is_hidden_is_said(tmp_path):
    """An .xlsb keeps hidden rows and columns in binary records nothing here reads: the loader
    says it cannot tell, on every sheet it read, instead of reading on as if nothing were."""
    from workbench.ingest.readers import RawSheet
    from workbench.ingest.sheets import ledger_from_sheets

    sheet = RawSheet(SHEET, _plain_rows(), hidden_unknown=".xlsb")
    ledger = ledger_from_sheets([sheet], source="ledger.xlsb")
    said = ledger.findings[ledger.findings["rule"] == "hidden_unknown"]
    assert len(said) == 1 and ".xlsb" in said.iloc[0]["message_zh"]
    assert said.iloc[0]["severity"] == "warning"
    assert not (load_ledger(_xlsx_of(tmp_path)).findings["rule"] == "hidden_unknown").any()


def _xlsx_of(tmp_path):
    wb = openpyxl.Workbook()
    for row in _plain_rows():
        wb.active.append(row)
    wb.save(tmp_path / "plain.xlsx")
    return tmp_path / "plain.xlsx"


def test_this_years_plan_hidden_beside_last_years_visible_is_used_and_said(tmp_path):
    """A template carried over from last year: 2021年计划投资 visible, the plan without a year
    hidden. Last year's plan never stands in; the hidden one is read, and the reading is said
    (a finding that stops a report unless accepted), not left as an empty annual plan."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for row in _plain_rows():
        ws.append(row)
    ws.column_dimensions["G"].hidden = True  # 年度计划投资
    wb.save(tmp_path / "carried.xlsx")
    ledger = load_ledger(tmp_path / "carried.xlsx")
    assert ledger.projects["annual_plan"].tolist() == [3000.0, 5000.0, 8000.0]
    rules = set(ledger.findings["rule"])
    assert {"hidden_column_used", "other_year_column"} <= rules
