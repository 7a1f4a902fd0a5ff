"""Answering a leader's question in a minute: filter a ledger, one project's card, export a list.

>>> from workbench.ingest.load import load_ledger
>>> from workbench.explore.explore import project_card, export
>>> book = load_ledger("data/sample/neixiang_2022_ledger.xlsx")          # doctest: +SKIP
>>> project_card(book, "医院")                  # by part of the name (or by 项目代码)  # doctest: +SKIP
>>> behind = book.filter(office="工业发展", rag=["red", "amber"])          # doctest: +SKIP
>>> export(behind, "reports/工业发展_滞后项目.xlsx")                      # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.core.text import fold
from workbench.core.vocabulary import APPROVAL_ITEMS, FILTER_FIELDS
from workbench.core.words import MISSING, check_lang, column_label, value_label, word
from workbench.exceptions import AmbiguousProject, ParameterError, ProjectNotFound, WorkbenchError
from workbench.model.filters import subset
from workbench.present.display import (
    AMOUNT_COLUMNS,
    BAND_CELLS,
    RAG_CELLS,
    VALUE_COLUMNS,
    facts_html,
    header,
    table,
)
from workbench.present.export import write_tables
from workbench.present.theme import chart_svg, themed

#: Facts shown at the top of a project card, in order.
CARD_FACTS = (
    "project_id",
    "owner",
    "location",
    "nature",
    "stage",
    "level",
    "office",
    "sector",
    "category",
    "batch_quarter",
    "batch_kind",
    "programme_982",
    "tier_531",
    "scope",
    "total_investment",
    "annual_plan",
    "planned_start",
    "actual_start",
    "planned_completion",
    "actual_completion",
    "responsible_unit",
    "leader",
    "physical_progress_note",
)
#: Delivery measures shown on a card, in order.
CARD_DELIVERY = (
    "rag",
    "ytd_planned",
    "ytd_completed",
    "completion_share",
    "elapsed_share",
    "points_vs_elapsed",
    "spi",
    "start_slip_months",
    "completion_slip_months",
)
#: Columns of the project list a panel shows.
TABLE_COLUMNS = (
    "project_id",
    "name",
    "office",
    "responsible_unit",
    "level",
    "stage",
    "nature",
    "total_investment",
    "annual_plan",
    "ytd_completed",
    "completion_share",
    "points_vs_elapsed",
    "rag",
    "score",
    "band",
    "open_problems",
)


#: In the problem and milestone tables `owner` is who must act, not the project's owner.
ASSIGNEE = {"owner": "assignee"}


# --- scores ------------------------------------------------------------------------------------


def default_as_of(ledger) -> pd.Timestamp:
    """The as-of date a ledger speaks for: scoring's default (end of the last reported month)."""
    try:
        from workbench.model.asof import default_as_of as scoring_default

        return pd.Timestamp(scoring_default(ledger))
    except ImportError:
        pass
    progress = ledger.progress
    reported = progress.loc[progress["completed"] > 0, "month"]
    if len(reported):
        return (reported.max() + pd.offsets.MonthEnd(0)).normalize()
    if ledger.year is not None:
        return pd.Timestamp(year=int(ledger.year), month=12, day=31)
    return pd.Timestamp.today().normalize()


def scores_of(ledger, as_of=None, rubric=None):
    """`workbench.scoring.scores.score` of `ledger` (as of its latest reported month by default)."""
    from workbench.scoring.scores import score

    when = default_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    return score(ledger, when, rubric)


def _scores_or_none(ledger, as_of, rubric):
    """Scores of `ledger`, or None when it cannot be scored (views then show no band or RAG)."""
    try:
        return scores_of(ledger, as_of, rubric)
    except WorkbenchError:
        return None


# --- filter ------------------------------------------------------------------------------------


def filter_ledger(ledger, office=None, unit=None, level=None, stage=None, band=None, rag=None,
                  name_contains=None, as_of=None, rubric=None, scores=None):
    """`Ledger.filter`, scoring the ledger first when ``band`` or ``rag`` is asked without scores.

    >>> filter_ledger(book, office="工业发展", rag=["red", "amber"])   # doctest: +SKIP
    """
    if scores is None and (band is not None or rag is not None):
        scores = scores_of(ledger, as_of, rubric)
    return ledger.filter(office=office, unit=unit, level=level, stage=stage, band=band, rag=rag,
                         name_contains=name_contains, scores=scores)


# --- finding a project -------------------------------------------------------------------------


def find_project(ledger, query: str) -> str:
    """The project_id of the one project named by `query` (its id, its name, or part of either).

    Raises AmbiguousProject listing every match when several fit, ProjectNotFound with close
    names when none does.

    >>> find_project(book, "人民医院")                                   # doctest: +SKIP
    """
    projects = ledger.projects
    if query is None or str(query).strip() == "":
        raise ProjectNotFound("no project given: type a 项目代码 or part of a project name")
    q = fold(query)
    ids = projects["project_id"].map(fold)
    names = projects["name"].map(fold)
    for mask in (ids == q, names == q, ids.str.contains(q, regex=False) | names.str.contains(q, regex=False)):
        hits = projects.loc[mask, ["project_id", "name"]]
        if len(hits) == 1:
            return str(hits["project_id"].iloc[0])
        if len(hits) > 1:
            pairs = list(hits.itertuples(index=False, name=None))
            listed = "\n".join(f"  - {pid}  {name}" for pid, name in pairs[:30])
            more = f"\n  … and {len(pairs) - 30} more" if len(pairs) > 30 else ""
            raise AmbiguousProject(
                f"{len(pairs)} projects match {query!r} (项目不唯一); name one of them by its "
                f"项目代码 or a longer part of its name:\n{listed}{more}",
                pairs,
            )
    close = _close_projects(projects, str(query))
    if close:
        listed = "\n".join(f"  - {pid}  {name}" for pid, name in close)
        raise ProjectNotFound(
            f"no project matches {query!r} (未找到该项目); close names:\n{listed}", close
        )
    raise ProjectNotFound(
        f"no project matches {query!r} (未找到该项目) among {len(projects)} projects; "
        "try a shorter part of the name or the 项目代码"
    )


def _close_projects(projects: pd.DataFrame, query: str, n: int = 5) -> list[tuple[str, str]]:
    names = projects["name"].tolist()
    close = difflib.get_close_matches(query, names, n=n, cutoff=0.4)
    if not close:  # a typed name often shares characters with the real one in another order
        q = set(fold(query))
        ranked = sorted(
            ((len(q & set(fold(name))) / max(len(q), 1), name) for name in names), reverse=True
        )
        close = [name for share, name in ranked[:n] if share >= 0.5]
    by_name = dict(zip(projects["name"], projects["project_id"], strict=False))
    return [(by_name[name], name) for name in close]


# --- the project list --------------------------------------------------------------------------


def project_table(ledger, scores=None, as_of=None) -> pd.DataFrame:
    """One row a project: facts, year-to-date delivery, RAG, planning score and band, open problems.

    Columns keep their code names (see ``TABLE_COLUMNS``); show it with `display.table`. Without
    `scores` the delivery figures are read from the progress table and score columns are empty.
    """
    when = default_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    out = ledger.projects[[c for c in TABLE_COLUMNS if c in ledger.projects.columns]].copy()
    if scores is not None:
        delivery = scores.delivery[["project_id", "ytd_completed", "completion_share",
                                    "points_vs_elapsed", "rag"]]
        planning = scores.planning[["project_id", "score", "band"]]
        out = out.merge(delivery, on="project_id", how="left").merge(
            planning, on="project_id", how="left"
        )
    else:
        done = ledger.progress[ledger.progress["month"] <= when]
        ytd = done.groupby("project_id")["completed"].sum()
        out["ytd_completed"] = out["project_id"].map(ytd).fillna(0.0)
        plan = out["annual_plan"].where(out["annual_plan"] > 0)
        out["completion_share"] = out["ytd_completed"] / plan
        for column in ("points_vs_elapsed", "score"):
            out[column] = float("nan")
        for column in ("rag", "band"):
            out[column] = pd.Series(pd.NA, index=out.index, dtype="str")
    problems = ledger.problems
    open_ = problems[problems["resolved_on"].isna()].groupby("project_id").size()
    out["open_problems"] = out["project_id"].map(open_).fillna(0).astype("int64")
    return out[list(TABLE_COLUMNS)]


# --- charts ------------------------------------------------------------------------------------


def _alt():
    import altair as alt

    return alt


def progress_chart(progress: pd.DataFrame, lang: str = "zh"):
    """Cumulative planned vs completed investment (万元) by month of one project (altair)."""
    alt = _alt()
    long = pd.concat(
        [
            pd.DataFrame({"month": progress["month"], "series": word("ui_cumulative_planned", lang),
                          "value": progress["cumulative_planned"]}),
            pd.DataFrame({"month": progress["month"], "series": word("ui_cumulative_completed", lang),
                          "value": progress["cumulative_completed"]}),
        ],
        ignore_index=True,
    ).dropna(subset=["value"])
    long["month"] = long["month"].dt.strftime("%Y-%m")
    unit = word("ui_wan", lang)
    series = [word("ui_cumulative_planned", lang), word("ui_cumulative_completed", lang)]
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=column_label("month", lang)),
            y=alt.Y("value:Q", title=f"{column_label('amount', lang)} ({unit})"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=["#9aa5b1", "#1d5fa8"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("month:O", title=column_label("month", lang)),
                     alt.Tooltip("series:N", title=" "),
                     alt.Tooltip("value:Q", title=unit, format=",.0f")],
        )
        .properties(width=420, height=200)
    )


def completion_chart(table_frame: pd.DataFrame, by: str = "office", lang: str = "zh",
                     elapsed_share: float | None = None):
    """Share of the annual plan completed, by office/unit/level (bars), against 序时进度 (rule)."""
    alt = _alt()
    grouped = table_frame.groupby(by, dropna=False)[["annual_plan", "ytd_completed"]].sum()
    grouped = grouped.reset_index()
    grouped["share"] = grouped["ytd_completed"] / grouped["annual_plan"].where(grouped["annual_plan"] > 0)
    grouped["group"] = grouped[by].map(lambda v: value_label(v, lang)).fillna(MISSING)
    bars = (
        alt.Chart(grouped)
        .mark_bar(color="#1d5fa8")
        .encode(
            y=alt.Y("group:N", title=column_label(by, lang), sort="-x"),
            x=alt.X("share:Q", title=column_label("completion_share", lang),
                    axis=alt.Axis(format="%")),
            tooltip=[alt.Tooltip("group:N", title=column_label(by, lang)),
                     alt.Tooltip("share:Q", title=column_label("completion_share", lang), format=".1%")],
        )
    )
    layers = [bars]
    if elapsed_share is not None:
        rule = pd.DataFrame({"elapsed": [float(elapsed_share)]})
        layers.append(alt.Chart(rule).mark_rule(color="#c62828", strokeDash=[4, 3]).encode(
            x="elapsed:Q", tooltip=[alt.Tooltip("elapsed:Q", title=column_label("elapsed_share", lang),
                                                format=".1%")]))
    return alt.layer(*layers).properties(width=360, height=max(80, 24 * len(grouped)))


def status_chart(table_frame: pd.DataFrame, column: str = "rag", lang: str = "zh"):
    """How many projects have each delivery RAG (or planning band), in their colours."""
    alt = _alt()
    colours = RAG_CELLS if column == "rag" else BAND_CELLS
    counts = table_frame[column].value_counts().reindex(list(colours), fill_value=0).reset_index()
    counts.columns = ["code", "count"]
    counts["label"] = counts["code"].map(lambda v: value_label(v, lang))
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("label:N", title=column_label(column, lang), sort=list(counts["label"]),
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=word("ui_projects_count", lang)),
            color=alt.Color("label:N", legend=None, scale=alt.Scale(
                domain=list(counts["label"]), range=[colours[c][0] for c in counts["code"]])),
            tooltip=[alt.Tooltip("label:N", title=column_label(column, lang)),
                     alt.Tooltip("count:Q", title=word("ui_projects_count", lang))],
        )
        .properties(width=220, height=160)
    )


# --- the project card --------------------------------------------------------------------------


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

    def chart(self):
        """The monthly plan-vs-actual chart (altair)."""
        return progress_chart(self.progress, self.lang)

    def to_html(self) -> str:
        """The card as one self-contained HTML fragment (chart as inline SVG; data escaped)."""
        lang = self.lang
        badges = ""
        if self.planning is not None:
            badges += _badge(self.planning.get("band"), BAND_CELLS, lang,
                             f"{column_label('score', lang)} {_num(self.planning.get('score'))}")
        if self.delivery is not None:
            badges += _badge(self.delivery.get("rag"), RAG_CELLS, lang, column_label("rag", lang))
        title = (
            f"<div style='font-size:130%;font-weight:700'>{html.escape(self.name)}</div>"
            f"<div style='color:#555'>{html.escape(self.project_id)} · "
            f"{html.escape(word('ui_as_of', lang))} {self.as_of:%Y-%m-%d} {badges}</div>"
        )
        sections = [
            (word("ui_facts", lang), facts_html(self.facts, lang)),
            (word("ui_progress", lang), self._progress_html()),
            (word("ui_delivery", lang), facts_html(self.delivery, lang) if self.delivery
             else _note(word("ui_no_scores", lang))),
            (word("ui_score", lang), self._score_html()),
            (word("ui_approvals", lang), _frame_html(self.approvals, lang, "wan")),
            (word("ui_funding", lang), _frame_html(self.funding, lang, "wan")),
            (word("ui_problems", lang), self._problems_html()),
            (word("ui_milestones", lang), _frame_html(self.milestones, lang, "wan")),
        ]
        body = "".join(
            f"<section style='break-inside:avoid;margin:0 0 12px 0'>"
            f"<div style='font-weight:600;border-bottom:2px solid #1d5fa8;margin-bottom:4px'>"
            f"{html.escape(heading)}</div>{content}</section>"
            for heading, content in sections
        )
        notes = "".join(_note(n) for n in self.notes)
        return (
            "<div class='wb-card' style='font-size:90%;max-width:1200px'>"
            f"{title}{notes}<div style='columns:2 520px;column-gap:24px;margin-top:8px'>{body}</div>"
            "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def _progress_html(self) -> str:
        if self.progress.empty:
            return _note(word("ui_none", self.lang))
        try:
            svg = chart_svg(themed(self.chart()))
        except Exception as exc:  # noqa: BLE001 - a chart failure must not hide the card's facts
            svg = _note(f"chart unavailable: {exc}")
        shown = self.progress[["month", "planned", "completed", "cumulative_planned",
                               "cumulative_completed"]]
        return (f"<div>{svg}</div><details><summary>{html.escape(word('ui_monthly', self.lang))}"
                f"</summary>{_frame_html(shown, self.lang, 'wan')}</details>")

    def _score_html(self) -> str:
        if self.planning is None:
            return _note(word("ui_no_scores", self.lang))
        dims = {k: v for k, v in self.planning.items() if k not in ("project_id", "flags")}
        reasons = self.reasons if self.reasons is not None else pd.DataFrame()
        return facts_html(dims, self.lang) + (
            f"<div style='margin-top:4px;font-weight:600'>{html.escape(word('ui_reasons', self.lang))}"
            f"</div>" + _frame_html(reasons, self.lang, "wan")
        )

    def _problems_html(self) -> str:
        if self.problems.empty:
            return _note(word("ui_none", self.lang))
        styler = table(self.problems, self.lang)
        overdue = self.problems["due_on"].notna() & (self.problems["due_on"] < self.as_of)
        styler = styler.apply(
            lambda _col: ["color: #c62828; font-weight: 600" if o else "" for o in overdue],
            subset=["due_on"],
        )
        return styler.to_html()


def project_card(ledger, project: str, as_of=None, rubric=None, lang: str = "zh", scores=None
                 ) -> ProjectCard:
    """Everything about one project on one screen, found by 项目代码 or part of its name.

    Facts, the monthly plan-vs-actual curve, approvals with dates, funding lines, open problems,
    milestones, the planning score with the reason for every lost point, and delivery status.
    Pass `scores` (from `workbench.scoring.scores.score`) to reuse a portfolio score.

    >>> project_card(book, "医院")                     # doctest: +SKIP
    >>> project_card(book, "4113", lang="en")          # raises AmbiguousProject listing matches
    """
    check_lang(lang)
    pid = find_project(ledger, project)
    when = default_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
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
    return ProjectCard(
        project_id=pid,
        name=str(row["name"]),
        as_of=when,
        lang=lang,
        facts={c: row[c] for c in CARD_FACTS if not _empty(row[c])},
        progress=progress,
        approvals=approvals,
        funding=rows("funding"),
        problems=problems.rename(columns=ASSIGNEE),
        milestones=rows("milestones").rename(columns=ASSIGNEE),
        planning=planning,
        reasons=reasons,
        delivery=delivery,
        notes=notes,
    )


def _empty(value) -> bool:
    return value is None or (not isinstance(value, bool) and pd.isna(value)) or value == ""


def _record(frame: pd.DataFrame, pid: str, drop=()) -> dict | None:
    hit = frame[frame["project_id"] == pid]
    if hit.empty:
        return None
    return {k: v for k, v in hit.iloc[0].to_dict().items() if k not in drop}


def _frame_html(frame: pd.DataFrame, lang: str, amount_unit: str) -> str:
    if frame is None or frame.empty:
        return _note(word("ui_none", lang))
    return table(frame, lang, amount_unit=amount_unit).to_html()


def _note(text: str) -> str:
    return f"<div style='color:#666'>{html.escape(text)}</div>"


def _num(value) -> str:
    if value is None or pd.isna(value):
        return MISSING
    return f"{float(value):.1f}".removesuffix(".0")


def _badge(code, colours: dict, lang: str, label: str) -> str:
    if code is None or pd.isna(code) or code not in colours:
        return ""
    background, text = colours[code]
    return (
        f"<span style='background:{background};color:{text};padding:1px 8px;border-radius:8px;"
        f"margin-left:6px'>{html.escape(label)}: {html.escape(str(value_label(code, lang)))}</span>"
    )


# --- a selection at a glance, and the interactive panel ----------------------------------------


def elapsed_share_of(as_of) -> float:
    """序时进度 at `as_of` (scoring's definition when installed, else days elapsed / days in year)."""
    when = pd.Timestamp(as_of)
    try:
        from workbench.core.periods import elapsed_share

        return float(elapsed_share(when))
    except ImportError:
        days = 366 if when.is_leap_year else 365
        return when.day_of_year / days


#: A project list longer than this starts folded (click to open) in an overview.
OPEN_LIST_ROWS = 60


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
            "completion_share": done / plan if plan > 0 else float("nan"),
            "elapsed_share": elapsed_share_of(self.as_of),
        }

    def charts(self):
        """Completion by group against 序时进度, and the RAG mix (altair, side by side)."""
        alt = _alt()
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
            svg = _note(f"chart unavailable: {exc}")
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
    """The selection `ledger` at a glance (scores it unless `scores` is given or scoring is absent).

    Completion is grouped by office, or by responsible unit when the selection is one office.

    >>> overview(book.filter(office="工业发展"))          # doctest: +SKIP
    """
    check_lang(lang)
    when = default_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    if scores is None:
        scores = _scores_or_none(ledger, when, rubric)
    frame = project_table(ledger, scores, when)
    if by is None:
        by = "responsible_unit" if frame["office"].nunique() == 1 else "office"
    if sort is not None and sort not in frame.columns:
        raise ParameterError(f"cannot sort by {sort!r}; use one of: {', '.join(frame.columns)}")
    return Overview(frame, when, lang, by, max_rows, sort)


def lagging(ledger, scores, as_of=None) -> pd.DataFrame:
    """The projects behind 序时进度 (delivery RAG red or amber), furthest behind first.

    >>> lagging(book.filter(name_contains="产业园"), scores)["name"]       # doctest: +SKIP
    """
    frame = project_table(ledger, scores, as_of)
    behind = frame[frame["rag"].isin(["red", "amber"]).fillna(False).astype(bool)]
    return behind.sort_values(["points_vs_elapsed", "project_id"], kind="stable").reset_index(drop=True)


def explorer(ledger, scores=None, as_of=None, rubric=None, lang: str = "zh", max_rows: int = 60):
    """The interactive panel: filters drive a linked overview; choosing a project opens its card.

    >>> explorer(book)                                  # doctest: +SKIP
    """
    import ipywidgets

    from workbench.present import widgets as w

    check_lang(lang)
    when = default_as_of(ledger) if as_of is None else pd.Timestamp(as_of)
    if scores is None:
        scores = _scores_or_none(ledger, when, rubric)
    fields = FILTER_FIELDS if scores is not None else tuple(
        f for f in FILTER_FIELDS if f not in ("band", "rag"))
    controls = w.filter_controls(ledger, lang, fields)
    picker = w.project_picker(ledger.projects, lang)
    card_out = ipywidgets.Output()

    def render(**filters):
        view = filter_ledger(ledger, **filters, scores=scores)
        picker.options = w.project_options(view.projects)
        return overview(view, scores, when, lang=lang, max_rows=max_rows)

    def open_card(change) -> None:
        with card_out:
            card_out.clear_output(wait=True)
            if change["new"] is not None:
                display_card = project_card(ledger, change["new"], when, lang=lang, scores=scores)
                from IPython.display import display

                display(display_card)

    picker.observe(open_card, names="value")
    listing = w.bind(controls, render)
    return w.panel(controls, picker, card_out, listing)


# --- export ------------------------------------------------------------------------------------


def export(selection, path: str | Path, lang: str = "zh") -> Path:
    """Write a selection (a Ledger, a DataFrame or a Styler) to Excel with Chinese headers.

    A Ledger writes one sheet a table; a DataFrame (e.g. `project_table` of a filtered ledger)
    one sheet. Amounts stay in 万元 (the header says so), domain values are shown as labels, and
    every text cell is formula-safe (a leading = + - @ is neutralised). ``.csv`` takes a DataFrame.

    >>> export(book.filter(unit="县卫健委"), "reports/卫健委项目.xlsx")       # doctest: +SKIP
    """
    from workbench.model.ledger import Ledger

    check_lang(lang)
    path = Path(path)
    if isinstance(selection, Ledger):
        if path.suffix.lower() == ".csv":
            raise ParameterError(f"{path.name}: a Ledger has several tables; export it to .xlsx")
        tables = {
            word(f"table_{name}", lang): export_frame(
                frame.rename(columns=ASSIGNEE) if name in ("problems", "milestones") else frame,
                lang,
            )
            for name, frame in selection.tables().items()
        }
    elif isinstance(selection, pd.DataFrame) or hasattr(selection, "data"):
        frame = selection if isinstance(selection, pd.DataFrame) else selection.data
        tables = {word("table_selection", lang): export_frame(frame, lang)}
    else:
        raise ParameterError(
            f"cannot export a {type(selection).__name__}: pass a Ledger or a DataFrame"
        )
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise ParameterError(f"cannot export to {path.name}: use .xlsx (or .csv for one table)")
    return write_tables(tables, path)


def export_frame(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """`frame` with display headers (amounts marked 万元) and labelled domain values."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if column in VALUE_COLUMNS:
            out[column] = out[column].map(lambda v: value_label(v, lang))
        elif pd.api.types.is_bool_dtype(out[column].dtype):
            out[column] = out[column].map(lambda v: word("ui_yes" if v else "ui_no", lang))
    headers = {c: header(c, lang, "wan") if c in AMOUNT_COLUMNS else header(c, lang)
               for c in out.columns}
    return out.rename(columns=headers)


__all__ = [
    "FILTER_FIELDS",
    "Overview",
    "AmbiguousProject",
    "ProjectCard",
    "ProjectNotFound",
    "completion_chart",
    "default_as_of",
    "export",
    "elapsed_share_of",
    "explorer",
    "export_frame",
    "filter_ledger",
    "find_project",
    "lagging",
    "overview",
    "progress_chart",
    "project_card",
    "project_table",
    "scores_of",
    "status_chart",
    "subset",
]
