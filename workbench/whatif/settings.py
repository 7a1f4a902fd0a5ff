"""The what-if settings (``config/whatif.yaml``): the S-curve's shape, a default duration, limits."""

from __future__ import annotations

from functools import cache

from workbench.core.yamlfile import packaged_yaml


@cache
def settings() -> dict:
    """The what-if settings: S-curve shape, default duration, the largest values a scenario may hold."""
    return packaged_yaml("whatif.yaml")
