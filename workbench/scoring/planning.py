"""Planning quality per project (0–100): six dimension scores, a band, flags and the reasons.

Every rule of the rubric takes points away from its dimension; a project's score is 100 minus
the points lost, and each point lost is one row of the reasons table with a message in Chinese
and English naming the fact. Points are kept in tenths (integers) so the reasons add up to
exactly 100 − score. All rules are vectorised over the projects table; other tables are
matched to projects by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.vocabulary import APPROVAL_ITEMS, APPROVAL_STATUSES, LEVELS, NATURES
from workbench.model.ledger import Ledger
from workbench.scoring.delivery import (
    ProjectIndex,
    as_of_timestamp,
    month_number,
    project_index,
    project_positions,
    ratio,
    slip_months,
    sum_by_position,
)
from workbench.scoring.rubric import BANDS, DIMENSIONS, Rubric, as_rubric

PLANNING_COLUMNS = ["project_id", *DIMENSIONS, "score", "band", "flags"]
REASON_COLUMNS = ["project_id", "dimension", "rule", "points_lost", "message_zh", "message_en"]
#: Flag codes in the order they are joined.
FLAGS = ("start_soon_no_land_or_permit", "start_overdue", "approval_expired",
         "problems_overdue", "funding_low")
#: Items whose absence blocks a start (the 90-day flag).
START_BLOCKING_ITEMS = ("用地", "施工许可")
_QUANTITY = re.compile(r"[\d０-９一二三四五六七八九十两百千]")


@dataclass
class Loss:
    """Points one rule takes from each project (tenths), with the facts its message names."""

    rule: str
    tenths: np.ndarray
    case: np.ndarray | None = None  # integer codes into `cases`
    cases: tuple[str, ...] = ()
    facts: dict[str, np.ndarray] = field(default_factory=dict)  # numbers (or codes into labels)
    labels: dict[str, tuple] = field(default_factory=dict)  # fact name → values its codes stand for
    constants: dict[str, object] = field(default_factory=dict)  # facts equal on every row


@dataclass
class Facts:
    """Per-project facts the rules (and the assessment) share, aligned with projects' rows."""

    n: int
    as_of: pd.Timestamp
    credit: dict[str, np.ndarray]
    state: dict[str, np.ndarray]
    secured: np.ndarray
    upper_funding: np.ndarray
    milestones_dated: np.ndarray
    milestones_no_owner: np.ndarray
    milestones_total: np.ndarray
    milestones_overdue: np.ndarray
    problems_overdue: np.ndarray
    reports_missing: np.ndarray
    start_slip: np.ndarray
    started: np.ndarray


def tenths(points) -> np.ndarray:
    """Points rounded to 0.1 and kept as integer tenths."""
    return np.rint(np.asarray(points, dtype="float64") * 10).astype("int64")


def codes_of(series: pd.Series, values) -> np.ndarray:
    """Position of each row's value in `values` (-1 for other or missing values)."""
    index = pd.Index(list(values), dtype=object)
    return index.get_indexer(pd.Index(series.to_numpy(dtype=object), dtype=object, copy=False))


def on_distinct(series: pd.Series, test) -> np.ndarray:
    """`test(value)` for each row, evaluated once per distinct value (missing values get None)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    results = np.array([bool(test(v)) for v in uniques] + [bool(test(None))], dtype=bool)
    return results[codes]  # code -1 (missing) picks the last entry


def blank_text(value) -> bool:
    """True for a missing or whitespace-only text."""
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def _missing_text(series: pd.Series) -> np.ndarray:
    return on_distinct(series, blank_text)


def project_code_mask(ids: pd.Series) -> np.ndarray:
    """True where an id has the shape of a national 项目代码 (vectorised over fixed-width text)."""
    chars = np.asarray(ids.to_numpy(dtype=object), dtype="U25").view(np.uint32)
    chars = chars.reshape(len(ids), 25)
    dash = np.zeros(25, dtype=bool)
    dash[[4, 11, 14, 17]] = True
    digit = (chars >= ord("0")) & (chars <= ord("9"))
    shape = np.where(dash[:24], chars[:, :24] == ord("-"), digit[:, :24])
    return shape.all(axis=1) & (chars[:, 24] == 0)


def _dates(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="datetime64[us]")


def approval_state(approvals: pd.DataFrame, positions: np.ndarray, n: int, as_of: pd.Timestamp,
                   in_progress_credit: float):
    """Per item: credit (share of its points kept) and state code per project.

    States: 0 effective, 1 not started, 2 in progress (or done after `as_of`), 3 expired.
    """
    day = np.datetime64(as_of)
    status = codes_of(approvals["status"], APPROVAL_STATUSES)
    is_done, in_progress_status, not_required = (status == APPROVAL_STATUSES.index(s)
                                                 for s in ("done", "in_progress", "not_required"))
    approved = _dates(approvals["approved_on"])
    expires = _dates(approvals["expires_on"])
    done = is_done & (np.isnat(approved) | (approved <= day))
    expired = is_done & ~np.isnat(expires) & (expires < day)
    effective = (done & ~expired) | not_required
    in_progress = (in_progress_status | (is_done & ~done)) & ~expired
    row_state = np.select([effective, expired, in_progress], [0, 3, 2], default=1)
    items = codes_of(approvals["item"], APPROVAL_ITEMS)
    known = (positions >= 0) & (items >= 0)
    states = np.ones((n, len(APPROVAL_ITEMS)), dtype="int64")
    states[positions[known], items[known]] = row_state[known]
    credit_of_state = np.array([1.0, 0.0, in_progress_credit, 0.0])
    state = {item: states[:, i] for i, item in enumerate(APPROVAL_ITEMS)}
    credit = {item: credit_of_state[state[item]] for item in APPROVAL_ITEMS}
    return credit, state


def reports_missing(ledger: Ledger, positions: np.ndarray, as_of: pd.Timestamp) -> np.ndarray:
    """Monthly reports missing per project, January (or the start month) to the last reported month."""
    p = ledger.projects
    n = len(p)
    months = _dates(ledger.progress["month"])  # first days of months: compared as dates
    year_start = np.datetime64(pd.Timestamp(year=as_of.year, month=1, day=1).as_unit("us"))
    in_year = (months >= year_start) & (months <= np.datetime64(as_of.replace(day=1).as_unit("us")))
    if not in_year.any():
        return np.zeros(n)
    last_m = month_number(months[in_year].max()[None])[0]
    start = _dates(p["actual_start"].fillna(p["planned_start"])).astype("datetime64[M]")
    start = np.where(np.isnat(start), year_start, np.maximum(start, year_start))
    start = start.astype("datetime64[us]")  # first day of the first month a report is due
    expected = np.clip(last_m - month_number(start) + 1, 0, None)
    rows = in_year & (months >= start[np.clip(positions, 0, None)])
    reported = sum_by_position(positions, None, n, rows)
    expected = np.where(p["annual_plan"].to_numpy() > 0, expected, 0.0)
    return np.clip(expected - reported, 0, None)


def project_facts(ledger: Ledger, as_of, rubric: Rubric | None = None,
                  progress_positions: np.ndarray | None = None,
                  index: ProjectIndex | None = None) -> Facts:
    """The per-project facts planning rules and the assessment need, as of a date."""
    rubric = as_rubric(rubric)
    as_of = as_of_timestamp(as_of)
    day = np.datetime64(as_of)
    p = ledger.projects
    n = len(p)
    ids = project_index(p["project_id"]) if index is None else index

    a = ledger.approvals
    credit, state = approval_state(a, project_positions(ids, a["project_id"]), n, as_of,
                                   rubric.rule("approval_items")["in_progress_credit"])

    f = ledger.funding
    f_pos = project_positions(ids, f["project_id"])
    dated = _dates(f["dated"])
    counted = np.isnat(dated) | (dated <= day)
    applied = codes_of(f["status"], ["applied"]) == 0
    share = np.where(applied, rubric.rule("funding_secured")["applied_credit"], 1.0)
    secured = sum_by_position(f_pos, f["amount"].to_numpy() * share, n, counted)
    upper = rubric.rule("upper_funding")["channels"]
    upper_rows = counted & (codes_of(f["source"], upper) >= 0)
    upper_funding = sum_by_position(f_pos, None, n, upper_rows) > 0

    ms = ledger.milestones
    m_pos = project_positions(ids, ms["project_id"])
    planned_on = _dates(ms["planned_on"])
    done_on = _dates(ms["done_on"])
    has_date = ~np.isnat(planned_on)
    overdue_ms = has_date & (planned_on < day) & (np.isnat(done_on) | (done_on > day))
    no_owner = _missing_text(ms["owner"])

    pr = ledger.problems
    pr_pos = project_positions(ids, pr["project_id"])
    due = _dates(pr["due_on"])
    resolved = _dates(pr["resolved_on"])
    raised = _dates(pr["raised_on"])
    open_overdue = (~np.isnat(due) & (due < day) & (np.isnat(resolved) | (resolved > day))
                    & (np.isnat(raised) | (raised <= day)))

    if progress_positions is None:
        progress_positions = project_positions(ids, ledger.progress["project_id"])
    actual_start = _dates(p["actual_start"])
    return Facts(
        n=n,
        as_of=as_of,
        credit=credit,
        state=state,
        secured=secured,
        upper_funding=upper_funding,
        milestones_dated=sum_by_position(m_pos, None, n, has_date),
        milestones_no_owner=sum_by_position(m_pos, None, n, no_owner),
        milestones_total=sum_by_position(m_pos, None, n),
        milestones_overdue=sum_by_position(m_pos, None, n, overdue_ms),
        problems_overdue=sum_by_position(pr_pos, None, n, open_overdue),
        reports_missing=reports_missing(ledger, progress_positions, as_of),
        start_slip=slip_months(p["planned_start"], p["actual_start"], as_of),
        started=~np.isnat(actual_start) & (actual_start <= day),
    )


def _capped(count: np.ndarray, rule: dict, per: str = "per_item") -> np.ndarray:
    return tenths(np.minimum(rule["points"], rule[per] * count))


def _flag_loss(name: str, missing: np.ndarray, rule: dict) -> Loss:
    return Loss(name, np.where(missing, tenths(rule["points"]), 0))


def policy_fit_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 向上对接精准: list level, 531 tier, sector, higher-level funding channels."""
    rules = rubric.rules("policy_fit")
    out = []
    if "list_level" in rules:
        r = rules["list_level"]
        level = codes_of(p["level"], LEVELS)
        by_code = np.array([r["loss_by_level"].get(lv, 0) for lv in LEVELS] + [0], dtype="float64")
        loss = np.where(p["programme_982"].to_numpy(), r["programme_982_loss"], by_code[level])
        out.append(Loss("list_level", tenths(loss), facts={"level": level},
                        labels={"level": LEVELS}))
    if "tier_531" in rules:
        out.append(_flag_loss("tier_531", p["tier_531"].isna().to_numpy(), rules["tier_531"]))
    if "sector" in rules:
        out.append(_flag_loss("sector", _missing_text(p["sector"]), rules["sector"]))
    if "upper_funding" in rules:
        r = rules["upper_funding"]
        public = codes_of(p["office"], r["public_offices"]) >= 0
        out.append(_flag_loss("upper_funding", public & ~facts.upper_funding, r))
    return out


def definition_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 项目策划精准: scope, size threshold, annual plan / total, location, category."""
    rules = rubric.rules("definition")
    out = []
    if "scope" in rules:
        r = rules["scope"]
        missing = _missing_text(p["scope"])
        quantified = on_distinct(p["scope"], lambda v: bool(v and _QUANTITY.search(str(v))))
        loss = np.where(missing, r["points"], np.where(quantified, 0.0, r["unquantified_loss"]))
        out.append(Loss("scope", tenths(loss), case=np.where(missing, 0, 1),
                        cases=("missing", "unquantified")))
    total = p["total_investment"].to_numpy()
    if "size" in rules:
        r = rules["size"]
        small = total < r["min_total"]
        out.append(Loss("size", np.where(small, tenths(r["points"]), 0),
                        facts={"total_yi": np.round(total / 1e4, 2)},
                        constants={"min_yi": round(r["min_total"] / 1e4, 2)}))
    if "plan_ratio" in rules:
        r = rules["plan_ratio"]
        share = ratio(p["annual_plan"].to_numpy(), total)
        nature = codes_of(p["nature"], NATURES)
        bands = r["band_by_nature"]
        low = np.array([bands.get(k, [np.nan])[0] for k in NATURES] + [np.nan])[nature]
        high = np.array([bands.get(k, [np.nan, np.nan])[1] for k in NATURES] + [np.nan])[nature]
        outside = ~np.isnan(share) & ~np.isnan(low) & ((share < low - 1e-9) | (share > high + 1e-9))
        out.append(Loss("plan_ratio", np.where(outside, tenths(r["points"]), 0),
                        facts={"ratio": np.round(np.nan_to_num(share) * 100), "nature": nature,
                               "low": np.round(np.nan_to_num(low) * 100),
                               "high": np.round(np.nan_to_num(high) * 100)},
                        labels={"nature": NATURES}))
    if "location" in rules:
        out.append(_flag_loss("location", _missing_text(p["location"]), rules["location"]))
    if "category" in rules:
        out.append(_flag_loss("category", _missing_text(p["category"]), rules["category"]))
    return out


def approvals_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 手续完善精准: a national project code, then each approval item not effective."""
    rules = rubric.rules("approvals")
    out = []
    if "project_code" in rules:
        coded = project_code_mask(p["project_id"])
        out.append(_flag_loss("project_code", ~coded, rules["project_code"]))
    if "approval_items" in rules:
        r = rules["approval_items"]
        start = start_clause_keys(p, facts)
        for item, points in r["item_points"].items():
            loss = tenths(points * (1.0 - facts.credit[item]))
            out.append(Loss("approval_items", loss, case=facts.state[item],
                            cases=("", "not_started", "in_progress", "expired"),
                            facts={"start": start}, constants={"item": item}))
    return out


def start_clause_keys(p: pd.DataFrame, facts: Facts) -> np.ndarray:
    """Per project: 0 no start date, else ±(month number + 1): + planned, − started."""
    started_m = month_number(p["actual_start"])
    planned_m = month_number(p["planned_start"])
    key = np.where(facts.started, -(started_m + 1), planned_m + 1)
    return np.nan_to_num(key, nan=0.0)


def funding_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 资金落实: secured / need, capped at 1 (applied counts at its credit)."""
    r = rubric.rules("funding").get("funding_secured")
    if r is None:
        return []
    plan = p["annual_plan"].to_numpy()
    need = funding_need(plan, p["total_investment"].to_numpy(), r["need_share_without_plan"])
    covered = funding_coverage(facts.secured, need)
    loss = tenths(r["points"] * (1.0 - covered))
    case = np.where(facts.secured <= 0, 0, np.where(plan > 0, 1, 2))
    return [Loss("funding_secured", loss, case=case,
                 cases=("none", "partial", "partial_without_plan"),
                 facts={"pct": np.round(covered * 100, 1)},
                 constants={"share": round(r["need_share_without_plan"] * 100, 1)})]


def funding_need(annual_plan: np.ndarray, total: np.ndarray, share_without_plan: float) -> np.ndarray:
    """Money a project needs secured: its annual plan, or a share of its total when it has none."""
    return np.where(annual_plan > 0, annual_plan, total * share_without_plan)


def funding_coverage(secured: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Secured / need capped at 1 (1 where nothing is needed)."""
    return np.nan_to_num(np.minimum(ratio(secured, need), 1.0), nan=1.0)


def schedule_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 路径实施精准/节点化: dates, milestones and owners, overdue nodes, slips, lead time."""
    rules = rubric.rules("schedule")
    out = []
    no_start = p["planned_start"].isna().to_numpy() & p["actual_start"].isna().to_numpy()
    no_end = p["planned_completion"].isna().to_numpy() & p["actual_completion"].isna().to_numpy()
    if "planned_start_missing" in rules:
        out.append(_flag_loss("planned_start_missing", no_start, rules["planned_start_missing"]))
    if "planned_completion_missing" in rules:
        out.append(_flag_loss("planned_completion_missing", no_end,
                              rules["planned_completion_missing"]))
    if "milestones_missing" in rules:
        out.append(_flag_loss("milestones_missing", facts.milestones_dated == 0,
                              rules["milestones_missing"]))
    if "milestone_owner" in rules:
        r = rules["milestone_owner"]
        share = np.nan_to_num(ratio(facts.milestones_no_owner, facts.milestones_total))
        out.append(Loss("milestone_owner", tenths(r["points"] * share),
                        facts={"n": facts.milestones_no_owner}))
    if "milestones_overdue" in rules:
        r = rules["milestones_overdue"]
        out.append(Loss("milestones_overdue", _capped(facts.milestones_overdue, r),
                        facts={"n": facts.milestones_overdue}))
    if "start_slip" in rules:
        r = rules["start_slip"]
        slip = np.clip(np.nan_to_num(facts.start_slip), 0, None)
        planned = np.nan_to_num(month_number(p["planned_start"]) + 1)
        out.append(Loss("start_slip", _capped(slip, r, "per_month"),
                        facts={"n": slip, "start": planned}))
    if "approval_lead_time" in rules:
        r = rules["approval_lead_time"]
        start = _dates(p["planned_start"])
        days_left = (start - np.datetime64(facts.as_of)).astype("timedelta64[D]").astype("float64")
        days_left = np.where(np.isnat(start), np.nan, days_left)
        waiting = ~facts.started & (days_left >= 0)
        short = np.zeros(len(p))
        for item, lead in r["lead_days"].items():
            short += waiting & (facts.credit[item] < 1.0) & (lead > days_left)
        out.append(Loss("approval_lead_time", _capped(short, r),
                        facts={"n": short, "days": np.nan_to_num(days_left)}))
    return out


def responsibility_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 项目服务精准: owner, unit, leader, monthly reports, overdue problems."""
    rules = rubric.rules("responsibility")
    out = []
    for name, column in (("owner_missing", "owner"), ("unit_missing", "responsible_unit"),
                         ("leader_missing", "leader")):
        if name in rules:
            out.append(_flag_loss(name, _missing_text(p[column]), rules[name]))
    if "reports_missing" in rules:
        out.append(Loss("reports_missing", _capped(facts.reports_missing, rules["reports_missing"]),
                        facts={"n": facts.reports_missing}))
    if "problems_overdue" in rules:
        out.append(Loss("problems_overdue",
                        _capped(facts.problems_overdue, rules["problems_overdue"]),
                        facts={"n": facts.problems_overdue}))
    return out


_DIMENSION_LOSSES = {
    "policy_fit": policy_fit_losses,
    "definition": definition_losses,
    "approvals": approvals_losses,
    "funding": funding_losses,
    "schedule": schedule_losses,
    "responsibility": responsibility_losses,
}


def planning_losses(ledger: Ledger, facts: Facts, rubric: Rubric) -> dict[str, list[Loss]]:
    """Every rule's losses, by dimension."""
    p = ledger.projects
    return {d: _DIMENSION_LOSSES[d](p, facts, rubric) for d in DIMENSIONS}


def band_of(score: np.ndarray, rubric: Rubric) -> np.ndarray:
    """The band of each score (min ≤ score < max; the top band includes its max)."""
    bands = sorted(rubric.bands(), key=lambda b: b[1])
    mins = np.array([b[1] for b in bands])
    names = np.array([b[0] for b in bands], dtype=object)
    idx = np.clip(np.searchsorted(mins, score + 1e-9, side="right") - 1, 0, len(bands) - 1)
    return names[idx]


def flags_of(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> pd.Series:
    """The flags raised for each project ("; "-joined codes, "" if none)."""
    day = np.datetime64(facts.as_of)
    start = _dates(p["planned_start"])
    window = np.timedelta64(int(rubric.flags["start_soon_days"]), "D")
    blocked = np.zeros(facts.n, dtype=bool)
    for item in START_BLOCKING_ITEMS:
        blocked |= facts.credit[item] < 1.0
    soon = ~facts.started & ~np.isnat(start) & (start >= day) & (start <= day + window)
    need = funding_need(p["annual_plan"].to_numpy(), p["total_investment"].to_numpy(),
                        rubric.rule("funding_secured")["need_share_without_plan"])
    covered = funding_coverage(facts.secured, need)
    expired = np.zeros(facts.n, dtype=bool)
    for item in APPROVAL_ITEMS:
        expired |= facts.state[item] == 3
    raised = [
        soon & blocked,
        ~facts.started & (np.nan_to_num(facts.start_slip) > 0),
        expired,
        facts.problems_overdue > 0,
        (need > 0) & (covered < rubric.flags["funding_low_share"]),
    ]
    mask = np.zeros(facts.n, dtype="int64")
    for bit, on in enumerate(raised):
        mask |= on.astype("int64") << bit
    combos = np.unique(mask)
    text = {int(c): "; ".join(f for b, f in enumerate(FLAGS) if c >> b & 1) for c in combos}
    codes = np.searchsorted(combos, mask)
    joined = np.array([text[int(c)] for c in combos], dtype=object)[codes]
    return pd.Series(joined, dtype="str")


def planning_scores(ledger: Ledger, facts: Facts, losses: dict[str, list[Loss]],
                    rubric: Rubric) -> pd.DataFrame:
    """One row a project: dimension scores, total score (0–100), band and flags."""
    p = ledger.projects
    out = {"project_id": p["project_id"]}
    total = np.zeros(len(p), dtype="int64")
    for d in DIMENSIONS:
        lost = sum((loss.tenths for loss in losses[d]), np.zeros(len(p), dtype="int64"))
        dim = tenths(rubric.weight(d)) - lost
        total += dim
        out[d] = dim / 10.0
    out["score"] = total / 10.0
    out["band"] = pd.Series(band_of(total / 10.0, rubric), dtype="str")
    out["flags"] = flags_of(p, facts, rubric)
    frame = pd.DataFrame(out)
    frame["band"] = frame["band"].astype("str")
    return frame


def _points_text(t: int) -> str:
    return f"{t / 10:g}"


def _month_text(key: float, as_of: pd.Timestamp, lang: str) -> str:
    m = int(abs(key)) - 1
    year, month = divmod(m, 12)
    month += 1
    if lang == "zh":
        return f"{month}月" if year == as_of.year else f"{year}年{month}月"
    return pd.Timestamp(year=year, month=month, day=1).strftime("%b %Y")


def _fact_text(name: str, value, lang: str, rubric: Rubric, as_of: pd.Timestamp, rule: str):
    from workbench.core.words import value_label

    if name in ("level", "nature", "item"):
        return value_label(value, lang)
    if name == "start":
        if value == 0:
            return ""
        clause = rubric.rule("approval_items")[f"start_clause_{lang}"]
        kind = "started" if value < 0 and rule == "approval_items" else "planned"
        return clause[kind].format(date=_month_text(value, as_of, lang))
    if isinstance(value, float | np.floating):
        return f"{value:g}" if name != "pct" else f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def distinct_rows(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, list[dict]]:
    """(code of each row, the distinct rows as dicts) of equal-length numeric columns."""
    first_column = next(iter(columns.values()))
    combined = np.zeros(len(first_column), dtype="int64")
    span = 1
    for values in columns.values():
        codes, uniques = pd.factorize(values) if values.dtype == object else _small_codes(values)
        width = len(uniques) + 1
        if span * width > 2**62:  # keep the mixed-radix key within int64
            combined, kept = pd.factorize(combined)
            span = len(kept) + 1
        combined = combined * width + (codes + 1)  # missing values (code -1) get 0
        span *= width
    codes, _ = pd.factorize(combined)
    first = np.empty(codes.max() + 1 if len(codes) else 0, dtype="int64")
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    rows = [{name: columns[name][i] for name in columns} for i in first]
    return codes, rows


def _small_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of numeric values: arithmetic when they are integers in a small range."""
    v = np.asarray(values)
    if v.dtype.kind in "iu" or (v.dtype.kind == "f" and np.array_equal(v, np.round(v))):
        lo, hi = (v.min(), v.max()) if len(v) else (0, 0)
        if hi - lo < 1_000_000:
            return (v - lo).astype("int64"), np.arange(int(hi - lo) + 1)
    return pd.factorize(v)


def _messages(loss: Loss, rows: np.ndarray, rubric: Rubric, as_of: pd.Timestamp):
    """(codes, texts) per language for the rows of one loss, formatted once per distinct fact set."""
    keys = {"t": loss.tenths[rows]}
    if loss.case is not None:
        keys["case"] = loss.case[rows]
    for name, values in loss.facts.items():
        keys[name] = np.asarray(values)[rows]
    codes, uniques = distinct_rows(keys)
    rule = rubric.rule(loss.rule)
    messages = {}
    memo: dict = {}

    def texts_of(name, value, lang):
        key = (name, value, lang)
        if key not in memo:
            memo[key] = _fact_text(name, value, lang, rubric, as_of, loss.rule)
        return memo[key]

    for lang in ("zh", "en"):
        template = rule[f"message_{lang}"]
        texts = []
        for row in uniques:
            tpl = template[loss.cases[int(row["case"])]] if isinstance(template, dict) else template
            values = {k: (loss.labels[k][int(v)] if k in loss.labels else v)
                      for k, v in row.items() if k not in ("t", "case")}
            values.update(loss.constants)
            facts = {k: texts_of(k, v, lang) for k, v in values.items()}
            texts.append(tpl.format(lost=_points_text(int(row["t"])), **facts))
        messages[lang] = (codes, texts)
    return messages


class _Texts:
    """Distinct message texts collected across rules, each with one global code."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def add(self, codes: np.ndarray, texts: list[str]) -> np.ndarray:
        """Global codes of rows whose local `codes` index `texts`."""
        local = np.array([self.codes.setdefault(t, len(self.codes)) for t in texts], dtype="int64")
        return local[codes]

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        """A Categorical of the given global codes."""
        return pd.Categorical.from_codes(codes, categories=pd.Index(list(self.codes), dtype=object))


def reasons_table(ledger: Ledger, losses: dict[str, list[Loss]], rubric: Rubric,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per rule that took points from a project, with its messages; ordered by project."""
    texts = {"zh": _Texts(), "en": _Texts()}
    rule_names: list[str] = []
    parts = []
    for d in DIMENSIONS:
        for loss in losses[d]:
            rows = np.flatnonzero(loss.tenths > 0)
            if not len(rows):
                continue
            if loss.rule not in rule_names:
                rule_names.append(loss.rule)
            msgs = _messages(loss, rows, rubric, as_of)
            parts.append((rows, loss.tenths[rows], DIMENSIONS.index(d), rule_names.index(loss.rule),
                          texts["zh"].add(*msgs["zh"]), texts["en"].add(*msgs["en"])))
    rows = np.concatenate([x[0] for x in parts]) if parts else np.zeros(0, dtype="int64")
    order = np.argsort(rows, kind="stable")

    def column(i: int) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype="int64")
        if isinstance(parts[0][i], int):
            return np.repeat(np.array([x[i] for x in parts]), [len(x[0]) for x in parts])[order]
        return np.concatenate([x[i] for x in parts])[order]

    ids = ledger.projects["project_id"]
    return pd.DataFrame({
        "project_id": ids.take(rows[order]).reset_index(drop=True),
        "dimension": pd.Categorical.from_codes(column(2), categories=list(DIMENSIONS)),
        "rule": pd.Categorical.from_codes(column(3), categories=pd.Index(rule_names, dtype=object)),
        "points_lost": column(1) / 10.0,
        "message_zh": texts["zh"].categorical(column(4)),
        "message_en": texts["en"].categorical(column(5)),
    })


def planning(ledger: Ledger, as_of, rubric: Rubric | str | None = None):
    """(planning scores, reasons) of every project as of a date."""
    rubric = as_rubric(rubric)
    facts = project_facts(ledger, as_of, rubric)
    losses = planning_losses(ledger, facts, rubric)
    return (planning_scores(ledger, facts, losses, rubric),
            reasons_table(ledger, losses, rubric, facts.as_of))


__all__ = ["BANDS", "FLAGS", "PLANNING_COLUMNS", "REASON_COLUMNS", "planning", "project_facts"]
