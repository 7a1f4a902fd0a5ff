"""A what-if scenario as data: its levers, the checks of their values, and its YAML file.

A scenario names its levers (see the package's docstring for what each one does); every lever
defaults to "no change". A value that is negative, absurd or of the wrong kind is refused with
a ScenarioError naming the field (``field=``), as is an unknown field; `load_scenario` adds the
file (``file=``). Whether the scenario fits a ledger is checked in `workbench.whatif.check`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from workbench.core.periods import parse_quarter
from workbench.core.vocabulary import APPROVAL_ITEMS, DIMENSIONS, FUNDING_SOURCES
from workbench.core.words import error_message
from workbench.core.yamlfile import strict_yaml
from workbench.exceptions import ParameterError, ScenarioError
from workbench.whatif.settings import settings

#: Start-slip fields and the project column each one keys on.
SLIP_FIELDS = {
    "slip_by_project": "project_id",
    "slip_by_office": "office",
    "slip_by_sector": "sector",
    "slip_by_unit": "responsible_unit",
}
#: Fields holding a mapping (name → value).
MAPPING_FIELDS = (*SLIP_FIELDS, "shortfall_by_source", "bring_forward", "weights")


def refuse(where: str, why: str, found=None, **words) -> ScenarioError:
    """The ScenarioError for scenario field `where` (its message starts with the field's name):
    `why` is an errors.yaml key filled from `words`; `found` the value refused."""
    return ScenarioError(error_message("scenario_field", where=where,
                                       why=error_message(why, **words)),
                         field=where, value=None if found is None else str(found))


@dataclass(frozen=True)
class ApprovalDelay:
    """An approval item (立项, 用地 …) coming `months` later, for every project or for one."""

    item: str
    months: int
    project: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A what-if scenario: all levers default to "no change" (a zero scenario)."""

    name: str = "scenario"
    description: str = ""
    slip_all: int = 0
    slip_by_project: dict[str, int] = field(default_factory=dict)
    slip_by_office: dict[str, int] = field(default_factory=dict)
    slip_by_sector: dict[str, int] = field(default_factory=dict)
    slip_by_unit: dict[str, int] = field(default_factory=dict)
    shortfall_by_source: dict[str, float] = field(default_factory=dict)
    approval_delays: tuple[ApprovalDelay, ...] = ()
    bring_forward: dict[str, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in MAPPING_FIELDS:
            if not isinstance(getattr(self, name), dict):
                raise refuse(name, "sc_not_mapping", getattr(self, name), value=getattr(self, name))
        delays = self.approval_delays or ()
        if isinstance(delays, dict | str) or not hasattr(delays, "__iter__"):
            raise refuse("approval_delays", "sc_not_delays", delays, value=delays)
        delays = tuple(d if isinstance(d, ApprovalDelay) else _approval_delay(d, i)
                       for i, d in enumerate(delays))
        object.__setattr__(self, "approval_delays", delays)
        forward = {project: _quarter(quarter, f"bring_forward.{project}")
                   for project, quarter in self.bring_forward.items()}
        object.__setattr__(self, "bring_forward", forward)
        check_values(self)

    def is_zero(self) -> bool:
        """True when no lever moves anything."""
        return (
            self.slip_all == 0
            and not any(v for f in SLIP_FIELDS for v in getattr(self, f).values())
            and not any(self.shortfall_by_source.values())
            and not any(d.months for d in self.approval_delays)
            and not self.bring_forward
            and not self.weights
        )

    def to_dict(self) -> dict:
        """The scenario as plain YAML-ready data."""
        data = dataclasses.asdict(self)
        data["approval_delays"] = [
            {k: v for k, v in dataclasses.asdict(d).items() if v is not None}
            for d in self.approval_delays
        ]
        return data


def _approval_delay(data, index: int) -> ApprovalDelay:
    where = f"approval_delays[{index}]"
    if not isinstance(data, dict):
        raise refuse(where, "sc_not_delay", data, value=data)
    unknown = set(data) - {"item", "months", "project"}
    if unknown:
        raise refuse(where, "sc_unknown_keys", keys=", ".join(map(str, sorted(unknown))))
    if "item" not in data or "months" not in data:
        raise refuse(where, "sc_item_months")
    return ApprovalDelay(item=data["item"], months=data["months"], project=data.get("project"))


def _quarter(quarter, where: str) -> str:
    """`quarter` written YYYYQn (core.periods' rule), or ScenarioError naming the field."""
    try:
        year, n = parse_quarter(quarter)
    except ParameterError:
        raise refuse(where, "sc_not_quarter", quarter, value=quarter) from None
    return f"{year}Q{n}"


def _months(value, where: str) -> int:
    limit = settings()["limits"]["slip_months"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise refuse(where, "sc_not_months", value, value=value)
    if value < 0:
        raise refuse(where, "sc_negative_months", value, value=value)
    if value > limit:
        raise refuse(where, "sc_absurd_months", value, value=value, limit=limit)
    return int(value)


def _number(value, where: str, low: float, high: float, meaning: str) -> float:
    """`value` as a number from `low` to `high`; `meaning`: the errors.yaml key saying what
    the number is (filled with ``high``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise refuse(where, "sc_not_number", value, value=value)
    if value < low or value > high:
        raise refuse(where, "sc_negative" if value < low else "sc_above", value, value=value,
                     high=f"{high:g}", meaning=error_message(meaning, high=f"{high:g}"))
    return float(value)


def check_values(scenario: Scenario) -> None:
    """Raise ScenarioError naming the field when a value is negative, absurd or of the wrong kind."""
    _months(scenario.slip_all, "slip_all")
    for name in SLIP_FIELDS:
        for key, months in getattr(scenario, name).items():
            _months(months, f"{name}.{key}")
    for source, pct in scenario.shortfall_by_source.items():
        if source not in FUNDING_SOURCES:
            raise refuse(f"shortfall_by_source.{source}", "sc_unknown_source", source,
                         valid=", ".join(FUNDING_SOURCES))
        _number(pct, f"shortfall_by_source.{source}", 0, 100, "sc_means_shortfall")
    for i, delay in enumerate(scenario.approval_delays):
        if delay.item not in APPROVAL_ITEMS:
            raise refuse(f"approval_delays[{i}].item", "sc_unknown_item", delay.item,
                         value=delay.item, valid=", ".join(APPROVAL_ITEMS))
        _months(delay.months, f"approval_delays[{i}].months")
        if delay.project is not None and not isinstance(delay.project, str | int):
            raise refuse(f"approval_delays[{i}].project", "sc_not_project", delay.project,
                         value=delay.project)
    for project, quarter in scenario.bring_forward.items():
        _quarter(quarter, f"bring_forward.{project}")
    limit = settings()["limits"]["weight"]
    for dim, weight in scenario.weights.items():
        if dim not in DIMENSIONS:
            raise refuse(f"weights.{dim}", "sc_unknown_dimension", dim, valid=", ".join(DIMENSIONS))
        _number(weight, f"weights.{dim}", 0, limit, "sc_means_weight")
    if set(scenario.weights) == set(DIMENSIONS) and not any(scenario.weights.values()):
        raise refuse("weights", "sc_all_weights_zero")


# --- YAML --------------------------------------------------------------------------------------


def scenario_from_dict(data: dict) -> Scenario:
    """A Scenario from plain data (as read from YAML); unknown keys are refused."""
    if not isinstance(data, dict):
        raise ScenarioError(error_message("sc_file_not_mapping", kind=type(data).__name__),
                            value=type(data).__name__)
    names = {f.name for f in dataclasses.fields(Scenario)}
    unknown = set(data) - names
    if unknown:
        raise ScenarioError(error_message("sc_unknown_fields", fields=", ".join(sorted(unknown)),
                                          valid=", ".join(sorted(names))),
                            field=sorted(unknown)[0])
    clean = {k: ({} if v is None and k not in ("name", "description") else v) for k, v in data.items()}
    if "approval_delays" in clean:
        clean["approval_delays"] = clean["approval_delays"] or ()
    for key in ("name", "description"):
        if key in clean:
            clean[key] = "" if clean[key] is None else str(clean[key])
    if isinstance(clean.get("bring_forward"), dict):
        clean["bring_forward"] = {str(k): str(v) for k, v in clean["bring_forward"].items()}
    return Scenario(**clean)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write `scenario` as YAML (UTF-8, Chinese kept readable) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(scenario.to_dict(), allow_unicode=True, sort_keys=False)
    path.write_text("# workbench what-if scenario (see workbench/whatif/scenario.py)\n" + text, "utf-8")
    return path


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML; a wrong field or value raises ScenarioError naming the file."""
    path = Path(path)
    try:
        data = strict_yaml(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise ScenarioError(error_message("sc_unreadable", path=path, reason=exc.strerror),
                            file=str(path)) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(error_message("yaml_broken", file=path, reason=exc),
                            file=str(path)) from None
    try:
        return scenario_from_dict(data)
    except ScenarioError as exc:
        raise ScenarioError(error_message("sc_in_file", path=path, text=exc),
                            **{**exc.fields, "file": str(path)}) from None
