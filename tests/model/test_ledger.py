"""The canonical Ledger: its schemas refuse what does not fit, naming the table and column."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.core.words import messages_in
from workbench.exceptions import SchemaError
from workbench.model.ledger import (
    Ledger,
    check_table,
    derived_project_id,
    empty_table,
    is_project_code,
)
from workbench.sample.generate import generate_sample


@pytest.fixture(scope="module")
def small():
    return generate_sample(seed=7, projects=20)


def test_a_missing_column_is_named(small):
    with pytest.raises(SchemaError, match="缺少列 office"):
        Ledger(projects=small.projects.drop(columns=["office"]))


def test_a_wrong_dtype_is_named_with_the_expected_one(small):
    frame = small.projects.assign(total_investment=small.projects["total_investment"].astype(str))
    with pytest.raises(SchemaError, match="列 total_investment 的类型为 str，应为 float64"):
        check_table("projects", frame)
    with messages_in("en"), pytest.raises(
            SchemaError, match="column 'total_investment' has dtype str, expected 'float64'"):
        check_table("projects", frame)


def test_text_where_numbers_belong_names_column_row_and_value(small):
    amounts = small.projects["total_investment"].astype(object)
    amounts[3] = "约5000"
    with pytest.raises(SchemaError, match="列 total_investment 第 3 行的值 '约5000' 不对：应为数字") as err:
        Ledger(projects=small.projects.assign(total_investment=amounts))
    assert (err.value.column, err.value.row, err.value.value) == ("total_investment", 3, "'约5000'")


def test_text_where_dates_belong_is_refused(small):
    starts = small.projects["planned_start"].dt.strftime("%Y.%m")
    with pytest.raises(SchemaError, match="列 planned_start 第 0 行的值 '.*' 不对：应为ISO 日期"):
        Ledger(projects=small.projects.assign(planned_start=starts))


def test_a_value_outside_the_domain_is_named(small):
    nature = small.projects["nature"].copy()
    nature[0] = "新建"  # the loader normalises this word; the Ledger itself does not guess
    with pytest.raises(SchemaError, match="列 nature.*'新建'"):
        Ledger(projects=small.projects.assign(nature=nature))


def test_a_project_id_twice_is_refused(small):
    doubled = pd.concat([small.projects, small.projects.head(1)], ignore_index=True)
    with pytest.raises(SchemaError, match="project_id"):
        Ledger(projects=doubled)


def test_lossless_casts_are_made_and_dtypes_are_pandas_3(small):
    projects = small.projects.assign(
        total_investment=small.projects["total_investment"].round().astype("int64"),
        planned_start=small.projects["planned_start"].astype("datetime64[ns]"),
    )
    ledger = Ledger(projects=projects)
    assert ledger.projects["total_investment"].dtype == "float64"
    assert ledger.projects["planned_start"].dtype == "datetime64[us]"
    assert ledger.projects["name"].dtype == "str"


def test_replace_checks_what_it_replaces_and_leaves_the_original(small):
    bad = small.progress.assign(completed=-small.progress["completed"] - 1)
    with pytest.raises(SchemaError, match="completed"):
        small.replace(progress=bad)
    fewer = small.replace(progress=small.progress.head(5))
    assert len(fewer.progress) == 5 and len(small.progress) == len(small.progress.drop_duplicates())
    assert fewer.projects is small.projects


def test_empty_tables_have_the_declared_columns():
    assert list(empty_table("funding").columns) == ["project_id", "source", "amount", "status", "dated"]


def test_project_ids_codes_and_derived_ones():
    assert is_project_code("2203-411325-04-01-123456")
    assert not is_project_code("２２03-411325-04-01-123456")  # full-width digits are a typing slip
    assert derived_project_id("内乡县人民医院新院区建设项目", "县卫健委") == derived_project_id(
        " 内乡县人民医院新院区建设项目 ", "县卫健委 ")
    assert derived_project_id("A", None).startswith("WB-")


def _bundled(small):
    """Project 0 a bundle (打捆) with projects 1 and 2 as its parts."""
    p = small.projects.copy()
    p.loc[[1, 2], "parent_id"] = p.at[0, "project_id"]
    return small.replace(projects=p)


def test_a_bundle_is_counted_once_at_the_unit_the_setting_names(small):
    ledger = _bundled(small)
    ids = ledger.projects["project_id"]
    parent = ledger.counted_projects()  # validation.yaml bundles.count: parent
    n = len(ledger.projects)
    assert parent.sum() == n - 2 and not parent[[1, 2]].any() and parent[0]
    children = ledger.counted_projects("children")
    assert children.sum() == n - 1 and not children[0] and children[[1, 2]].all()
    counted = ledger.counted()
    assert set(counted.projects["project_id"]) == set(ids[parent])
    assert set(counted.progress["project_id"]) <= set(ids[parent])
    assert len(ledger.projects) == len(small.projects)  # the parts stay, marked by parent_id
    s = ledger.summary()
    assert s["bundled"] == 2
    assert s["total_investment_yi"] == round(ledger.projects.loc[parent, "total_investment"].sum() / 1e4, 2)
    assert s["completed_yi"] == round(counted.progress["completed"].sum() / 1e4, 2)


def test_without_bundles_every_project_counts_and_nothing_is_copied(small):
    assert small.counted() is small
    assert small.summary()["bundled"] == 0


def test_a_part_whose_bundle_is_not_in_the_table_counts_on_its_own(small):
    p = small.projects.copy()
    p.loc[3, "parent_id"] = "WB-NOT-HERE"
    assert Ledger(projects=p).counted_projects().all()


def test_a_projects_table_without_parent_id_still_makes_a_ledger(small):
    ledger = Ledger(projects=small.projects.drop(columns=["parent_id"]))
    assert ledger.projects["parent_id"].isna().all() and str(ledger.projects["parent_id"].dtype) == "str"
