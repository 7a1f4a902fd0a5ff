"""Who is who across the sources: exact on a well-formed 项目代码, else splink's probabilistic
record linkage (Fellegi–Sunter on DuckDB) over the normalised name, owner, town, total
investment and planned start; then projects formed from the pairs, one record per source each.

`scored_pairs` returns every candidate pair at least ``review`` probable with its match
probability. `projects_from_pairs` takes them from the most probable down: a pair at least
``link`` probable joins two groups unless that would put two records of one source in one
project; every other pair still in two groups is listed for a person (``decision`` "review",
with the reason). Nothing below ``link`` is merged.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from workbench.reconcile.settings import Settings

PAIR_COLUMNS = ["uid_l", "uid_r", "probability", "rule", "decision", "reason"]

_KEYS = ["unique_id", "code", "name_key", "owner_key", "town", "ti", "start_month"]

#: Each comparison's levels as SQL over splink's _l/_r columns (most alike first; the null
#: level, either side missing, comes before them and carries no evidence).
_SQL = {
    "code": ("code", [
        "code_l = code_r",
        "damerau_levenshtein(code_l, code_r) <= 2",
    ]),
    "name": ("name_key", [
        "name_key_l = name_key_r",
        "least(length(name_key_l), length(name_key_r)) >= 4 AND "
        "(contains(name_key_l, name_key_r) OR contains(name_key_r, name_key_l))",
        "jaro_winkler_similarity(name_key_l, name_key_r) >= 0.92",
        "jaccard(name_key_l, name_key_r) >= 0.7",
        "jaccard(name_key_l, name_key_r) >= 0.5",
    ]),
    "owner": ("owner_key", [
        "owner_key_l = owner_key_r",
        "jaro_winkler_similarity(owner_key_l, owner_key_r) >= 0.88",
    ]),
    "town": ("town", ["town_l = town_r"]),
    "total_investment": ("ti", [
        "abs(ti_l - ti_r) <= 0.01 * greatest(ti_l, ti_r)",
        "abs(ti_l - ti_r) <= 0.10 * greatest(ti_l, ti_r)",
        "abs(ti_l - ti_r) <= 0.60 * greatest(ti_l, ti_r)",
    ]),
    "planned_start": ("start_month", [
        "start_month_l = start_month_r",
        "abs(start_month_l - start_month_r) <= 6",
    ]),
}

#: Pairs splink scores: any pair agreeing on one of these (their union; each pair once). A
#: name's first or last four characters alone make blocks too large in a big county (4 million
#: pairs at 10 × 2,000 records): each is joined with the owner or the amount's band.
_BLOCKING = [
    "l.code = r.code",
    "l.name_key = r.name_key",
    "substr(l.name_key, 1, 4) = substr(r.name_key, 1, 4) AND l.owner_key = r.owner_key",
    "substr(l.name_key, 1, 4) = substr(r.name_key, 1, 4) AND round(ln(l.ti), 1) = round(ln(r.ti), 1)",
    "right(l.name_key, 4) = right(r.name_key, 4) AND l.owner_key = r.owner_key",
    "l.owner_key = r.owner_key AND l.town = r.town",
    "l.town = r.town AND round(ln(l.ti), 1) = round(ln(r.ti), 1)",
]


def _comparisons(settings: Settings) -> list:
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    out = []
    for name, (column, levels) in _SQL.items():
        probs = settings.comparisons[name]
        built = [cll.CustomLevel(f"{column}_l IS NULL OR {column}_r IS NULL", "null")
                 .configure(is_null_level=True)]
        for sql, m, u in zip(levels, probs["m"], probs["u"], strict=False):
            built.append(cll.CustomLevel(sql).configure(m_probability=m, u_probability=u))
        built.append(cll.ElseLevel().configure(m_probability=probs["m"][-1],
                                               u_probability=probs["u"][-1]))
        out.append(cl.CustomComparison(output_column_name=name, comparison_levels=built))
    return out


def prior_of(records: pd.DataFrame, settings: Settings) -> float:
    """The prior that two records of different sources are one project: 1 / the median
    number of records per source, clipped to ``prior_min``…``prior_max``."""
    sizes = records.groupby("source").size()
    return float(np.clip(1.0 / max(float(sizes.median()), 1.0), settings.prior_min,
                         settings.prior_max))


def scored_pairs(records: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Every candidate pair of records from different sources at least ``review`` probable:
    ``uid_l``, ``uid_r``, ``probability`` and ``rule`` ("code": the same well-formed 项目代码,
    probability 1; else "splink")."""
    from splink import DuckDBAPI, Linker, SettingsCreator

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("splink")]:
        logging.getLogger(name).setLevel(logging.ERROR)  # its progress lines are not ours to print
    keys = records.rename(columns={"uid": "unique_id"})[_KEYS + ["source"]]
    keys = keys.astype({"start_month": "float64", "ti": "float64"})
    tables = [keys[keys["source"] == s].drop(columns="source") for s in sorted(keys["source"].unique())]
    aliases = [f"s{s}" for s in sorted(keys["source"].unique())]
    creator = SettingsCreator(
        link_type="link_only", comparisons=_comparisons(settings),
        blocking_rules_to_generate_predictions=_BLOCKING,
        probability_two_random_records_match=prior_of(records, settings),
        retain_matching_columns=False, retain_intermediate_calculation_columns=False)
    linker = Linker(tables, creator, db_api=DuckDBAPI(), input_table_aliases=aliases)
    if settings.estimate_u and len(records) >= settings.estimate_u_min_records:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=settings.estimate_u_max_pairs, seed=settings.seed)
    found = linker.inference.predict(threshold_match_probability=settings.review)
    pairs = found.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    pairs = pairs.rename(columns={"unique_id_l": "uid_l", "unique_id_r": "uid_r",
                                  "match_probability": "probability"})
    pairs = pairs.astype({"uid_l": "int64", "uid_r": "int64", "probability": "float64"})
    code = records["code"].to_numpy(dtype=object)
    same_code = [isinstance(code[a], str) and code[a] == code[b]
                 for a, b in zip(pairs["uid_l"], pairs["uid_r"], strict=True)]
    pairs["rule"] = np.where(same_code, "code", "splink")
    pairs["probability"] = np.where(same_code, 1.0, pairs["probability"]).round(6)
    # code pairs splink's blocking holds anyway; a code pair it scored below review is added
    coded = records[records["code"].notna()][["uid", "source", "code"]]
    both = coded.merge(coded, on="code", suffixes=("_l", "_r"))
    both = both[both["source_l"] < both["source_r"]]
    extra = pd.DataFrame({"uid_l": both["uid_l"].to_numpy(), "uid_r": both["uid_r"].to_numpy(),
                          "probability": 1.0, "rule": "code"})
    pairs = pd.concat([pairs, extra], ignore_index=True)
    lo = np.minimum(pairs["uid_l"], pairs["uid_r"])
    hi = np.maximum(pairs["uid_l"], pairs["uid_r"])
    pairs = pairs.assign(uid_l=lo, uid_r=hi).sort_values(
        ["probability", "uid_l", "uid_r"], ascending=[False, True, True], kind="stable")
    return pairs.drop_duplicates(["uid_l", "uid_r"]).reset_index(drop=True)


def projects_from_pairs(records: pd.DataFrame, pairs: pd.DataFrame,
                        settings: Settings) -> tuple[np.ndarray, pd.DataFrame]:
    """(the project number of each record, the pairs with their ``decision``: "link" or
    "review", and the ``reason`` of a review). Pairs are taken from the most probable down;
    a record links into a project only if the project holds no record of its source yet."""
    n = len(records)
    parent = np.arange(n)
    sources = {i: {int(s)} for i, s in enumerate(records["source"].to_numpy())}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    decision, reason = [], []
    for a, b, p in zip(pairs["uid_l"].to_numpy(), pairs["uid_r"].to_numpy(),
                       pairs["probability"].to_numpy(), strict=True):
        ra, rb = root(int(a)), root(int(b))
        if ra == rb:
            decision.append("link")
            reason.append("")
        elif p < settings.link:
            decision.append("review")
            reason.append("below_link")
        elif sources[ra] & sources[rb]:
            decision.append("review")
            reason.append("same_source")
        else:
            parent[rb] = ra
            sources[ra] |= sources.pop(rb)
            decision.append("link")
            reason.append("")
    groups = np.array([root(i) for i in range(n)], dtype=np.int64)
    _, project = np.unique(groups, return_inverse=True)
    out = pairs.assign(decision=decision, reason=reason)
    # a review pair whose records ended in one project (joined through others) is settled
    same = project[out["uid_l"].to_numpy()] == project[out["uid_r"].to_numpy()]
    out.loc[same & (out["decision"] == "review").to_numpy(), ["decision", "reason"]] = [
        "link", "through_others"]
    return project.astype(np.int64), out[PAIR_COLUMNS].reset_index(drop=True)
