"""The canonical Ledger: its schemas refuse what does not fit, naming the table and column."""

from __future__ import annotations

import pandas as pd
import pytest

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
    with pytest.raises(SchemaError, match="missing column 'office'"):
        Ledger(projects=small.projects.drop(columns=["office"]))


def test_a_wrong_dtype_is_named_with_the_expected_one(small):
    frame = small.projects.assign(total_investment=small.projects["total_investment"].astype(str))
    with pytest.raises(SchemaError, match="column 'total_investment' has dtype str, expected 'float64'"):
        check_table("projects", frame)


def test_text_where_numbers_belong_names_column_row_and_value(small):
    amounts = small.projects["total_investment"].astype(object)
    amounts[3] = "约5000"
    with pytest.raises(SchemaError, match=r"'total_investment' holds '约5000' \(row 3"):
        Ledger(projects=small.projects.assign(total_investment=amounts))


def test_text_where_dates_belong_is_refused(small):
    starts = small.projects["planned_start"].dt.strftime("%Y.%m")
    with pytest.raises(SchemaError, match="'planned_start' holds .*expected ISO dates"):
        Ledger(projects=small.projects.assign(planned_start=starts))


def test_a_value_outside_the_domain_is_named(small):
    nature = small.projects["nature"].copy()
    nature[0] = "新建"  # the loader normalises this word; the Ledger itself does not guess
    with pytest.raises(SchemaError, match="column 'nature'.*'新建'"):
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
