"""The packaged YAML configuration: every file parses strictly, with no key given twice."""

from __future__ import annotations

from importlib import resources

import pytest

from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError

CONFIG = resources.files("workbench").joinpath("config")


@pytest.mark.parametrize("name", sorted(p.name for p in CONFIG.iterdir() if p.name.endswith(".yaml")))
def test_packaged_config_has_no_duplicate_keys(name):
    assert strict_yaml(CONFIG.joinpath(name).read_text("utf-8")) is not None


def test_a_key_given_twice_is_refused_with_its_line():
    import yaml

    with pytest.raises(yaml.YAMLError, match=r"duplicate key 'a' \(first at line 1\)"):
        strict_yaml("a: 1\nb: 2\na: 3\n")


def test_a_user_rubric_with_a_key_twice_names_the_file(tmp_path):
    from workbench.scoring.rubric import load_rubric

    path = tmp_path / "mine.yaml"
    path.write_text("bands:\n  green: 85\n  green: 80\n", "utf-8")
    with pytest.raises(ConfigError, match="mine.yaml"):
        load_rubric(path)
