"""One project's card: everything about it on one screen, in Jupyter or as static HTML.

>>> project_card(book, "医院")                  # by part of the name (or by 项目代码)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from workbench.core.numbers import is_missing
from workbench.core.vocabulary import APPROVAL_ITEMS
from workbench.core.words import check_lang, column_label, heading, phrase, word
from workbench.exceptions import WorkbenchError
from workbench.explore._html import badge, frame_html, note
from workbench.explore.charts import progress_chart
from workbench.explore.columns import ASSIGNEE, CARD_DELIVERY, CARD_FACTS
from workbench.explore.find import find_project
from workbench.explore.project_list import scores_of, view_date
from workbench.present.display import BAND_CELLS, RAG_CELLS, cell_formatter, facts_html, table
from workbench.present.theme import ACCENT, RAG_COLOURS, chart_svg, themed


@dataclass(frozen=True)
class ProjectCard:
    """Everything about one project; shows itself in Jupyter and renders as static HTML."""

    project_id: str
    name: str
    as_of: pd.Timestamp
    lang: str
    facts: dict
    progress: pd.DataFrame
    approvals: pd.DataFrame
    funding: pd.DataFrame
    problems: pd.DataFrame
    milestones: pd.DataFrame
    planning: dict | None = None
    reasons: pd.DataFrame | None = None
    delivery: dict | None = None
    notes: list[str] = field(default_factory=list)
    risk: dict | None = None  # slip_probability, risk_band (the delivery-risk forecast)
    risk_factors: pd.DataFrame | None = None  # field, value, contribution (log-odds)

    def chart(self):
        """The monthly plan-vs-actual chart (altair)."""
        return progress_chart(self.progress, self.lang)

    def to_html(self) -> str:
        """The card as one self-contained HTML fragment (chart as inline SVG; data escaped)."""
        lang = self.lang
        badges = ""
        if self.planning is not None:
            score = cell_formatter("score", "float64", lang)(self.planning.get("score"))
            badges += badge(self.planning.get("band"), BAND_CELLS, lang,
                            f"{column_label('score', lang)} {score}")
        if self.delivery is not None:
            badges += badge(self.delivery.get("rag"), RAG_CELLS, lang, column_label("rag", lang))
        title = (
            f"<div style='font-size:130%;font-weight:700'>{html.escape(self.name)}</div>"
            f"<div style='color:#555'>{html.escape(self.project_id)} · "
            f"{html.escape(word('ui_as_of', lang))} {self.as_of:%Y-%m-%d} {badges}</div>"
        )
        sections = [
            (word("ui_facts", lang), facts_html(self.facts, lang)),
            (word("ui_progress", lang), self._progress_html()),
            (word("ui_delivery", lang), facts_html(self.delivery, lang) if self.delivery
             else note(word("ui_no_scores", lang))),
            (word("ui_risk", lang), self._risk_html()),
            (word("ui_score", lang), self._score_html()),
            (word("ui_approvals", lang), frame_html(self.approvals, lang, "wan")),
            (word("ui_funding", lang), frame_html(self.funding, lang, "wan")),
            (word("ui_problems", lang), self._problems_html()),
            (word("ui_milestones", lang), frame_html(self.milestones, lang, "wan")),
        ]
        body = "".join(
            f"<section style='break-inside:avoid;margin:0 0 12px 0'>"
            f"<div style='font-weight:600;border-bottom:2px solid {ACCENT};margin-bottom:4px'>"
            f"{html.escape(heading)}</div>{content}</section>"
            for heading, content in sections
        )
        notes = "".join(note(n) for n in self.notes)
        return (
            "<div class='wb-card' style='font-size:90%;max-width:1200px'>"
            f"{title}{notes}<div style='columns:2 520px;column-gap:24px;margin-top:8px'>{body}</div>"
            "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def _progress_html(self) -> str:
        if self.progress.empty:
            return note(word("ui_none", self.lang))
        try:
            svg = chart_svg(themed(self.chart()))
        except Exception as exc:  # noqa: BLE001 - a chart failure must not hide the card's facts
            svg = note(f"chart unavailable: {exc}")
        shown = self.progress[["month", "planned", "completed", "cumulative_planned",
                               "cumulative_completed"]]
        return (f"<div>{svg}</div><details><summary>{html.escape(word('ui_monthly', self.lang))}"
                f"</summary>{frame_html(shown, self.lang, 'wan')}</details>")

    def _score_html(self) -> str:
        if self.planning is None:
            return note(word("ui_no_scores", self.lang))
        dims = {k: v for k, v in self.planning.items() if k not in ("project_id", "flags")}
        reasons = self.reasons if self.reasons is not None else pd.DataFrame()
        reasons = reasons.drop(columns="rule", errors="ignore")  # a rubric code, not a word for readers
        return facts_html(dims, self.lang) + (
            f"<div style='margin-top:4px;font-weight:600'>{html.escape(word('ui_reasons', self.lang))}"
            f"</div>" + frame_html(reasons, self.lang, "wan")
        )

    def _risk_html(self) -> str:
        if self.risk is None:
            return note(word("ui_risk_none", self.lang))
        line = word("ui_risk_line", self.lang, probability=f"{self.risk['slip_probability']:.0%}",
                    band=phrase(f"risk_band_{self.risk['risk_band']}", self.lang))
        return (f"<div style='font-weight:600'>{html.escape(line)}</div>"
                f"<div style='margin-top:4px'>{html.escape(word('ui_risk_factors', self.lang))}</div>"
                + frame_html(self.risk_factors, self.lang, "wan"))

    def _problems_html(self) -> str:
        if self.problems.empty:
            return note(word("ui_none", self.lang))
        styler = table(self.problems, self.lang)
        overdue = self.problems["due_on"].notna() & (self.problems["due_on"] < self.as_of)
        late = f"color: {RAG_COLOURS['red']}; font-weight: 600"
        styler = styler.apply(lambda _col: [late if o else "" for o in overdue], subset=["due_on"])
        return styler.to_html()


def project_card(ledger, project: str, as_of=None, rubric=None, lang: str = "zh", scores=None
                 ) -> ProjectCard:
    """Everything about one project on one screen, found by 项目代码 or part of its name.

    Facts, the monthly plan-vs-actual curve, approvals with dates, funding lines, open problems,
    milestones, the planning score with the reason for every lost point, and delivery status.
    Pass `scores` (from `workbench.scoring.scores.score`) to reuse a portfolio score; the card
    then speaks for their date unless `as_of` is given.

    >>> project_card(book, "医院")                     # doctest: +SKIP
    >>> project_card(book, "4113", lang="en")          # raises AmbiguousProject listing matches
    """
    check_lang(lang)
    pid = find_project(ledger, project)
    when = view_date(ledger, as_of, scores)
    notes = []
    if scores is None:
        try:
            scores = scores_of(ledger, when, rubric)
        except WorkbenchError as exc:
            notes.append(str(exc))
    row = ledger.projects.loc[ledger.projects["project_id"] == pid].iloc[0]

    def rows(name: str) -> pd.DataFrame:
        frame = ledger.tables()[name]
        return frame[frame["project_id"] == pid].drop(columns="project_id").reset_index(drop=True)

    progress = rows("progress").sort_values("month").reset_index(drop=True)
    progress["completed"] = progress["completed"].where(progress["month"] <= when)
    progress["cumulative_planned"] = progress["planned"].cumsum()
    progress["cumulative_completed"] = progress["completed"].cumsum().where(progress["completed"].notna())
    approvals = rows("approvals")
    order = {item: i for i, item in enumerate(APPROVAL_ITEMS)}
    approvals = approvals.sort_values("item", key=lambda s: s.map(order)).reset_index(drop=True)
    problems = rows("problems")
    problems = problems[problems["resolved_on"].isna()].drop(columns="resolved_on").reset_index(drop=True)
    planning = reasons = delivery = None
    if scores is not None:
        planning = _record(scores.planning, pid)
        delivery = _record(scores.delivery, pid, drop=("project_id",))
        message = "message_zh" if lang == "zh" else "message_en"
        r = scores.reasons[scores.reasons["project_id"] == pid]
        reasons = (
            r[["dimension", "rule", "points_lost", message]]
            .rename(columns={message: "message"})
            .sort_values("points_lost", ascending=False)
            .reset_index(drop=True)
        )
        if delivery is not None:
            delivery = {k: delivery.get(k) for k in CARD_DELIVERY if k in delivery}
    risk, factors = _risk_of(ledger, pid, when, lang)
    if getattr(ledger, "currency", None):
        notes.append(word("ui_currency_note", lang, currency=ledger.currency))
    return ProjectCard(
        project_id=pid,
        name=str(row["name"]),
        as_of=when,
        lang=lang,
        facts={c: row[c] for c in CARD_FACTS if not is_missing(row[c])},
        progress=progress,
        approvals=approvals,
        funding=rows("funding"),
        problems=problems.rename(columns=ASSIGNEE),
        milestones=rows("milestones").rename(columns=ASSIGNEE),
        planning=planning,
        reasons=reasons,
        delivery=delivery,
        notes=notes,
        risk=risk,
        risk_factors=factors,
    )


def _risk_of(ledger, pid: str, when, lang: str):
    """The project's slip probability and its fields' contributions, largest effect first."""
    from workbench.risk.forecast import risk_forecast

    forecast = risk_forecast(ledger, when, lang=lang, use_store=False)
    hit = forecast.table[forecast.table["project_id"] == pid]
    if hit.empty:
        return None, None
    parts = forecast.contributions[forecast.contributions["project_id"] == pid]
    parts = parts.reindex(parts["contribution"].abs().sort_values(ascending=False).index)
    factors = pd.DataFrame({"risk_field": [heading(f"f_{f}", lang) for f in parts["feature"]],
                            "value": parts["value"].round(2).to_numpy(),
                            "risk_contribution": parts["contribution"].round(2).to_numpy()})
    return hit.iloc[0][["slip_probability", "risk_band"]].to_dict(), factors


def _record(frame: pd.DataFrame, pid: str, drop=()) -> dict | None:
    hit = frame[frame["project_id"] == pid]
    if hit.empty:
        return None
    return {k: v for k, v in hit.iloc[0].to_dict().items() if k not in drop}
