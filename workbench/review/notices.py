"""Who a monthly assessment praises (表扬) and names (通报), and the annual rewards (年度兑现).

The rules are the rubric's ``notices`` section (config/rubric.yaml, documented there), read and
checked by `notice_rules`: ConfigError names the setting and what it must be. Pure functions
of the unit ranking (``scoring.monthly_assessment`` / ``annual_assessment``).
"""

from __future__ import annotations

import math

import pandas as pd

from workbench.core import words as w
from workbench.core.words import error_message, phrase
from workbench.exceptions import ConfigError

#: The settings of ``notices``: whole counts and totals (0–100), with their defaults.
COUNTS = {"praise_top": 3, "criticise_bottom": 3, "criticise_rank_drop": 5}
TOTALS = {"praise_min_total": 85.0, "criticise_max_total": 80.0, "reward_min_total": 85.0,
          "penalty_max_total": 70.0}


def notice_rules(rubric=None, lang: str | None = None) -> dict:
    """The rubric's checked ``notices`` settings (the packaged rubric when None); a setting the
    rubric leaves out takes its default."""
    from workbench.scoring import as_rubric

    rubric = as_rubric(rubric)
    given = rubric.data.get("notices") or {}
    where = getattr(rubric, "source", "rubric")
    unknown = sorted(set(given) - set(COUNTS) - set(TOTALS))
    if unknown:
        raise ConfigError(error_message("err_notices", lang, where=where, setting=unknown[0],
                                 value=given[unknown[0]],
                                 expected=", ".join([*COUNTS, *TOTALS])),
                          file=where, field=f"notices.{unknown[0]}")
    rules = {**COUNTS, **TOTALS, **given}
    for name in COUNTS:
        value = rules[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 50:
            raise ConfigError(error_message("err_notices", lang, where=where, setting=name, value=value,
                                     expected="0–50"), file=where, field=f"notices.{name}",
                              value=value)
    for name in TOTALS:
        value = rules[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not (math.isfinite(value) and 0 <= value <= 100):
            raise ConfigError(error_message("err_notices", lang, where=where, setting=name, value=value,
                                     expected="0–100"), file=where, field=f"notices.{name}",
                              value=value)
        rules[name] = float(value)
    if rules["penalty_max_total"] > rules["reward_min_total"]:
        raise ConfigError(error_message("err_notices", lang, where=where, setting="penalty_max_total",
                                 value=rules["penalty_max_total"],
                                 expected=f"≤ reward_min_total ({rules['reward_min_total']:g})"),
                          file=where, field="notices.penalty_max_total")
    return rules


def _ranked(ranking: pd.DataFrame) -> pd.DataFrame:
    return ranking[ranking["rank"].notna()].sort_values(["rank", "responsible_unit"])


def praised(ranking: pd.DataFrame, rules: dict, lang: str = "zh") -> pd.DataFrame:
    """表扬: the best-ranked units (at most ``praise_top``) with a total ≥ ``praise_min_total``."""
    best = _ranked(ranking).head(rules["praise_top"])
    best = best[best["total"] >= rules["praise_min_total"]]
    reason = [phrase("why_top", lang, rank=int(r), total=w.score(t))
              for r, t in zip(best["rank"], best["total"], strict=True)]
    return best.assign(reason=reason)[["responsible_unit", "rank", "total", "reason"]]


def criticised(ranking: pd.DataFrame, rules: dict, lang: str = "zh") -> pd.DataFrame:
    """通报: the lowest-ranked units (at most ``criticise_bottom``) with a total below
    ``criticise_max_total``, and every unit down ``criticise_rank_drop`` places or more."""
    ranked = _ranked(ranking)
    worst = ranked.tail(rules["criticise_bottom"]) if rules["criticise_bottom"] else ranked.iloc[:0]
    worst = set(worst.loc[worst["total"] < rules["criticise_max_total"], "responsible_unit"])
    drop = rules["criticise_rank_drop"]
    fell = set()
    if drop and "rank_change" in ranked:
        fell = set(ranked.loc[ranked["rank_change"].le(-drop), "responsible_unit"])
    named = ranked[ranked["responsible_unit"].isin(worst | fell)]
    reasons = []
    for record in named.to_dict("records"):
        why = []
        if record["responsible_unit"] in worst:
            why.append(phrase("why_bottom", lang, rank=int(record["rank"]),
                              total=w.score(record["total"])))
        if record["responsible_unit"] in fell:
            why.append(phrase("why_drop", lang, drop=int(-record["rank_change"])))
        reasons.append(phrase("list_sep", lang).join(why))
    return named.assign(reason=reasons)[["responsible_unit", "rank", "total", "reason"]] \
        .sort_values("rank", ascending=False).reset_index(drop=True)


def annual_awards(annual: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """年度兑现: each ranked unit's annual total with its outcome (award_reward /
    award_penalty / award_none)."""
    ranked = _ranked(annual).copy()
    ranked["award"] = "award_none"
    ranked.loc[ranked["total"] >= rules["reward_min_total"], "award"] = "award_reward"
    ranked.loc[ranked["total"] < rules["penalty_max_total"], "award"] = "award_penalty"
    return ranked.reset_index(drop=True)
