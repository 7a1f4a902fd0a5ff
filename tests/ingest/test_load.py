"""Loading ledgers: the bundled sample back exactly, hand-made layouts, encodings, sheets, and
files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.core.words import messages_in
from workbench.exceptions import LedgerReadError, ParameterError
from workbench.ingest.load import load_ledger
from workbench.ingest.readers import RawSheet
from workbench.model.ledger import Ledger
from workbench.sample.generate import generate_sample
from workbench.sample.workbook import write_ledger_workbook

LEDGERS = Path(__file__).parents[1] / "fixtures" / "ledgers"
T = pd.Timestamp


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    return generate_sample().tables()


@pytest.fixture(scope="module")
def loaded_sample(sample_path) -> Ledger:
    return load_ledger(sample_path)


def test_bundled_sample_loads_back_exactly(loaded_sample, sample_tables):
    for name, expected in sample_tables.items():
        pd.testing.assert_frame_equal(getattr(loaded_sample, name), expected, obj=name)
    assert loaded_sample.year == 2022


def test_bundled_sample_validates_clean_and_every_row_is_counted(loaded_sample):
    assert len(loaded_sample.findings) == 0
    assert len(loaded_sample.rejected) == 0
    rec = loaded_sample.reconciliation.set_index("sheet")
    assert rec["balanced"].all()
    main = rec.loc["重点项目台账"]
    assert (main["title"], main["unit"], main["header"], main["total"], main["category"],
            main["note"]) == (1, 1, 2, 1, 5, 2)
    assert main["accepted"] == (loaded_sample.projects["stage"].isin(["前期", "在建", "建成", "投产"])).sum()
    assert rec.loc["前期手续", "accepted"] == len(loaded_sample.approvals)


def test_written_ledger_round_trips_with_a_different_seed(tmp_path):
    ledger = generate_sample(seed=11, projects=30, year=2023)
    path = write_ledger_workbook(ledger, tmp_path / "l.xlsx")
    back = load_ledger(path)
    for name, expected in ledger.tables().items():
        pd.testing.assert_frame_equal(getattr(back, name), expected, obj=name)
    assert back.year == 2023


@pytest.mark.parametrize("name", ["layout_gbk.csv", "layout_utf8_bom.csv"])
def test_csv_in_gbk_or_utf8_bom_reads_messy_values(name):
    ledger = load_ledger(LEDGERS / name)
    p = ledger.projects.set_index("name")
    sewer = p.loc["内乡县城区污水管网改造工程"]
    assert sewer["total_investment"] == 5000.0  # "约５０００"
    assert sewer["annual_plan"] == 1200.0  # "1,200"
    assert sewer["nature"] == "新开工"  # 新建
    assert sewer["level"] == "省"  # 省重点
    assert sewer["planned_start"] == T("2022-03-01")  # "2022.3"
    assert sewer["planned_completion"] == T("2023-12-01")  # "2023年12月"
    assert bool(sewer["programme_982"]) is True
    school = p.loc["内乡县第二高级中学新建项目"]
    assert school["total_investment"] == 65000.0  # "6.5亿元"
    assert school["planned_start"] == T("2022-03-01")  # Excel serial 44621
    approvals = ledger.approvals.merge(ledger.projects[["project_id", "name"]])
    sewer_items = approvals[approvals["name"] == "内乡县城区污水管网改造工程"]
    assert dict(zip(sewer_items["item"], sewer_items["status"], strict=True)) == {
        "立项": "done", "用地": "done", "环评": "done", "规划": "in_progress"}
    funding = ledger.funding.merge(ledger.projects[["project_id", "name"]])
    assert sorted(zip(funding["source"], funding["amount"], strict=True)) == [
        ("中央预算内投资", 12000.0), ("地方政府专项债券", 3000.0)]
    # the third row has no total investment ("—"): rejected, with its reason, nothing lost
    assert ledger.rejected["rules"].tolist() == ["required_missing"]
    assert ledger.rejected["row"].tolist() == [4]
    assert {"前期手续", "资金来源"} <= set(ledger.extras.columns)


def test_one_row_header_with_yi_units_and_period_column():
    ledger = load_ledger(LEDGERS / "layout_one_row_yi.xlsx")
    p = ledger.projects.set_index("name")
    assert p.loc["内乡县产业集聚区标准化厂房", "total_investment"] == 25000.0  # 2.5 亿元
    assert p.loc["内乡县S231改建工程", "total_investment"] == 12000.0  # "1.2" 亿元
    assert p.loc["内乡县S231改建工程", "annual_plan"] == 3500.0  # 万元 from the unit row
    assert p.loc["内乡县S231改建工程", "planned_start"] == T("2022-07-01")
    assert p.loc["内乡县S231改建工程", "planned_completion"] == T("2024-08-01")
    assert p.loc["内乡县产业集聚区标准化厂房", "planned_completion"] == T("2024-12-31")
    assert ledger.year == 2023
    assert {"联系电话", "占年度计划%"} <= set(ledger.extras.columns)  # kept, not dropped
    rec = ledger.reconciliation.iloc[0]
    assert (rec["title"], rec["unit"], rec["total"], rec["data"]) == (1, 1, 1, 2)
    assert len(ledger.findings.query("rule == 'total_mismatch'")) == 0


def test_year_to_date_columns_become_monthly_increments():
    ledger = load_ledger(LEDGERS / "layout_ytd_only.xlsx")
    progress = ledger.progress.merge(ledger.projects[["project_id", "name"]])
    solar = progress[progress["name"] == "内乡县光伏发电项目"]
    assert solar["month"].tolist() == [T("2023-03-01"), T("2023-06-01"), T("2023-09-01")]
    assert solar["completed"].tolist() == [3000.0, 6000.0, 6000.0]
    assert solar["completed"].sum() == 15000.0  # the 1-9月 figure
    assert solar["planned"].tolist() == [6000.0, 6000.0, 6000.0]  # 24000 × 3/12, a warning says so
    assert "monthly_plan_assumed" in set(ledger.findings["rule"])


def test_categories_subtotals_and_notes_are_recognised():
    ledger = load_ledger(LEDGERS / "layout_categories_subtotals.xlsx")
    assert ledger.projects["category"].tolist() == ["工业项目", "工业项目", "社会民生项目"]
    assert ledger.projects["office"].tolist() == ["工业发展", "工业发展", "社会事业"]
    rec = ledger.reconciliation.iloc[0]
    assert (rec["category"], rec["total"], rec["note"], rec["data"], rec["blank"]) == (2, 3, 2, 3, 1)
    assert not (ledger.findings["severity"] == "error").any()


def test_subtotal_disagreeing_with_its_rows_is_a_warning(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(LEDGERS / "layout_categories_subtotals.xlsx")
    wb.active["E7"] = 43000  # 小计 of the two industrial projects is 42000
    wb.save(tmp_path / "l.xlsx")
    f = load_ledger(tmp_path / "l.xlsx").findings
    hit = f[f["rule"] == "total_mismatch"]
    assert hit[["row", "column", "value"]].values.tolist() == [[7, "总投资", "43,000"]]


def test_sheet_option_reads_only_that_sheet(sample_path):
    ledger = load_ledger(sample_path, sheet="谋划储备项目")
    assert set(ledger.projects["stage"]) <= {"谋划", "储备"}
    assert len(ledger.progress) == 0
    assert ledger.reconciliation["sheet"].tolist() == ["谋划储备项目"]
    with pytest.raises(LedgerReadError, match="没有名为 '不存在' 的工作表") as err:
        load_ledger(sample_path, sheet="不存在")
    assert err.value.file == str(sample_path) and err.value.sheet == "不存在"
    with pytest.raises(LedgerReadError, match="没有第 9 个工作表") as err:
        load_ledger(sample_path, sheet=9)
    assert err.value.sheet == "9" and err.value.value == 9


def test_a_sheet_that_is_neither_name_nor_number_is_a_parameter_error(sample_path):
    with pytest.raises(ParameterError) as err:
        load_ledger(sample_path, sheet=2.5)
    assert err.value.field == "sheet" and err.value.file == str(sample_path)


@pytest.mark.parametrize(
    ("name", "message", "english"),
    [
        ("unreadable_empty.xlsx", "文件为空", "empty"),
        ("unreadable_not_a_spreadsheet.xlsx", "不是有效的Excel文件", "not a valid .xlsx"),
        ("unreadable_encrypted.xlsx", "已加密", "encrypted"),
        ("unreadable_latin1.csv", "无法识别.*的文字编码", "encoding not recognised"),
        ("unreadable_no_header.xlsx", "未找到项目台账表头", "no ledger sheet found"),
    ],
)
def test_unreadable_files_raise_a_clear_error_naming_the_file(name, message, english):
    with pytest.raises(LedgerReadError, match=message) as info:
        load_ledger(LEDGERS / name)
    assert name in str(info.value) and info.value.file == str(LEDGERS / name)
    with messages_in("en"), pytest.raises(LedgerReadError, match=english):
        load_ledger(LEDGERS / name)


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(LedgerReadError, match="文件不存在"):
        load_ledger(tmp_path / "nope.xlsx")
    (tmp_path / "ledger.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(LedgerReadError, match="不是电子表格文件") as err:
        load_ledger(tmp_path / "ledger.pdf")
    assert err.value.file == str(tmp_path / "ledger.pdf") and err.value.value == ".pdf"
    assert err.value.exit_code == 2


def test_aliases_missing_a_section_are_a_config_error():
    from workbench.core.yamlfile import packaged_yaml
    from workbench.exceptions import ConfigError
    from workbench.ingest.aliases import build_aliases

    data = dict(packaged_yaml("aliases.yaml"))
    del data["monthly"]
    with pytest.raises(ConfigError, match="monthly") as err:
        build_aliases(data)
    assert err.value.file == "aliases.yaml" and err.value.field == "monthly"


def test_two_row_header_without_merge_information_is_flattened():
    """A CSV export of a two-row header: the group row is carried over blank cells."""
    from workbench.ingest.sheets import ledger_from_sheets

    rows = [
        ["2022年重点项目台账", "", "", "", "", "", "", ""],
        ["序号", "项目名称", "建设性质", "项目级别", "总投资", "年度计划投资", "2022年1-3月完成投资", ""],
        ["", "", "", "", "", "", "1月", "2月"],
        ["1", "甲项目", "续建", "县级", "100", "40", "5", "7"],
    ]
    ledger = ledger_from_sheets([RawSheet("s", rows)], "x.csv")
    assert ledger.progress["completed"].tolist() == [5.0, 7.0]
    assert ledger.progress["month"].tolist() == [T("2022-01-01"), T("2022-02-01")]


def test_formulas_saved_without_results_are_reported(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(LEDGERS / "layout_categories_subtotals.xlsx")
    wb.active["E7"] = "=SUM(E5:E6)"  # openpyxl saves no computed value
    wb.active["F7"] = "=SUM(F5:F6)"
    wb.save(tmp_path / "f.xlsx")
    f = load_ledger(tmp_path / "f.xlsx").findings
    hit = f[f["rule"] == "formula_uncalculated"]
    assert hit[["sheet", "value", "severity"]].values.tolist() == [["项目台账", "2", "warning"]]


def test_old_xls_format_is_read():
    ledger = load_ledger(LEDGERS / "layout_xls.xls")
    p = ledger.projects.set_index("name")
    assert p.loc["内乡县城区供水扩建", "total_investment"] == 15000.5
    assert p.loc["内乡县城区供水扩建", "planned_start"] == T("2021-04-01")  # serial 44287
    assert p.loc["内乡县农产品批发市场", "planned_start"] == T("2021-04-01")  # "2021.4"
    assert ledger.year == 2021


def test_a_sheet_repeating_another_is_pointed_out(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(LEDGERS / "layout_categories_subtotals.xlsx")
    wb.copy_worksheet(wb.active).title = "2月"
    wb.save(tmp_path / "two.xlsx")
    f = load_ledger(tmp_path / "two.xlsx").findings
    assert f.query("rule == 'sheet_repeats'")[["sheet", "value"]].values.tolist() == [["2月", "项目台账"]]
    assert (f.query("rule == 'duplicate_name_owner'")["sheet"] == "2月").all()
    assert len(load_ledger(tmp_path / "two.xlsx", sheet="2月").findings.query("severity == 'error'")) == 0


def test_the_garbage_collector_is_resumed_after_a_load_and_after_a_failed_one(sample_path, tmp_path):
    import gc

    assert gc.isenabled()
    load_ledger(sample_path)
    assert gc.isenabled()
    with pytest.raises(LedgerReadError):
        load_ledger(tmp_path / "missing.xlsx")
    assert gc.isenabled()
    gc.disable()  # a caller that keeps it off finds it off
    try:
        load_ledger(sample_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
