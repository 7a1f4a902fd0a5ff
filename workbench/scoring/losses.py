"""The six planning dimensions' loss rules: the points each rule of the rubric takes away.

Every rule takes points from its dimension, in tenths (integers), so the reasons add up to
exactly 100 − score. A `Loss` also carries the facts its message names (`reasons.py` writes
the messages). All rules are vectorised over the projects table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.numbers import ratio
from workbench.core.periods import month_index
from workbench.core.vocabulary import DIMENSIONS, LEVELS, NATURES
from workbench.model.ledger import Ledger
from workbench.scoring.facts import Facts, funding_coverage, funding_need
from workbench.scoring.lookup import codes_of, dates_of, missing_text, on_distinct
from workbench.scoring.rubric import Rubric

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


def tenths(points) -> np.ndarray:
    """Points rounded to 0.1 and kept as integer tenths."""
    return np.rint(np.asarray(points, dtype="float64") * 10).astype("int64")


def project_code_mask(ids: pd.Series) -> np.ndarray:
    """True where an id has the shape of a national 项目代码 (vectorised over fixed-width text)."""
    chars = np.asarray(ids.to_numpy(dtype=object), dtype="U25").view(np.uint32)
    chars = chars.reshape(len(ids), 25)
    dash = np.zeros(25, dtype=bool)
    dash[[4, 11, 14, 17]] = True
    digit = (chars >= ord("0")) & (chars <= ord("9"))
    shape = np.where(dash[:24], chars[:, :24] == ord("-"), digit[:, :24])
    return shape.all(axis=1) & (chars[:, 24] == 0)


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
        out.append(_flag_loss("sector", missing_text(p["sector"]), rules["sector"]))
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
        missing = missing_text(p["scope"])
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
        out.append(_flag_loss("location", missing_text(p["location"]), rules["location"]))
    if "category" in rules:
        out.append(_flag_loss("category", missing_text(p["category"]), rules["category"]))
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
    """Per project: 0 no start date, else ±(month index + 1): + planned, − started."""
    started_m = month_index(p["actual_start"])
    planned_m = month_index(p["planned_start"])
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
        planned = np.nan_to_num(month_index(p["planned_start"]) + 1)
        out.append(Loss("start_slip", _capped(slip, r, "per_month"),
                        facts={"n": slip, "start": planned}))
    if "approval_lead_time" in rules:
        r = rules["approval_lead_time"]
        start = dates_of(p["planned_start"])
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
            out.append(_flag_loss(name, missing_text(p[column]), rules[name]))
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
