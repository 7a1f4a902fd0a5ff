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


def _fail(message: str, field: str, value=None, file: str = _FILE):
    raise ConfigError(f"{file}: {message}", file=file, field=field, value=value)


def _probability(section: dict, key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        _fail(f"{where}.{key} must be a number from 0 to 1", f"{where}.{key}", value)
    return float(value)


def _integer(section: dict, key: str, where: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _fail(f"{where}.{key} must be a whole number ≥ 0", f"{where}.{key}", value)
    return int(value)


def _comparisons(section) -> dict:
    if not isinstance(section, dict) or set(section) != set(LEVELS):
        _fail(f"comparisons must list exactly {', '.join(LEVELS)}", "comparisons",
              sorted(section) if isinstance(section, dict) else section)
    out = {}
    for name, levels in LEVELS.items():
        spec = section[name]
        where = f"comparisons.{name}"
        if not isinstance(spec, dict) or tuple(spec.get("levels") or ()) != levels:
            _fail(f"{where}.levels must be {list(levels)}", f"{where}.levels",
                  spec.get("levels") if isinstance(spec, dict) else spec)
        probs = {}
        for kind in ("m", "u"):
            values = spec.get(kind)
            if (not isinstance(values, list) or len(values) != len(levels)
                    or not all(isinstance(v, int | float) and 0 < v <= 1 for v in values)
                    or abs(sum(values) - 1) > 1e-6):
                _fail(f"{where}.{kind} must be {len(levels)} probabilities above 0 summing to 1",
                      f"{where}.{kind}", values)
            probs[kind] = tuple(float(v) for v in values)
        out[name] = probs
    return out


def check_precedence(section, file: str = _FILE) -> Precedence:
    """A precedence section checked: roles known, patterns text, orders lists of known roles."""
    if not isinstance(section, dict):
        _fail("precedence must be a mapping with roles, default and fields", "precedence",
              section, file)
    unknown = set(section) - {"roles", "default", "fields"}
    if unknown:
        _fail(f"precedence has unknown key(s) {sorted(unknown)}", "precedence", sorted(unknown), file)
    roles = section.get("roles") or {}
    if not isinstance(roles, dict):
        _fail("precedence.roles must map a role to file-name patterns", "precedence.roles",
              roles, file)
    for role, patterns in roles.items():
        if role not in ROLES or role == "master":
            _fail(f"precedence.roles: unknown role {role!r} (one of {', '.join(ROLES[1:])})",
                  f"precedence.roles.{role}", role, file)
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            _fail(f"precedence.roles.{role} must be a list of file-name patterns",
                  f"precedence.roles.{role}", patterns, file)

    def order(value, where: str) -> tuple[str, ...]:
        if (not isinstance(value, list) or not value or not all(v in ROLES for v in value)
                or len(set(value)) != len(value)):
            _fail(f"{where} must list roles, each once, from {', '.join(ROLES)}", where, value, file)
        return tuple(value)

    default = order(section.get("default"), "precedence.default")
    fields = section.get("fields") or {}
    if not isinstance(fields, dict):
        _fail("precedence.fields must map a field to a list of roles", "precedence.fields",
              fields, file)
    checked = {}
    for field, value in fields.items():
        if field not in FIELDS:
            _fail(f"precedence.fields: unknown field {field!r} (one of {', '.join(FIELDS)})",
                  f"precedence.fields.{field}", field, file)
        checked[field] = order(value, f"precedence.fields.{field}")
    return Precedence({r: tuple(p) for r, p in roles.items()}, default, checked, file)


def read_precedence(path: str | Path) -> Precedence:
    """A user's precedence file (``--precedence``): the ``precedence`` section of
    reconcile.yaml, at the top of the file or under ``precedence:``; checked."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"precedence file not found: {path}", file=str(path), field="precedence")
    try:
        data = strict_yaml(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not readable YAML ({exc})", file=str(path),
                          field="precedence") from None
    if isinstance(data, dict) and "precedence" in data:
        data = data["precedence"]
    return check_precedence(data, str(path))


def check_settings(data, precedence: Precedence | None = None) -> Settings:
    """`data` (reconcile.yaml's content) as Settings, every value checked."""
    if not isinstance(data, dict):
        _fail("needs linkage, comparisons, conflicts and precedence", "")
    linkage = data.get("linkage") or {}
    link, review = (_probability(linkage, k, "linkage") for k in ("link", "review"))
    if review > link:
        _fail("linkage.review must not exceed linkage.link", "linkage.review", review)
    prior_min, prior_max = (_probability(linkage, k, "linkage") for k in ("prior_min", "prior_max"))
    if not 0 < prior_min <= prior_max < 1:
        _fail("linkage.prior_min must be above 0 and at most linkage.prior_max (below 1)",
              "linkage.prior_min", prior_min)
    if not isinstance(linkage.get("estimate_u"), bool):
        _fail("linkage.estimate_u must be true or false", "linkage.estimate_u",
              linkage.get("estimate_u"))
    conflicts = data.get("conflicts") or {}
    fields = conflicts.get("fields")
    if not isinstance(fields, list) or not set(fields) <= set(FIELDS) or "name" not in fields:
        _fail(f"conflicts.fields must list fields from {', '.join(FIELDS)} (name included)",
              "conflicts.fields", fields)
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
