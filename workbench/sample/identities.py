"""Who and what each project is: name, owner, place, responsible unit, leader and scope.

Names come from the configured sector patterns that fit a project's size; owners, companies
and people are invented from word lists. Blanks (a missing owner, scope, sector …) gather in
poorly planned projects, as in real ledgers. The tags and project codes follow (`tags.py`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.sample.numerals import chinese_number
from workbench.sample.tags import add_tags, progress_notes, project_ids


def name_options(cfg) -> dict[str, list[tuple[str, str, float, float]]]:
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


def add_identities(rng, cfg, frame: pd.DataFrame, year: int) -> pd.DataFrame:
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
    options = name_options(cfg)
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
            cn=chinese_number(2 + int(draw["cn"][i] * 4)),
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
    frame = add_tags(rng, cfg, frame, year, u)
    frame["physical_progress_note"] = progress_notes(rng, frame)
    frame["project_id"] = project_ids(rng, cfg, frame, year, u["code"])
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
    return chinese_number(k) if k < 100 else f"第{k}"


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
