"""The project list every view starts from: one row a project, with the scores it shows.

Also the two ways the views get scores (`scores_of`, and `filter_ledger`, which scores a ledger
before filtering it by band or RAG) and the date a view speaks for (`view_date`).
"""

from __future__ import annotations

import pandas as pd

from workbench.core.numbers import ratio
from workbench.core.periods import as_of_timestamp
from workbench.exceptions import WorkbenchError
from workbench.explore.columns import TABLE_COLUMNS
from workbench.model.asof import default_as_of


def view_date(ledger, as_of=None, scores=None) -> pd.Timestamp:
    """The date a view speaks for: `as_of` when given, else the date of `scores`, else the default.

    A view shown with scores speaks for the date they were computed for, so that its 序时进度,
    its progress curve and its delivery figures agree; without scores it is the one default of
    `workbench.model.asof.default_as_of` (end of the last month with completed investment).
    """
    if as_of is not None:
        return as_of_timestamp(as_of)
    scored = getattr(scores, "as_of", None)
    if scored is not None:
        return as_of_timestamp(scored)
    return default_as_of(ledger)


def scores_of(ledger, as_of=None, rubric=None):
    """`workbench.scoring.scores.score` of `ledger` (as of its latest reported month by default)."""
    from workbench.scoring.scores import score

    return score(ledger, view_date(ledger, as_of), rubric)


def scores_or_none(ledger, as_of=None, rubric=None):
    """Scores of `ledger`, or None when it cannot be scored (views then show no band or RAG)."""
    try:
        return scores_of(ledger, as_of, rubric)
    except WorkbenchError:
        return None


def filter_ledger(ledger, office=None, unit=None, level=None, stage=None, band=None, rag=None,
                  name_contains=None, as_of=None, rubric=None, scores=None):
    """`Ledger.filter`, scoring the ledger first when ``band`` or ``rag`` is asked without scores.

    >>> filter_ledger(book, office="工业发展", rag=["red", "amber"])   # doctest: +SKIP
    """
    if scores is None and (band is not None or rag is not None):
        scores = scores_of(ledger, as_of, rubric)
    return ledger.filter(office=office, unit=unit, level=level, stage=stage, band=band, rag=rag,
                         name_contains=name_contains, scores=scores)


def project_table(ledger, scores=None, as_of=None) -> pd.DataFrame:
    """One row a project: facts, year-to-date delivery, RAG, planning score and band, open problems.

    Columns keep their code names (see ``TABLE_COLUMNS``); show it with `present.table`. Without
    `scores` the delivery figures are read from the progress table and score columns are empty.
    """
    when = view_date(ledger, as_of, scores)
    ledger = ledger.counted()  # a bundled project (打捆) once
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
        out["completion_share"] = ratio(out["ytd_completed"], out["annual_plan"])
        for column in ("points_vs_elapsed", "score"):
            out[column] = float("nan")
        for column in ("rag", "band"):
            out[column] = pd.Series(pd.NA, index=out.index, dtype="str")
    problems = ledger.problems
    open_ = problems[problems["resolved_on"].isna()].groupby("project_id").size()
    out["open_problems"] = out["project_id"].map(open_).fillna(0).astype("int64")
    return out[list(TABLE_COLUMNS)]
