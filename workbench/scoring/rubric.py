"""The scoring rubric (``config/rubric.yaml``): loaded, merged over the default, checked.

A user's rubric file (or a what-if's overrides) names only the fields it changes; they are
merged over the packaged default and the result is checked (`rubric_check.py`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from workbench.core.vocabulary import BANDS, DIMENSIONS
from workbench.core.words import error_message
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError
from workbench.scoring.rubric_check import check_overrides, check_rubric


def default_rubric_path() -> Path:
    """Path of the packaged default rubric."""
    return Path(str(resources.files("workbench").joinpath("config/rubric.yaml")))


@dataclass(frozen=True)
class Rubric:
    """A checked rubric: weights, rule points, bands, delivery RAG, assessment and health targets."""

    data: dict = field(repr=False)
    source: str = "default"

    def weight(self, dimension: str) -> float:
        """Weight (maximum points) of a planning dimension."""
        return float(self.data["planning"]["dimensions"][dimension]["weight"])

    def weights(self) -> dict[str, float]:
        """Weights of all planning dimensions, in display order."""
        return {d: self.weight(d) for d in DIMENSIONS}

    def rules(self, dimension: str) -> dict[str, dict]:
        """The rules of a planning dimension, by name, in file order."""
        return self.data["planning"]["dimensions"][dimension]["rules"]

    def rule(self, name: str) -> dict:
        """One planning rule's settings, wherever its dimension is."""
        return self.rules(dimension_of_rule(self, name))[name]

    def bands(self) -> list[tuple[str, float, float]]:
        """(band, min, max) from the best band down."""
        return [(b, float(self.data["bands"][b]["min"]), float(self.data["bands"][b]["max"]))
                for b in BANDS]

    @property
    def flags(self) -> dict:
        """Settings of the planning flags."""
        return self.data["planning"]["flags"]

    @property
    def rag(self) -> dict:
        """Delivery RAG thresholds on the SPI-like ratio."""
        return self.data["delivery"]["rag"]

    @property
    def assessment(self) -> dict:
        """The monthly (and annual) assessment scheme."""
        return self.data["assessment"]

    @property
    def health(self) -> dict:
        """Portfolio-health targets."""
        return self.data["health"]

    def merged(self, overrides: dict, source: str | None = None) -> Rubric:
        """A new checked rubric with `overrides` merged over this one (for what-if)."""
        where = source or error_message("rubric_with_overrides", source=self.source)
        check_overrides(overrides, self.data, where)
        data = _merge(copy.deepcopy(self.data), overrides)
        check_rubric(data, where)
        return Rubric(data=data, source=where)


def dimension_of_rule(rubric: Rubric, name: str) -> str:
    """The dimension a rule belongs to (ConfigError when the rubric has no such rule)."""
    for dimension in DIMENSIONS:
        if name in rubric.rules(dimension):
            return dimension
    raise ConfigError(error_message("rubric_no_rule", where=rubric.source, name=name),
                      file=rubric.source,
                      field="planning.dimensions", value=name)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The packaged rubric, or the one at `path` merged over it; ConfigError says what is wrong."""
    default = _read_yaml(default_rubric_path())
    if path is None:
        check_rubric(default, "rubric.yaml")
        return Rubric(data=default, source="default")
    path = Path(path)
    user = _read_yaml(path)
    where = path.name
    check_overrides(user, default, where)
    data = _merge(default, user)
    check_rubric(data, where)
    return Rubric(data=data, source=str(path))


def as_rubric(rubric: Rubric | str | Path | None) -> Rubric:
    """A Rubric from a Rubric, a path to a YAML file, or None (the default)."""
    if isinstance(rubric, Rubric):
        return rubric
    return _default() if rubric is None else load_rubric(rubric)


_DEFAULT: list[Rubric] = []


def _default() -> Rubric:
    if not _DEFAULT:
        _DEFAULT.append(load_rubric())
    return _DEFAULT[0]


def _read_yaml(path: Path) -> dict:
    if not path.exists():
        raise ConfigError(error_message("rubric_not_found", path=path), file=str(path))
    try:
        data = strict_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(error_message("yaml_broken", file=path.name, reason=exc),
                          file=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError(error_message("rubric_not_utf8", file=path.name), file=str(path)) from None
    except OSError as exc:
        raise ConfigError(error_message("rubric_unreadable", file=path.name,
                                        reason=exc.strerror or exc), file=str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(error_message("rubric_in", where=path.name) + error_message(
            "rb_not_mapping", value=type(data).__name__), file=str(path))
    return data


def _merge(base: dict, over: dict) -> dict:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = value
    return base
