"""Planning quality per project (0–100): six dimension scores, a band, flags and the reasons.

Every rule of the rubric takes points away from its dimension; a project's score is 100 minus
the points lost, and each point lost is one row of the reasons table with a message in Chinese
and English naming the fact. Points are kept in tenths (integers) so the reasons add up to
exactly 100 − score. All rules are vectorised over the projects table; other tables are
matched to projects by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.delivery import (
    as_of_timestamp,
    month_number,
    project_positions,
    ratio,
    slip_months,
    sum_by_position,
)
from workbench.ledger import PROJECT_CODE, Ledger
from workbench.rubric import BANDS, DIMENSIONS, Rubric, as_rubric
from workbench.schemas import APPROVAL_ITEMS

PLANNING_COLUMNS = ["project_id", *DIMENSIONS, "score", "band", "flags"]
REASON_COLUMNS = ["project_id", "dimension", "rule", "points_lost", "message_zh", "message_en"]
#: Flag codes in the order they are joined.
FLAGS = ("start_soon_no_land_or_permit", "start_overdue", "approval_expired",
         "problems_overdue", "funding_low")
#: Items whose absence blocks a start (the 90-day flag).
START_BLOCKING_ITEMS = ("用地", "施工许可")
_QUANTITY = r"[\d０-９一二三四五六七八九十两百千]"


@dataclass
class Loss:
    """Points one rule takes from each project (tenths), with the facts its message names."""

    rule: str
    tenths: np.ndarray
    case: np.ndarray | None = None
    facts: dict[str, np.ndarray] = field(default_factory=dict)
    item: str | None = None


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


def _missing_text(series: pd.Series) -> np.ndarray:
    return (series.isna() | (series.fillna("").str.strip() == "")).to_numpy()


def _dates(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="datetime64[us]")


def approval_state(approvals: pd.DataFrame, positions: np.ndarray, n: int, as_of: pd.Timestamp,
                   in_progress_credit: float):
    """Per item: credit (share of its points kept) and state code per project.

    States: 0 effective, 1 not started, 2 in progress (or done after `as_of`), 3 expired.
    """
    day = np.datetime64(as_of)
    status = approvals["status"].to_numpy(dtype=object)
    approved = _dates(approvals["approved_on"])
    expires = _dates(approvals["expires_on"])
    done = (status == "done") & (np.isnat(approved) | (approved <= day))
    expired = (status == "done") & ~np.isnat(expires) & (expires < day)
    effective = (done & ~expired) | (status == "not_required")
    in_progress = ((status == "in_progress") | ((status == "done") & ~done)) & ~expired
    row_state = np.select([effective, expired, in_progress], [0, 3, 2], default=1)
    items = approvals["item"].to_numpy(dtype=object)
    credit, state = {}, {}
    for item in APPROVAL_ITEMS:
        rows = (items == item) & (positions >= 0)
        s = np.ones(n, dtype="int64")
        s[positions[rows]] = row_state[rows]
        state[item] = s
        credit[item] = np.select([s == 0, s == 2], [1.0, in_progress_credit], default=0.0)
    return credit, state


def reports_missing(ledger: Ledger, positions: np.ndarray, as_of: pd.Timestamp) -> np.ndarray:
    """Monthly reports missing per project, January (or the start month) to the last reported month."""
    p = ledger.projects
    n = len(p)
    months = ledger.progress["month"]
    m = month_number(months)
    as_of_m = as_of.year * 12 + as_of.month - 1
    first_m = as_of.year * 12
    in_year = (m >= first_m) & (m <= as_of_m)
    if not in_year.any():
        return np.zeros(n)
    last_m = np.nanmax(np.where(in_year, m, np.nan))
    start_m = month_number(p["actual_start"].fillna(p["planned_start"]))
    from_m = np.where(np.isnan(start_m), first_m, np.clip(start_m, first_m, None))
    expected = np.clip(last_m - from_m + 1, 0, None)
    rows = in_year & (m >= from_m[np.clip(positions, 0, None)])
    reported = sum_by_position(positions, None, n, rows)
    expected = np.where(p["annual_plan"].to_numpy() > 0, expected, 0.0)
    return np.clip(expected - reported, 0, None)


def project_facts(ledger: Ledger, as_of, rubric: Rubric | None = None,
                  progress_positions: np.ndarray | None = None) -> Facts:
    """The per-project facts planning rules and the assessment need, as of a date."""
    rubric = as_rubric(rubric)
    as_of = as_of_timestamp(as_of)
    day = np.datetime64(as_of)
    p = ledger.projects
    n = len(p)
    ids = p["project_id"]

    a = ledger.approvals
    credit, state = approval_state(a, project_positions(ids, a["project_id"]), n, as_of,
                                   rubric.rule("approval_items")["in_progress_credit"])

    f = ledger.funding
    f_pos = project_positions(ids, f["project_id"])
    dated = _dates(f["dated"])
    counted = np.isnat(dated) | (dated <= day)
    status = f["status"].to_numpy(dtype=object)
    share = np.where(status == "applied", rubric.rule("funding_secured")["applied_credit"], 1.0)
    secured = sum_by_position(f_pos, f["amount"].to_numpy() * share, n, counted)
    upper = rubric.rule("upper_funding")["channels"]
    upper_rows = counted & np.isin(f["source"].to_numpy(dtype=object), upper)
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
        level = p["level"].to_numpy(dtype=object)
        loss = pd.Series(level).map(r["loss_by_level"]).fillna(0).to_numpy(dtype="float64")
        loss = np.where(p["programme_982"].to_numpy(), r["programme_982_loss"], loss)
        out.append(Loss("list_level", tenths(loss), facts={"level": level}))
    if "tier_531" in rules:
        out.append(_flag_loss("tier_531", p["tier_531"].isna().to_numpy(), rules["tier_531"]))
    if "sector" in rules:
        out.append(_flag_loss("sector", _missing_text(p["sector"]), rules["sector"]))
    if "upper_funding" in rules:
        r = rules["upper_funding"]
        public = np.isin(p["office"].to_numpy(dtype=object), r["public_offices"])
        out.append(_flag_loss("upper_funding", public & ~facts.upper_funding, r))
    return out


def definition_losses(p: pd.DataFrame, facts: Facts, rubric: Rubric) -> list[Loss]:
    """Losses of 项目策划精准: scope, size threshold, annual plan / total, location, category."""
    rules = rubric.rules("definition")
    out = []
    if "scope" in rules:
        r = rules["scope"]
        missing = _missing_text(p["scope"])
        quantified = p["scope"].fillna("").str.contains(_QUANTITY, regex=True).to_numpy(dtype=bool)
        loss = np.where(missing, r["points"], np.where(quantified, 0.0, r["unquantified_loss"]))
        out.append(Loss("scope", tenths(loss), case=np.where(missing, "missing", "unquantified")))
    total = p["total_investment"].to_numpy()
    if "size" in rules:
        r = rules["size"]
        small = total < r["min_total"]
        out.append(Loss("size", np.where(small, tenths(r["points"]), 0),
                        facts={"total_yi": np.round(total / 1e4, 2),
                               "min_yi": np.full(len(p), round(r["min_total"] / 1e4, 2))}))
    if "plan_ratio" in rules:
        r = rules["plan_ratio"]
        share = ratio(p["annual_plan"].to_numpy(), total)
        nature = p["nature"]
        low = nature.map({k: v[0] for k, v in r["band_by_nature"].items()}).to_numpy(dtype="float64")
        high = nature.map({k: v[1] for k, v in r["band_by_nature"].items()}).to_numpy(dtype="float64")
        outside = ~np.isnan(share) & ~np.isnan(low) & ((share < low - 1e-9) | (share > high + 1e-9))
        out.append(Loss("plan_ratio", np.where(outside, tenths(r["points"]), 0),
                        facts={"ratio": np.round(np.nan_to_num(share) * 100),
                               "nature": nature.to_numpy(dtype=object),
                               "low": np.round(np.nan_to_num(low) * 100),
                               "high": np.round(np.nan_to_num(high) * 100)}))
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
        coded = p["project_id"].str.fullmatch(PROJECT_CODE.pattern).to_numpy(dtype=bool)
        out.append(_flag_loss("project_code", ~coded, rules["project_code"]))
    if "approval_items" in rules:
        r = rules["approval_items"]
        start = start_clause_keys(p, facts)
        cases = np.array(["", "not_started", "in_progress", "expired"], dtype=object)
        for item, points in r["item_points"].items():
            loss = tenths(points * (1.0 - facts.credit[item]))
            out.append(Loss("approval_items", loss, case=cases[facts.state[item]],
                            facts={"item": np.full(len(p), item, dtype=object), "start": start},
                            item=item))
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
    case = np.where(facts.secured <= 0, "none",
                    np.where(plan > 0, "partial", "partial_without_plan"))
    return [Loss("funding_secured", loss, case=case,
                 facts={"pct": np.round(covered * 100, 1),
                        "share": np.full(len(p), round(r["need_share_without_plan"] * 100, 1))})]


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
    from workbench.labels import value_label

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
    """(code of each row, the distinct rows as dicts) of equal-length columns."""
    combined = np.zeros(len(next(iter(columns.values()))), dtype="int64")
    for values in columns.values():
        codes, uniques = pd.factorize(values)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    _, first, codes = np.unique(combined, return_index=True, return_inverse=True)
    rows = [{name: columns[name][i] for name in columns} for i in first]
    return codes.reshape(-1), rows


def _messages(loss: Loss, rows: np.ndarray, rubric: Rubric, as_of: pd.Timestamp):
    """Chinese and English messages of the rows of one loss, formatted once per distinct fact set."""
    keys = {"t": loss.tenths[rows]}
    if loss.case is not None:
        keys["case"] = loss.case[rows]
    for name, values in loss.facts.items():
        keys[name] = np.asarray(values)[rows]
    codes, uniques = distinct_rows(keys)
    rule = rubric.rule(loss.rule)
    messages = {}
    for lang in ("zh", "en"):
        template = rule[f"message_{lang}"]
        texts = []
        for row in uniques:
            tpl = template[row["case"]] if isinstance(template, dict) else template
            facts = {k: _fact_text(k, v, lang, rubric, as_of, loss.rule)
                     for k, v in row.items() if k not in ("t", "case")}
            texts.append(tpl.format(lost=_points_text(int(row["t"])), **facts))
        cats, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
        messages[lang] = pd.Categorical.from_codes(inverse[codes], categories=cats)
    return messages


def reasons_table(ledger: Ledger, losses: dict[str, list[Loss]], rubric: Rubric,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per rule that took points from a project, with its messages; ordered by project."""
    from pandas.api.types import union_categoricals

    parts = []
    for d in DIMENSIONS:
        for loss in losses[d]:
            rows = np.flatnonzero(loss.tenths > 0)
            if not len(rows):
                continue
            msgs = _messages(loss, rows, rubric, as_of)
            parts.append((d, loss.rule, rows, loss.tenths[rows], msgs["zh"], msgs["en"]))
    ids = ledger.projects["project_id"]
    if not parts:
        return pd.DataFrame({
            "project_id": pd.Series(dtype="str"), "dimension": pd.Categorical([], DIMENSIONS),
            "rule": pd.Categorical([]), "points_lost": pd.Series(dtype="float64"),
            "message_zh": pd.Categorical([]), "message_en": pd.Categorical([])})
    rows = np.concatenate([x[2] for x in parts])
    order = np.argsort(rows, kind="stable")
    dim_codes = np.concatenate([np.full(len(x[2]), DIMENSIONS.index(x[0])) for x in parts])
    rule_names = list(dict.fromkeys(x[1] for x in parts))
    rule_codes = np.concatenate([np.full(len(x[2]), rule_names.index(x[1])) for x in parts])
    zh = union_categoricals([x[4] for x in parts])
    en = union_categoricals([x[5] for x in parts])
    return pd.DataFrame({
        "project_id": ids.take(rows[order]).reset_index(drop=True),
        "dimension": pd.Categorical.from_codes(dim_codes[order], categories=list(DIMENSIONS)),
        "rule": pd.Categorical.from_codes(rule_codes[order], categories=rule_names),
        "points_lost": np.concatenate([x[3] for x in parts])[order] / 10.0,
        "message_zh": zh.take(order),
        "message_en": en.take(order),
    })


def planning(ledger: Ledger, as_of, rubric: Rubric | str | None = None):
    """(planning scores, reasons) of every project as of a date."""
    rubric = as_rubric(rubric)
    facts = project_facts(ledger, as_of, rubric)
    losses = planning_losses(ledger, facts, rubric)
    return (planning_scores(ledger, facts, losses, rubric),
            reasons_table(ledger, losses, rubric, facts.as_of))


__all__ = ["BANDS", "FLAGS", "PLANNING_COLUMNS", "REASON_COLUMNS", "planning", "project_facts"]
