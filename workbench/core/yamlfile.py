"""YAML reading shared by every configuration file: strict about duplicate keys.

PyYAML keeps the last of two equal keys without a word, so a label or a rubric weight added
twice silently overrides the first; here it is an error naming the key and its line.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from workbench.core.messages import error_message
from workbench.exceptions import ConfigError

#: libyaml's parser when PyYAML was built with it (about ten times faster), else pure Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep=False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def strict_yaml(text: str):
    """Parse YAML like `yaml.safe_load`, but a duplicate key raises yaml.YAMLError."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


@cache
def packaged_yaml(name: str):
    """A YAML file shipped in ``workbench/config/``, parsed strictly (ConfigError if broken)."""
    text = resources.files("workbench").joinpath(f"config/{name}").read_text("utf-8")
    try:
        return strict_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(error_message("yaml_broken", file=f"config/{name}", reason=exc),
                          file=f"config/{name}") from None
