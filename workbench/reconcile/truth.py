"""How a merge scores against known truth (benchmarks and tests): pair precision and recall,
a pair being two input rows of different sources that are one project."""

from __future__ import annotations

import itertools

import pandas as pd


def _pairs(records: pd.DataFrame, key: str) -> set[tuple[int, int]]:
    out = set()
    for _, group in records.groupby(key):
        if len(group) < 2:
            continue
        rows = sorted(zip(group["uid"], group["source"], strict=True))
        out.update((a, b) for (a, sa), (b, sb) in itertools.combinations(rows, 2) if sa != sb)
    return out


def pair_scores(merged, truth: list) -> tuple[float, float, int]:
    """(precision, recall, true pairs) of `merged`'s projects against `truth`, per input in
    the order given: a mapping of Excel row to the row's true project id, or None when the
    input's own project ids are the truth (the master drawn from the sample)."""
    rec = merged.records
    rec = rec.assign(truth=[pid if truth[s] is None else truth[s][int(row)] for s, row, pid in
                            zip(rec["source"], rec["excel_row"], rec["project_id"], strict=True)])
    true, found = _pairs(rec, "truth"), _pairs(rec, "project")
    hit = len(true & found)
    return (hit / len(found) if found else 1.0), (hit / len(true) if true else 1.0), len(true)
