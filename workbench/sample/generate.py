"""A synthetic, seeded Neixiang-like county ledger (parameters in ``config/sample.yaml``).

`generate_sample(seed, projects, year)` returns a `Ledger` whose projects table lists this
year's key projects (stage 前期/在建/建成/投产) first and the reserve (谋划/储备) after, each
part ordered as the ledger workbook shows it (by category, then list level, then size).
Nothing here is real: names, owners and people are invented from word lists.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from workbench.core.vocabulary import LEVELS, NATURES
from workbench.core.yamlfile import packaged_yaml
from workbench.exceptions import ParameterError
from workbench.model.ledger import Ledger, derived_project_id, is_project_code

MONTHS = 12
RESERVE_STAGES = ("谋划", "储备")
_NORMAL = NormalDist()
_CN_DIGITS = "零一二三四五六七八九"


@cache
def sample_config() -> dict:
    """The packaged sample parameters (``config/sample.yaml``)."""
    return packaged_yaml("sample.yaml")


def generate_sample(seed: int = 2022, projects: int = 200, year: int = 2022) -> Ledger:
    """A deterministic synthetic county ledger: `projects` list projects plus a reserve."""
    _check_parameters(seed, projects, year)
    cfg = sample_config()
    rng = np.random.default_rng(seed)
    report = pd.Timestamp(year, *cfg["county"]["report_month_day"])
    listed = _list_projects(rng, cfg, projects, year, report)
    reserve = _reserve_projects(rng, cfg, float(listed["annual_plan"].sum()), year)
    frame = pd.concat([listed, reserve], ignore_index=True)
    frame = _identities(rng, cfg, frame, year)
    frame = _ordered(frame, list(cfg["categories"]))
    on_list = frame[frame["on_list"]]
    tables = {
        "projects": _projects_table(frame),
        "progress": _progress_table(rng, cfg, on_list, year),
        "approvals": _approvals_table(rng, cfg, frame, report),
        "funding": _funding_table(rng, cfg, frame, year, report),
        "problems": _problems_table(rng, cfg, on_list, year, report),
        "milestones": _milestones_table(rng, cfg, on_list, year, report),
    }
    source = f"workbench sample --seed {seed} --projects {projects} --year {year}"
    return Ledger(**tables, year=year, source=source)


def write_sample(
    out_dir="data/sample", seed: int = 2022, projects: int = 200, year: int = 2022
) -> tuple[Path, Ledger]:
    """Generate the sample and write its ledger workbook into `out_dir`: the path and the ledger."""
    from workbench.sample.workbook import write_ledger_workbook

    ledger = generate_sample(seed=seed, projects=projects, year=year)
    county = sample_config()["county"]
    path = Path(out_dir) / f"{county['file_stem']}_{year}_ledger.xlsx"
    return write_ledger_workbook(ledger, path, county=county["name"]), ledger


def sample_facts(ledger: Ledger) -> dict:
    """Magnitudes of a sample ledger: counts, totals (亿元), mix, reserve multiple, start clustering."""
    p = ledger.projects
    reserve = p["stage"].isin(RESERVE_STAGES)
    listed, held = p[~reserve], p[reserve]
    new = listed[listed["nature"] == NATURES[0]]
    months = new["planned_start"].dt.month
    plan = float(listed["annual_plan"].sum())
    ratio = new["annual_plan"] / new["total_investment"]
    late = new["actual_start"].dt.to_period("M") > new["planned_start"].dt.to_period("M")
    return {
        "projects": len(listed),
        "province_city": int(listed["level"].isin(LEVELS[:2]).sum()),
        "province": int((listed["level"] == LEVELS[0]).sum()),
        "reserve_projects": len(held),
        "total_investment_yi": round(float(listed["total_investment"].sum()) / 1e4, 2),
        "annual_plan_yi": round(plan / 1e4, 2),
        "completed_yi": round(float(ledger.progress["completed"].sum()) / 1e4, 2),
        "reserve_investment_yi": round(float(held["total_investment"].sum()) / 1e4, 2),
        "reserve_multiple": round(float(held["total_investment"].sum()) / plan, 2)
        if plan
        else None,
        "median_size_yi": round(float(listed["total_investment"].median()) / 1e4, 2),
        "max_size_yi": round(float(listed["total_investment"].max()) / 1e4, 2),
        "min_size_wan": float(listed["total_investment"].min()),
        "nature_mix": {k: round(float((listed["nature"] == k).mean()), 3) for k in NATURES},
        "new_start_plan_ratio": (round(float(ratio.min()), 3), round(float(ratio.max()), 3))
        if len(new)
        else None,
        "q1_start_share": round(float((months <= 3).mean()), 3) if len(new) else None,
        "quarter_opening_share": round(float(months.isin([1, 4, 7, 10]).mean()), 3)
        if len(new)
        else None,
        "late_starts": int(late.sum()),
        "not_started": int(new["actual_start"].isna().sum()),
        "without_code": int((~p["project_id"].map(is_project_code)).sum()),
        "rows": {name: len(frame) for name, frame in ledger.tables().items()},
    }


def _check_parameters(seed: int, projects: int, year: int) -> None:
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    if not isinstance(projects, int | np.integer) or not 1 <= projects <= 20_000:
        raise ParameterError(f"projects must be an integer from 1 to 20000, got {projects!r}")
    if not isinstance(year, int | np.integer) or not 2001 <= year <= 2098:
        raise ParameterError(f"year must be from 2001 to 2098, got {year!r}")


# --- dates as (year, month, day) integer arrays ------------------------------------------------


def _dates(y, m, d, valid=None) -> np.ndarray:
    """datetime64[us] from integer year, month (1-12, may overflow) and day arrays; NaT where not valid."""
    y, m, d = (np.asarray(a, dtype=np.int64) for a in np.broadcast_arrays(y, m, d))
    months = (y - 1970) * 12 + (m - 1)
    out = (months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)).astype(
        "datetime64[us]"
    )
    if valid is not None:
        out = np.where(np.asarray(valid, dtype=bool), out, np.datetime64("NaT", "us"))
    return out


def _month_index(dates: np.ndarray, year: int) -> np.ndarray:
    """Month of the ledger year (1-12, may fall outside) of each date; NaT gives a large number."""
    months = dates.astype("datetime64[M]").astype(np.int64)
    out = months - (year - 1970) * 12 + 1
    return np.where(np.isnat(dates), 10_000, out)


def _add_days(dates: np.ndarray, days) -> np.ndarray:
    return (dates + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")).astype(
        "datetime64[us]"
    )


def _interpolate(pair, q: np.ndarray) -> np.ndarray:
    """The value between pair[0] (q = 0) and pair[1] (q = 1)."""
    return pair[0] + (pair[1] - pair[0]) * q


def _exact_counts(shares: dict, n: int) -> dict:
    """Counts adding to `n` in proportion to `shares` (largest remainder)."""
    keys = list(shares)
    raw = np.array([shares[k] for k in keys], dtype=float)
    raw = raw / raw.sum() * n
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def _shuffled_labels(rng, shares: dict, n: int) -> np.ndarray:
    counts = _exact_counts(shares, n)
    labels = np.concatenate([np.full(c, k, dtype=object) for k, c in counts.items()])
    return labels[rng.permutation(n)]


def _lognormal_sizes(rng, median: float, sigma: float, n: int, stratified: bool) -> np.ndarray:
    """Log-normal sizes; stratified draws keep the total of a small list close to its expectation."""
    u = (rng.permutation(n) + rng.random(n)) / n if stratified else rng.random(n)
    u = np.clip(u, 1e-9, 1 - 1e-9)
    z = np.array([_NORMAL.inv_cdf(v) for v in u])
    return median * np.exp(sigma * z)


def _rounded_amount(values: np.ndarray) -> np.ndarray:
    """Amounts as a ledger keeps them: to 100万 from 1亿, to 10万 from 1000万, else whole 万元."""
    values = np.asarray(values, dtype=float)
    return np.where(
        values >= 10_000,
        np.round(values, -2),
        np.where(values >= 1_000, np.round(values, -1), np.round(values)),
    )


def _kept_in_band(values: np.ndarray, band, n: int, lo_clip: float, hi_clip: float) -> np.ndarray:
    """`values` rescaled (then clipped) until their sum lies in band × n."""
    lo, hi = band[0] * n, band[1] * n
    for _ in range(8):
        total = values.sum()
        if lo <= total <= hi:
            break
        values = np.clip(values * (min(max(total, lo), hi) / total), lo_clip, hi_clip)
    return values


# --- the list projects ----------------------------------------------------------------------------


def _list_projects(rng, cfg, n: int, year: int, report: pd.Timestamp) -> pd.DataFrame:
    size_cfg = cfg["size"]
    size = _lognormal_sizes(rng, size_cfg["median"], size_cfg["sigma"], n, stratified=True)
    size = np.clip(size, size_cfg["min"], size_cfg["max"])
    size = _kept_in_band(size, size_cfg["total_per_project"], n, size_cfg["min"], size_cfg["max"])
    size = np.maximum(_rounded_amount(size), size_cfg["min"])
    nature = _shuffled_labels(rng, cfg["nature_mix"], n)
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
    plan = _rounded_amount(plan)
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
    start_month[is_new] = _shuffled_labels(rng, month_shares, int(is_new.sum())).astype(int)
    opening = (start_month % 3) == 1
    early_half = rng.random(n) < st["early_day_share"]
    start_day = np.where(opening & early_half, rng.integers(1, 16, n), day)
    # late starts gather in poorly planned projects (the rate averages late_share over uniform q)
    q = frame["quality"].to_numpy()
    late = rng.random(n) < st["late_share"] * 2 * (1 - q)
    early = ~late & (rng.random(n) < st["early_share"] / (1 - st["late_share"]))
    slip = np.where(late, rng.choice(st["late_months"], n), np.where(early, -1, 0))
    actual_day = np.clip(start_day + rng.integers(0, 8, n), 1, 28)
    new_planned = _dates(year, start_month, start_day)
    new_actual = _dates(year, start_month + slip, np.where(slip == 0, actual_day, day))
    new_actual = np.where(new_actual <= report64, new_actual, np.datetime64("NaT", "us"))

    # continuing and completing projects started one to three years ago
    years_ago = rng.integers(
        st["continuing_start_years"][0], st["continuing_start_years"][1] + 1, n
    )
    old_month = rng.integers(1, 13, n)
    old_actual = _dates(year - years_ago, old_month, day)
    history_slip = np.where(rng.random(n) < st["history_slip_share"], rng.integers(1, 4, n), 0)
    old_planned = _dates(year - years_ago, old_month - history_slip, rng.integers(1, 29, n))

    duration = rng.integers(st["duration_months"][0], st["duration_months"][1] + 1, n)
    cw = np.asarray(st["completion_month_weights"], dtype=float)
    done_month = rng.choice(np.arange(1, 13), n, p=cw / cw.sum())
    done_late = rng.random(n) < st["completion_late_share"]
    done_slip = np.where(done_late, rng.integers(1, 5, n), 0)
    done_planned = _dates(year, done_month, day)
    done_actual = _dates(year, done_month + done_slip, rng.integers(1, 29, n))
    done_actual = np.where(done_actual <= report64, done_actual, np.datetime64("NaT", "us"))
    # continuing projects finish after this year
    cont_finish_month = np.maximum(
        duration - 12 * years_ago + old_month, 13 + rng.integers(0, 30, n)
    )
    cont_planned_done = _dates(year, cont_finish_month, day)

    # preparatory projects plan to start in a year or two (a few without any date yet)
    prep_years = rng.integers(
        st["preparatory_start_years"][0], st["preparatory_start_years"][1] + 1, n
    )
    prep_month = rng.integers(1, 13, n)
    prep_no_start = rng.random(n) < st["preparatory_no_start"] * 2 * (1 - q)
    prep_no_done = prep_no_start | (rng.random(n) < st["preparatory_no_completion"] * 2 * (1 - q))
    prep_planned = _dates(year + prep_years, prep_month, day, valid=~prep_no_start)
    prep_done = _dates(year + prep_years, prep_month + duration, day, valid=~prep_no_done)

    nat = np.datetime64("NaT", "us")
    planned_start = np.select([is_new, is_prep], [new_planned, prep_planned], old_planned)
    actual_start = np.select([is_new, is_prep], [new_actual, np.full(n, nat)], old_actual)
    planned_completion = np.select(
        [is_new, is_done, is_prep],
        [_dates(year, start_month + duration, day), done_planned, prep_done],
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


# --- the reserve ----------------------------------------------------------------------------------


def _reserve_projects(rng, cfg, annual_plan_total: float, year: int) -> pd.DataFrame:
    rc = cfg["reserve"]
    target = rng.uniform(*rc["multiple"]) * annual_plan_total
    mean = rc["median"] * np.exp(rc["sigma"] ** 2 / 2)
    draws = int(np.ceil(3 * target / mean)) + 10
    size = np.clip(
        rng.lognormal(np.log(rc["median"]), rc["sigma"], draws), cfg["size"]["min"], rc["max"]
    )
    size = _rounded_amount(size)
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
            "planned_start": _dates(year + years, month, day, valid=~no_start),
            "actual_start": nat,
            "planned_completion": _dates(year + years, month + duration, day, valid=~no_start),
            "actual_completion": nat,
            "started": False,
        }
    )


def _categories_by_size(rng, cfg, size: np.ndarray) -> np.ndarray:
    """Categories in the configured shares, the biggest projects only where a sector fits them."""
    quota = _exact_counts({k: v["share"] for k, v in cfg["categories"].items()}, len(size))
    options = _name_options(cfg)
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


def _name_options(cfg) -> dict[str, list[tuple[str, str, float, float]]]:
    """(sector, name pattern, smallest, largest total investment it fits) by category."""
    out = {}
    for category, sectors in cfg["sectors"].items():
        out[category] = [
            (sector, pattern, *spec[size_key])
            for sector, spec in sectors.items()
            for names_key, size_key in (("names", "size"), ("small_names", "small_size"))
            for pattern in spec.get(names_key, [])
        ]
    return out


def _fitting_names(options, size: float, u_sector: float, u_pattern: float) -> list:
    """(sector, pattern) pairs whose size range holds `size` (the nearest range when none does),
    the drawn one first, then the others of its sector, then the other sectors'."""
    fits = [o for o in options if o[2] <= size <= o[3]]
    if not fits:
        gap = lambda o: max(np.log(o[2] / size), np.log(size / o[3]))  # noqa: E731
        fits = [min(options, key=gap)]
    sectors = list(dict.fromkeys(o[0] for o in fits))
    first = int(u_sector * len(sectors))
    ordered = []
    for sector in sectors[first:] + sectors[:first]:
        patterns = [o[1] for o in fits if o[0] == sector]
        k = int(u_pattern * len(patterns))
        ordered += [(sector, p) for p in patterns[k:] + patterns[:k]]
    return ordered


def _identities(rng, cfg, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Names, owners, places, units, leaders, scope, tags and project ids of every project."""
    n = len(frame)
    county = cfg["county"]
    towns = county["towns"]
    people = _people(rng, cfg, len(cfg["people"]["leader_titles"]))
    leaders = [
        f"{name}（{title}）"
        for name, title in zip(people, cfg["people"]["leader_titles"], strict=True)
    ]
    gaps = cfg["gaps"]
    # uniform draws divided by the sloppiness, so blanks gather in poorly planned projects
    sloppy = _sloppiness(frame["quality"].to_numpy(), gaps["quality_power"])
    sloppy = np.where(frame["neglected"], sloppy * cfg["neglected"]["blank_factor"], sloppy)
    u = {
        k: rng.random(n) / sloppy
        for k in ("owner", "leader", "unit", "scope", "unq", "loc", "sector", "tier", "code")
    }
    u["p982"] = rng.random(n)
    draw = dict(zip(_DRAWS, rng.random((len(_DRAWS), n)), strict=True))
    figures = _scope_figures(rng, frame["total_investment"].to_numpy(dtype=float))
    n_choices = [1, 2, 3, 5, 10, 20, 30, 50]
    rows = []
    seen: dict[str, int] = {}
    options = _name_options(cfg)
    sizes = frame["total_investment"].to_numpy(dtype=float)
    for i, category in enumerate(frame["category"].tolist()):
        pick = lambda xs, key, i=i: xs[int(draw[key][i] * len(xs))]  # noqa: E731
        candidates = _fitting_names(
            options[category], sizes[i], draw["sector"][i], draw["pattern"][i]
        )
        t1 = int(draw["town"][i] * len(towns))
        town, town2 = (
            towns[t1],
            towns[(t1 + 1 + int(draw["town2"][i] * (len(towns) - 1))) % len(towns)],
        )
        own = {key: values[i] for key, values in figures.items()}
        company_draws = [draw[k][i] for k in _COMPANY_DRAWS]
        fill = dict(
            county=county["name"],
            town=town,
            town2=town2,
            n=pick(n_choices, "n"),
            cn=_chinese_number(2 + int(draw["cn"][i] * 4)),
            year=year,
            **own,
        )
        # the first of six candidates whose name is still free (else the drawn one, as a further phase)
        for sector, pattern in [*candidates[:6], candidates[0]]:
            spec = cfg["sectors"][category][sector]
            fill["park"] = pick(spec.get("parks", county["parks"]), "park")
            fill["company"] = _company(cfg, spec.get("trades"), company_draws)
            name = pattern.format(**fill)
            if name not in seen:
                break
        park, company = fill["park"], fill["company"]
        public_share = spec.get("public_share", cfg["public_share"][category])
        private = "{company}" in pattern or draw["private"][i] >= public_share
        name = _unique_name(name, seen)
        if private:
            owner = company
        elif draw["town_owner"][i] < cfg["town_owner_share"]:
            owner = f"{town}人民政府"
        else:
            owner = pick(spec.get("owners", cfg["public_owners"][category]), "owner")
        location = county["name"] + (park if "{park}" in pattern else town)
        if draw["town_unit"][i] < cfg["town_unit_share"]:
            unit = f"{town}人民政府"
        else:
            unit = pick(spec["units"], "unit")
        if u["scope"][i] < gaps["scope_blank"]:
            scope = None
        elif u["unq"][i] < gaps["scope_unquantified"]:
            scope = f"建设{sector}项目主体工程及配套设施"
        else:
            scope = spec["scope"].format(**own)
        rows.append(
            {
                "name": name,
                "owner": None if u["owner"][i] < gaps["owner_blank"] else owner,
                "location": None if u["loc"][i] < gaps["location_blank"] else location,
                "sector": None if u["sector"][i] < gaps["sector_blank"] else sector,
                "scope": scope,
                "responsible_unit": None if u["unit"][i] < gaps["unit_blank"] else unit,
                "leader": None
                if u["leader"][i] < gaps["leader_blank"]
                else pick(leaders, "leader"),
                "public": not private,
            }
        )
    ident = pd.DataFrame(rows, index=frame.index)
    frame = pd.concat([frame, ident], axis=1)
    frame["office"] = frame["category"].map({k: v["office"] for k, v in cfg["categories"].items()})
    frame = _tags(rng, cfg, frame, year, u)
    frame["physical_progress_note"] = _progress_notes(rng, frame)
    frame["project_id"] = _project_ids(rng, cfg, frame, year, u["code"])
    return frame


def _sloppiness(quality: np.ndarray, power: float) -> np.ndarray:
    """(p + 1)(1 − q)^p: averages 1 over uniform quality, high where quality is low."""
    return np.maximum((power + 1) * (1 - quality) ** power, 1e-9)


def _people(rng, cfg, k: int) -> list[str]:
    """`k` distinct invented personal names."""
    p = cfg["people"]
    names: list[str] = []
    while len(names) < k:
        given = "".join(
            p["given"][j] for j in rng.integers(len(p["given"]), size=rng.integers(1, 3))
        )
        name = p["surnames"][rng.integers(len(p["surnames"]))] + given
        if name not in names:
            names.append(name)
    return names


_DRAWS = (
    "sector", "pattern", "town", "town2", "park", "private", "n", "cn", "town_owner", "owner",
    "town_unit", "unit", "leader", "c_prefix", "c_brand", "c_trade", "c_suffix",
)  # fmt: skip
_COMPANY_DRAWS = ("c_prefix", "c_brand", "c_trade", "c_suffix")


def _company(cfg, trades: list[str] | None, draws: list[float]) -> str:
    """An invented company name in one of `trades` (the configured default when None)."""
    c = cfg["companies"]
    parts = (c["prefixes"], c["brands"], trades or c["trades"], c["suffixes"])
    return "".join(xs[int(d * len(xs))] for xs, d in zip(parts, draws, strict=True))


def _chinese_number(k: int) -> str:
    """1-99 in Chinese numerals (二, 十二, 二十三)."""
    if k < 10:
        return _CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + ("" if ones == 0 else _CN_DIGITS[ones])


def _unique_name(name: str, seen: dict[str, int]) -> str:
    """`name`, or with a phase suffix （二期）… when the name is already taken."""
    if name not in seen:
        seen[name] = 1
        return name
    stem, tail = (name[:-2], "项目") if name.endswith("项目") else (name, "")
    k = seen[name]
    while True:
        k += 1
        candidate = f"{stem}（{_phase(k)}期）{tail}"
        if candidate not in seen:
            break
    seen[name] = k
    seen[candidate] = 1
    return candidate


def _phase(k: int) -> str:
    return _chinese_number(k) if k < 100 else f"第{k}"


def _scope_figures(rng, size: np.ndarray) -> dict[str, list]:
    """Figures of each project's scope (area, length, capacity …) in proportion to its size (万元)."""
    n = len(size)
    # buildings take 35-60% of the investment at 2,500-4,500 元/m²
    area = np.maximum(
        500, np.round(size * 1e4 * rng.uniform(0.35, 0.6, n) / rng.uniform(2500, 4500, n), -2)
    )
    whole = lambda values: [int(v) for v in values]  # noqa: E731
    return {
        "area": whole(area),
        "k": whole(rng.integers(3, 13, n)),
        "mu": whole(np.maximum(100, np.round(size / rng.uniform(0.12, 0.3, n), -2))),
        "land": whole(np.maximum(20, np.round(size / rng.uniform(30, 150, n)))),
        "mw": whole(np.maximum(1, np.round(size / rng.uniform(400, 700, n)))),
        "km": [f"{v:.1f}" for v in np.maximum(0.5, size / rng.uniform(800, 3000, n))],
        "w": list(np.array(["6.5", "8.5", "12", "24"])[rng.integers(0, 4, n)]),
        "t": whole(np.maximum(50, np.round(size / rng.uniform(20, 50, n), -1))),
        "beds": whole(np.maximum(20, np.round(area / 90, -1))),
        "units": whole(np.maximum(20, np.round(area / 95, -1))),
    }


def _tags(rng, cfg, frame: pd.DataFrame, year: int, u: dict) -> pd.DataFrame:
    """三个一批 batch and kind, 982 programme and 531 tier."""
    n = len(frame)
    tb = cfg["three_batches"]
    nature, stage = frame["nature"].to_numpy(), frame["stage"].to_numpy()
    industrial = frame["category"].to_numpy() == next(iter(cfg["categories"]))
    start_q = (frame["planned_start"].dt.month.fillna(1).to_numpy(dtype=int) - 1) // 3 + 1
    done_q = (frame["planned_completion"].dt.month.fillna(1).to_numpy(dtype=int) - 1) // 3 + 1
    sw = np.asarray(cfg["starts"]["month_weights"], dtype=float).reshape(4, 3).sum(axis=1)
    signed_q = rng.choice([1, 2, 3, 4], n, p=sw / sw.sum())
    draw = rng.random(n)
    on_list = frame["on_list"].to_numpy()
    started_batch = on_list & (nature == "新开工") & (draw < tb["started_share"])
    operating_batch = on_list & (nature == "竣工") & industrial & (draw < tb["operating_share"])
    signed_batch = (
        ((nature == "前期") | ~on_list)
        & (frame["total_investment"].to_numpy() >= tb["signed_min"])
        & (draw < tb["signed_share"])
    )
    kind = np.select([started_batch, operating_batch, signed_batch], ["开工", "投产", "签约"], "")
    quarter = np.select([started_batch, operating_batch], [start_q, done_q], signed_q).astype(int)
    frame["batch_kind"] = pd.Series(kind, dtype="str").where(kind != "", None)
    frame["batch_quarter"] = pd.Series([f"{year}Q{q}" for q in quarter], dtype="str").where(
        kind != "", None
    )
    public_share = cfg["gaps"]["programme_982_share"]
    frame["programme_982"] = u["p982"] < np.where(industrial, public_share / 3, public_share)
    tier = np.select([stage == "谋划", stage == "储备", nature == "前期"], ["5", "3", "3"], "1")
    frame["tier_531"] = pd.Series(tier, dtype="str").where(
        u["tier"] >= cfg["gaps"]["tier_blank"], None
    )
    return frame


_NOTES = {
    "前期": [
        "正在办理前期手续",
        "正在编制可行性研究报告",
        "已完成立项，正在办理用地手续",
        "正在进行方案设计",
    ],
    "在建_new": ["已开工，正在进行场地平整", "基础工程施工中", "主体工程施工中"],
    "在建_old": [
        "主体结构施工中",
        "二次结构及装饰装修施工",
        "设备安装调试中",
        "室外配套工程施工",
        "主体已封顶",
    ],
    "在建_done": ["收尾工程施工中", "正在准备竣工验收"],
    "建成": ["已竣工验收"],
    "投产": ["已竣工投产"],
    "谋划": ["谋划阶段"],
    "储备": ["项目储备，正在开展前期研究"],
}


def _progress_notes(rng, frame: pd.DataFrame) -> list:
    notes = []
    for stage, nature, blank in zip(
        frame["stage"].tolist(),
        frame["nature"].tolist(),
        rng.random(len(frame)) < 0.04,
        strict=True,
    ):
        key = stage
        if stage == "在建":
            key = {"新开工": "在建_new", "竣工": "在建_done"}.get(nature, "在建_old")
        options = _NOTES[key]
        notes.append(None if blank else options[rng.integers(len(options))])
    return notes


def _project_ids(rng, cfg, frame: pd.DataFrame, year: int, draw: np.ndarray) -> list[str]:
    """National codes (YYMM-RRRRRR-MM-TT-NNNNNN) for most projects; derived ids for the rest."""
    n = len(frame)
    cc = cfg["codes"]
    gap = np.where(
        frame["on_list"],
        frame["nature"].map(cfg["gaps"]["no_code"]),
        frame["stage"].map(cfg["gaps"]["no_code"]),
    )
    has_code = draw >= gap.astype(float)
    anchor = frame["actual_start"].fillna(frame["planned_start"])
    months_before = rng.integers(cc["months_before_start"][0], cc["months_before_start"][1] + 1, n)
    anchor_m = (
        anchor.dt.year.to_numpy(dtype=float, na_value=year) * 12
        + anchor.dt.month.to_numpy(dtype=float, na_value=1)
        - 1
    )
    issued = np.minimum(anchor_m - months_before, year * 12 + 11).astype(int)
    yymm = [f"{(m // 12) % 100:02d}{m % 12 + 1:02d}" for m in issued]
    pick = rng.random(n)
    ministry = [
        cc["ministry"][c][int(d * len(cc["ministry"][c]))]
        for c, d in zip(frame["category"], pick, strict=True)
    ]
    kind = np.where(frame["public"], cc["type_public"], cc["type_private"])
    serial = rng.choice(100_000, n, replace=False)  # distinct serial numbers, so distinct codes
    region = cfg["county"]["region_code"]
    digits = (serial[:, None] // 10 ** np.arange(4, -1, -1)) % 10
    check = (digits * np.arange(1, 6)).sum(axis=1) % 10
    names, owners = frame["name"].tolist(), frame["owner"].tolist()
    return [
        f"{yymm[i]}-{region}-{ministry[i]}-{kind[i]}-{serial[i]:05d}{check[i]}"
        if has_code[i]
        else derived_project_id(names[i], owners[i])
        for i in range(n)
    ]


def _ordered(frame: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Rows in ledger order: list before reserve, then category, level, size (largest first)."""
    key = frame.assign(
        _list=~frame["on_list"],
        _cat=frame["category"].map({c: i for i, c in enumerate(categories)}),
        _lvl=frame["level"].map({lv: i for i, lv in enumerate(LEVELS)}),
        _size=-frame["total_investment"],
    )
    order = key.sort_values(["_list", "_cat", "_lvl", "_size"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _projects_table(frame: pd.DataFrame) -> pd.DataFrame:
    from workbench.model.schemas import columns_of

    return frame[columns_of("projects")].reset_index(drop=True)


# --- monthly planned and completed investment ------------------------------------------------------


def _spread(weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Row totals spread over months by weights, in cents, the remainder on the last active month."""
    sums = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)
    out = np.round(share * totals[:, None], 2)
    active = weights > 0
    last = np.where(active.any(axis=1), MONTHS - 1 - np.argmax(active[:, ::-1], axis=1), MONTHS - 1)
    rows = np.arange(len(totals))
    residual = totals - out.sum(axis=1) + out[rows, last]
    out[rows, last] = np.round(np.maximum(residual, 0), 2)
    return out


def _curve(
    first: np.ndarray, last: np.ndarray, shape, blend: float, season: np.ndarray
) -> np.ndarray:
    """Monthly weights of an S-curve (beta density blended with an even spread) between months first..last."""
    month = np.arange(1, MONTHS + 1)[None, :]
    first, last = first[:, None], last[:, None]
    active = (month >= first) & (month <= last)
    length = np.maximum(last - first + 1, 1)
    x = np.clip((month - first + 0.5) / length, 1e-6, 1 - 1e-6)
    density = x ** (shape[0] - 1) * (1 - x) ** (shape[1] - 1)
    density = density / np.maximum((density * active).sum(axis=1, keepdims=True), 1e-12) * length
    w = (blend * density + (1 - blend)) * season[None, :]
    return np.where(active, w, 0.0)


def _progress_table(rng, cfg, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    n = len(frame)
    season = np.asarray(cfg["season"], dtype=float)
    shape, blend = cfg["s_curve_shape"], cfg["s_curve_blend"]
    nature = frame["nature"].to_numpy()
    is_new, is_done = nature == "新开工", nature == "竣工"
    plan_first = np.where(
        is_new, np.clip(_month_index(frame["planned_start"].to_numpy(), year), 1, 12), 1
    )
    plan_last = np.where(
        is_done, np.clip(_month_index(frame["planned_completion"].to_numpy(), year), 1, 12), 12
    )
    curved = np.where(is_new, blend, 0.0)
    planned_w = _curve_rows(plan_first, plan_last, shape, curved, season)
    annual = frame["annual_plan"].to_numpy(dtype=float)
    planned = _spread(planned_w, annual)

    actual_start = _month_index(frame["actual_start"].to_numpy(), year)
    started = frame["started"].to_numpy(dtype=bool)
    done_m = _month_index(frame["actual_completion"].to_numpy(), year)
    act_first = np.where(is_new, np.clip(actual_start, 1, 13), 1)
    act_last = np.where(is_done & (done_m <= 12), np.clip(done_m, 1, 12), 12)
    dc = cfg["delivery"]
    q = frame["quality"].to_numpy()
    ratio = np.exp(
        rng.normal(dc["log_ratio_mean"] + dc["quality_effect"] * (q - 0.5), dc["log_ratio_sd"], n)
    )
    month = np.arange(1, MONTHS + 1)[None, :]
    reachable = (planned * (month >= act_first[:, None])).sum(axis=1)
    missed = annual - reachable
    target = ratio * (reachable + 0.3 * missed)
    target = np.where(is_new & ~started, 0.0, target)
    noise = np.exp(rng.normal(0, dc["monthly_noise_sd"], (n, MONTHS)))
    completed_w = _curve_rows(act_first, act_last, shape, curved, season) * noise
    completed = _spread(completed_w, np.round(target, 2))

    ids = np.repeat(frame["project_id"].to_numpy(), MONTHS)
    months = np.tile(_dates(year, np.arange(1, MONTHS + 1), 1), n)
    return pd.DataFrame(
        {
            "project_id": ids,
            "month": months,
            "planned": planned.ravel(),
            "completed": completed.ravel(),
            "physical_progress": np.nan,
        }
    )


def _curve_rows(first, last, shape, blend: np.ndarray, season) -> np.ndarray:
    """`_curve` with a per-row blend."""
    curved = _curve(first, last, shape, 1.0, season)
    even = _curve(first, last, shape, 0.0, season)
    return blend[:, None] * curved + (1 - blend[:, None]) * even


# --- approvals, funding, problems, milestones --------------------------------------------------------


def _logistic(p: np.ndarray, shift: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.005, 0.995)
    return 1 / (1 + np.exp(-(np.log(p / (1 - p)) + shift)))


_LEAD_MONTHS = {
    "立项": (12, 30),
    "用地": (6, 18),
    "规划": (3, 10),
    "环评": (4, 12),
    "能评": (4, 12),
    "施工许可": (0, 2),
}


def _approvals_table(rng, cfg, frame: pd.DataFrame, report) -> pd.DataFrame:
    ac = cfg["approvals"]
    items = ac["items"]
    keep = frame["stage"].to_numpy() != "谋划"
    sub = frame[keep]
    n, k = len(sub), len(items)
    q = sub["quality"].to_numpy()
    started = sub["started"].to_numpy(dtype=bool)
    prep = (sub["nature"].to_numpy() == "前期") | ~sub["on_list"].to_numpy()
    base = np.empty((n, k))
    for j, item in enumerate(items):
        base[:, j] = np.select(
            [started, prep],
            [ac["done_started"][item], ac["done_preparatory"][item]],
            ac["done_not_started"][item],
        )
    base = np.where(sub["on_list"].to_numpy()[:, None], base, base * 0.5)
    p_done = _logistic(base, ac["quality_effect"] * (q[:, None] - 0.5))
    not_required = np.stack(
        [rng.random(n) < ac["not_required"].get(item, 0.0) for item in items], axis=1
    )
    done = ~not_required & (rng.random((n, k)) < p_done)
    in_progress = ~not_required & ~done & (rng.random((n, k)) < ac["in_progress_share"])
    status = np.select(
        [not_required, done, in_progress], ["not_required", "done", "in_progress"], "not_started"
    )

    report64 = np.datetime64(report.date(), "us")
    anchor = (
        sub["actual_start"]
        .fillna(sub["planned_start"])
        .fillna(report)
        .to_numpy()
        .astype("datetime64[us]")
    )
    lead = np.stack([rng.uniform(*_LEAD_MONTHS[item], n) * 30.4 for item in items], axis=1)
    approved = _add_days(anchor[:, None], -np.round(lead))
    approved = np.minimum(
        approved, _add_days(np.full((n, k), report64), -rng.integers(5, 120, (n, k)))
    )
    validity = np.array([ac["validity_years"][item] for item in items]) * 365
    expire_now = ~started[:, None] & (rng.random((n, k)) < ac["expired_share"])
    old = _add_days(np.full((n, k), report64), -(validity[None, :] + rng.integers(20, 200, (n, k))))
    approved = np.where(done & expire_now, old, approved)
    expires = _add_days(approved, np.broadcast_to(validity, (n, k)))
    nat = np.datetime64("NaT", "us")
    approved = np.where(done, approved, nat)
    expires = np.where(done & ~started[:, None], expires, nat)
    return pd.DataFrame(
        {
            "project_id": np.repeat(sub["project_id"].to_numpy(), k),
            "item": np.tile(items, n),
            "status": status.ravel(),
            "approved_on": approved.ravel(),
            "expires_on": expires.ravel(),
        }
    )


def _in_year(rng, year: int, size: int, report) -> np.ndarray:
    """Random dates from 5 January to a fortnight before the report date."""
    start = np.datetime64(f"{year}-01-05", "D")
    span = int((np.datetime64(report.date(), "D") - start).astype(int)) - 14
    return (start + rng.integers(0, max(span, 1), size).astype("timedelta64[D]")).astype(
        "datetime64[us]"
    )


def _funding_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    fc = cfg["funding"]
    parts = []
    listed = frame[frame["on_list"] & (frame["annual_plan"] > 0)]
    n = len(listed)
    q = listed["quality"].to_numpy()
    coverage = _interpolate(fc["coverage"], np.clip(0.85 * q + 0.15 * rng.random(n), 0, 1))
    unfunded = (coverage < fc["unfunded_below"]) & (rng.random(n) < fc["unfunded_share"])
    unfunded |= listed["neglected"].to_numpy(dtype=bool)  # paper projects have no money lined up
    count = np.where(
        unfunded, 0, rng.integers(fc["sources_per_project"][0], fc["sources_per_project"][1] + 1, n)
    )
    rows = np.repeat(np.arange(n), count)
    public = listed["public"].to_numpy()[rows]
    pub, priv = fc["public_sources"], fc["private_sources"]
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    start_pub = rng.integers(0, len(pub), n)[rows]
    start_priv = rng.integers(0, len(priv), n)[rows]
    source = np.where(
        public,
        np.array(pub)[(start_pub + offset) % len(pub)],
        np.array(priv)[(start_priv + offset) % len(priv)],
    )
    share = rng.gamma(2.0, 1.0, len(rows))
    share = share / np.bincount(rows, share, minlength=n)[rows]
    amount = _rounded_amount(coverage[rows] * listed["annual_plan"].to_numpy()[rows] * share)
    upper = np.isin(source, ["地方政府专项债券", "中央预算内投资"])
    u = rng.random(len(rows))
    received_p = fc["received_share"] * (0.5 + q[rows])
    status = np.where(
        upper & (u < fc["bond_applied_share"] * (1.3 - 0.6 * q[rows])),
        "applied",
        np.where(rng.random(len(rows)) < received_p, "received", "approved"),
    )
    parts.append(
        pd.DataFrame(
            {
                "project_id": listed["project_id"].to_numpy()[rows],
                "source": source,
                "amount": np.maximum(amount, 1.0),
                "status": status,
                "dated": _in_year(rng, year, len(rows), report),
            }
        )
    )
    reserve = frame[~frame["on_list"]]
    applying = reserve[rng.random(len(reserve)) < fc["reserve_applied_share"]]
    m = len(applying)
    parts.append(
        pd.DataFrame(
            {
                "project_id": applying["project_id"].to_numpy(),
                "source": np.where(rng.random(m) < 0.6, "地方政府专项债券", "中央预算内投资"),
                "amount": _rounded_amount(
                    applying["total_investment"].to_numpy() * rng.uniform(0.05, 0.3, m)
                ),
                "status": "applied",
                "dated": _in_year(rng, year, m, report),
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    order = {pid: i for i, pid in enumerate(frame["project_id"])}
    return out.iloc[np.argsort(out["project_id"].map(order).to_numpy(), kind="stable")].reset_index(
        drop=True
    )


def _owner_names(rng, cfg, units: np.ndarray) -> np.ndarray:
    """Invented persons in charge, written "姓名（单位）"."""
    p = cfg["people"]
    sur = np.array(p["surnames"])[rng.integers(len(p["surnames"]), size=len(units))]
    g1 = np.array(p["given"])[rng.integers(len(p["given"]), size=len(units))]
    g2 = np.where(
        rng.random(len(units)) < 0.6,
        np.array(p["given"])[rng.integers(len(p["given"]), size=len(units))],
        "",
    )
    unit = np.where(pd.isna(units), "", units).astype(str)
    return np.char.add(
        np.char.add(np.char.add(sur.astype(str), g1.astype(str)), g2.astype(str)),
        np.where(unit == "", "", np.char.add(np.char.add("（", unit), "）")),
    )


def _problems_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    pc = cfg["problems"]
    n = len(frame)
    q = frame["quality"].to_numpy()
    count = rng.poisson(_interpolate(pc["per_project"][::-1], q))
    count = np.minimum(count, len(pc["texts"]))
    rows = np.repeat(np.arange(n), count)
    r = len(rows)
    offset = np.arange(r) - np.repeat(np.cumsum(count) - count, count)
    texts = np.array(pc["texts"])[
        (rng.integers(0, len(pc["texts"]), n)[rows] + offset) % len(pc["texts"])
    ]
    raised = _in_year(rng, year, r, report)
    due = _add_days(raised, rng.integers(pc["due_days"][0], pc["due_days"][1] + 1, r))
    resolved_p = _interpolate(pc["resolved_share"][::-1], q[rows])
    late = rng.random(r) < pc["late_resolution_share"]
    resolved = np.where(
        late,
        _add_days(due, rng.integers(5, 46, r)),
        _add_days(raised, rng.integers(3, pc["due_days"][0], r)),
    )
    report64 = np.datetime64(report.date(), "us")
    resolved = np.where(
        (rng.random(r) < resolved_p) & (resolved <= report64), resolved, np.datetime64("NaT", "us")
    )
    owner = _owner_names(rng, cfg, frame["responsible_unit"].to_numpy()[rows])
    owner = np.where(rng.random(r) < 0.08, None, owner)
    return pd.DataFrame(
        {
            "project_id": frame["project_id"].to_numpy()[rows],
            "problem": texts,
            "owner": pd.Series(owner, dtype="str"),
            "raised_on": raised,
            "due_on": due,
            "resolved_on": resolved,
        }
    )


def _milestones_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    mc = cfg["milestones"]
    n = len(frame)
    q = frame["quality"].to_numpy()
    lists = {
        "新开工": mc["names"]["new_start"],
        "续建": mc["names"]["continuing"],
        "竣工": mc["names"]["completing"],
        "前期": mc["names"]["preparatory"],
    }
    nature = frame["nature"].to_numpy()
    longest = np.array([len(lists[k]) for k in nature])
    has = rng.random(n) < _interpolate(mc["share_with"], q)
    count = np.where(has, np.minimum(rng.integers(3, 7, n), longest), 0)
    rows = np.repeat(np.arange(n), count)
    r = len(rows)
    offset = np.arange(r) - np.repeat(np.cumsum(count) - count, count)
    names = np.array([lists[nature[i]][j] for i, j in zip(rows, offset, strict=True)], dtype=object)
    # evenly spaced through the year, jittered, in order
    position = (offset + rng.uniform(0.2, 0.8, r)) / count[rows]
    day_of_year = np.round(10 + position * 340).astype(int)
    planned = _add_days(np.full(r, np.datetime64(f"{year}-01-01", "us")), day_of_year)
    report64 = np.datetime64(report.date(), "us")
    late = rng.random(r) < mc["late_share"] * (1.5 - q[rows])
    done = np.where(
        late,
        _add_days(planned, rng.integers(10, 90, r)),
        _add_days(planned, rng.integers(-12, 6, r)),
    )
    never = late & (rng.random(r) < 0.5)
    done = np.where(never | (done > report64), np.datetime64("NaT", "us"), done)
    owner = _owner_names(rng, cfg, frame["responsible_unit"].to_numpy()[rows])
    owner = np.where(rng.random(r) < _interpolate(mc["owner_share"], q[rows]), owner, None)
    return pd.DataFrame(
        {
            "project_id": frame["project_id"].to_numpy()[rows],
            "milestone": names,
            "owner": pd.Series(owner, dtype="str"),
            "planned_on": planned,
            "done_on": done,
        }
    )
