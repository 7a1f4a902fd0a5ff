"""A selection at a glance (headline, charts, the project list) and the list of those behind.

>>> overview(book.filter(office="工业发展"))          # doctest: +SKIP
>>> lagging(book.filter(name_contains="产业园"), scores)["name"]       # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import altair as alt
import pandas as pd

from workbench.core.numbers import share
from workbench.core.periods import elapsed_share
from workbench.core.words import check_lang, error_message, word
from workbench.exceptions import ParameterError
from workbench.explore._html import note
from workbench.explore.charts import completion_chart, status_chart
from workbench.explore.project_list import project_table, scores_or_none, view_date
from workbench.present.display import facts_html, table
from workbench.present.theme import chart_svg, themed

#: A project list longer than this starts folded (click to open) in an overview.
OPEN_LIST_ROWS = 60
#: Delivery RAG states that mean "behind 序时进度".
BEHIND = ("red", "amber")


@dataclass(frozen=True)
class Overview:
    """A selection at a glance: headline figures, completion by group, RAG mix, the project list."""

    table: pd.DataFrame
    as_of: pd.Timestamp
    lang: str = "zh"
    by: str = "office"
    max_rows: int | None = None
    sort: str | None = None

    def headline(self) -> dict:
        """Projects, total investment, annual plan, completed (万元), completion share, 序时进度."""
        t = self.table
        plan = float(t["annual_plan"].sum())
        done = float(t["ytd_completed"].sum())
        return {
            "projects": len(t),
            "total_investment": float(t["total_investment"].sum()),
            "annual_plan": plan,
            "ytd_completed": done,
            "completion_share": share(done, plan),
            "elapsed_share": elapsed_share(self.as_of),
        }

    def charts(self):
        """Completion by group against 序时进度, and the RAG mix (altair, side by side)."""
        left = completion_chart(self.table, self.by, self.lang, self.headline()["elapsed_share"])
        if self.table["rag"].notna().any():
            return alt.hconcat(left, status_chart(self.table, "rag", self.lang))
        return left

    def to_html(self) -> str:
        """Headline, charts (inline SVG) and the list as one escaped HTML fragment."""
        lang = self.lang
        h = self.headline()
        figures = {k: v for k, v in h.items() if k != "projects"}
        count = (f"<div style='font-weight:600'>{html.escape(word('ui_selected', lang))}: "
                 f"{h['projects']:,}</div>")
        if self.table.empty:
            return count
        try:
            svg = chart_svg(themed(self.charts()))
        except Exception as exc:  # noqa: BLE001 - a chart failure must not hide the list
            svg = note(f"chart unavailable: {exc}")
        keys = [self.sort] if self.sort else ["office", "responsible_unit"]
        shown = self.table.sort_values(keys, kind="stable")
        listing = table(shown, lang, max_rows=self.max_rows).to_html()
        opened = " open" if len(shown) <= OPEN_LIST_ROWS else ""
        return (
            f"<div class='wb-overview'>{count}{facts_html(figures, lang)}<div>{svg}</div>"
            f"<details{opened}><summary>{html.escape(word('ui_project_list', lang))} "
            f"({_shown_count(len(shown), self.max_rows)})</summary>{listing}</details></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _shown_count(rows: int, max_rows: int | None) -> str:
    if max_rows is None or rows <= max_rows:
        return f"{rows:,}"
    return f"{max_rows:,} / {rows:,}"


def overview(ledger, scores=None, as_of=None, rubric=None, lang: str = "zh", by: str | None = None,
             max_rows: int | None = None, sort: str | None = None) -> Overview:
    """The selection `ledger` at a glance (scores it unless `scores` is given or scoring fails).

    Completion is grouped by office, or by responsible unit when the selection is one office.
    With `scores` the overview speaks for their date unless `as_of` is given.
    """
    check_lang(lang)
    when = view_date(ledger, as_of, scores)
    if scores is None:
        scores = scores_or_none(ledger, when, rubric)
    frame = project_table(ledger, scores, when)
    if by is None:
        by = "responsible_unit" if frame["office"].nunique() == 1 else "office"
    if sort is not None and sort not in frame.columns:
        raise ParameterError(error_message("sort_by", value=sort, valid=", ".join(frame.columns)),
                             field="sort", value=sort)
    return Overview(frame, when, lang, by, max_rows, sort)


def lagging(ledger, scores, as_of=None) -> pd.DataFrame:
    """The projects behind 序时进度 (delivery RAG red or amber), furthest behind first."""
    frame = project_table(ledger, scores, as_of)
    behind = frame[frame["rag"].isin(BEHIND).fillna(False).astype(bool)]
    return behind.sort_values(["points_vs_elapsed", "project_id"], kind="stable").reset_index(drop=True)
