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
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbench.exceptions import ScenarioError
from workbench.ledger import Ledger
from workbench.schemas import APPROVAL_ITEMS, DATE, FUNDING_SOURCES, OFFICES

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
    text = resources.files("workbench").joinpath("config/whatif.yaml").read_text("utf-8")
    return yaml.safe_load(text)


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


def _quarter_start(quarter, where: str) -> pd.Timestamp:
    text = str(quarter)
    if len(text) != 6 or not text[:4].isdigit() or text[4] != "Q" or text[5] not in "1234":
        raise ScenarioError(f"scenario field '{where}': {quarter!r} is not a quarter ({_QUARTER_FORMAT})")
    return pd.Timestamp(year=int(text[:4]), month=3 * int(text[5]) - 2, day=1)


def check_scenario(scenario: Scenario, ledger: Ledger, as_of: pd.Timestamp | None = None) -> None:
    """Raise ScenarioError naming the field when the scenario names something `ledger` lacks."""
    p = ledger.projects
    known = {
        "project_id": set(p["project_id"]),
        "office": set(OFFICES),
        "sector": set(p["sector"].dropna()),
        "responsible_unit": set(p["responsible_unit"].dropna()),
    }
    for name, column in SLIP_FIELDS.items():
        for key in getattr(scenario, name):
            if key not in known[column]:
                raise ScenarioError(f"scenario field '{name}.{key}': unknown {column} in this ledger")
    for i, delay in enumerate(scenario.approval_delays):
        if delay.project is not None and delay.project not in known["project_id"]:
            raise ScenarioError(
                f"scenario field 'approval_delays[{i}].project': unknown project {delay.project!r}"
            )
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    rows = p.set_index("project_id")
    for project, quarter in scenario.bring_forward.items():
        where = f"bring_forward.{project}"
        if project not in known["project_id"]:
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
        data = yaml.safe_load(path.read_text("utf-8")) or {}
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
    return (dates.dt.year * 12 + dates.dt.month - 1).astype("float64").to_numpy(na_value=np.nan)


def _month_starts(index: np.ndarray) -> pd.Series:
    """First day of each month index (NaN → NaT)."""
    out = np.full(len(index), np.datetime64("NaT"), dtype="datetime64[M]")
    ok = ~np.isnan(index)
    out[ok] = (index[ok] - 1970 * 12).astype("int64").astype("datetime64[M]")
    return pd.Series(out.astype("datetime64[us]"))


def _shift_months(dates: pd.Series, months: np.ndarray) -> pd.Series:
    """`dates` moved by whole `months` (day kept, clipped to the month's length); NaT stays NaT."""
    values = dates.to_numpy(dtype="datetime64[us]")
    month = values.astype("datetime64[M]")
    day = (values.astype("datetime64[D]") - month.astype("datetime64[D]")).astype("int64")
    new_month = month + months.astype("int64")
    length = ((new_month + 1).astype("datetime64[D]") - new_month.astype("datetime64[D]")).astype("int64")
    out = new_month.astype("datetime64[D]") + np.minimum(day, length - 1)
    result = pd.Series(out.astype("datetime64[us]"), index=dates.index)
    return result.where(dates.notna())


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
    p = ledger.projects
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    not_started = p["actual_start"].isna() | (p["actual_start"] > as_of)
    slip = np.full(len(p), float(scenario.slip_all))
    for name, column in SLIP_FIELDS.items():
        mapping = getattr(scenario, name)
        if mapping:
            slip = np.maximum(slip, p[column].map(mapping).astype("float64").fillna(0).to_numpy())
    if scenario.approval_delays:
        pending = ledger.approvals[ledger.approvals["status"].isin(["in_progress", "not_started"])]
        for delay in scenario.approval_delays:
            rows = pending[pending["item"] == delay.item]
            if delay.project is not None:
                rows = rows[rows["project_id"] == delay.project]
            hit = p["project_id"].isin(rows["project_id"]).to_numpy()
            slip = np.where(hit, np.maximum(slip, delay.months), slip)
    slip = np.where(not_started.to_numpy() & p["planned_start"].notna().to_numpy(), slip, 0.0)
    factor = np.ones(len(p))
    if any(scenario.shortfall_by_source.values()):
        f = ledger.funding
        cut = f["source"].map(scenario.shortfall_by_source).astype("float64").fillna(0) / 100
        lost = (f["amount"] * cut).groupby(f["project_id"]).sum()
        total = f["amount"].groupby(f["project_id"]).sum()
        share_lost = (lost / total.where(total > 0)).reindex(p["project_id"]).fillna(0)
        factor = np.clip(1 - share_lost.to_numpy(), 0.0, 1.0)
    stopped = factor <= 1e-9
    forward = p["project_id"].map(scenario.bring_forward) if scenario.bring_forward else None
    return pd.DataFrame(
        {
            "project_id": p["project_id"],
            "not_started": not_started.to_numpy(),
            "slip_months": slip.astype("int64"),
            "funding_factor": factor,
            "stopped": stopped,
            "brought_forward_to": forward if forward is not None else pd.Series(None, index=p.index, dtype="str"),
        }
    )


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
    tables = dict(ledger.tables())
    if dataclasses.replace(scenario, weights={}).is_zero():
        return tables  # nothing in the ledger moves (weights act on scoring only)
    eff = effects(ledger, scenario, as_of)
    projects, progress, funding = tables["projects"], tables["progress"], tables["funding"]
    year = ledger.year or as_of.year
    a = as_of.year * 12 + as_of.month - 1  # last month of history
    ye = year * 12 + 11  # December
    prog_m = month_index(progress["month"])
    future = (prog_m > a) & (prog_m <= ye)

    # 1. start slips: re-spread the rest of the year's plan on the S-curve from the new start
    slip = eff["slip_months"].to_numpy()
    moved = slip > 0
    if moved.any():
        progress, projects = _respread_slips(projects, progress, prog_m, future, moved, slip, a, ye)
        prog_m = month_index(progress["month"])
        future = (prog_m > a) & (prog_m <= ye)

    # 2. funding shortfall: fewer funds, less spent from here on; sole-source 100 % stops
    if any(scenario.shortfall_by_source.values()):
        cut = funding["source"].map(scenario.shortfall_by_source).astype("float64").fillna(0) / 100
        funding = funding.assign(amount=funding["amount"] * (1 - cut))
        factor = pd.Series(eff["funding_factor"].to_numpy(), index=projects["project_id"])
        scale = np.where(future, progress["project_id"].map(factor).fillna(1.0).to_numpy(), 1.0)
        progress = progress.assign(planned=progress["planned"] * scale)
        halt = eff["stopped"].to_numpy() & eff["not_started"].to_numpy()
        if halt.any():
            projects = projects.assign(
                planned_start=projects["planned_start"].where(~halt),
                planned_completion=projects["planned_completion"].where(~halt),
            )

    # 3. reserve projects brought forward
    if scenario.bring_forward:
        projects, progress = _bring_forward(projects, progress, scenario.bring_forward, a, ye)

    tables.update(projects=projects, progress=progress, funding=funding)
    return tables


def _respread_slips(projects, progress, prog_m, future, moved, slip, a, ye):
    """Progress and projects with the slipped projects' remaining plan re-spread (vectorised)."""
    ids = projects["project_id"].to_numpy()[moved]
    n = slip[moved].astype("float64")
    start = month_index(projects["planned_start"])[moved]
    end = month_index(projects["planned_completion"])[moved]
    s_eff = np.maximum(start, a + 1)
    end = np.where(np.isnan(end), np.maximum(s_eff, ye), end)
    c_eff = np.maximum(end, s_eff)
    duration = c_eff - s_eff + 1
    pid = progress["project_id"].to_numpy()
    in_moved = pd.Series(pid).isin(ids).to_numpy()
    rest = pd.Series(np.where(future & in_moved, progress["planned"].to_numpy(), 0.0)).groupby(pid).sum()
    annual = pd.Series(projects["annual_plan"].to_numpy()[moved], index=ids)
    to_date = pd.Series(np.where(~future & (prog_m <= a) & in_moved, progress["planned"].to_numpy(), 0.0)).groupby(pid).sum()
    has_future = pd.Series(future & in_moved).groupby(pid).any()
    remaining = np.where(
        has_future.reindex(ids, fill_value=False).to_numpy(),
        rest.reindex(ids, fill_value=0.0).to_numpy(),
        np.maximum(annual.to_numpy() - to_date.reindex(ids, fill_value=0.0).to_numpy(), 0.0),
    )
    share0 = s_curve((ye + 1 - s_eff) / duration)  # the unslipped curve's share left in the year
    level = np.divide(remaining, share0, out=np.zeros_like(remaining), where=share0 > 0)
    new_start = s_eff + n
    months = np.arange(a + 1, ye + 1, dtype="float64")
    if len(months):
        grid = (months[None, :] - new_start[:, None]) / duration[:, None]
        step = 1 / duration[:, None]
        amount = level[:, None] * (s_curve(grid + step) - s_curve(grid))
        month_col = _month_starts(np.tile(months, len(ids)))
        new_rows = pd.DataFrame(
            {"project_id": np.repeat(ids, len(months)), "month": month_col, "planned": amount.ravel()}
        )
        old = progress.loc[future & in_moved, ["project_id", "month", "completed", "physical_progress"]]
        new_rows = new_rows.merge(old, on=["project_id", "month"], how="left")
        new_rows["completed"] = new_rows["completed"].fillna(0.0)
        new_rows["physical_progress"] = new_rows["physical_progress"].astype("float64")
        keep = progress.loc[~(future & in_moved)]
        progress = pd.concat([keep, new_rows[list(progress.columns)]], ignore_index=True)
        progress["project_id"] = progress["project_id"].astype("str")
        progress = progress.sort_values(["project_id", "month"], ignore_index=True)
    shift = np.zeros(len(projects))
    shift[moved] = new_start - start
    projects = projects.assign(
        planned_start=_shift_months(projects["planned_start"], shift),
        planned_completion=_shift_months(projects["planned_completion"], shift),
    )
    return progress, projects


def _bring_forward(projects, progress, forward: dict, a: int, ye: int):
    """Reserve projects start at their quarter; the year's plan is their total's S-curve share."""
    hit = projects["project_id"].isin(list(forward)).to_numpy()
    qstart = pd.to_datetime(projects.loc[hit, "project_id"].map(lambda p: _quarter_start(forward[p], p)))
    start = month_index(qstart)
    old_start = month_index(projects.loc[hit, "planned_start"])
    old_end = month_index(projects.loc[hit, "planned_completion"])
    default = float(settings()["default_duration_months"])
    duration = np.where(
        np.isnan(old_end) | np.isnan(old_start) | (old_end < old_start), default, old_end - old_start + 1
    )
    total = projects.loc[hit, "total_investment"].to_numpy()
    annual = total * s_curve((ye + 1 - start) / duration)
    ids = projects.loc[hit, "project_id"].to_numpy()
    months = np.arange(a + 1, ye + 1, dtype="float64")
    grid = (months[None, :] - start[:, None]) / duration[:, None]
    amount = total[:, None] * (s_curve(grid + 1 / duration[:, None]) - s_curve(grid))
    new_rows = pd.DataFrame(
        {
            "project_id": np.repeat(ids, len(months)),
            "month": _month_starts(np.tile(months, len(ids))),
            "planned": amount.ravel(),
            "completed": 0.0,
            "physical_progress": np.nan,
        }
    )
    prog_m = month_index(progress["month"])
    drop = progress["project_id"].isin(ids).to_numpy() & (prog_m > a) & (prog_m <= ye)
    progress = pd.concat([progress.loc[~drop], new_rows], ignore_index=True)
    progress["project_id"] = progress["project_id"].astype("str")
    progress = progress.sort_values(["project_id", "month"], ignore_index=True)
    completion = _month_starts(start + duration - 1).to_numpy()
    quarters = projects.loc[hit, "project_id"].map(forward).to_numpy()
    projects = projects.copy()
    projects.loc[hit, "planned_start"] = qstart.to_numpy()
    projects.loc[hit, "planned_completion"] = (
        pd.Series(completion) + pd.offsets.MonthEnd(0)
    ).to_numpy()
    projects.loc[hit, "annual_plan"] = annual
    projects.loc[hit, "nature"] = "新开工"
    projects.loc[hit, "stage"] = "前期"
    projects.loc[hit, "batch_quarter"] = quarters
    projects.loc[hit, "batch_kind"] = "开工"
    return projects, progress


# --- figures a scenario is judged by -------------------------------------------------------------


def year_forecast(ledger: Ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per project: completed to `as_of`, plan for the rest of the year, year-end forecast."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    year = ledger.year or as_of.year
    a, ye = as_of.year * 12 + as_of.month - 1, year * 12 + 11
    g = ledger.progress
    m = month_index(g["month"])
    in_year = (m >= year * 12) & (m <= ye)
    done = pd.Series(np.where(in_year & (m <= a), g["completed"].to_numpy(), 0.0))
    plan = pd.Series(np.where(in_year & (m > a), g["planned"].to_numpy(), 0.0))
    pid = g["project_id"].to_numpy()
    frame = pd.DataFrame({"completed_to_date": done.groupby(pid).sum(), "remaining_plan": plan.groupby(pid).sum()})
    frame = frame.reindex(ledger.projects["project_id"], fill_value=0.0)
    frame["forecast"] = frame["completed_to_date"] + frame["remaining_plan"]
    frame["annual_plan"] = ledger.projects["annual_plan"].to_numpy()
    return frame.reset_index(names="project_id")


def forecast_curve(ledger: Ledger, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Month by month: cumulative plan and cumulative forecast (actual to `as_of`, then plan), 万元."""
    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    year = ledger.year or as_of.year
    a = as_of.year * 12 + as_of.month - 1
    g = ledger.progress
    m = month_index(g["month"])
    g = g.loc[(m >= year * 12) & (m <= year * 12 + 11)]
    m = month_index(g["month"])
    value = np.where(m <= a, g["completed"].to_numpy(), g["planned"].to_numpy())
    by_month = pd.DataFrame({"month": g["month"].to_numpy(), "plan": g["planned"].to_numpy(), "forecast": value})
    out = by_month.groupby("month").sum().reindex(
        pd.date_range(f"{year}-01-01", periods=12, freq="MS").astype(DATE), fill_value=0.0
    )
    out = out.cumsum().rename_axis("month").reset_index()
    out["actual"] = out["month"] <= as_of
    return out


def quarter_starts(base: Ledger, scenario: Ledger, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per quarter: planned starts (base plan) and how many start by the quarter's end, base vs scenario."""
    year = base.year or as_of.year
    p0 = base.projects
    p1 = scenario.projects.set_index("project_id").reindex(p0["project_id"])
    earliest = as_of + pd.Timedelta(days=1)

    def expected(actual: pd.Series, planned: pd.Series) -> pd.Series:
        actual = actual.where(actual <= as_of)
        return actual.fillna(planned.clip(lower=earliest))

    e0 = expected(p0["actual_start"], p0["planned_start"]).to_numpy()
    e1 = expected(p1["actual_start"], p1["planned_start"]).to_numpy()
    e_all = expected(scenario.projects["actual_start"], scenario.projects["planned_start"])
    e_all0 = expected(p0["actual_start"], p0["planned_start"])
    rows = []
    for q in range(1, 5):
        lo = pd.Timestamp(year=year, month=3 * q - 2, day=1)
        hi = lo + pd.offsets.QuarterEnd(0)
        planned = ((p0["planned_start"] >= lo) & (p0["planned_start"] <= hi)).to_numpy()
        n = int(planned.sum())
        b = int((planned & (e0 <= hi)).sum())
        s = int((planned & (e1 <= hi)).sum())
        rows.append(
            {
                "quarter": f"{year}Q{q}",
                "planned_starts": n,
                "base_on_time": b,
                "scenario_on_time": s,
                "base_rate": b / n if n else np.nan,
                "scenario_rate": s / n if n else np.nan,
                "base_starts": int(((e_all0 >= lo) & (e_all0 <= hi)).sum()),
                "scenario_starts": int(((e_all >= lo) & (e_all <= hi)).sum()),
            }
        )
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
    out = planning.copy()
    for d, w in old.items():
        out[d] = planning[d] * (new[d] / w if w else 0.0) * 100 / total
    out["score"] = out[list(old)].sum(axis=1).round(1)
    return out.assign(band=band_of(out["score"], rubric))


def band_of(score: pd.Series, rubric) -> pd.Series:
    """The planning band of each score (rubric band limits; min inclusive)."""
    band = pd.Series(None, index=score.index, dtype="str")
    for name, low, high in rubric.bands():
        inside = (score >= low) & ((score < high) | (high >= 100))
        band = band.mask(inside & band.isna(), name)
    return band


@dataclass(frozen=True)
class Outcome:
    """A ledger scored as of a date, with its year-end forecast (one side of a comparison)."""

    ledger: Ledger
    as_of: pd.Timestamp
    scores: object  # workbench.scoring.Scores
    planning: pd.DataFrame  # Scores.planning, re-weighted when the scenario changes weights
    forecast: pd.DataFrame  # year_forecast
    curve: pd.DataFrame  # forecast_curve


def evaluate(ledger: Ledger, as_of=None, rubric=None, weights: dict | None = None) -> Outcome:
    """Score `ledger` as of `as_of` (re-weighted by `weights`) and forecast its year."""
    from workbench.rubric import as_rubric
    from workbench.scoring import score

    as_of = data_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    rubric = as_rubric(rubric)
    scores = score(ledger, as_of, rubric)
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
    after_ledger = apply(before.ledger, scenario, as_of)
    after = evaluate(after_ledger, as_of, rubric, scenario.weights)
    eff = effects(before.ledger, scenario, as_of)
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
    b = before.astype("object").fillna("none").value_counts()
    a = after.astype("object").fillna("none").value_counts()
    out = pd.DataFrame({name: list(order)})
    out["base"] = out[name].map(b).fillna(0).astype("int64")
    out["scenario"] = out[name].map(a).fillna(0).astype("int64")
    out["change"] = out["scenario"] - out["base"]
    return out


def _unit_ranks(before: Outcome, after: Outcome) -> pd.DataFrame:
    def side(o: Outcome) -> pd.DataFrame:
        u = o.scores.units[["responsible_unit", "total", "rank"]].set_index("responsible_unit")
        p = o.ledger.projects
        unit = p["responsible_unit"].fillna("")
        f = o.forecast.set_index("project_id").reindex(p["project_id"])
        g = pd.DataFrame({"forecast": f["forecast"].to_numpy(), "plan": p["annual_plan"].to_numpy()}).groupby(unit.to_numpy()).sum()
        u["forecast_share"] = (g["forecast"] / g["plan"].where(g["plan"] > 0)).reindex(u.index)
        u["forecast_rank"] = u["forecast_share"].rank(ascending=False, method="min")
        return u

    b, a = side(before), side(after)
    out = b.join(a, lsuffix="_base", rsuffix="_scenario", how="outer")
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    out["forecast_rank_change"] = out["forecast_rank_base"] - out["forecast_rank_scenario"]
    return out.reset_index().sort_values("rank_scenario", ignore_index=True)


def _project_ranks(before: Outcome, after: Outcome, eff: pd.DataFrame) -> pd.DataFrame:
    p = before.ledger.projects[["project_id", "name", "office", "responsible_unit"]]
    s0 = before.planning.set_index("project_id")[["score", "band"]]
    s1 = after.planning.set_index("project_id")[["score", "band"]]
    out = p.set_index("project_id").join(s0).join(s1, lsuffix="_base", rsuffix="_scenario")
    out["rank_base"] = out["score_base"].rank(ascending=False, method="min")
    out["rank_scenario"] = out["score_scenario"].rank(ascending=False, method="min")
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    f0 = before.forecast.set_index("project_id")["forecast"]
    f1 = after.forecast.set_index("project_id")["forecast"]
    out["forecast_base"] = f0
    out["forecast_scenario"] = f1
    out["forecast_change"] = out["forecast_scenario"] - out["forecast_base"]
    out = out.join(eff.set_index("project_id")[["slip_months", "stopped", "brought_forward_to"]])
    return out.reset_index().sort_values("rank_scenario", ignore_index=True)


class WhatIf:
    """An analyst's session: the base scored once, then `run(scenario)` for each change."""

    def __init__(self, ledger: Ledger, as_of=None, rubric=None) -> None:
        from workbench.rubric import as_rubric

        self.rubric = as_rubric(rubric)
        self.base = evaluate(ledger, as_of, self.rubric)

    @property
    def ledger(self) -> Ledger:
        """The base ledger."""
        return self.base.ledger

    def run(self, scenario: Scenario) -> Comparison:
        """The comparison of `scenario` against the cached base."""
        return compare(self.base, scenario, rubric=self.rubric)
