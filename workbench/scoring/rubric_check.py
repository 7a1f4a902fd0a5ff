"""Checks of a rubric's data (``config/rubric.yaml`` merged with a user's file or overrides).

Each check raises ConfigError naming the first thing wrong: the file (``file``), the dotted
path of the field (``field``), the value when there is one, and a message saying what would be
right. A rubric that passes is safe to score with: every rule has its settings, numbers are in
range, points add up, bands cover 0–100 once, and message templates name only known facts.
"""

from __future__ import annotations

import math
import string

from workbench.core.vocabulary import (
    APPROVAL_ITEMS,
    BANDS,
    DIMENSIONS,
    FUNDING_SOURCES,
    LEVELS,
    NATURES,
    OFFICES,
)
from workbench.core.words import error_message
from workbench.exceptions import ConfigError

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
_NO_VALUE = object()


def _fail(where: str, path: str, key: str, found=_NO_VALUE, **words):
    """Raise ConfigError "<where>: <path>: <message>" with its file, field and value (`found`);
    the message is errors.yaml's `key` filled from `words` (numbers written with :g)."""
    fields = {"file": where, "field": path or None}
    if found is not _NO_VALUE:
        fields["value"] = found
    words = {k: f"{v:g}" if isinstance(v, float) else v for k, v in words.items()}
    prefix = error_message("rubric_at" if path else "rubric_in", where=where, path=path)
    raise ConfigError(prefix + error_message(key, **words), **fields)


def check_overrides(user, default: dict, where: str) -> None:
    """`user` is a mapping whose every field exists in `default` at the same path."""
    if not isinstance(user, dict):
        _fail(where, "", "rb_not_mapping", user, value=type(user).__name__)
    _check_unknown(user, default, "", where)


def _check_unknown(user: dict, default: dict, prefix: str, where: str) -> None:
    """Every field of `user` exists in `default` at the same path (domain maps: known values)."""
    for key, value in user.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        domain = _OPEN_MAPS.get(prefix)
        if domain is not None:
            if key not in domain:
                _fail(where, path, "rb_unknown_value", key, value=key, known=", ".join(domain))
            continue
        if not isinstance(default, dict) or key not in default:
            known = ", ".join(map(str, default)) if isinstance(default, dict) else "none"
            _fail(where, path, "rb_unknown_field", known=known)
        if _is_message(path):
            continue  # a text or one text per case: checked with its rule
        if isinstance(default[key], dict):
            if not isinstance(value, dict):
                _fail(where, path, "rb_not_mapping", value, value=repr(value))
            _check_unknown(value, default[key], path, where)


def _is_message(path: str) -> bool:
    return path.endswith(".message_zh") or path.endswith(".message_en")


def _number(value, path: str, where: str, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        _fail(where, path, "rb_not_number", value, value=value)
    if not low <= value <= high:
        span = error_message("rb_span_between", low=f"{low:g}", high=f"{high:g}") \
            if high < math.inf else error_message("rb_span_min", low=f"{low:g}")
        _fail(where, path, "rb_out_of_range", value, value=value, span=span)
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def check_rubric(data: dict, where: str) -> None:
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
        _fail(where, "planning.dimensions", "rb_weights", total, total=total, parts=parts)
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
            _fail(where, f"planning.dimensions.{d}", "rb_rule_points", rule_total,
                  total=rule_total, weight=weights[d], parts=parts)
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
            _fail(where, f"{path}.loss_by_level", "rb_no_loss", levels=", ".join(missing))
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
                _fail(where, bpath, "rb_band_pair", band, value=band)
            low, high = (_number(v, bpath, where) for v in band)
            if low > high:
                _fail(where, bpath, "rb_low_above_high", band, low=low, high=high)
    if name == "approval_items":
        items = {i: _number(p, f"{path}.item_points.{i}", where) for i, p in rule["item_points"].items()}
        if not _close(sum(items.values()), points):
            _fail(where, path, "rb_item_points", total=float(sum(items.values())), points=points)
        for lang in ("zh", "en"):
            clause = rule[f"start_clause_{lang}"]
            cpath = f"{path}.start_clause_{lang}"
            if not isinstance(clause, dict) or set(clause) != {"planned", "started"}:
                _fail(where, cpath, "rb_clause_templates")
            for case, template in clause.items():
                if not isinstance(template, str) or "{date}" not in template:
                    _fail(where, f"{cpath}.{case}", "rb_template_date", template)
    if name == "approval_lead_time":
        for item, days in rule["lead_days"].items():
            _number(days, f"{path}.lead_days.{item}", where, 0, 3650)
    for lang in ("zh", "en"):
        _check_message(name, rule[f"message_{lang}"], f"{path}.message_{lang}", where)


def _check_members(values, allowed, path: str, where: str) -> None:
    if not isinstance(values, list):
        _fail(where, path, "rb_not_list", values, value=values)
    for v in values:
        if v not in allowed:
            _fail(where, path, "rb_unknown_value", v, value=v, known=", ".join(allowed))


def _check_message(rule: str, message, path: str, where: str) -> None:
    cases = _CASES.get(rule)
    if cases:
        if not isinstance(message, dict) or set(message) != cases:
            _fail(where, path, "rb_case_templates", cases=", ".join(sorted(cases)))
        templates = message.items()
    else:
        if not isinstance(message, str):
            _fail(where, path, "rb_not_template", message, value=message)
        templates = [("", message)]
    allowed = _FACTS.get(rule, set()) | {"lost"}
    for case, template in templates:
        where_case = f"{path}.{case}" if case else path
        if not isinstance(template, str):
            _fail(where, where_case, "rb_not_template", template, value=template)
        try:
            names = {f[1] for f in string.Formatter().parse(template) if f[1] is not None}
        except ValueError as exc:
            _fail(where, where_case, "rb_bad_template", template, value=template, reason=exc)
        unknown = names - allowed
        if unknown:
            _fail(where, where_case, "rb_unknown_placeholder", template,
                  name=sorted(unknown)[0], known=", ".join(sorted(allowed)))


def _check_bands(bands: dict, where: str) -> None:
    for b in BANDS:
        if b not in bands:
            _fail(where, "bands", "rb_band_missing", band=b)
    spans = sorted(
        (_number(bands[b]["min"], f"bands.{b}.min", where, 0, 100),
          _number(bands[b]["max"], f"bands.{b}.max", where, 0, 100), b) for b in BANDS)
    for low, high, b in spans:
        if low >= high:
            _fail(where, f"bands.{b}", "rb_band_min_max", low=low, high=high)
    if spans[0][0] != 0:
        _fail(where, "bands", "rb_band_low_gap", low=spans[0][0], band=spans[0][2])
    if spans[-1][1] != 100:
        _fail(where, "bands", "rb_band_high_gap", high=spans[-1][1], band=spans[-1][2])
    for (lo1, hi1, b1), (lo2, _hi2, b2) in zip(spans, spans[1:], strict=False):
        if hi1 != lo2:
            _fail(where, "bands", "rb_bands_gap" if hi1 < lo2 else "rb_bands_overlap",
                  b1=b1, b2=b2, lo1=lo1, hi1=hi1, lo2=lo2)


def _check_delivery(delivery: dict, where: str) -> None:
    green = _number(delivery["rag"]["green_min"], "delivery.rag.green_min", where, 0, 10)
    amber = _number(delivery["rag"]["amber_min"], "delivery.rag.amber_min", where, 0, 10)
    if amber > green:
        _fail(where, "delivery.rag", "rb_amber_above_green", amber=amber, green=green)


def _check_assessment(assessment: dict, where: str) -> None:
    comps = assessment["components"]
    points = {c: _number(v["points"], f"assessment.components.{c}.points", where) for c, v in comps.items()}
    for c, v in comps.items():
        for key, value in v.items():
            _number(value, f"assessment.components.{c}.{key}", where)
    total = sum(points.values())
    if not _close(total, 100):
        parts = ", ".join(f"{c} {p:g}" for c, p in points.items())
        _fail(where, "assessment.components", "rb_components", total, total=total, parts=parts)
    if not isinstance(assessment["unassigned"], str):
        _fail(where, "assessment.unassigned", "rb_expected_text", assessment["unassigned"])


def _check_health(health: dict, where: str) -> None:
    for key, value in health.items():
        if key == "pipeline_mix":
            continue
        _number(value, f"health.{key}", where, -100, 100)
    mix = {n: _number(s, f"health.pipeline_mix.{n}", where, 0, 1) for n, s in health["pipeline_mix"].items()}
    if abs(sum(mix.values()) - 1) > 1e-6:
        _fail(where, "health.pipeline_mix", "rb_mix", total=float(sum(mix.values())))
