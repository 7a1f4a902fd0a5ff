"""The scoring facade: `score(ledger, as_of, rubric=None) -> Scores` and the score export.

    from workbench.scoring.scores import score
    s = score(ledger, "2022-06-30")            # or rubric="my_rubric.yaml" / a Rubric
    s.planning, s.reasons, s.delivery, s.units, s.health
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.core.periods import as_of_timestamp
from workbench.core.vocabulary import BANDS, RAGS
from workbench.core.words import check_lang, column_label, labelled, value_label
from workbench.model.asof import default_as_of
from workbench.model.ledger import Ledger
from workbench.scoring.delivery import delivery
from workbench.scoring.facts import Facts, project_facts
from workbench.scoring.health import portfolio_health
from workbench.scoring.lookup import project_index, project_positions
from workbench.scoring.losses import planning_losses
from workbench.scoring.planning import planning_scores
from workbench.scoring.reasons import reasons_table
from workbench.scoring.rubric import Rubric, as_rubric
from workbench.scoring.units import unit_assessment


@dataclass(frozen=True)
class Scores:
    """Planning, reasons, delivery, unit assessment and portfolio health of a ledger as of a date.

    ``facts`` (extra to the contract) holds per-project facts behind the scores: secured funding,
    overdue milestones and problems, missing reports, start slip, started.
    """

    planning: pd.DataFrame
    reasons: pd.DataFrame
    delivery: pd.DataFrame
    units: pd.DataFrame
    health: pd.DataFrame
    as_of: pd.Timestamp
    rubric: Rubric
    facts: pd.DataFrame


def facts_frame(ledger: Ledger, facts: Facts) -> pd.DataFrame:
    """The per-project facts as a DataFrame aligned with the projects table."""
    return pd.DataFrame({
        "project_id": ledger.projects["project_id"],
        "funding_secured": facts.secured,
        "milestones_overdue": facts.milestones_overdue,
        "problems_overdue": facts.problems_overdue,
        "reports_missing": facts.reports_missing,
        "start_slip_months": facts.start_slip,
        "started": facts.started,
    })


def score(ledger: Ledger, as_of=None, rubric: Rubric | str | Path | None = None,
          reasons: bool = True) -> Scores:
    """Score every project and unit of `ledger` as of a date.

    Without a date, the ledger's own (`workbench.model.asof.default_as_of`: the end of the last
    month with completed investment).

    ``reasons=False`` leaves `Scores.reasons` empty and skips writing its messages, for callers
    that never show them (what-if recomputes on every control move).
    """
    rubric = as_rubric(rubric)
    ledger = ledger.counted()  # a bundled project (打捆) is scored once, at its unit of count
    as_of = default_as_of(ledger) if as_of is None else as_of_timestamp(as_of)
    index = project_index(ledger.projects["project_id"])
    positions = project_positions(index, ledger.progress["project_id"])
    facts = project_facts(ledger, as_of, rubric, progress_positions=positions, index=index)
    losses = planning_losses(ledger, facts, rubric)
    plan = planning_scores(ledger, facts, losses, rubric)
    reasons_frame = reasons_table(ledger, losses if reasons else {d: [] for d in losses}, rubric, as_of)
    deliv = delivery(ledger, as_of, rubric, positions=positions)
    units = unit_assessment(ledger, plan, deliv, facts, rubric)
    health = portfolio_health(ledger, deliv, facts.secured, as_of, rubric)
    return Scores(planning=plan, reasons=reasons_frame, delivery=deliv, units=units, health=health,
                  as_of=as_of, rubric=rubric, facts=facts_frame(ledger, facts))


def score_tables(ledger: Ledger, scores: Scores, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The export tables (project scores with delivery, reasons, unit ranking), labelled in `lang`."""
    check_lang(lang)
    p = ledger.counted().projects[["project_id", "name", "responsible_unit", "office", "level"]]
    projects = (p.merge(scores.planning, on="project_id", how="left")
                .merge(scores.delivery, on="project_id", how="left"))
    projects = projects.sort_values(["score", "project_id"], kind="stable").reset_index(drop=True)
    reasons = scores.reasons.merge(p[["project_id", "name"]], on="project_id", how="left")
    message = f"message_{lang}"
    reasons = reasons[["project_id", "name", "dimension", "rule", "points_lost", message]].copy()
    reasons = reasons.rename(columns={message: "message"})
    for column in ("dimension", "message"):
        reasons[column] = reasons[column].astype("str")
    reasons["rule"] = reasons["rule"].astype("str")
    projects["flags"] = flags_text(projects["flags"], lang)
    names = {key: value_label(key, lang) for key in ("project_scores", "reasons", "unit_ranking")}
    return {
        names["project_scores"]: labelled(projects, lang, values=("office", "level", "band", "rag")),
        names["reasons"]: labelled(reasons, lang, values=("dimension",)),
        names["unit_ranking"]: labelled(scores.units, lang, values=("assessment_note",)),
    }


def flags_text(flags: pd.Series, lang: str = "zh") -> pd.Series:
    """Flag codes ("; "-joined) as display words in `lang`."""
    sep = "；" if lang == "zh" else "; "
    distinct = {f: sep.join(value_label(c, lang) for c in f.split("; ") if c)
                for f in flags.dropna().unique()}
    return flags.map(distinct).astype("str")


def score_summary(scores: Scores, lang: str = "zh") -> str:
    """A few lines for the terminal: as-of date, band and RAG mix, the best and last units."""
    check_lang(lang)
    bands = scores.planning["band"].value_counts()
    rags = scores.delivery["rag"].value_counts()
    band_text = " · ".join(f"{value_label(b, lang)} {int(bands.get(b, 0))}" for b in BANDS)
    rag_text = " · ".join(f"{value_label(r, lang)} {int(rags.get(r, 0))}"
                          for r in RAGS)
    units = scores.units[scores.units["rank"].notna()]
    lines = [
        f"{value_label('ui_as_of', lang)} {scores.as_of:%Y-%m-%d} · "
        f"{column_label('projects', lang)} {len(scores.planning)}",
        f"{column_label('band', lang)}: {band_text}",
        f"{column_label('rag', lang)}: {rag_text}",
    ]
    for _, row in pd.concat([units.head(3), units.tail(2)]).drop_duplicates().iterrows():
        lines.append(f"  {int(row['rank']):>3}. {row['responsible_unit']}  {row['total']:.1f}")
    return "\n".join(lines)
