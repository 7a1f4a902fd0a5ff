"""The project list and its schedules, and the reserve behind it.

List projects get a size (log-normal, kept within the configured total), a nature, a category,
a list level, an annual plan and planned and actual dates, from which their stage at the report
date follows; reserve projects (谋划/储备) are drawn until their total reaches the configured
multiple of the annual plan. `in_ledger_order` sorts them as the ledger workbook shows them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.vocabulary import LEVELS, NATURES
from workbench.sample.draws import (
    exact_counts,
    kept_in_band,
    lognormal_sizes,
    rounded_amount,
    shuffled_labels,
    ymd_dates,
)
from workbench.sample.identities import name_options


def list_projects(rng, cfg, n: int, year: int, report: pd.Timestamp) -> pd.DataFrame:
    size_cfg = cfg["size"]
    size = lognormal_sizes(rng, size_cfg["median"], size_cfg["sigma"], n, stratified=True)
    size = np.clip(size, size_cfg["min"], size_cfg["max"])
    size = kept_in_band(size, size_cfg["total_per_project"], n, size_cfg["min"], size_cfg["max"])
    size = np.maximum(rounded_amount(size), size_cfg["min"])
    nature = shuffled_labels(rng, cfg["nature_mix"], n)
    category = _categories_by_size(rng, cfg, size)
    quality = rng.beta(*cfg["quality_beta"], n)
    neglected = np.zeros(n, dtype=bool)
    neglected[rng.permutation(n)[: round(cfg["neglected"]["share"] * n)]] = True
    quality = np.where(neglected, rng.uniform(0, cfg["neglected"]["max_quality"], n), quality)
    frame = pd.DataFrame(
        {
            "on_list": True,
            "category": category,
            "nature": nature,
            "total_investment": size,
            "quality": quality,
            "neglected": neglected,
            "level": _levels(rng, cfg["levels"], size),
        }
    )
    frame["annual_plan"] = _annual_plans(rng, cfg, frame)
    return _list_schedule(rng, cfg, frame, year, report)


def _levels(rng, cfg, size: np.ndarray) -> np.ndarray:
    n = len(size)
    key = np.log(size) + rng.normal(0, cfg["size_noise"], n)
    order = np.argsort(-key, kind="stable")
    n_pc = round(cfg["province_city_share"] * n)
    n_province = round(cfg["province_share"] * n_pc)
    level = np.full(n, LEVELS[2], dtype=object)
    level[order[:n_pc]] = LEVELS[1]
    level[order[:n_province]] = LEVELS[0]
    return level


def _annual_plans(rng, cfg, frame: pd.DataFrame) -> np.ndarray:
    ratios = cfg["annual_plan_ratio"]
    nature = frame["nature"].to_numpy()
    size = frame["total_investment"].to_numpy()
    lo = np.array([ratios[k][0] for k in nature])
    hi = np.array([ratios[k][1] for k in nature])
    plan = size * rng.uniform(lo, hi)
    # keep the list's annual plan in its band by rescaling everything but the new starts
    n = len(frame)
    new = nature == NATURES[0]
    band_lo, band_hi = (b * n for b in cfg["annual_plan_per_project"])
    other = plan[~new].sum()
    if other > 0:
        target = min(max(plan.sum(), band_lo), band_hi) - plan[new].sum()
        plan[~new] = np.minimum(plan[~new] * max(target, 0) / other, size[~new])
    plan = rounded_amount(plan)
    bounded = new
    plan[bounded] = np.clip(
        plan[bounded],
        np.ceil(lo[bounded] * size[bounded] * 100) / 100,
        np.floor(hi[bounded] * size[bounded] * 100) / 100,
    )
    return np.minimum(plan, size)


def _list_schedule(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    """Planned and actual starts and completions, and the stage they imply at the report date."""
    st = cfg["starts"]
    n = len(frame)
    nature = frame["nature"].to_numpy()
    is_new, is_cont, is_done, is_prep = (nature == k for k in NATURES)
    report64 = np.datetime64(report.date(), "us")
    day = rng.integers(1, 29, n)

    # new starts: planned start month clustered at quarter openings
    weights = np.asarray(st["month_weights"], dtype=float)
    start_month = rng.choice(np.arange(1, 13), n, p=weights / weights.sum())
    # among the new starts, months in exact proportion to the weights (the clustering is the point)
    month_shares = dict(zip(range(1, 13), weights, strict=True))
    start_month[is_new] = shuffled_labels(rng, month_shares, int(is_new.sum())).astype(int)
    opening = (start_month % 3) == 1
    early_half = rng.random(n) < st["early_day_share"]
    start_day = np.where(opening & early_half, rng.integers(1, 16, n), day)
    # late starts gather in poorly planned projects (the rate averages late_share over uniform q)
    q = frame["quality"].to_numpy()
    late = rng.random(n) < st["late_share"] * 2 * (1 - q)
    early = ~late & (rng.random(n) < st["early_share"] / (1 - st["late_share"]))
    slip = np.where(late, rng.choice(st["late_months"], n), np.where(early, -1, 0))
    actual_day = np.clip(start_day + rng.integers(0, 8, n), 1, 28)
    new_planned = ymd_dates(year, start_month, start_day)
    new_actual = ymd_dates(year, start_month + slip, np.where(slip == 0, actual_day, day))
    new_actual = np.where(new_actual <= report64, new_actual, np.datetime64("NaT", "us"))

    # continuing and completing projects started one to three years ago
    years_ago = rng.integers(
        st["continuing_start_years"][0], st["continuing_start_years"][1] + 1, n
    )
    old_month = rng.integers(1, 13, n)
    old_actual = ymd_dates(year - years_ago, old_month, day)
    history_slip = np.where(rng.random(n) < st["history_slip_share"], rng.integers(1, 4, n), 0)
    old_planned = ymd_dates(year - years_ago, old_month - history_slip, rng.integers(1, 29, n))

    duration = rng.integers(st["duration_months"][0], st["duration_months"][1] + 1, n)
    cw = np.asarray(st["completion_month_weights"], dtype=float)
    done_month = rng.choice(np.arange(1, 13), n, p=cw / cw.sum())
    done_late = rng.random(n) < st["completion_late_share"]
    done_slip = np.where(done_late, rng.integers(1, 5, n), 0)
    done_planned = ymd_dates(year, done_month, day)
    done_actual = ymd_dates(year, done_month + done_slip, rng.integers(1, 29, n))
    done_actual = np.where(done_actual <= report64, done_actual, np.datetime64("NaT", "us"))
    # continuing projects finish after this year
    cont_finish_month = np.maximum(
        duration - 12 * years_ago + old_month, 13 + rng.integers(0, 30, n)
    )
    cont_planned_done = ymd_dates(year, cont_finish_month, day)

    # preparatory projects plan to start in a year or two (a few without any date yet)
    prep_years = rng.integers(
        st["preparatory_start_years"][0], st["preparatory_start_years"][1] + 1, n
    )
    prep_month = rng.integers(1, 13, n)
    prep_no_start = rng.random(n) < st["preparatory_no_start"] * 2 * (1 - q)
    prep_no_done = prep_no_start | (rng.random(n) < st["preparatory_no_completion"] * 2 * (1 - q))
    prep_planned = ymd_dates(year + prep_years, prep_month, day, valid=~prep_no_start)
    prep_done = ymd_dates(year + prep_years, prep_month + duration, day, valid=~prep_no_done)

    nat = np.datetime64("NaT", "us")
    planned_start = np.select([is_new, is_prep], [new_planned, prep_planned], old_planned)
    actual_start = np.select([is_new, is_prep], [new_actual, np.full(n, nat)], old_actual)
    planned_completion = np.select(
        [is_new, is_done, is_prep],
        [ymd_dates(year, start_month + duration, day), done_planned, prep_done],
        cont_planned_done,
    )
    actual_completion = np.where(is_done, done_actual, nat)
    started = ~np.isnat(actual_start)
    completed = ~np.isnat(actual_completion)
    industrial = frame["category"].to_numpy() == next(iter(cfg["categories"]))
    stage = np.select(
        [is_prep | (is_new & ~started), completed & industrial, completed],
        ["前期", "投产", "建成"],
        "在建",
    )
    return frame.assign(
        stage=stage,
        planned_start=planned_start,
        actual_start=actual_start,
        planned_completion=planned_completion,
        actual_completion=actual_completion,
        started=started,
    )


def reserve_projects(rng, cfg, annual_plan_total: float, year: int) -> pd.DataFrame:
    rc = cfg["reserve"]
    target = rng.uniform(*rc["multiple"]) * annual_plan_total
    mean = rc["median"] * np.exp(rc["sigma"] ** 2 / 2)
    draws = int(np.ceil(3 * target / mean)) + 10
    size = np.clip(
        rng.lognormal(np.log(rc["median"]), rc["sigma"], draws), cfg["size"]["min"], rc["max"]
    )
    size = rounded_amount(size)
    m = int(np.searchsorted(np.cumsum(size), target)) + 1
    size = size[:m]
    conceived = rng.random(m) < rc["conceived_share"]
    level = np.where(rng.random(m) < rc["province_city_share"], LEVELS[1], LEVELS[2])
    years = rng.integers(rc["start_years"][0], rc["start_years"][1] + 1, m)
    month = rng.integers(1, 13, m)
    day = rng.integers(1, 29, m)
    no_start = conceived & (rng.random(m) < rc["conceived_start_blank"])
    duration = rng.integers(*cfg["starts"]["duration_months"], m)
    category = _categories_by_size(rng, cfg, size)
    nat = np.full(m, np.datetime64("NaT", "us"))
    return pd.DataFrame(
        {
            "on_list": False,
            "category": category,
            "nature": NATURES[3],
            "total_investment": size,
            "quality": rng.beta(*cfg["quality_beta"], m),
            "neglected": False,
            "level": level,
            "annual_plan": 0.0,
            "stage": np.where(conceived, "谋划", "储备"),
            "planned_start": ymd_dates(year + years, month, day, valid=~no_start),
            "actual_start": nat,
            "planned_completion": ymd_dates(year + years, month + duration, day, valid=~no_start),
            "actual_completion": nat,
            "started": False,
        }
    )


def _categories_by_size(rng, cfg, size: np.ndarray) -> np.ndarray:
    """Categories in the configured shares, the biggest projects only where a sector fits them."""
    quota = exact_counts({k: v["share"] for k, v in cfg["categories"].items()}, len(size))
    options = name_options(cfg)
    largest = {c: max(o[3] for o in options[c]) for c in quota}
    out = np.empty(len(size), dtype=object)
    big = np.flatnonzero(size > min(largest.values()))
    draws = rng.random(len(big))
    for i, u in zip(big[np.argsort(-size[big], kind="stable")], draws, strict=True):
        left = [c for c in quota if quota[c] > 0]
        fit = [c for c in left if largest[c] >= size[i]] or left
        weights = np.cumsum([quota[c] for c in fit], dtype=float)
        chosen = fit[
            min(int(np.searchsorted(weights / weights[-1], u, side="right")), len(fit) - 1)
        ]
        out[i] = chosen
        quota[chosen] -= 1
    rest = np.flatnonzero(out == None)  # noqa: E711
    labels = np.concatenate([np.full(c, k, dtype=object) for k, c in quota.items()])
    out[rest] = labels[rng.permutation(len(rest))]
    return out


def in_ledger_order(frame: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Rows in ledger order: list before reserve, then category, level, size (largest first)."""
    key = frame.assign(
        _list=~frame["on_list"],
        _cat=frame["category"].map({c: i for i, c in enumerate(categories)}),
        _lvl=frame["level"].map({lv: i for i, lv in enumerate(LEVELS)}),
        _size=-frame["total_investment"],
    )
    order = key.sort_values(["_list", "_cat", "_lvl", "_size"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def projects_table(frame: pd.DataFrame) -> pd.DataFrame:
    from workbench.model.schemas import columns_of

    return frame.reindex(columns=columns_of("projects")).reset_index(drop=True)
