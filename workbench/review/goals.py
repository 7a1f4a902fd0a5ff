"""The quarter's goal and whether it was reached: 开门红 (Q1), 双过半 (Q2), 序时进度 (Q3),
全年红 (Q4) — docs/goals.md states the rule.

A goal has two parts, both judged on the key projects as of the review's date:

- **investment**: completed investment to date against the plan to date (累计计划, the sum of
  the monthly plans up to the as-of date; at year end the annual plan), at least
  ``completion_min`` (1.0: the plan to date in full);
- **starts**: of the projects due to start by the as-of date (planned start in the year, on or
  before it), the share started (开工率), at least ``start_rate_min``. With no start due the
  part is met and says so.

The goal is reached only when both parts are. The thresholds are the rubric's ``goals`` section
(config/rubric.yaml, documented there), read and checked by `goal_rules`: ConfigError names the
setting and what it must be; a setting a user's rubric leaves out keeps the packaged one.
"""

from __future__ import annotations

import math

from workbench.core.words import error_message
from workbench.exceptions import ConfigError

#: The goal of each quarter (report.yaml goal_q*).
GOALS = {1: "goal_q1", 2: "goal_q2", 3: "goal_q3", 4: "goal_q4"}
#: The settings of each quarter's goal (fractions: 1.0 is 100 %); their defaults are the
#: packaged rubric's (config/rubric.yaml ``goals``), which a user's rubric is merged over.
QUARTERS = ("q1", "q2", "q3", "q4")
SETTINGS = ("completion_min", "start_rate_min")


def goal_rules(rubric=None, lang: str | None = None) -> dict:
    """The rubric's checked ``goals`` thresholds by quarter (q1 … q4), defaults filled in."""
    from workbench.scoring import as_rubric

    rubric = as_rubric(rubric)
    given = rubric.data.get("goals") or {}
    where = getattr(rubric, "source", "rubric")

    def fail(setting, value, expected):
        raise ConfigError(error_message("err_goals", lang, where=where, setting=setting,
                                        value=value, expected=expected),
                          file=where, field=f"goals.{setting}", value=value)

    if not isinstance(given, dict):
        fail("", given, ", ".join(QUARTERS))
    for quarter in given:
        if quarter not in QUARTERS:
            fail(str(quarter), given[quarter], ", ".join(QUARTERS))
    rules = {}
    for quarter in QUARTERS:
        part = given.get(quarter)
        if not isinstance(part, dict):
            fail(quarter, part, ", ".join(SETTINGS))
        for name in part:
            if name not in SETTINGS:
                fail(f"{quarter}.{name}", part[name], ", ".join(SETTINGS))
        rules[quarter] = {}
        for name in SETTINGS:
            value = part.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not (math.isfinite(value) and 0 < value <= 2):
                fail(f"{quarter}.{name}", value, error_message("err_goals_range", lang))
            rules[quarter][name] = float(value)
    return rules


def verdict(quarter: str, headline: dict, rules: dict | None = None) -> dict:
    """Whether `quarter`'s goal is reached, part by part: ``completion`` (completed / plan to
    date) and ``starts`` (开工率 of the starts due), each with its value, target, ``points``
    (how far above (+) or below (−) the target, in percentage points) and ``met``."""
    rule = (rules or goal_rules())[f"q{int(quarter[-1])}"]
    completion = headline["plan_rate"]
    due = int(headline["starts_due"])
    rate = headline["start_rate"] if due else float("nan")

    def part(value, target):
        known = value is not None and not math.isnan(value)
        points = (value - target) * 100 if known else float("nan")
        return {"value": value, "target": target, "points": points,
                "met": bool(known and points >= -1e-9)}

    parts = {"completion": part(completion, rule["completion_min"]),
             "starts": part(rate, rule["start_rate_min"])}
    if not due:  # nothing was due to start: the part is met, and the sentence says so
        parts["starts"]["met"] = True
    parts["starts"].update(due=due, made=int(headline["starts_due_made"]))
    return {"goal": GOALS[int(quarter[-1])], "reached": all(p["met"] for p in parts.values()),
            **parts}
