"""The quarterly review's narrative summary, in plain Chinese (or English), from a Review's figures.

Every number in the text is written by the same formatter (`workbench.core.words`) the tables
use, from the same figure, so the narrative and the tables cannot disagree. The sentence
templates live in ``config/report.yaml``.
"""

from __future__ import annotations

import math

from workbench.core import words as w
from workbench.core.words import phrase, value_label

#: How many names a sentence lists at most.
NAMES = 3


def _ahead_or_behind(points: float, lang: str) -> str:
    return phrase("ahead" if points >= 0 else "behind", lang)


def _names(frame, lang: str, column: str = "name") -> str:
    names = [str(n) for n in frame[column].head(NAMES)]
    return phrase("list_sep", lang).join(names)


def _period(review, lang: str) -> str:
    return w.quarter_words(review.quarter, lang)


def narrative(review, lang: str = "zh") -> list[str]:
    """The narrative summary as paragraphs of plain text (not yet escaped)."""
    h = review.headline
    paragraphs = []
    scope = review.office or review.unit
    subject = phrase("subject_filtered", lang, scope=value_label(scope, lang)) if scope else \
        phrase("subject_county", lang)
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
        )
    )
    quality = phrase(
        "narrative_rag",
        lang,
        green=w.count(h["rag_green"]),
        amber=w.count(h["rag_amber"]),
        red=w.count(h["rag_red"]),
        mean=w.score(h["planning_mean"]) if not math.isnan(h["planning_mean"]) else w.MISSING,
        weak=w.count(h["planning_red"]),
    )
    if len(review.laggards):
        quality += phrase("narrative_laggards", lang, names=_names(review.laggards, lang))
    paragraphs.append(quality)
    return paragraphs
