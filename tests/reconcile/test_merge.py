"""Merging the ledgers a county receives (issue 16): links scored against known truth, every
input row accounted for, pairs below the threshold never merged, conflicts with provenance,
precedence from YAML checked when read, and the same inputs giving the same merge."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.minimal_sheet import minimal_sheet
from workbench.exceptions import ConfigError, ParameterError
from workbench.reconcile import Source, merge_ledgers, pair_scores, read_precedence
from workbench.reconcile.settings import check_settings
from workbench.sample import generate_sample
from workbench.sample.perturb import perturbed_submissions, truth_of, write_submissions


@pytest.fixture(scope="module")
def drifted(tmp_path_factory):
    """A small sample county and its submissions with drift, written as workbooks."""
    folder = tmp_path_factory.mktemp("merge")
    ledger = generate_sample(seed=5, projects=80, year=2022)
    master, subs = perturbed_submissions(ledger, seed=3, units=4)
    paths = write_submissions(master, subs, folder)
    return master, subs, paths, merge_ledgers(paths, year=2022)


def test_links_match_the_known_truth_and_every_row_is_accounted_for(drifted):
    master, subs, paths, merged = drifted
    precision, recall, true_pairs = pair_scores(merged, truth_of(subs))
    assert true_pairs > 50
    assert precision >= 0.98 and recall >= 0.98
    acc = merged.accounts
    assert list(acc["source"]) == [p.name for p in paths]
    assert (acc["linked"] + acc["unique"] + acc["rejected"] == acc["rows"]).all()
    assert int(acc["rows"].sum()) == len(merged.records) + len(merged.rejected)
    # the submissions' rows as written: every data row of every file
    assert int(acc["rows"].iloc[1:].sum()) == sum(len(s.table) for s in subs)
    # the merged Ledger holds one project per linked group, each with where it was read
    assert len(merged.ledger.projects) == merged.records["project"].nunique()
    where = merged.ledger.provenance["projects"]
    assert len(where) == len(merged.ledger.projects) and where["excel_row"].notna().all()


def test_a_project_only_in_a_unit_is_listed_by_its_source(drifted):
    master, subs, paths, merged = drifted
    in_master = set(master.projects["project_id"])
    only_units = {pid for s in subs[:-1] for pid in s.truth} - in_master
    only_units -= set(subs[-1].truth)  # the province may list it too
    assert only_units, "the generator drops some projects from the master"
    unique = merged.unique
    assert len(unique) and set(unique["label"]) <= {p.name for p in paths}
    assert (unique["status"] == "unique").all()


def test_conflicts_name_each_source_with_file_sheet_row_and_the_rule(drifted):
    *_, merged = drifted
    c = merged.conflicts
    amounts = c[c["field"] == "total_investment"]
    assert len(amounts), "the split project's halves differ from the master's total"
    for _, group in amounts.groupby("project_id"):
        assert group["chosen"].sum() == 1
        winner = group[group["chosen"]].iloc[0]
        assert winner["role"] == "unit"  # amounts: the unit's submission first
        assert winner["rule"].startswith("precedence: unit > master")
        assert (group["chosen_value"] == winner["value"]).all()
    assert c["file"].notna().all() and c["sheet"].notna().all() and c["excel_row"].notna().all()
    chosen = merged.ledger.projects.set_index("project_id")["total_investment"]
    first = amounts.iloc[0]
    assert chosen[first["project_id"]] == pytest.approx(float(first["chosen_value"]))


def test_the_same_inputs_give_the_same_merge(drifted):
    *_, paths, merged = drifted
    again = merge_ledgers(paths, year=2022)
    pd.testing.assert_frame_equal(merged.pairs, again.pairs)
    pd.testing.assert_frame_equal(merged.ledger.projects, again.ledger.projects)




def test_a_doubtful_pair_is_listed_for_a_person_never_merged(tmp_path):
    master = minimal_sheet(tmp_path / "master.xlsx", [
        (None, "内乡县城关镇卫生院改扩建项目", "内乡县人民医院", 12000),
        (None, "内乡县赤眉镇中小河流治理项目", "内乡县水利局", 5000)])
    unit = minimal_sheet(tmp_path / "unit.xlsx", [
        (None, "城关镇卫生院改扩建", "内乡县中医院", 3000),      # same name; owner, amount differ
        (None, "赤眉镇中小河流治理", "内乡县水利局", 5000),
        (None, "", "内乡县水利局", 100)])                        # no name: rejected
    merged = merge_ledgers([master, unit], year=2022)
    rec = merged.records.set_index("name")
    assert rec.loc["赤眉镇中小河流治理", "status"] == "linked"
    assert rec.loc["赤眉镇中小河流治理", "probability"] >= merged.settings.link
    assert rec.loc["城关镇卫生院改扩建", "status"] == "unique"
    review = merged.review
    assert review[["name_l", "name_r"]].values.tolist() == [["内乡县城关镇卫生院改扩建项目",
                                                             "城关镇卫生院改扩建"]]
    assert merged.settings.review <= review["probability"].iat[0] < merged.settings.link
    assert review["reason"].iat[0] == "below_link"
    assert len(merged.ledger.projects) == 3  # the doubtful pair stays two projects
    acc = merged.accounts.set_index("source")
    assert acc.loc["unit.xlsx", ["rows", "linked", "unique", "rejected"]].tolist() == [3, 1, 1, 1]
    assert merged.rejected["message_zh"].str.contains("项目名称").all()


def test_codes_link_exactly_and_the_province_gives_the_code(tmp_path):
    code = "2203-411325-04-01-123456"
    master = minimal_sheet(tmp_path / "master.xlsx", [(None, "城关镇卫生院", "内乡县人民医院", 12000)])
    prov = minimal_sheet(tmp_path / "省平台导出.xlsx", [(code, "完全不同的名称写法", "", 9000)])
    unit = minimal_sheet(tmp_path / "unit.xlsx", [(code, "城关镇卫生院改扩建", "内乡县人民医院", 12500)])
    merged = merge_ledgers([master, prov, Source(unit, label="县卫健委")], year=2022)
    assert list(merged.accounts["role"]) == ["master", "province", "unit"]
    pair = merged.pairs[merged.pairs["rule"] == "code"]
    assert len(pair) == 1 and pair["probability"].iat[0] == 1.0
    assert set(merged.ledger.projects["project_id"]) >= {code}


def test_precedence_files_are_checked_when_read(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("precedence:\n  default: [master, county]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_precedence(bad)
    assert err.value.field == "precedence.default" and "county" in str(err.value.value)
    with pytest.raises(ConfigError):
        read_precedence(tmp_path / "missing.yaml")
    good = tmp_path / "sources.yaml"
    good.write_text("default: [unit, master]\nfields:\n  total_investment: [master, unit]\n",
                    encoding="utf-8")
    p = read_precedence(good)
    assert p.order("total_investment") == ("master", "unit") and p.order("name") == ("unit", "master")


def test_a_user_precedence_changes_the_chosen_value(tmp_path):
    master = minimal_sheet(tmp_path / "master.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5000)])
    unit = minimal_sheet(tmp_path / "unit.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5200)])
    by_default = merge_ledgers([master, unit], year=2022)
    assert by_default.ledger.projects["total_investment"].tolist() == [5200.0]
    mine = tmp_path / "sources.yaml"
    mine.write_text("default: [master, unit]\n", encoding="utf-8")
    ours = merge_ledgers([master, unit], precedence=mine, year=2022)
    assert ours.ledger.projects["total_investment"].tolist() == [5000.0]


def test_settings_are_checked_when_read():
    from workbench.core.yamlfile import packaged_yaml

    data = dict(packaged_yaml("reconcile.yaml"))
    data["linkage"] = {**data["linkage"], "review": 0.95, "link": 0.9}
    with pytest.raises(ConfigError) as err:
        check_settings(data)
    assert err.value.field == "linkage.review"
    data = dict(packaged_yaml("reconcile.yaml"))
    data["comparisons"] = {**data["comparisons"], "owner": {"levels": ["exact", "jaro_winkler_88",
                                                                       "different"],
                                                            "m": [0.5, 0.5, 0.5], "u": [0.1, 0.1, 0.8]}}
    with pytest.raises(ConfigError) as err:
        check_settings(data)
    assert err.value.field == "comparisons.owner.m"


def test_one_input_is_not_a_merge(tmp_path):
    master = minimal_sheet(tmp_path / "master.xlsx", [(None, "赤眉镇中小河流治理", "内乡县水利局", 5000)])
    with pytest.raises(ParameterError):
        merge_ledgers([master], year=2022)


def test_a_nature_the_loader_derived_yields_to_a_written_one(tmp_path):
    # the unit's list has no 建设性质: the loader derives 新开工 from its 2022 start. The master
    # writes 续建 (the project began as preparatory works last year). That is no conflict and
    # the written value is used; a unit-only project keeps its derived value.
    header = ("项目名称", "项目单位", "建设性质", "总投资（万元）", "计划开工时间")
    master = minimal_sheet(tmp_path / "master.xlsx",
                           [("赤眉镇中小河流治理", "内乡县水利局", "续建", 5000, "2022.03")], header)
    unit = minimal_sheet(tmp_path / "unit.xlsx",
                         [("赤眉镇中小河流治理", "内乡县水利局", 5000, "2022.03"),
                          ("马山口镇污水处理厂", "内乡县住建局", 8000, "2022.06")],
                         ("项目名称", "项目单位", "总投资（万元）", "计划开工时间"))
    merged = merge_ledgers([master, unit], year=2022)
    assert "nature" not in set(merged.conflicts["field"])
    nature = merged.ledger.projects.set_index("name")["nature"]
    assert nature["赤眉镇中小河流治理"] == "续建" and nature["马山口镇污水处理厂"] == "新开工"
