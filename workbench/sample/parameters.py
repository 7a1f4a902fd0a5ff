"""The sample's parameters (``config/sample.yaml``) and the checks of seed, project count and year."""

from __future__ import annotations

from functools import cache

import numpy as np

from workbench.core.words import error_message
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ParameterError


@cache
def sample_config() -> dict:
    """The packaged sample parameters (``config/sample.yaml``)."""
    return packaged_yaml("sample.yaml")


def check_parameters(seed: int, projects: int, year: int) -> None:
    """ParameterError naming the parameter and its value unless seed, projects and year are usable."""
    if not _whole(seed) or seed < 0:
        raise ParameterError(error_message("sample_seed", value=seed),
                             field="seed", value=seed)
    if not _whole(projects) or not 1 <= projects <= 20_000:
        raise ParameterError(error_message("sample_projects", value=projects),
                             field="projects", value=projects)
    if not _whole(year) or not 2001 <= year <= 2098:
        raise ParameterError(error_message("sample_year", value=year),
                             field="year", value=year)


def _whole(value) -> bool:
    return isinstance(value, int | np.integer)
