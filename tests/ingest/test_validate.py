"""Validation: each malformed ledger of the corpus reports its defect at the right row and column;
`workbench validate` prints a table or JSON and exits 0/1/2; every input row is accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from workbench.cli import app
from workbench.exceptions import LedgerReadError
from workbench.ingest.load import load_ledger
from workbench.ingest.readers import RawSheet
from workbench.ingest.sheets import ledger_from_sheets
from workbench.model.findings import load_rules

LEDGERS = Path(__file__).parents[1] / "fixtures" / "ledgers"
MANIFEST = yaml.safe_load((LEDGERS / "manifest.yaml").read_text("utf-8"))
CASCADE = {"project_rejected", "unknown_project"}  # rows of other sheets whose project went away


def test_corpus_has_at_least_thirty_named_defects():
    assert len(MANIFEST["defects"]) >= 30
    assert len({d["defect"] for d in MANIFEST["defects"]}) == len(MANIFEST["defects"])
    assert len({d["rule"] for d in MANIFEST["defects"]}) >= 15


@pytest.mark.parametrize("case", MANIFEST["defects"], ids=[d["defect"] for d in MANIFEST["defects"]])
def test_defect_is_reported_with_rule_row_and_column(case):
    ledger = load_ledger(LEDGERS / case["file"])
    f = ledger.findings
    hit = f[(f["rule"] == case["rule"]) & (f["sheet"] == case["sheet"])]
    hit = hit[hit["row"].isna()] if case["row"] is None else hit[hit["row"] == case["row"]]
    if case["column"] is not None:
        hit = hit[hit["column"] == case["column"]]
    assert len(hit) >= 1, f"{case['rule']} not reported at row {case['row']} / {case['column']}:\n{f}"
    assert set(hit["severity"]) == {case["severity"]}
    assert hit["message_zh"].str.len().gt(0).all() and hit["message_en"].str.len().gt(0).all()
    # nothing else is wrong with the file, apart from rows that belonged to a rejected project
    others = f.drop(hit.index)
    others = others[~((others["sheet"] != case["sheet"]) & others["rule"].isin(CASCADE))]
    assert others.empty, f"unexpected findings:\n{others}"
    # an error rejects exactly that row (listed with its reason); a warning keeps it
    rejected = ledger.rejected
    here = rejected[(rejected["sheet"] == case["sheet"])] if len(rejected) else rejected
    if case["severity"] == "error" and case["row"] is not None:
        assert here["row"].tolist() == [case["row"]]
        assert case["rule"] in here["rules"].iat[0]
    else:
        assert len(here) == 0
    assert ledger.reconciliation["balanced"].all()


def test_every_rule_has_messages_in_both_languages():
    for rule, spec in load_rules()["rules"].items():
        assert spec["zh"] and spec["en"], rule


runner = CliRunner()


def test_cli_clean_ledger_exits_zero_and_prints_reconciliation(sample_path):
    result = runner.invoke(app, ["validate", str(sample_path)])
    assert result.exit_code == 0, result.output
    assert "未发现错误" in result.output
    assert "重点项目台账" in result.output and "已读入" in result.output
    assert "Traceback" not in result.output


def test_cli_errors_exit_one_with_a_readable_table():
    result = runner.invoke(app, ["validate", str(LEDGERS / "defect_total_negative.xlsx")])
    assert result.exit_code == 1
    assert "negative_amount" in result.output and "总投资" in result.output
    assert "金额不能为负" in result.output
    english = runner.invoke(app, ["validate", str(LEDGERS / "defect_total_negative.xlsx"),
                                  "--lang", "en"])
    assert english.exit_code == 1 and "amounts cannot be negative" in english.output


def test_cli_warnings_only_exit_zero():
    result = runner.invoke(app, ["validate", str(LEDGERS / "defect_total_row_mismatch.xlsx")])
    assert result.exit_code == 0
    assert "total_mismatch" in result.output


def test_cli_json_for_scripts():
    result = runner.invoke(app, ["validate", str(LEDGERS / "defect_duplicate_code.xlsx"), "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    dup = [f for f in payload["findings"] if f["rule"] == "duplicate_code"]
    assert dup and dup[0]["row"] == 12 and dup[0]["column"] == "项目代码"
    assert payload["exit_code"] == 1
    assert all(r["balanced"] for r in payload["reconciliation"])


@pytest.mark.parametrize("name", MANIFEST["unreadable"] + ["does_not_exist.xlsx"])
def test_cli_unreadable_files_exit_two_without_traceback(name):
    result = runner.invoke(app, ["validate", str(LEDGERS / name)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert name in result.output


def test_cli_profile_option():
    path = Path(__file__).parents[1] / "fixtures" / "public" / "uk_gmpp_excerpt.csv"
    result = runner.invoke(app, ["validate", str(path), "--profile", "uk_gmpp", "--lang", "en"])
    assert result.exit_code == 1  # one project's whole-life cost is missing in the 2023 report
    assert "wlc_baseline_incl_NCG" in result.output


# --- reconciliation holds whatever the rows hold --------------------------------------------

HEADER = ["序号", "项目代码", "项目名称", "建设单位", "建设性质", "项目级别", "总投资", "年度计划投资",
          "计划开工时间", "1月完成投资", "2月完成投资", "备注"]
_cell = st.one_of(
    st.just(""), st.none(), st.booleans(), st.dates(), st.times(),
    st.text(max_size=12), st.integers(-100, 10**6).map(str),
    st.floats(-1e6, 1e7, allow_nan=False), st.sampled_from(
        ["合计", "小计", "一、工业项目（3个）", "注：金额单位万元", "新建", "续建", "省级", "—", "/",
         "约5000", "6.5亿元", "2022.3", "2201-411325-04-01-000001", "甲项目", "乙项目"]),
)
_random_row = st.lists(_cell, min_size=len(HEADER), max_size=len(HEADER))


@st.composite
def _project_row(draw):
    """A plausible project row (read and accepted), sometimes with one cell made wrong or random.

    Random cells alone never made an accepted row in 200 examples (issue 14), so the accounting
    was only ever checked for rejected rows.
    """
    n = draw(st.integers(1, 999))
    row = [str(n), "", f"测试项目{n}号", "某公司", draw(st.sampled_from(["新建", "续建"])),
           draw(st.sampled_from(["省级", "市级", "县级"])), str(draw(st.integers(500, 90000))),
           str(draw(st.integers(0, 20000))), draw(st.sampled_from(["2022.3", "2022-05", ""])),
           str(draw(st.integers(0, 900))), str(draw(st.integers(0, 900))), ""]
    change = draw(st.sampled_from(["none", "none", "negative", "random"]))
    if change == "negative":
        row[6] = "-500"  # a negative total: rejected (negative_amount)
    elif change == "random":
        row[draw(st.integers(0, len(HEADER) - 1))] = draw(_cell)
    return row


_row = st.one_of(_random_row, _project_row())


@pytest.mark.slow  # 25 random ledgers loaded: 2–5 s
def test_reconciliation_always_holds():
    """Every row is accounted for, whatever the rows hold; accepted and rejected rows both occur."""
    seen = {"accepted": 0, "rejected": 0, "both": 0}

    # derandomized: the same examples every run, so the tally below cannot flake
    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_row, max_size=25), st.booleans())
    def check(rows, with_title):
        grid = ([["2022年重点项目台账"] + [""] * (len(HEADER) - 1)] if with_title else []) + [HEADER] + rows
        try:
            ledger = ledger_from_sheets([RawSheet("台账", grid)], "random.xlsx")
        except LedgerReadError:
            return  # e.g. the header itself was taken for data: a clear read error, never a crash
        for rec in ledger.reconciliation.to_dict("records"):
            assert rec["balanced"], rec
            assert rec["accepted"] + rec["rejected"] == rec["data"]
            non_data = sum(rec[k] for k in ("title", "unit", "header", "blank", "category", "total",
                                            "note", "skipped"))
            assert non_data + rec["data"] == rec["rows"] == len(grid)
        rec = ledger.reconciliation.iloc[0]
        assert len(ledger.projects) == rec["accepted"]
        assert len(ledger.rejected) == rec["rejected"]
        accepted, rejected = int(rec["accepted"]), int(rec["rejected"])
        event(f"accepted rows: {'some' if accepted else 'none'}; rejected: {'some' if rejected else 'none'}")
        seen["accepted"] += accepted
        seen["rejected"] += rejected
        seen["both"] += bool(accepted and rejected)

    check()
    # the accounting was checked on accepted and rejected rows, and on sheets holding both
    assert seen["accepted"] > 0 and seen["rejected"] > 0 and seen["both"] >= 3, seen


def test_cli_lists_unmatched_columns_kept_as_extras():
    result = runner.invoke(app, ["validate", str(LEDGERS / "layout_one_row_yi.xlsx")])
    assert result.exit_code == 0
    assert "未匹配的列" in result.output and "联系电话、占年度计划%" in result.output


def test_cli_sheet_option(sample_path):
    result = runner.invoke(app, ["validate", str(sample_path), "--sheet", "谋划储备项目", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert [r["sheet"] for r in payload["reconciliation"]] == ["谋划储备项目"]
    missing = runner.invoke(app, ["validate", str(sample_path), "--sheet", "没有这张表"])
    assert missing.exit_code == 2 and "没有这张表" in missing.output
