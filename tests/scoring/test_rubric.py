"""The rubric file: the default is sound, and a wrong one is refused with what exactly is wrong."""

from __future__ import annotations

import pytest

from tests.scoring_fixtures import perfect_ledger
from workbench.core.vocabulary import BANDS, DIMENSIONS
from workbench.core.words import messages_in
from workbench.exceptions import ConfigError
from workbench.scoring.rubric import as_rubric, load_rubric
from workbench.scoring.scores import score


def write(tmp_path, text: str):
    path = tmp_path / "my_rubric.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _messages_in_english():
    """This module reads the rubric checker's messages in English (the words a reviewer of the
    code reads); the last test shows they are Chinese by default."""
    with messages_in("en"):
        yield


def test_the_rubric_checkers_messages_are_chinese_by_default(tmp_path):
    path = write(tmp_path, "planning:\n  dimensions:\n    funding:\n      weight: 15\n")
    with messages_in("zh"), pytest.raises(ConfigError) as err:
        load_rubric(path)
    assert str(err.value) == ("评分细则 my_rubric.yaml 的 planning.dimensions：各维度权重合计 95，不是 100"
                              "（policy_fit 15, definition 15, approvals 25, funding 15, schedule 15, "
                              "responsibility 10）")
    assert err.value.file == "my_rubric.yaml" and err.value.field == "planning.dimensions"


def test_default_rubric_weights_bands_and_scheme():
    r = load_rubric()
    assert sum(r.weights().values()) == 100
    assert r.weights() == {"policy_fit": 15, "definition": 15, "approvals": 25, "funding": 20,
                           "schedule": 15, "responsibility": 10}
    assert [b[0] for b in r.bands()] == list(BANDS)
    assert dict((b, lo) for b, lo, _ in r.bands()) == {
        "green": 85, "amber_green": 70, "amber": 55, "amber_red": 40, "red": 0}
    assert r.rag == {"green_min": 0.95, "amber_min": 0.85}
    comps = r.assessment["components"]
    assert sum(c["points"] for c in comps.values()) == 100
    assert comps["completion"]["points"] == 40 and comps["starts"]["points"] == 25
    assert r.health["reserve_multiple"] == 3 and r.health["q1_start_rate"] == 0.7
    assert r.health["pipeline_mix"] == {"续建": 0.49, "新开工": 0.34, "竣工": 0.15, "前期": 0.02}
    for d in DIMENSIONS:
        assert sum(rule["points"] for rule in r.rules(d).values()) == r.weight(d)


def test_weights_not_adding_to_100_name_the_sum(tmp_path):
    path = write(tmp_path, "planning:\n  dimensions:\n    funding:\n      weight: 15\n")
    with pytest.raises(ConfigError) as err:
        load_rubric(path)
    assert "weights add to 95, not 100" in str(err.value)
    assert "my_rubric.yaml" in str(err.value)


def test_rule_points_must_add_to_the_weight(tmp_path):
    text = ("planning:\n  dimensions:\n    funding:\n      weight: 15\n"
            "    approvals:\n      weight: 30\n")
    with pytest.raises(ConfigError, match=r"approvals: rule points add to 25, but the weight is 30"):
        load_rubric(write(tmp_path, text))


def test_unknown_field_is_named_with_its_path(tmp_path):
    text = "planning:\n  dimensions:\n    approvals:\n      rules:\n        approval_items:\n          bonus: 3\n"
    with pytest.raises(ConfigError) as err:
        load_rubric(write(tmp_path, text))
    assert "planning.dimensions.approvals.rules.approval_items.bonus: unknown field" in str(err.value)


def test_unknown_domain_value_is_named(tmp_path):
    text = "health:\n  pipeline_mix:\n    新建: 0.1\n"
    with pytest.raises(ConfigError, match=r"health.pipeline_mix.新建: unknown value"):
        load_rubric(write(tmp_path, text))


def test_band_gap_names_the_numbers(tmp_path):
    text = "bands:\n  amber_red: {min: 40, max: 54}\n"
    with pytest.raises(ConfigError) as err:
        load_rubric(write(tmp_path, text))
    assert "gap" in str(err.value)
    assert "amber_red covers [40, 54)" in str(err.value)
    assert "scores from 54 to 55 have no band" in str(err.value)


def test_band_overlap_names_the_numbers(tmp_path):
    text = "bands:\n  amber: {min: 55, max: 72}\n"
    with pytest.raises(ConfigError, match=r"overlap: amber covers \[55, 72\) and amber_green starts at 70"):
        load_rubric(write(tmp_path, text))


def test_message_with_unknown_placeholder(tmp_path):
    text = ("planning:\n  dimensions:\n    schedule:\n      rules:\n        start_slip:\n"
            "          message_zh: \"开工滞后{months}个月\"\n")
    with pytest.raises(ConfigError, match=r"unknown placeholder \{months\}"):
        load_rubric(write(tmp_path, text))


def test_assessment_points_and_rag_order(tmp_path):
    with pytest.raises(ConfigError, match=r"assessment.components: points add to 110, not 100"):
        load_rubric(write(tmp_path, "assessment:\n  components:\n    completion: {points: 50}\n"))
    with pytest.raises(ConfigError, match=r"amber_min 0.99 is above green_min 0.95"):
        load_rubric(write(tmp_path, "delivery:\n  rag: {amber_min: 0.99}\n"))


def test_bad_yaml_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rubric(write(tmp_path, "planning: [unclosed\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_rubric(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=r"weight: expected a number, got 'ten'"):
        load_rubric(write(tmp_path, "planning:\n  dimensions:\n    funding:\n      weight: ten\n"))


def test_a_users_rubric_changes_the_scores(tmp_path):
    ledger = perfect_ledger()
    text = """
planning:
  dimensions:
    policy_fit:
      weight: 10
      rules:
        list_level: {points: 1, loss_by_level: {省: 0, 市: 1, 县: 1}}
    funding:
      weight: 25
      rules:
        funding_secured: {points: 25}
"""
    path = write(tmp_path, text)
    mine = score(ledger, "2022-06-30", rubric=path)
    default = score(ledger, "2022-06-30")
    b = "WB-0000000001"
    row = mine.planning.set_index("project_id").loc[b]
    assert row["policy_fit"] == 10 - 1 - 4 - 2 - 0  # level 1, no 531 tier 4, no sector 2
    assert mine.rubric.source == str(path)
    assert row["score"] != default.planning.set_index("project_id").loc[b, "score"]
    # the Rubric object and the path give the same result
    again = score(ledger, "2022-06-30", rubric=as_rubric(path))
    assert again.planning.equals(mine.planning)


def test_merged_overrides_are_checked():
    r = load_rubric()
    assert r.merged({"bands": {"green": {"min": 80}, "amber_green": {"max": 80}}}).bands()[0][1] == 80
    with pytest.raises(ConfigError, match="weights add to"):
        r.merged({"planning": {"dimensions": {"funding": {"weight": 30}}}})


@pytest.mark.parametrize("text, field", [
    ("planning:\n  dimensions:\n    definition:\n      rules:\n        scope: 5\n",
     "planning.dimensions.definition.rules.scope"),
    ("bands:\n  green: 3\n", "bands.green"),
    ("planning: null\n", "planning"),
    ("health:\n  pipeline_mix: [0.5, 0.5]\n", "health.pipeline_mix"),
    ("planning:\n  dimensions:\n    approvals:\n      rules:\n        approval_items:\n"
     "          message_en: {not_started: 3, in_progress: x, expired: y}\n",
     "planning.dimensions.approvals.rules.approval_items.message_en.not_started"),
])
def test_a_field_of_the_wrong_shape_is_a_config_error_naming_it(tmp_path, text, field):
    """Not a bare TypeError from deep inside the checks: the file and the field are named."""
    with pytest.raises(ConfigError) as err:
        load_rubric(write(tmp_path, text))
    assert err.value.field == field and err.value.file == "my_rubric.yaml"
    assert field in str(err.value)


def test_config_errors_carry_file_field_and_value(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_rubric(write(tmp_path, "planning:\n  dimensions:\n    funding:\n      weight: ten\n"))
    assert (err.value.file, err.value.field, err.value.value) == (
        "my_rubric.yaml", "planning.dimensions.funding.weight", "ten")
    with pytest.raises(ConfigError) as err:
        load_rubric(tmp_path)  # a folder, not a file
    assert err.value.file == str(tmp_path)


def test_overrides_must_be_a_mapping_and_rules_must_exist():
    r = load_rubric()
    with pytest.raises(ConfigError, match="expected a mapping"):
        r.merged(["weights"])
    with pytest.raises(ConfigError, match="no rule 'bonus'") as err:
        r.rule("bonus")
    assert err.value.value == "bonus"
