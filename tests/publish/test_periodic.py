"""The weekly dispatch and the monthly assessment published by the quarterly machinery.

Fast: the store and the period are checked before any kernel starts, with a clear Chinese
message and the right exit code. Slow: both notebooks rendered from the sample year offline,
without code cells, in Chinese and in English, and listed in the index.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from tests.small_ledger import small_ledger
from workbench.cli import app
from workbench.history import add_snapshot, remove_snapshot
from workbench.publish.index import published_reports
from workbench.publish.offline_html import remote_references


def _report(*args):
    return CliRunner().invoke(app, ["report", *args, "--no-pdf"])


def test_a_missing_store_exits_2_with_a_chinese_message(tmp_path):
    missing = tmp_path / "none.duckdb"
    for args in (["--week", "2022-W23"], ["--month", "2022-06"]):
        result = _report(*args, "--store", str(missing), "--out", str(tmp_path / "r"))
        assert result.exit_code == 2, result.output
        assert "历史库不存在" in result.output and str(missing) in result.output
    assert not missing.exists() and not (tmp_path / "r").exists()


def test_an_empty_store_or_one_without_the_period_exits_1(tmp_path):
    store = tmp_path / "h.duckdb"
    info = add_snapshot(small_ledger(), store, as_of="2022-09-30")
    result = _report("--week", "2022-W23", "--store", str(store), "--out", str(tmp_path / "r"))
    assert result.exit_code == 1 and "没有2022-06-12或之前的台账快照" in result.output
    remove_snapshot(info.snapshot_id, store)
    result = _report("--month", "2022-09", "--store", str(store), "--out", str(tmp_path / "r"))
    assert result.exit_code == 1 and "历史库中还没有任何台账快照" in result.output


@pytest.mark.parametrize("args, message", [
    (["--week", "2022-49"], "ISO 周"),
    (["--week", "2022-W54"], "ISO 周"),
    (["--month", "2022-13"], "YYYY-MM"),
    (["--month", "2022-06", "--week", "2022-W23"], "只给出"),  # Chinese by default
    (["--month", "2022-06", "--lang", "fr"], "lang"),
])
def test_a_wrong_period_exits_2(tmp_path, args, message):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-09-30")
    result = _report(*args, "--store", str(store), "--out", str(tmp_path / "r"))
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_wrong_notices_rule_is_refused_before_any_kernel(tmp_path):
    store = tmp_path / "h.duckdb"
    add_snapshot(small_ledger(), store, as_of="2022-09-30")
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("notices:\n  praise_top: -5\n", encoding="utf-8")
    result = _report("--month", "2022-09", "--store", str(store), "--rubric", str(rubric),
                     "--out", str(tmp_path / "r"))
    assert result.exit_code == 2, result.output
    assert "notices.praise_top" in result.output and not (tmp_path / "r").exists()


SERIES = ["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-30", "2022-05-31", "2022-06-30",
          "2022-12-02", "2022-12-09"]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, repo_root):
    from workbench.publish import snapshot_ledger

    store = tmp_path_factory.mktemp("store") / "history.duckdb"
    for day in SERIES:
        snapshot_ledger(repo_root / "data" / "sample" / "series" / f"neixiang_{day}.xlsx", store)
    return store


CASES = [("--week", "2022-W49", "weekly_dispatch", {"zh": "2022年第49周重点项目周调度",
                                                      "en": "Key projects weekly dispatch"}),
         ("--month", "2022-06", "monthly_assessment", {"zh": "2022年6月重点项目责任单位考核通报",
                                                        "en": "Monthly assessment of responsible units"})]


@pytest.mark.slow
@pytest.mark.parametrize("option, period, stem, titles", CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rendered_from_the_sample_year_offline_without_code(sample_store, tmp_path, option,
                                                            period, stem, titles, lang):
    out = tmp_path / "reports"
    pdf = shutil.which("chromium") is not None and lang == "zh"
    result = CliRunner().invoke(app, ["report", option, period, "--store", str(sample_store),
                                      "--out", str(out), "--lang", lang,
                                      *([] if pdf else ["--no-pdf"])])
    assert result.exit_code == 0, result.output
    folder = out / (period if lang == "zh" else f"{period}_en")
    page = (folder / f"{stem}.html").read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert 'class="jp-InputArea' not in page and 'class="jp-Cell-inputWrapper' not in page
    assert "weekly_dispatch(" not in page and "monthly_report(" not in page
    assert "Traceback" not in page and "Error" not in page
    assert titles[lang] in page
    other = titles["en" if lang == "zh" else "zh"]
    assert other not in page
    if lang == "en":
        assert "督办" not in page and "表扬" not in page  # the words, not the data, are English
    if pdf:
        assert (folder / f"{stem}.pdf").stat().st_size > 10_000
    listed = published_reports(out)
    assert [r["period"] for r in listed] == [period]
    assert f"{folder.name}/{stem}.html" in (out / "index.html").read_text(encoding="utf-8")
