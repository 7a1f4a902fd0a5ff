"""The reconciliation's settings, read from ``config/reconcile.yaml`` and checked when read:
linkage thresholds, the comparisons' m/u priors, the conflict tolerance and the precedence of
sources (replaceable by a user's file, ``--precedence``). Every mistake is a ConfigError naming
the file, the key and the value.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from workbench.core.messages import error_message
from workbench.core.words import config_error
from workbench.core.yamlfile import packaged_yaml, strict_yaml
from workbench.exceptions import ConfigError

_FILE = "reconcile.yaml"
#: The roles a source can play; the first file given is always the master.
ROLES = ("master", "unit", "province", "stats", "bond")
#: Each comparison and its levels, most alike first (the order splink's levels take).
LEVELS = {
    "code": ("exact", "typo", "different"),
    "name": ("exact", "contains", "jaro_winkler_92", "jaccard_70", "jaccard_50", "different"),
    "owner": ("exact", "jaro_winkler_88", "different"),
    "town": ("exact", "different"),
    "total_investment": ("within_1pct", "within_10pct", "within_60pct", "different"),
    "planned_start": ("same_month", "within_6_months", "different"),
}
#: Fields a conflict may be found in (the projects table's columns).
FIELDS = ("project_id", "name", "owner", "location", "nature", "stage", "total_investment",
          "annual_plan", "planned_start", "planned_completion", "actual_start",
          "actual_completion", "responsible_unit")


@dataclass(frozen=True)
class Precedence:
    """Which role's value wins, field by field, and how a file's role is told from its name."""

    roles: dict  # role -> shell patterns of file names
    default: tuple[str, ...]
    fields: dict  # field -> tuple of roles
    file: str = _FILE

    def role_of(self, path: str | Path) -> str:
        """The role of a (non-master) file: the first role a pattern of which its name matches."""
        name = Path(path).name.casefold()
        for role, patterns in self.roles.items():
            if any(fnmatch.fnmatchcase(name, p.casefold()) for p in patterns):
                return role
        return "unit"

    def order(self, field: str) -> tuple[str, ...]:
        """The roles in the order their value wins for `field`."""
        return self.fields.get(field, self.default)


@dataclass(frozen=True)
class Settings:
    """Everything a reconciliation reads from its configuration."""

    link: float
    review: float
    estimate_u: bool
    estimate_u_min_records: int
    estimate_u_max_pairs: int
    seed: int
    prior_min: float
    prior_max: float
    comparisons: dict  # comparison -> {"m": tuple, "u": tuple}
    amount_rel: float
    fields: tuple[str, ...]
    precedence: Precedence


def _fail(expected: str, field: str, value=None, file: str = _FILE, given: bool | None = True,
          **fields):
    """Raise the ConfigError of setting `field` (``core.words.config_error``): `expected` is an
    ``expect_*`` message of errors.yaml, filled from `fields`."""
    raise config_error(file, field, expected, value, given=given, **fields)


def _probability(section: dict, key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        _fail("expect_share", f"{where}.{key}", value)
    return float(value)


def _integer(section: dict, key: str, where: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _fail("expect_count", f"{where}.{key}", value)
    return int(value)


def _comparisons(section) -> dict:
    if not isinstance(section, dict) or set(section) != set(LEVELS):
        _fail("expect_exactly", "comparisons",
              sorted(section) if isinstance(section, dict) else section, items=", ".join(LEVELS))
    out = {}
    for name, levels in LEVELS.items():
        spec = section[name]
        where = f"comparisons.{name}"
        if not isinstance(spec, dict) or tuple(spec.get("levels") or ()) != levels:
            _fail("expect_exactly", f"{where}.levels",
                  spec.get("levels") if isinstance(spec, dict) else spec, items=", ".join(levels))
        probs = {}
        for kind in ("m", "u"):
            values = spec.get(kind)
            if (not isinstance(values, list) or len(values) != len(levels)
                    or not all(isinstance(v, int | float) and 0 < v <= 1 for v in values)
                    or abs(sum(values) - 1) > 1e-6):
                _fail("expect_probabilities", f"{where}.{kind}", values, n=len(levels))
            probs[kind] = tuple(float(v) for v in values)
        out[name] = probs
    return out


def check_precedence(section, file: str = _FILE) -> Precedence:
    """A precedence section checked: roles known, patterns text, orders lists of known roles."""
    if not isinstance(section, dict):
        _fail("expect_precedence", "precedence", section, file)
    unknown = set(section) - {"roles", "default", "fields"}
    if unknown:
        _fail("expect_precedence", "precedence." + sorted(unknown)[0], sorted(unknown), file,
              given=None)
    roles = section.get("roles") or {}
    if not isinstance(roles, dict):
        _fail("expect_role_patterns", "precedence.roles", roles, file)
    for role, patterns in roles.items():
        if role not in ROLES or role == "master":
            _fail("expect_one_of", f"precedence.roles.{role}", role, file, given=None,
                  choices=", ".join(ROLES[1:]))
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            _fail("expect_patterns", f"precedence.roles.{role}", patterns, file)

    def order(value, where: str) -> tuple[str, ...]:
        if (not isinstance(value, list) or not value or not all(v in ROLES for v in value)
                or len(set(value)) != len(value)):
            _fail("expect_role_order", where, value, file, choices=", ".join(ROLES))
        return tuple(value)

    default = order(section.get("default"), "precedence.default")
    fields = section.get("fields") or {}
    if not isinstance(fields, dict):
        _fail("expect_field_roles", "precedence.fields", fields, file)
    checked = {}
    for field, value in fields.items():
        if field not in FIELDS:
            _fail("expect_one_of", f"precedence.fields.{field}", field, file, given=None,
                  choices=", ".join(FIELDS))
        checked[field] = order(value, f"precedence.fields.{field}")
    return Precedence({r: tuple(p) for r, p in roles.items()}, default, checked, file)


def read_precedence(path: str | Path) -> Precedence:
    """A user's precedence file (``--precedence``): the ``precedence`` section of
    reconcile.yaml, at the top of the file or under ``precedence:``; checked."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(error_message("precedence_missing", file=path), file=str(path),
                          field="precedence")
    try:
        data = strict_yaml(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(error_message("yaml_broken", file=path, reason=exc), file=str(path),
                          field="precedence") from None
    if isinstance(data, dict) and "precedence" in data:
        data = data["precedence"]
    return check_precedence(data, str(path))


def check_settings(data, precedence: Precedence | None = None) -> Settings:
    """`data` (reconcile.yaml's content) as Settings, every value checked."""
    if not isinstance(data, dict):
        _fail("expect_reconcile", "", data)
    linkage = data.get("linkage") or {}
    link, review = (_probability(linkage, k, "linkage") for k in ("link", "review"))
    if review > link:
        _fail("expect_not_above", "linkage.review", review, other="linkage.link", limit=link)
    prior_min, prior_max = (_probability(linkage, k, "linkage") for k in ("prior_min", "prior_max"))
    if not 0 < prior_min <= prior_max < 1:
        _fail("expect_prior", "linkage.prior_min", prior_min)
    if not isinstance(linkage.get("estimate_u"), bool):
        _fail("expect_bool", "linkage.estimate_u", linkage.get("estimate_u"))
    conflicts = data.get("conflicts") or {}
    fields = conflicts.get("fields")
    if not isinstance(fields, list) or not set(fields) <= set(FIELDS) or "name" not in fields:
        _fail("expect_conflict_fields", "conflicts.fields", fields, choices=", ".join(FIELDS))
    return Settings(
        link=link, review=review, estimate_u=linkage["estimate_u"],
        estimate_u_min_records=_integer(linkage, "estimate_u_min_records", "linkage"),
        estimate_u_max_pairs=_integer(linkage, "estimate_u_max_pairs", "linkage"),
        seed=_integer(linkage, "seed", "linkage"), prior_min=prior_min, prior_max=prior_max,
        comparisons=_comparisons(data.get("comparisons")),
        amount_rel=_probability(conflicts, "amount_rel", "conflicts"), fields=tuple(fields),
        precedence=precedence or check_precedence(data.get("precedence")))


@cache
def _packaged() -> Settings:
    return check_settings(packaged_yaml(_FILE))


def reconcile_settings(precedence: str | Path | None = None) -> Settings:
    """The packaged settings, with the precedence of a user's file when one is given."""
    settings = _packaged()
    if precedence is None:
        return settings
    from dataclasses import replace

    return replace(settings, precedence=read_precedence(precedence))
