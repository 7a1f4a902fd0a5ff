"""The quarterly review's narrative summary, in plain Chinese (or English), from a Review's figures.

Every number in the text is written by the same formatter (`workbench.core.words`) the tables
use, from the same figure, so the narrative and the tables cannot disagree. The sentence
templates live in ``config/report.yaml``.
"""

from __future__ import annotations

import math

from workbench.core import words as w
from workbench.core.words import phrase, value_label
from workbench.review.actions import AHEAD_MONTHS, notices_of
from workbench.review.goals import verdict
from workbench.review.population import population_words

#: How many names a sentence lists at most.
NAMES = 3


def _ahead_or_behind(points: float, lang: str) -> str:
    return phrase("ahead" if points >= 0 else "behind", lang)


def _names(frame, lang: str, column: str = "name") -> str:
    names = [str(n) for n in frame[column].head(NAMES)]
    return phrase("list_sep", lang).join(names)


def _period(review, lang: str) -> str:
    return w.quarter_words(review.quarter, lang)


def _subject(review, lang: str) -> str:
    scope = review.office or review.unit
    return phrase("subject_filtered", lang, scope=value_label(scope, lang)) if scope else \
        phrase("subject_county", lang)


def _mean(value) -> str:
    return w.score(value) if not math.isnan(value) else w.MISSING


def _how_far(part: dict, lang: str) -> str:
    target = w.pct(part["target"])
    if w.magnitude(part["points"]) == w.magnitude(0.0):
        return phrase("verdict_at", lang, target=target)
    return phrase("verdict_above" if part["points"] > 0 else "verdict_below", lang,
                  target=target, points=w.magnitude(part["points"]))


def verdict_parts(review, v: dict, lang: str = "zh") -> str:
    """The verdict's two parts, each with by how much it was reached or missed: investment
    against the plan to date, then starts (开工率) against the goal's threshold."""
    c, s = v["completion"], v["starts"]
    first = phrase("verdict_completion", lang, subject=_subject(review, lang),
                   projects=w.count(review.headline["projects"]), value=w.pct(c["value"]),
                   how=_how_far(c, lang))
    second = phrase("verdict_no_starts", lang) if not s["due"] else phrase(
        "verdict_starts", lang, due=w.count(s["due"]), made=w.count(s["made"]),
        value=w.pct(s["value"]), how=_how_far(s, lang))
    return first + phrase("verdict_sep", lang) + second + phrase("verdict_end", lang)


def lead(review, lang: str = "zh") -> str:
    """The verdict on the quarter's goal (开门红 … 全年红), then the worst signals."""
    h = review.headline
    v = verdict(review.quarter, h, review.goal_rules or None)
    text = phrase("verdict_reached" if v["reached"] else "verdict_missed", lang,
                  goal=phrase(v["goal"], lang)) + verdict_parts(review, v, lang)
    signals = []
    if h["signed"] and h["signed_started"] < h["signed"]:
        signals.append(phrase("signal_signed", lang, signed=w.count(h["signed"]),
                              started=w.count(h["signed_started"])))
    if h["funding_applied"] > 0 and h["funding_received_share"] < 1:
        signals.append(phrase("signal_funds", lang, applied=w.yi(h["funding_applied"]),
                              share=w.pct(h["funding_received_share"])))
    if h["rag_red"]:
        signals.append(phrase("signal_red", lang, red=w.count(h["rag_red"])))
    if h["overdue_problems"]:
        signals.append(phrase("signal_overdue", lang, overdue=w.count(h["overdue_problems"])))
    if signals:
        text += phrase("signals_lead", lang) + phrase("signal_sep", lang).join(signals) + \
            phrase("signals_end", lang)
    return text


def comparison_sentence(review, comparison, lang: str = "zh") -> str:
    """This quarter against the previous one and a year earlier, from the comparison table's
    own texts; says so when no store was given or a quarter is not held."""
    from workbench.review.compare import comparison_table, previous_quarter, year_earlier

    if comparison is None:
        return phrase("compare_no_store", lang)
    table = comparison_table(comparison).set_index("measure")
    parts, missing = [], []
    for name, delta, key, quarter in (
            ("previous", "vs_previous", "compare_previous", previous_quarter(review.quarter)),
            ("last_year", "vs_last_year", "compare_last_year", year_earlier(review.quarter))):
        if getattr(comparison, name) is None:
            missing.append(w.quarter_words(quarter, lang))
            continue
        parts.append(phrase(key, lang, **{
            name: table.loc["k_completed", delta], f"{name}_points": table.loc["k_vs_elapsed", delta],
            f"{name}_red": table.loc["k_red", delta]}))
    if missing:
        parts.append(phrase("compare_not_held", lang,
                            periods=phrase("list_sep", lang).join(missing)))
    return phrase("signal_sep", lang).join(parts) + phrase("signals_end", lang)


def notices_sentence(review, lang: str = "zh") -> str:
    """表扬 and 通报 by the rubric's ``notices`` rules, over the key projects' unit ranking."""
    good, bad = notices_of(review.units, review.notice_rules, lang)
    sep = phrase("list_sep", lang)
    text = ""
    if len(good):
        text += phrase("praise_lead", lang, names=sep.join(
            phrase("notice_name", lang, unit=u, reason=r)
            for u, r in zip(good["responsible_unit"], good["reason"], strict=True)))
    if len(bad):
        text += phrase("criticise_lead", lang, names=sep.join(
            phrase("notice_name", lang, unit=u, reason=r)
            for u, r in zip(bad["responsible_unit"], bad["reason"], strict=True)))
    return text or phrase("notices_none", lang)


def next_steps(review, lang: str = "zh") -> str:
    """下步工作 from the data: units with most overdue problems, starts due that lack
    approvals, funds applied for and not received."""
    h, sep = review.headline, phrase("list_sep", lang)
    steps = []
    units = review.unit_problems
    if len(units):
        steps.append(phrase("next_units", lang, names=sep.join(
            phrase("next_unit_count", lang, unit=u, n=w.count(n))
            for u, n in zip(units["responsible_unit"].head(NAMES),
                            units["overdue_problems"].head(NAMES), strict=True))))
    if len(review.starts_unready):
        steps.append(phrase("next_starts", lang, n=w.count(len(review.starts_unready)),
                            months=w.count(AHEAD_MONTHS),
                            names=_names(review.starts_unready, lang)))
    if h["funding_pending"] > 0:
        steps.append(phrase("next_funds", lang, pending=w.yi(h["funding_pending"])))
    body = phrase("signal_sep", lang).join(steps) + phrase("signals_end", lang) if steps else \
        phrase("next_none", lang)
    return phrase("next_lead", lang) + body


def narrative(review, lang: str = "zh", comparison=None) -> list[str]:
    """The narrative summary as paragraphs of plain text (not yet escaped): the verdict and the
    worst signals first, the figures, the comparison, 表扬/通报, and 下步工作 last."""
    h = review.headline
    paragraphs = [lead(review, lang)]
    subject = _subject(review, lang)
    paragraphs.append(
        phrase(
            "narrative_completion",
            lang,
            period=_period(review, lang),
            subject=subject,
            projects=w.count(h["projects"]),
            completed=w.yi(h["ytd_completed"]),
            plan=w.yi(h["annual_plan"]),
            share=w.pct(h["completion_share"]),
            elapsed=w.pct(h["elapsed_share"]),
            direction=_ahead_or_behind(h["points_vs_elapsed"], lang),
            points=w.magnitude(h["points_vs_elapsed"]),
            plan_rate=w.pct(h["plan_rate"]),
        )
    )
    offices = review.completion["office"].dropna(subset=["points_vs_elapsed"])
    if len(offices) > 1:
        ranked = offices.sort_values("points_vs_elapsed", ascending=False)
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        paragraphs.append(
            phrase(
                "narrative_offices",
                lang,
                best=value_label(best["group"], lang),
                best_share=w.pct(best["completion_share"]),
                best_direction=_ahead_or_behind(best["points_vs_elapsed"], lang),
                best_points=w.magnitude(best["points_vs_elapsed"]),
                worst=value_label(worst["group"], lang),
                worst_share=w.pct(worst["completion_share"]),
                worst_direction=_ahead_or_behind(worst["points_vs_elapsed"], lang),
                worst_points=w.magnitude(worst["points_vs_elapsed"]),
            )
        )
    starts = phrase(
        "narrative_starts",
        lang,
        due=w.count(h["starts_due"]),
        made=w.count(h["starts_due_made"]),
        rate=w.pct(h["start_rate"]),
        early=w.count(h["starts_early"]),
        late=w.count(h["starts_late"]),
        completions=w.count(h["completions_made"]),
    )
    if h["starts_late"]:
        starts += phrase("narrative_late_names", lang, names=_names(review.starts_late, lang))
    paragraphs.append(starts)
    batches = review.batches.set_index("batch_kind")
    paragraphs.append(
        phrase(
            "narrative_batches",
            lang,
            signed=w.count(batches.loc["签约", "projects"]),
            started=w.count(batches.loc["开工", "projects"]),
            started_made=w.count(batches.loc["开工", "converted"]),
            operating=w.count(batches.loc["投产", "projects"]),
            operating_made=w.count(batches.loc["投产", "converted"]),
            reserve=w.multiple(h["reserve_multiple"]),
        )
    )
    paragraphs.append(
        phrase(
            "narrative_support",
            lang,
            applied=w.yi(h["funding_applied"]),
            approved=w.yi(h["funding_approved"]),
            received=w.yi(h["funding_received"]),
            approvals=w.pct(h["approvals_completeness"]),
            overdue=w.count(h["overdue_problems"]),
            milestones=w.count(h["overdue_milestones"]),
        ) + phrase("narrative_support_scope", lang, scope=population_words("funding", lang),
                   n=w.count(h["all_projects"]))
    )
    quality = phrase(
        "narrative_rag_key",
        lang,
        projects=w.count(h["projects"]),
        green=w.count(h["rag_green"]),
        amber=w.count(h["rag_amber"]),
        red=w.count(h["rag_red"]),
        mean=_mean(h["planning_mean"]),
        weak=w.count(h["planning_red"]),
    )
    if h["reserve_projects"]:
        quality += phrase("narrative_reserve", lang, projects=w.count(h["reserve_projects"]),
                          mean=_mean(h["reserve_planning_mean"]),
                          weak=w.count(h["reserve_planning_red"]))
    if len(review.laggards):
        quality += phrase("narrative_laggards", lang, names=_names(review.laggards, lang))
    paragraphs.append(quality)
    paragraphs.append(comparison_sentence(review, comparison, lang))
    paragraphs.append(notices_sentence(review, lang))
    paragraphs.append(next_steps(review, lang))
    return paragraphs
