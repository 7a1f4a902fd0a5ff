"""The scoring rubric (``config/rubric.yaml``): loaded, merged over the default, checked."""

from __future__ import annotations

import copy
import math
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from workbench.core.vocabulary import APPROVAL_ITEMS, FUNDING_SOURCES, LEVELS, NATURES, OFFICES
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ConfigError

#: The planning dimensions, in the order scores show them.
DIMENSIONS = ("policy_fit", "definition", "approvals", "funding", "schedule", "responsibility")
#: The planning bands, best first (values of ``Scores.planning.band``).
BANDS = ("green", "amber_green", "amber", "amber_red", "red")

#: Paths (dotted, ``*`` for any key) whose keys are domain values, not field names.
_OPEN_MAPS = {
    "planning.dimensions.policy_fit.rules.list_level.loss_by_level": LEVELS,
    "planning.dimensions.definition.rules.plan_ratio.band_by_nature": NATURES,
    "planning.dimensions.approvals.rules.approval_items.item_points": APPROVAL_ITEMS,
    "planning.dimensions.schedule.rules.approval_lead_time.lead_days": APPROVAL_ITEMS,
    "health.pipeline_mix": NATURES,
}
#: Facts each rule's message may name (besides {lost}).
_FACTS = {
    "list_level": {"level"},
    "size": {"total_yi", "min_yi"},
    "plan_ratio": {"ratio", "nature", "low", "high"},
    "approval_items": {"item", "start"},
    "funding_secured": {"pct", "share"},
    "milestone_owner": {"n"},
    "milestones_overdue": {"n"},
    "start_slip": {"n", "start"},
    "approval_lead_time": {"n", "days"},
    "reports_missing": {"n"},
    "problems_overdue": {"n"},
}
#: Cases of rules whose messages have one template per case.
_CASES = {
    "scope": {"missing", "unquantified"},
    "approval_items": {"not_started", "in_progress", "expired"},
    "funding_secured": {"none", "partial", "partial_without_plan"},
}


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
        data = _merge(copy.deepcopy(self.data), overrides)
        where = source or f"{self.source} + overrides"
        _check_unknown(overrides, self.data, "", where)
        _check(data, where)
        return Rubric(data=data, source=where)


def dimension_of_rule(rubric: Rubric, name: str) -> str:
    """The dimension a rule belongs to."""
    for dimension in DIMENSIONS:
        if name in rubric.rules(dimension):
            return dimension
    raise KeyError(name)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The packaged rubric, or the one at `path` merged over it; ConfigError says what is wrong."""
    default = _read_yaml(default_rubric_path())
    if path is None:
        _check(default, "rubric.yaml")
        return Rubric(data=default, source="default")
    path = Path(path)
    user = _read_yaml(path)
    where = path.name
    _check_unknown(user, default, "", where)
    data = _merge(default, user)
    _check(data, where)
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
        raise ConfigError(f"rubric file not found: {path}")
    try:
        data = strict_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: not UTF-8 text") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected a mapping of fields at the top, got {type(data).__name__}")
    return data


def _merge(base: dict, over: dict) -> dict:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = value
    return base


def _open_map_domain(path: str):
    return _OPEN_MAPS.get(path)


def _check_unknown(user: dict, default: dict, prefix: str, where: str) -> None:
    """Every field of `user` exists in `default` at the same path (domain maps: known values)."""
    for key, value in user.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        domain = _open_map_domain(prefix)
        if domain is not None:
            if key not in domain:
                raise ConfigError(f"{where}: {path}: unknown value {key!r} (known: {', '.join(domain)})")
            continue
        if not isinstance(default, dict) or key not in default:
            known = ", ".join(map(str, default)) if isinstance(default, dict) else "none"
            raise ConfigError(f"{where}: {path}: unknown field (allowed here: {known})")
        if isinstance(value, dict) and isinstance(default[key], dict) and not _is_message(path):
            _check_unknown(value, default[key], path, where)


def _is_message(path: str) -> bool:
    return path.endswith(".message_zh") or path.endswith(".message_en")


def _number(value, path: str, where: str, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ConfigError(f"{where}: {path}: expected a number, got {value!r}")
    if not low <= value <= high:
        span = f"from {low:g} to {high:g}" if high < math.inf else f"at least {low:g}"
        raise ConfigError(f"{where}: {path}: {value!r} is out of range (expected {span})")
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _check(data: dict, where: str) -> None:
    """Raise ConfigError naming the first thing wrong in a merged rubric."""
    _check_planning(data["planning"], where)
    _check_bands(data["bands"], where)
    _check_delivery(data["delivery"], where)
    _check_assessment(data["assessment"], where)
    _check_health(data["health"], where)


def _check_planning(planning: dict, where: str) -> None:
    dims = planning["dimensions"]
    weights = {d: _number(dims[d]["weight"], f"planning.dimensions.{d}.weight", where)
               for d in DIMENSIONS}
    total = sum(weights.values())
    if not _close(total, 100):
        parts = ", ".join(f"{d} {w:g}" for d, w in weights.items())
        raise ConfigError(f"{where}: planning.dimensions: weights add to {total:g}, not 100 ({parts})")
    for d in DIMENSIONS:
        rules = dims[d]["rules"]
        points = {}
        for name, rule in rules.items():
            path = f"planning.dimensions.{d}.rules.{name}"
            points[name] = _number(rule["points"], f"{path}.points", where)
            _check_rule(name, rule, path, where)
        rule_total = sum(points.values())
        if not _close(rule_total, weights[d]):
            parts = ", ".join(f"{n} {p:g}" for n, p in points.items())
            raise ConfigError(
                f"{where}: planning.dimensions.{d}: rule points add to {rule_total:g}, "
                f"but the weight is {weights[d]:g} ({parts})")
    flags = planning["flags"]
    _number(flags["start_soon_days"], "planning.flags.start_soon_days", where, 0, 3650)
    _number(flags["funding_low_share"], "planning.flags.funding_low_share", where, 0, 1)


def _check_rule(name: str, rule: dict, path: str, where: str) -> None:
    points = float(rule["points"])
    for key in ("per_item", "per_month", "min_total"):
        if key in rule:
            _number(rule[key], f"{path}.{key}", where)
    for key in ("in_progress_credit", "applied_credit", "need_share_without_plan"):
        if key in rule:
            _number(rule[key], f"{path}.{key}", where, 0, 1)
    if name == "list_level":
        for level, loss in rule["loss_by_level"].items():
            _number(loss, f"{path}.loss_by_level.{level}", where, 0, points)
        missing = [lv for lv in LEVELS if lv not in rule["loss_by_level"]]
        if missing:
            raise ConfigError(f"{where}: {path}.loss_by_level: no loss given for {', '.join(missing)}")
        _number(rule["programme_982_loss"], f"{path}.programme_982_loss", where, 0, points)
    if name == "scope":
        _number(rule["unquantified_loss"], f"{path}.unquantified_loss", where, 0, points)
    if name == "upper_funding":
        _check_members(rule["public_offices"], OFFICES, f"{path}.public_offices", where)
        _check_members(rule["channels"], FUNDING_SOURCES, f"{path}.channels", where)
    if name == "plan_ratio":
        for nature, band in rule["band_by_nature"].items():
            bpath = f"{path}.band_by_nature.{nature}"
            if not isinstance(band, list) or len(band) != 2:
                raise ConfigError(f"{where}: {bpath}: expected [low, high], got {band!r}")
            low, high = (_number(v, bpath, where) for v in band)
            if low > high:
                raise ConfigError(f"{where}: {bpath}: low {low:g} is above high {high:g}")
    if name == "approval_items":
        items = {i: _number(p, f"{path}.item_points.{i}", where) for i, p in rule["item_points"].items()}
        if not _close(sum(items.values()), points):
            raise ConfigError(f"{where}: {path}: item_points add to {sum(items.values()):g}, "
                              f"but points is {points:g}")
    if name == "approval_items":
        for lang in ("zh", "en"):
            clause = rule[f"start_clause_{lang}"]
            cpath = f"{path}.start_clause_{lang}"
            if not isinstance(clause, dict) or set(clause) != {"planned", "started"}:
                raise ConfigError(f"{where}: {cpath}: needs templates 'planned' and 'started'")
            for case, template in clause.items():
                if not isinstance(template, str) or "{date}" not in template:
                    raise ConfigError(f"{where}: {cpath}.{case}: template must contain {{date}}")
    if name == "approval_lead_time":
        for item, days in rule["lead_days"].items():
            _number(days, f"{path}.lead_days.{item}", where, 0, 3650)
    for lang in ("zh", "en"):
        _check_message(name, rule[f"message_{lang}"], f"{path}.message_{lang}", where)


def _check_members(values, allowed, path: str, where: str) -> None:
    if not isinstance(values, list):
        raise ConfigError(f"{where}: {path}: expected a list, got {values!r}")
    for v in values:
        if v not in allowed:
            raise ConfigError(f"{where}: {path}: unknown value {v!r} (known: {', '.join(allowed)})")


def _check_message(rule: str, message, path: str, where: str) -> None:
    cases = _CASES.get(rule)
    if cases:
        if not isinstance(message, dict) or set(message) != cases:
            raise ConfigError(f"{where}: {path}: needs one template for each case: {', '.join(sorted(cases))}")
        templates = message.items()
    else:
        if not isinstance(message, str):
            raise ConfigError(f"{where}: {path}: expected a text template, got {message!r}")
        templates = [("", message)]
    allowed = _FACTS.get(rule, set()) | {"lost"}
    for case, template in templates:
        where_case = f"{path}.{case}" if case else path
        try:
            names = {f[1] for f in string.Formatter().parse(template) if f[1] is not None}
        except ValueError as exc:
            raise ConfigError(f"{where}: {where_case}: bad template {template!r}: {exc}") from None
        unknown = names - allowed
        if unknown:
            raise ConfigError(f"{where}: {where_case}: unknown placeholder "
                              f"{{{sorted(unknown)[0]}}} (this rule knows: {', '.join(sorted(allowed))})")


def _check_bands(bands: dict, where: str) -> None:
    for b in BANDS:
        if b not in bands:
            raise ConfigError(f"{where}: bands: band {b!r} is missing")
    spans = sorted(
        (_number(bands[b]["min"], f"bands.{b}.min", where, 0, 100),
          _number(bands[b]["max"], f"bands.{b}.max", where, 0, 100), b) for b in BANDS)
    for low, high, b in spans:
        if low >= high:
            raise ConfigError(f"{where}: bands.{b}: min {low:g} is not below max {high:g}")
    if spans[0][0] != 0:
        raise ConfigError(f"{where}: bands: scores from 0 to {spans[0][0]:g} have no band "
                          f"(lowest band {spans[0][2]} starts at {spans[0][0]:g})")
    if spans[-1][1] != 100:
        raise ConfigError(f"{where}: bands: scores from {spans[-1][1]:g} to 100 have no band "
                          f"(highest band {spans[-1][2]} ends at {spans[-1][1]:g})")
    for (lo1, hi1, b1), (lo2, _hi2, b2) in zip(spans, spans[1:], strict=False):
        if hi1 < lo2:
            raise ConfigError(f"{where}: bands leave a gap: {b1} covers [{lo1:g}, {hi1:g}) and {b2} "
                              f"starts at {lo2:g}, so scores from {hi1:g} to {lo2:g} have no band")
        if hi1 > lo2:
            raise ConfigError(f"{where}: bands overlap: {b1} covers [{lo1:g}, {hi1:g}) and {b2} "
                              f"starts at {lo2:g}, so scores from {lo2:g} to {hi1:g} fall in both")


def _check_delivery(delivery: dict, where: str) -> None:
    green = _number(delivery["rag"]["green_min"], "delivery.rag.green_min", where, 0, 10)
    amber = _number(delivery["rag"]["amber_min"], "delivery.rag.amber_min", where, 0, 10)
    if amber > green:
        raise ConfigError(f"{where}: delivery.rag: amber_min {amber:g} is above green_min {green:g}")


def _check_assessment(assessment: dict, where: str) -> None:
    comps = assessment["components"]
    points = {c: _number(v["points"], f"assessment.components.{c}.points", where) for c, v in comps.items()}
    for c, v in comps.items():
        for key, value in v.items():
            _number(value, f"assessment.components.{c}.{key}", where)
    total = sum(points.values())
    if not _close(total, 100):
        parts = ", ".join(f"{c} {p:g}" for c, p in points.items())
        raise ConfigError(f"{where}: assessment.components: points add to {total:g}, not 100 ({parts})")
    if not isinstance(assessment["unassigned"], str):
        raise ConfigError(f"{where}: assessment.unassigned: expected text")


def _check_health(health: dict, where: str) -> None:
    for key, value in health.items():
        if key == "pipeline_mix":
            continue
        _number(value, f"health.{key}", where, -100, 100)
    mix = {n: _number(s, f"health.pipeline_mix.{n}", where, 0, 1) for n, s in health["pipeline_mix"].items()}
    if abs(sum(mix.values()) - 1) > 1e-6:
        raise ConfigError(f"{where}: health.pipeline_mix: shares add to {sum(mix.values()):g}, not 1")
