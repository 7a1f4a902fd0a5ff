"""What-if scenarios: a `Scenario` is data (YAML); `apply` makes a new Ledger; `compare` the deltas.

Levers (DOMAIN.md, "What-if levers analysts ask for"):

- **start slips** in months, for every project (``slip_all``) or by project, office, sector or
  responsible unit. A slip concerns projects that have not started (no ``actual_start``): their
  planned start and completion move N months later and the investment planned for the rest of
  the year is re-spread on the S-curve (`s_curve`) from the new start to the new completion;
  what falls after December leaves the year. A project whose planned start is already past
  cannot start before the month after ``as_of``; the slip counts from there.
- **funding shortfall** in percent by source: that source's funding lines shrink by the percent,
  and each project's remaining plan shrinks by the shortfall's share of its funding
  (a project funded by that source alone and 100 % short stops: nothing more is spent this year,
  and a project not yet started loses its planned dates).
- **approval delays** (months, by approval item, optionally for one project): every project whose
  item is not yet done (in progress or not started) slips its start by the delay.
- **bring forward**: a reserve project (谋划/储备/前期, not started) starts in the first month of the
  named quarter; its investment in the year is its total's S-curve share (its annual plan).
- **rubric weights**: new weights (points) for planning-quality dimensions; scores, bands and
  ranks are recomputed with them.

When several slips name the same project the largest applies (they are alternative statements of
how late it is, not additions). Months up to ``as_of`` are history and are never changed.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbench.core.vocabulary import APPROVAL_ITEMS, DATE, FUNDING_SOURCES, OFFICES
from workbench.core.yamlfile import packaged_yaml, strict_yaml
from workbench.exceptions import ScenarioError
from workbench.model.ledger import Ledger

#: Stages from which a project may be brought forward.
RESERVE_STAGES = ("谋划", "储备", "前期")
#: Planning-quality dimensions whose weight a scenario may change (Scoring API column names).
DIMENSIONS = ("policy_fit", "definition", "approvals", "funding", "schedule", "responsibility")
#: Start-slip fields and the project column each one keys on.
SLIP_FIELDS = {
    "slip_by_project": "project_id",
    "slip_by_office": "office",
    "slip_by_sector": "sector",
    "slip_by_unit": "responsible_unit",
}
_QUARTER_FORMAT = "YYYYQn, e.g. 2022Q3"


@cache
def settings() -> dict:
    """The what-if settings (``config/whatif.yaml``): S-curve shape, default duration, limits."""
    return packaged_yaml("whatif.yaml")


# --- the scenario ------------------------------------------------------------------------------


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
        delays = tuple(
            d if isinstance(d, ApprovalDelay) else _approval_delay(d, i)
            for i, d in enumerate(self.approval_delays or ())
        )
        object.__setattr__(self, "approval_delays", delays)
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
        raise ScenarioError(f"scenario field '{where}': expected item, months (and project), got {data!r}")
    unknown = set(data) - {"item", "months", "project"}
    if unknown:
        raise ScenarioError(f"scenario field '{where}': unknown key(s) {sorted(unknown)}")
    if "item" not in data or "months" not in data:
        raise ScenarioError(f"scenario field '{where}': needs both 'item' and 'months'")
    return ApprovalDelay(item=data["item"], months=data["months"], project=data.get("project"))


def _months(value, where: str) -> int:
    limit = settings()["limits"]["slip_months"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise ScenarioError(f"scenario field '{where}': {value!r} is not a whole number of months")
    if value < 0:
        raise ScenarioError(
            f"scenario field '{where}': {value} is negative; a slip or delay is 0 months or more "
            "(use bring_forward to start a project earlier)"
        )
    if value > limit:
        raise ScenarioError(
            f"scenario field '{where}': {value} months is absurd (more than {limit}; "
            "see limits.slip_months in config/whatif.yaml)"
        )
    return int(value)


def _number(value, where: str, low: float, high: float, meaning: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ScenarioError(f"scenario field '{where}': {value!r} is not a number")
    if value < low:
        raise ScenarioError(f"scenario field '{where}': {value} is negative; {meaning}")
    if value > high:
        raise ScenarioError(f"scenario field '{where}': {value} is above {high:g}; {meaning}")
    return float(value)


def check_values(scenario: Scenario) -> None:
    """Raise ScenarioError naming the field when a value is negative, absurd or of the wrong kind."""
    _months(scenario.slip_all, "slip_all")
    for name in SLIP_FIELDS:
        mapping = getattr(scenario, name)
        if not isinstance(mapping, dict):
            raise ScenarioError(f"scenario field '{name}': expected a mapping name → months")
        for key, months in mapping.items():
            _months(months, f"{name}.{key}")
    for source, pct in scenario.shortfall_by_source.items():
        if source not in FUNDING_SOURCES:
            raise ScenarioError(
                f"scenario field 'shortfall_by_source.{source}': unknown funding source; "
                f"use one of {', '.join(FUNDING_SOURCES)}"
            )
        _number(pct, f"shortfall_by_source.{source}", 0, 100, "a shortfall is a percent, 0–100")
    for i, delay in enumerate(scenario.approval_delays):
        if delay.item not in APPROVAL_ITEMS:
            raise ScenarioError(
                f"scenario field 'approval_delays[{i}].item': unknown approval item {delay.item!r}; "
                f"use one of {', '.join(APPROVAL_ITEMS)}"
            )
        _months(delay.months, f"approval_delays[{i}].months")
    for project, quarter in scenario.bring_forward.items():
        _quarter_start(quarter, f"bring_forward.{project}")
    limit = settings()["limits"]["weight"]
    for dim, weight in scenario.weights.items():
        if dim not in DIMENSIONS:
            raise ScenarioError(
                f"scenario field 'weights.{dim}': unknown rubric dimension; "
                f"use one of {', '.join(DIMENSIONS)}"
            )
        _number(weight, f"weights.{dim}", 0, limit, f"a weight is 0–{limit} points")
    if set(scenario.weights) == set(DIMENSIONS) and not any(scenario.weights.values()):
        raise ScenarioError("scenario field 'weights': every weight is 0; at least one must be above 0")


def _quarter_start(quarter, where: str) -> pd.Timestamp:
    text = str(quarter)
    if len(text) != 6 or not text[:4].isdigit() or text[4] != "Q" or text[5] not in "1234":
        raise ScenarioError(f"scenario field '{where}': {quarter!r} is not a quarter ({_QUARTER_FORMAT})")
    return pd.Timestamp(year=int(text[:4]), month=3 * int(text[5]) - 2, day=1)


def check_scenario(scenario: Scenario, ledger: Ledger, as_of: pd.Timestamp | None = None) -> None:
    """Raise ScenarioError naming the field when the scenario names something `ledger` lacks."""
    p = ledger.projects
    for name, column in SLIP_FIELDS.items():
        keys = list(getattr(scenario, name))
        if not keys:
            continue
        known = OFFICES if column == "office" else p[column]
        unknown = [k for k, ok in zip(keys, pd.Index(keys).isin(known), strict=True) if not ok]
        if unknown:
            raise ScenarioError(f"scenario field '{name}.{unknown[0]}': unknown {column} in this ledger")
    named = [d.project for d in scenario.approval_delays if d.project is not None]
    if named:
        known = set(p["project_id"][p["project_id"].isin(named)])
        for i, delay in enumerate(scenario.approval_delays):
            if delay.project is not None and delay.project not in known:
                raise ScenarioError(
                    f"scenario field 'approval_delays[{i}].project': unknown project {delay.project!r}"
                )
    if not scenario.bring_forward:
        return
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    rows = p[p["project_id"].isin(list(scenario.bring_forward))].set_index("project_id")
    for project, quarter in scenario.bring_forward.items():
        where = f"bring_forward.{project}"
        if project not in rows.index:
            raise ScenarioError(f"scenario field '{where}': unknown project in this ledger")
        start = _quarter_start(quarter, where)
        row = rows.loc[project]
        if ledger.year is not None and start.year != ledger.year:
            raise ScenarioError(f"scenario field '{where}': {quarter} is outside the ledger's year {ledger.year}")
        if start <= as_of:
            raise ScenarioError(
                f"scenario field '{where}': {quarter} has already begun (data as of {as_of:%Y-%m-%d}); "
                "choose a later quarter"
            )
        if pd.notna(row["actual_start"]) or row["stage"] not in RESERVE_STAGES:
            raise ScenarioError(
                f"scenario field '{where}': project is not a reserve project "
                f"(stage {row['stage']}, started {row['actual_start']})"
            )
        if pd.notna(row["planned_start"]) and row["planned_start"] <= start:
            raise ScenarioError(
                f"scenario field '{where}': project already plans to start on "
                f"{row['planned_start']:%Y-%m-%d}, not later than {quarter}"
            )


# --- YAML --------------------------------------------------------------------------------------


def scenario_from_dict(data: dict) -> Scenario:
    """A Scenario from plain data (as read from YAML); unknown keys are refused."""
    if not isinstance(data, dict):
        raise ScenarioError(f"a scenario is a mapping of fields, got {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(Scenario)}
    unknown = set(data) - names
    if unknown:
        raise ScenarioError(f"scenario field(s) {sorted(unknown)} unknown; known: {sorted(names)}")
    clean = {k: ({} if v is None and k not in ("name", "description") else v) for k, v in data.items()}
    if "approval_delays" in clean:
        clean["approval_delays"] = tuple(clean["approval_delays"] or ())
    for key in ("name", "description"):
        if key in clean:
            clean[key] = "" if clean[key] is None else str(clean[key])
    if "bring_forward" in clean:
        clean["bring_forward"] = {str(k): str(v) for k, v in clean["bring_forward"].items()}
    return Scenario(**clean)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write `scenario` as YAML (UTF-8, Chinese kept readable) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(scenario.to_dict(), allow_unicode=True, sort_keys=False)
    path.write_text("# workbench what-if scenario (see workbench/whatif.py)\n" + text, "utf-8")
    return path


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML; a wrong field or value raises ScenarioError naming the file."""
    path = Path(path)
    try:
        data = strict_yaml(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML ({exc})") from None
    try:
        return scenario_from_dict(data)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from None


# --- time helpers (vectorised month arithmetic) --------------------------------------------------


def s_curve(x: np.ndarray) -> np.ndarray:
    """Cumulative share of a project's investment spent at elapsed share `x` (see whatif.yaml)."""
    cfg = settings()["s_curve"]
    k, m = float(cfg["steepness"]), float(cfg["midpoint"])
    x = np.clip(np.asarray(x, dtype="float64"), 0.0, 1.0)
    lo, hi = 1 / (1 + math.exp(k * m)), 1 / (1 + math.exp(-k * (1 - m)))
    return (1 / (1 + np.exp(-k * (x - m))) - lo) / (hi - lo)


def month_index(dates: pd.Series) -> np.ndarray:
    """Months since year 0 (year*12 + month-1) as float; NaN where the date is missing."""
    values = dates.to_numpy(dtype="datetime64[us]")
    months = values.astype("datetime64[M]").astype("int64").astype("float64") + 1970 * 12
    months[np.isnat(values)] = np.nan
    return months


def _month_starts(index: np.ndarray) -> np.ndarray:
    """First day of each month index as datetime64[us] (NaN → NaT)."""
    out = np.full(len(index), np.datetime64("NaT"), dtype="datetime64[M]")
    ok = ~np.isnan(index)
    out[ok] = (index[ok] - 1970 * 12).astype("int64").astype("datetime64[M]")
    return out.astype("datetime64[us]")


def _shift_months(dates: pd.Series, months: np.ndarray) -> pd.Series:
    """`dates` moved by whole `months` (day kept, clipped to the month's length); NaT stays NaT."""
    values = dates.to_numpy(dtype="datetime64[us]")
    month = values.astype("datetime64[M]")
    day = (values.astype("datetime64[D]") - month.astype("datetime64[D]")).astype("int64")
    new_month = month + months.astype("int64")
    length = ((new_month + 1).astype("datetime64[D]") - new_month.astype("datetime64[D]")).astype("int64")
    out = (new_month.astype("datetime64[D]") + np.minimum(day, length - 1)).astype("datetime64[us]")
    out[np.isnat(values)] = np.datetime64("NaT")
    return pd.Series(out, index=dates.index)


_MEMO: OrderedDict = OrderedDict()


def _memo(name: str, frames: tuple, compute):
    """`compute()` remembered for these exact frame objects (Ledger tables are never mutated).

    The frames are held with the value so their ids cannot be reused while remembered; a
    slider session re-reads the base ledger's tables on every move, and this saves re-hashing
    project ids and re-parsing months there.
    """
    key = (name, *map(id, frames))
    hit = _MEMO.get(key)
    if hit is not None:
        _MEMO.move_to_end(key)
        return hit[1]
    value = compute()
    _MEMO[key] = (frames, value)
    while len(_MEMO) > 8:
        _MEMO.popitem(last=False)
    return value


def _positions(projects: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """Row position in `projects` of each row of `frame` (by project_id; -1 when unknown)."""
    return _memo("positions", (projects, frame),
                 lambda: pd.Index(projects["project_id"]).get_indexer(frame["project_id"]))


def _months_of(frame: pd.DataFrame, column: str) -> np.ndarray:
    """`month_index` of a frame's date column, remembered per frame."""
    return _memo(f"months:{column}", (frame,), lambda: month_index(frame[column]))


def _sum_by(positions: np.ndarray, values: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Sum of `values` where `mask`, per position 0…size-1."""
    keep = mask & (positions >= 0)
    return np.bincount(positions[keep], weights=values[keep], minlength=size)


def data_as_of(ledger: Ledger) -> pd.Timestamp:
    """The last day of the last month with completed investment (the ledger's data month)."""
    done = ledger.progress.loc[ledger.progress["completed"] > 0, "month"]
    if len(done):
        return done.max() + pd.offsets.MonthEnd(0)
    year = ledger.year or pd.Timestamp.today().year
    return pd.Timestamp(year=year, month=1, day=1) - pd.Timedelta(days=1)


# --- applying a scenario -------------------------------------------------------------------------


def effects(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per project: slip months, shortfall factor, stopped, brought-forward quarter (vectorised)."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    eff = _effects(ledger, scenario, as_of)
    p = ledger.projects
    forward = p["project_id"].map(scenario.bring_forward) if scenario.bring_forward else None
    return pd.DataFrame(
        {
            "project_id": p["project_id"],
            "not_started": eff["not_started"],
            "slip_months": eff["slip"].astype("int64"),
            "funding_factor": eff["factor"],
            "stopped": eff["stopped"],
            "brought_forward_to": forward if forward is not None
            else pd.Series(None, index=p.index, dtype="str"),
        }
    )


def _effects(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    p = ledger.projects
    actual = p["actual_start"].to_numpy(dtype="datetime64[us]")
    not_started = np.isnat(actual) | (actual > as_of.to_datetime64())
    slip = np.full(len(p), float(scenario.slip_all))
    for name, column in SLIP_FIELDS.items():
        mapping = {k: v for k, v in getattr(scenario, name).items() if v}
        if mapping:
            slip = np.maximum(slip, p[column].map(mapping).to_numpy(dtype="float64", na_value=0.0))
    delays = [d for d in scenario.approval_delays if d.months]
    if delays:
        a = ledger.approvals
        pending = a["status"].isin(["in_progress", "not_started"]).to_numpy()
        pos = _positions(p, a)
        items = a["item"].to_numpy()
        ids = a["project_id"].to_numpy()
        for delay in delays:
            rows = pending & (items == delay.item) & (pos >= 0)
            if delay.project is not None:
                rows &= ids == delay.project
            hit = np.zeros(len(p), dtype=bool)
            hit[pos[rows]] = True
            slip = np.where(hit, np.maximum(slip, delay.months), slip)
    slip = np.where(not_started & p["planned_start"].notna().to_numpy(), slip, 0.0)
    factor = np.ones(len(p))
    if any(scenario.shortfall_by_source.values()):
        f = ledger.funding
        pos = _positions(p, f)
        cut = f["source"].map(scenario.shortfall_by_source).to_numpy(dtype="float64", na_value=0.0) / 100
        amount = f["amount"].to_numpy()
        everything = np.ones(len(f), dtype=bool)
        lost = _sum_by(pos, amount * cut, everything, len(p))
        total = _sum_by(pos, amount, everything, len(p))
        share = np.divide(lost, total, out=np.zeros(len(p)), where=total > 0)
        factor = np.clip(1 - share, 0.0, 1.0)
    return {"not_started": not_started, "slip": slip, "factor": factor, "stopped": factor <= 1e-9}


def apply(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> Ledger:
    """A new Ledger with `scenario` applied (the input Ledger and its frames are not changed).

    Only the tables the scenario changed are handed to `Ledger.replace`, which checks them
    against their schemas again; the others are shared (pandas copy-on-write keeps them safe).
    """
    tables = scenario_tables(ledger, scenario, as_of)
    changed = {name: frame for name, frame in tables.items() if frame is not getattr(ledger, name)}
    return ledger.replace(**changed)


def scenario_tables(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp | None = None) -> dict:
    """The canonical tables with `scenario` applied (pure; what `apply` wraps in a Ledger)."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    check_scenario(scenario, ledger, as_of)
    return _scenario_tables(ledger, scenario, as_of, _effects(ledger, scenario, as_of))


def _scenario_tables(ledger: Ledger, scenario: Scenario, as_of: pd.Timestamp, eff: dict) -> dict:
    tables = dict(ledger.tables())
    if dataclasses.replace(scenario, weights={}).is_zero():
        return tables  # nothing in the ledger moves (weights act on scoring only)
    projects, progress, funding = tables["projects"], tables["progress"], tables["funding"]
    year = ledger.year or as_of.year
    a = as_of.year * 12 + as_of.month - 1  # last month of history
    span = (year * 12, year * 12 + 11)  # January … December

    # 0. projects whose plan stops at the data month get the rest of their annual plan as rows
    progress = _with_rest_of_year(ledger, as_of)

    # 1. start slips: re-spread the rest of the year's plan on the S-curve from the new start
    if (eff["slip"] > 0).any():
        progress, projects = _respread_slips(projects, progress, eff["slip"], a, span)

    # 2. funding shortfall: fewer funds, less spent from here on; sole-source 100 % stops
    if any(scenario.shortfall_by_source.values()):
        cut = funding["source"].map(scenario.shortfall_by_source).to_numpy(dtype="float64", na_value=0.0)
        funding = funding.assign(amount=funding["amount"].to_numpy() * (1 - cut / 100))
        pos = _positions(projects, progress)
        m = _months_of(progress, "month")
        future = (m > a) & (m <= span[1]) & (pos >= 0)
        scale = np.ones(len(progress))
        scale[future] = eff["factor"][pos[future]]
        progress = progress.assign(planned=progress["planned"].to_numpy() * scale)
        halt = eff["stopped"] & eff["not_started"]
        if halt.any():
            projects = projects.assign(
                planned_start=projects["planned_start"].mask(halt),
                planned_completion=projects["planned_completion"].mask(halt),
            )

    # 3. reserve projects brought forward
    if scenario.bring_forward:
        projects, progress = _bring_forward(projects, progress, scenario.bring_forward, a, span)

    tables.update(projects=projects, progress=progress, funding=funding)
    return tables


def _with_rest_of_year(ledger: Ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Progress with even monthly rows for the unspread rest of the year (see `_rest_of_year`)."""
    unspread = _rest_of_year(ledger, as_of)[2]
    year = ledger.year or as_of.year
    a, ye = as_of.year * 12 + as_of.month - 1, year * 12 + 11
    idx = np.flatnonzero(unspread > 0)
    if not len(idx) or a >= ye:
        return ledger.progress
    months = np.arange(a + 1, ye + 1, dtype="float64")
    rows = pd.DataFrame({
        "project_id": np.repeat(ledger.projects["project_id"].to_numpy()[idx], len(months)),
        "month": _month_starts(np.tile(months, len(idx))),
        "planned": np.repeat(unspread[idx] / len(months), len(months)),
        "completed": 0.0,
        "physical_progress": np.nan,
    })
    return pd.concat([ledger.progress, rows], ignore_index=True)


def _respread_slips(projects, progress, slip, a, span):
    """Progress and projects with the slipped projects' remaining plan re-spread (vectorised)."""
    ye = span[1]
    moved = slip > 0
    idx = np.flatnonzero(moved)
    start = month_index(projects["planned_start"])[idx]
    end = month_index(projects["planned_completion"])[idx]
    s_eff = np.maximum(start, a + 1)
    end = np.where(np.isnan(end), np.maximum(s_eff, ye), end)
    duration = np.maximum(end, s_eff) - s_eff + 1
    new_start = s_eff + slip[idx]

    compact = np.full(len(projects), -1)
    compact[idx] = np.arange(len(idx))
    pos = _positions(projects, progress)
    j = np.where(pos >= 0, compact[np.maximum(pos, 0)], -1)  # slipped project of each row, or -1
    m = _months_of(progress, "month")
    planned = progress["planned"].to_numpy()
    future = (j >= 0) & (m > a) & (m <= ye)
    remaining = _sum_by(j, planned, future, len(idx))  # rows exist: see _with_rest_of_year
    share0 = s_curve((ye + 1 - s_eff) / duration)  # the unslipped curve's share left in the year
    level = np.divide(remaining, share0, out=np.zeros(len(idx)), where=share0 > 0)

    def spread(k: np.ndarray, month: np.ndarray) -> np.ndarray:
        x = (month - new_start[k]) / duration[k]
        return level[k] * (s_curve(x + 1 / duration[k]) - s_curve(x))

    new_planned = planned.copy()
    new_planned[future] = spread(j[future], m[future])
    progress = progress.assign(planned=new_planned)
    shift = np.zeros(len(projects))
    shift[idx] = new_start - start
    projects = projects.assign(
        planned_start=_shift_months(projects["planned_start"], shift),
        planned_completion=_shift_months(projects["planned_completion"], shift),
    )
    return progress, projects


def _bring_forward(projects, progress, forward: dict, a: int, span):
    """Reserve projects start at their quarter; the year's plan is their total's S-curve share."""
    ye = span[1]
    hit = projects["project_id"].isin(list(forward)).to_numpy()
    idx = np.flatnonzero(hit)
    ids = projects["project_id"].to_numpy()[idx]
    qstart = np.array([_quarter_start(forward[p], p).to_datetime64() for p in ids], dtype="datetime64[us]")
    start = month_index(pd.Series(qstart))
    old_start = month_index(projects["planned_start"])[idx]
    old_end = month_index(projects["planned_completion"])[idx]
    default = float(settings()["default_duration_months"])
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(old_start) & ~np.isnan(old_end) & (old_end >= old_start)
    duration = np.where(known, old_end - old_start + 1, default)
    total = projects["total_investment"].to_numpy()[idx]
    months = np.arange(a + 1, ye + 1, dtype="float64")
    x = (months[None, :] - start[:, None]) / duration[:, None]
    amount = total[:, None] * (s_curve(x + 1 / duration[:, None]) - s_curve(x))
    rows = pd.DataFrame({"project_id": np.repeat(ids, len(months)),
                         "month": _month_starts(np.tile(months, len(ids))),
                         "planned": amount.ravel(), "completed": 0.0, "physical_progress": np.nan})
    m = _months_of(progress, "month")
    drop = np.isin(_positions(projects, progress), idx) & (m > a) & (m <= ye)
    progress = pd.concat([progress.loc[~drop] if drop.any() else progress, rows], ignore_index=True)

    def put(column: str, values) -> np.ndarray:
        out = projects[column].to_numpy(copy=True)
        out[idx] = values
        return out

    completion = (_month_starts(start + duration).astype("datetime64[D]") - 1).astype("datetime64[us]")
    projects = projects.assign(
        planned_start=put("planned_start", qstart),
        planned_completion=put("planned_completion", completion),
        annual_plan=put("annual_plan", total * s_curve((ye + 1 - start) / duration)),
        nature=put("nature", "新开工"),
        stage=put("stage", "前期"),
        batch_quarter=put("batch_quarter", [forward[p] for p in ids]),
        batch_kind=put("batch_kind", "开工"),
    )
    return projects, progress


# --- figures a scenario is judged by -------------------------------------------------------------


def _rest_of_year(ledger, as_of: pd.Timestamp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per project: completed to `as_of`, planned rows after it, and the unspread rest.

    A ledger may carry monthly plans only up to its data month (year-to-date columns). A
    project with no plan row after `as_of` is taken to spend the rest of its annual plan
    (annual plan − planned to date, at least 0) evenly over the remaining months.
    """
    year = ledger.year or as_of.year
    a, ye = as_of.year * 12 + as_of.month - 1, year * 12 + 11
    p, g = ledger.projects, ledger.progress
    pos = _positions(p, g)
    m = _months_of(g, "month")
    planned = g["planned"].to_numpy()
    history, ahead = (m >= year * 12) & (m <= a), (m > a) & (m <= ye)
    done = _sum_by(pos, g["completed"].to_numpy(), history, len(p))
    rows = _sum_by(pos, planned, ahead, len(p))
    has_rows = np.bincount(pos[ahead & (pos >= 0)], minlength=len(p)) > 0
    to_date = _sum_by(pos, planned, history, len(p))
    unspread = np.where(has_rows | (a >= ye), 0.0,
                        np.maximum(p["annual_plan"].to_numpy() - to_date, 0.0))
    return done, rows, unspread


def year_forecast(ledger: Ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per project: completed to `as_of`, plan for the rest of the year, year-end forecast."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    done, rows, unspread = _rest_of_year(ledger, as_of)
    p = ledger.projects
    return pd.DataFrame({
        "project_id": p["project_id"].to_numpy(),
        "completed_to_date": done,
        "remaining_plan": rows + unspread,
        "forecast": done + rows + unspread,
        "annual_plan": p["annual_plan"].to_numpy(),
    })


@dataclass(frozen=True)
class _Tables:
    """The parts of a Ledger the forecast reads (scenario tables not yet checked as a Ledger)."""

    projects: pd.DataFrame
    progress: pd.DataFrame
    year: int | None


def scenario_curve(ledger: Ledger, scenario: Scenario, as_of=None) -> pd.DataFrame:
    """`forecast_curve` of `scenario` applied to `ledger`, without building a checked Ledger
    (for many what-ifs at once, e.g. the leaders' slip slider)."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    tables = scenario_tables(ledger, scenario, as_of)
    return forecast_curve(_Tables(tables["projects"], tables["progress"], ledger.year), as_of)


def forecast_curve(ledger: Ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Month by month: cumulative plan and cumulative forecast (actual to `as_of`, then plan), 万元."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    year = ledger.year or as_of.year
    a = as_of.year * 12 + as_of.month - 1
    g = ledger.progress
    m = _months_of(g, "month")
    offset = np.nan_to_num(m - year * 12, nan=-1).astype("int64")
    inside = (offset >= 0) & (offset < 12)
    planned = g["planned"].to_numpy()
    value = np.where(m <= a, g["completed"].to_numpy(), planned)
    plan, forecast = _sum_by(offset, planned, inside, 12), _sum_by(offset, value, inside, 12)
    unspread = float(_rest_of_year(ledger, as_of)[2].sum())
    later = np.arange(12) > a - year * 12
    if unspread and later.any():
        plan[later] += unspread / later.sum()
        forecast[later] += unspread / later.sum()
    months = pd.date_range(f"{year}-01-01", periods=12, freq="MS").astype(DATE)
    return pd.DataFrame({
        "month": months,
        "plan": np.cumsum(plan),
        "forecast": np.cumsum(forecast),
        "actual": months <= as_of,
    })


def quarter_starts(base: Ledger, scenario: Ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per quarter: planned starts (base plan) and how many start by the quarter's end, base vs scenario.

    A project's expected start is its actual start when made by `as_of`, else its planned start
    (not earlier than the day after `as_of`); a project without either never starts.
    """
    year = base.year or as_of.year
    p0 = base.projects
    ids = p0["project_id"].to_numpy(dtype=object)
    p1 = _by_project(scenario.projects, ids, ["actual_start", "planned_start"])
    cut = as_of.to_datetime64()
    earliest = (as_of + pd.Timedelta(days=1)).to_datetime64()

    def expected(actual: np.ndarray, planned: np.ndarray) -> np.ndarray:
        made = ~np.isnat(actual) & (actual <= cut)
        later = np.where(np.isnat(planned) | (planned >= earliest), planned, earliest)
        return np.where(made, actual, later)

    def dates(frame, column: str) -> np.ndarray:
        return frame[column].to_numpy(dtype="datetime64[us]")

    planned0 = dates(p0, "planned_start")
    e0 = expected(dates(p0, "actual_start"), planned0)
    e1 = expected(p1["actual_start"], p1["planned_start"])
    e_all = expected(dates(scenario.projects, "actual_start"), dates(scenario.projects, "planned_start"))
    rows = []
    for q in range(1, 5):
        lo = np.datetime64(f"{year}-{3 * q - 2:02d}-01", "us")
        hi = (np.datetime64(f"{year}-{3 * q - 2:02d}", "M") + 3).astype("datetime64[us]") - 1
        planned = (planned0 >= lo) & (planned0 <= hi)
        n = int(planned.sum())
        b = int((planned & (e0 <= hi)).sum())
        s = int((planned & (e1 <= hi)).sum())
        rows.append({
            "quarter": f"{year}Q{q}",
            "planned_starts": n,
            "base_on_time": b,
            "scenario_on_time": s,
            "base_rate": b / n if n else np.nan,
            "scenario_rate": s / n if n else np.nan,
            "base_starts": int(((e0 >= lo) & (e0 <= hi)).sum()),
            "scenario_starts": int(((e_all >= lo) & (e_all <= hi)).sum()),
        })
    out = pd.DataFrame(rows)
    out["rate_change_points"] = (out["scenario_rate"] - out["base_rate"]) * 100
    return out


# --- scoring and comparing -----------------------------------------------------------------------


def reweighted(planning: pd.DataFrame, rubric, weights: dict[str, float]) -> pd.DataFrame:
    """Planning scores with new dimension weights: each dimension's points scale by new/old weight,
    the total is rescaled to 100, and bands follow the rubric's band limits."""
    if not weights:
        return planning
    old = rubric.weights()
    new = {d: float(weights.get(d, w)) for d, w in old.items()}
    total = sum(new.values())
    if total <= 0:
        raise ScenarioError("scenario field 'weights': at least one dimension needs a weight above 0")
    columns = {d: planning[d].to_numpy(dtype="float64") * (new[d] / w if w else 0.0) * 100 / total
               for d, w in old.items()}
    score = np.round(np.sum(list(columns.values()), axis=0), 1)
    from workbench.scoring.planning import band_of

    band = pd.Series(band_of(score, rubric), index=planning.index, dtype="str")
    return planning.assign(**columns, score=score, band=band)


@dataclass(frozen=True)
class Outcome:
    """A ledger scored as of a date, with its year-end forecast (one side of a comparison)."""

    ledger: Ledger
    as_of: pd.Timestamp
    scores: object  # workbench.scoring.scores.Scores
    planning: pd.DataFrame  # Scores.planning, re-weighted when the scenario changes weights
    forecast: pd.DataFrame  # year_forecast
    curve: pd.DataFrame  # forecast_curve


def evaluate(ledger: Ledger, as_of=None, rubric=None, weights: dict | None = None) -> Outcome:
    """Score `ledger` as of `as_of` (re-weighted by `weights`) and forecast its year."""
    from workbench.scoring.rubric import as_rubric
    from workbench.scoring.scores import score

    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    rubric = as_rubric(rubric)
    scores = score(ledger, as_of, rubric, reasons=False)  # what-if never shows the reasons
    return Outcome(
        ledger=ledger,
        as_of=as_of,
        scores=scores,
        planning=reweighted(scores.planning, rubric, weights or {}),
        forecast=year_forecast(ledger, as_of),
        curve=forecast_curve(ledger, as_of),
    )


@dataclass(frozen=True)
class Comparison:
    """Base vs scenario: the deltas leaders ask about (amounts in 万元, shares 0–1)."""

    scenario: Scenario
    as_of: pd.Timestamp
    headline: pd.DataFrame  # measure, base, scenario, change
    quarters: pd.DataFrame  # quarter_starts
    rag: pd.DataFrame  # rag, base, scenario, change
    bands: pd.DataFrame  # band, base, scenario, change
    units: pd.DataFrame  # responsible_unit, assessment and forecast ranks, base vs scenario
    projects: pd.DataFrame  # per project: score, rank, forecast, effects
    curve: pd.DataFrame  # month, plan, base, scenario (cumulative 万元)
    base: Outcome
    result: Outcome


def compare(base: Ledger | Outcome, scenario: Scenario, as_of=None, rubric=None) -> Comparison:
    """Apply `scenario` to `base`, score both and return the deltas (pass an Outcome to reuse it)."""
    if isinstance(base, Outcome):
        before = base
        as_of = before.as_of if as_of is None else pd.Timestamp(as_of)
    else:
        as_of = data_as_of(base) if as_of is None else pd.Timestamp(as_of)
        before = evaluate(base, as_of, rubric)
    after, arrays = _scenario_outcome(before, scenario, as_of, rubric)
    return _comparison(before, scenario, after, arrays)


def _scenario_outcome(before: Outcome, scenario: Scenario, as_of, rubric) -> tuple[Outcome, dict]:
    """The scenario's Outcome (applied, scored, forecast) and its per-project effect arrays."""
    ledger = before.ledger
    check_scenario(scenario, ledger, as_of)
    arrays = _effects(ledger, scenario, as_of)
    tables = _scenario_tables(ledger, scenario, as_of, arrays)
    after_ledger = ledger.replace(**{n: f for n, f in tables.items() if f is not getattr(ledger, n)})
    return evaluate(after_ledger, as_of, rubric, scenario.weights), arrays


def _comparison(before: Outcome, scenario: Scenario, after: Outcome, arrays: dict) -> Comparison:
    as_of = before.as_of
    ledger = before.ledger
    eff = pd.DataFrame({
        "project_id": ledger.projects["project_id"].to_numpy(),
        "slip_months": arrays["slip"].astype("int64"),
        "stopped": arrays["stopped"],
        "brought_forward_to": ledger.projects["project_id"].map(scenario.bring_forward).to_numpy()
        if scenario.bring_forward else None,
    })
    return Comparison(
        scenario=scenario,
        as_of=as_of,
        headline=_headline(before, after, eff),
        quarters=quarter_starts(before.ledger, after.ledger, as_of),
        rag=_counts(before.scores.delivery["rag"], after.scores.delivery["rag"], "rag",
                    ("green", "amber", "red", "none")),
        bands=_counts(before.planning["band"], after.planning["band"], "band",
                      ("green", "amber_green", "amber", "amber_red", "red")),
        units=_unit_ranks(before, after),
        projects=_project_ranks(before, after, eff),
        curve=pd.DataFrame(
            {
                "month": before.curve["month"],
                "plan": before.curve["plan"],
                "base": before.curve["forecast"],
                "scenario": after.curve["forecast"].to_numpy(),
                "actual": before.curve["actual"],
            }
        ),
        base=before,
        result=after,
    )


def _headline(before: Outcome, after: Outcome, eff: pd.DataFrame) -> pd.DataFrame:
    target = float(before.ledger.projects["annual_plan"].sum())
    f0, f1 = float(before.forecast["forecast"].sum()), float(after.forecast["forecast"].sum())
    rows = [
        ("annual_target", target, target),
        ("completed_to_date", float(before.forecast["completed_to_date"].sum()),
         float(after.forecast["completed_to_date"].sum())),
        ("year_end_forecast", f0, f1),
        ("forecast_share_of_target", f0 / target if target else np.nan, f1 / target if target else np.nan),
        ("gap_to_target", f0 - target, f1 - target),
        ("projects_slipped", 0, int((eff["slip_months"] > 0).sum())),
        ("projects_stopped", 0, int(eff["stopped"].sum())),
        ("projects_brought_forward", 0, int(eff["brought_forward_to"].notna().sum())),
        ("mean_planning_score", float(before.planning["score"].mean()), float(after.planning["score"].mean())),
    ]
    out = pd.DataFrame(rows, columns=["measure", "base", "scenario"])
    out["change"] = out["scenario"] - out["base"]
    return out


def _counts(before: pd.Series, after: pd.Series, name: str, order) -> pd.DataFrame:
    b = before.to_numpy(dtype=object, na_value="none")
    a = after.to_numpy(dtype=object, na_value="none")
    out = pd.DataFrame({
        name: list(order),
        "base": [int((b == v).sum()) for v in order],
        "scenario": [int((a == v).sum()) for v in order],
    })
    out["change"] = out["scenario"] - out["base"]
    return out


def _by_project(frame: pd.DataFrame, ids: np.ndarray, columns: list[str]) -> dict[str, np.ndarray]:
    """`frame`'s columns as arrays in the order of `ids` (positional when already aligned)."""
    own = frame["project_id"].to_numpy(dtype=object)
    if len(own) == len(ids) and np.array_equal(own, ids):
        take = None
    else:
        take = pd.Index(own).get_indexer(ids)
    out = {}
    for c in columns:
        values = frame[c].to_numpy()
        if take is not None:
            values = pd.Series(values).reindex(take).to_numpy() if (take < 0).any() else values[take]
        out[c] = values
    return out


def _unit_ranks(before: Outcome, after: Outcome) -> pd.DataFrame:
    def side(o: Outcome) -> pd.DataFrame:
        u = o.scores.units
        p = o.ledger.projects
        ids = p["project_id"].to_numpy(dtype=object)
        forecast = _by_project(o.forecast, ids, ["forecast"])["forecast"]
        codes, units = pd.factorize(p["responsible_unit"].to_numpy(dtype=object, na_value=""))
        f = np.bincount(codes, weights=forecast, minlength=len(units))
        plan = np.bincount(codes, weights=p["annual_plan"].to_numpy(), minlength=len(units))
        share = pd.Series(np.divide(f, plan, out=np.full(len(units), np.nan), where=plan > 0), index=units)
        frame = pd.DataFrame({"total": u["total"].to_numpy(), "rank": u["rank"].to_numpy()},
                             index=u["responsible_unit"].to_numpy(dtype=object))
        frame["forecast_share"] = share.reindex(frame.index).to_numpy()
        frame["forecast_rank"] = frame["forecast_share"].rank(ascending=False, method="min")
        return frame

    b, a = side(before), side(after)
    out = b.add_suffix("_base").join(a.add_suffix("_scenario"), how="outer")
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    out["forecast_rank_change"] = out["forecast_rank_base"] - out["forecast_rank_scenario"]
    return out.rename_axis("responsible_unit").reset_index().sort_values("rank_scenario", ignore_index=True)


def _project_ranks(before: Outcome, after: Outcome, eff: pd.DataFrame) -> pd.DataFrame:
    p = before.ledger.projects
    ids = p["project_id"].to_numpy(dtype=object)
    s0 = _by_project(before.planning, ids, ["score", "band"])
    s1 = _by_project(after.planning, ids, ["score", "band"])
    f0 = _by_project(before.forecast, ids, ["forecast"])["forecast"]
    f1 = _by_project(after.forecast, ids, ["forecast"])["forecast"]
    e = _by_project(eff, ids, ["slip_months", "stopped", "brought_forward_to"])
    out = pd.DataFrame({
        "project_id": ids,
        "name": p["name"].to_numpy(),
        "office": p["office"].to_numpy(),
        "responsible_unit": p["responsible_unit"].to_numpy(),
        "score_base": s0["score"], "band_base": s0["band"],
        "score_scenario": s1["score"], "band_scenario": s1["band"],
        "rank_base": pd.Series(s0["score"]).rank(ascending=False, method="min").to_numpy(),
        "rank_scenario": pd.Series(s1["score"]).rank(ascending=False, method="min").to_numpy(),
        "forecast_base": f0, "forecast_scenario": f1, "forecast_change": f1 - f0,
        **e,
    })
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    return out.sort_values(["rank_scenario", "project_id"], ignore_index=True)


class WhatIf:
    """An analyst's session: the base scored once, then `run(scenario)` for each change."""

    def __init__(self, ledger: Ledger, as_of=None, rubric=None) -> None:
        from workbench.scoring.rubric import as_rubric

        self.rubric = as_rubric(rubric)
        self.base = evaluate(ledger, as_of, self.rubric)
        self._last: tuple | None = None

    @property
    def ledger(self) -> Ledger:
        """The base ledger."""
        return self.base.ledger

    def run(self, scenario: Scenario) -> Comparison:
        """The comparison of `scenario` against the cached base.

        When only the weights changed since the last run, the applied and scored ledger is
        reused and only re-weighted (weight sliders move most often).
        """
        key = repr(dataclasses.replace(scenario, name="", description="", weights={}).to_dict())
        if self._last is None or self._last[0] != key:
            plain = dataclasses.replace(scenario, weights={})
            self._last = (key, *_scenario_outcome(self.base, plain, self.base.as_of, self.rubric))
        _, after, arrays = self._last
        planning = reweighted(after.scores.planning, self.rubric, scenario.weights)
        return _comparison(self.base, scenario, dataclasses.replace(after, planning=planning), arrays)


# --- analysts' controls (ipywidgets; notebooks/what_if.ipynb) ------------------------------------


def scenario_from_values(name=None, slip_all=0, slip_offices=None, slip_office_months=0,
                         slip_projects=None, slip_project_months=0, shortfall_sources=None,
                         shortfall_percent=0, delay_item=None, delay_months=0,
                         forward_projects=None, forward_quarter=None, **weights) -> Scenario:
    """A Scenario from the controls' values (`workbench.present.widgets.values_of`); weights as ``w_<dimension>``."""
    unknown = [k for k in weights if not k.startswith("w_")]
    if unknown:
        raise ScenarioError(f"unknown control(s): {', '.join(sorted(unknown))}")
    return Scenario(
        name=name or "scenario",
        slip_all=int(slip_all or 0),
        slip_by_office={o: int(slip_office_months) for o in slip_offices or ()} if slip_office_months else {},
        slip_by_project={p: int(slip_project_months) for p in slip_projects or ()} if slip_project_months else {},
        shortfall_by_source={s: float(shortfall_percent) for s in shortfall_sources or ()}
        if shortfall_percent else {},
        approval_delays=(ApprovalDelay(delay_item, int(delay_months)),) if delay_item and delay_months else (),
        bring_forward={p: forward_quarter for p in forward_projects or ()} if forward_quarter else {},
        weights={k[2:]: float(v) for k, v in weights.items() if v is not None},
    )


def reserve_projects(ledger: Ledger, as_of=None) -> pd.DataFrame:
    """Projects that may be brought forward: reserve stages, not started, no start planned yet
    or one after the next quarter's opening."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    p = ledger.projects
    next_quarter = as_of + pd.offsets.QuarterBegin(startingMonth=1)
    later = p["planned_start"].isna() | (p["planned_start"] > next_quarter)
    return p[p["stage"].isin(RESERVE_STAGES) & p["actual_start"].isna() & later]


def later_quarters(ledger: Ledger, as_of=None) -> list[str]:
    """The quarters of the ledger's year that have not begun by `as_of`."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    year = ledger.year or as_of.year
    return [f"{year}Q{q}" for q in range(1, 5) if pd.Timestamp(year=year, month=3 * q - 2, day=1) > as_of]


def whatif_controls(ledger: Ledger, rubric=None, as_of=None, lang: str = "zh") -> dict:
    """The analysts' controls, keyed by the parameters of `scenario_from_values`.

    Dropdowns and lists come from `workbench.present.widgets` (shared with the exploration notebook);
    sliders for months, percent and each rubric weight are added here.
    """
    import ipywidgets as ipw

    from workbench.core.words import column_label, word
    from workbench.present import widgets as w
    from workbench.scoring.rubric import as_rubric

    limit = int(settings()["limits"]["slip_months"])
    style = {"description_width": "14em"}

    def months(key: str) -> ipw.IntSlider:
        return ipw.IntSlider(0, 0, min(limit, 24), description=word(key, lang), style=style,
                             continuous_update=False, layout=ipw.Layout(width="auto"))

    reserve = reserve_projects(ledger, as_of)
    quarters = later_quarters(ledger, as_of)
    controls = {
        "name": ipw.Text(value="", description=word("whatif_scenario_name", lang), style=style,
                         layout=ipw.Layout(width="auto")),
        "slip_all": months("whatif_slip_all"),
        "slip_offices": w.multi_select("office", OFFICES, lang),
        "slip_office_months": months("whatif_slip_office"),
        "slip_projects": w.project_multi_select(ledger.projects, lang),
        "slip_project_months": months("whatif_slip_projects"),
        "shortfall_sources": w.multi_select("source", FUNDING_SOURCES, lang),
        "shortfall_percent": ipw.IntSlider(0, 0, 100, step=5, description=word("whatif_shortfall", lang),
                                           style=style, continuous_update=False,
                                           layout=ipw.Layout(width="auto")),
        "delay_item": w.dropdown("item", APPROVAL_ITEMS, lang),
        "delay_months": months("whatif_delay_months"),
        "forward_projects": w.project_multi_select(reserve, lang),
        "forward_quarter": w.dropdown("quarter", quarters, lang),
    }
    controls["forward_projects"].description = word("whatif_forward_projects", lang)
    controls["forward_quarter"].description = word("whatif_forward_quarter", lang)
    controls["delay_item"].description = word("whatif_delay_item", lang)
    controls["shortfall_sources"].description = word("whatif_shortfall_sources", lang)
    for dim, weight in as_rubric(rubric).weights().items():
        controls[f"w_{dim}"] = ipw.IntSlider(
            int(weight), 0, int(settings()["limits"]["weight"]),
            description=f"{column_label(dim, lang)} {word('whatif_weight', lang)}", style=style,
            continuous_update=False, layout=ipw.Layout(width="auto"))
    return controls


def save_control(controls: dict, folder: str | Path = "data/scenarios", lang: str = "zh"):
    """A file-name box and a "save scenario" button writing the controls' scenario as YAML."""
    import ipywidgets as ipw

    from workbench.core.words import word
    from workbench.present import widgets as w

    name = ipw.Text(value="scenario.yaml", description=word("whatif_scenario_file", lang),
                    layout=ipw.Layout(width="auto"))
    button = ipw.Button(description=word("whatif_save", lang), icon="save")
    message = ipw.HTML()

    def save(_button=None) -> Path | None:
        try:
            path = save_scenario(scenario_from_values(**w.values_of(controls)),
                                 Path(folder) / Path(name.value).name)
        except ScenarioError as exc:
            message.value = f"<span>{html.escape(str(exc))}</span>"
            return None
        message.value = html.escape(word("whatif_saved", lang).format(path=path))
        return path

    button.on_click(save)
    box = ipw.HBox([name, button, message])
    box.save = save  # callable from code and tests
    return box


def compare_files(scenario: str | Path, ledger: str | Path, as_of=None, rubric=None) -> Comparison:
    """Load a ledger workbook and a scenario YAML and compare them (the `workbench whatif` command)."""
    from workbench.core.paths import resolved_path
    from workbench.ingest.load import load_ledger

    return compare(load_ledger(resolved_path(ledger)), load_scenario(scenario), as_of, rubric)
