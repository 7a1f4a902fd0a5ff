"""The item tables of a sample ledger: approvals, funding, problems and milestones.

Each row belongs to a project; how complete and how timely they are follows the project's
planning quality (approvals done, money lined up, problems resolved, milestones met).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.sample.draws import add_days, dates_in_year, interpolate, logistic, rounded_amount

_LEAD_MONTHS = {
    "立项": (12, 30),
    "用地": (6, 18),
    "规划": (3, 10),
    "环评": (4, 12),
    "能评": (4, 12),
    "施工许可": (0, 2),
}


def approvals_table(rng, cfg, frame: pd.DataFrame, report) -> pd.DataFrame:
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
    p_done = logistic(base, ac["quality_effect"] * (q[:, None] - 0.5))
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
    approved = add_days(anchor[:, None], -np.round(lead))
    approved = np.minimum(
        approved, add_days(np.full((n, k), report64), -rng.integers(5, 120, (n, k)))
    )
    validity = np.array([ac["validity_years"][item] for item in items]) * 365
    expire_now = ~started[:, None] & (rng.random((n, k)) < ac["expired_share"])
    old = add_days(np.full((n, k), report64), -(validity[None, :] + rng.integers(20, 200, (n, k))))
    approved = np.where(done & expire_now, old, approved)
    expires = add_days(approved, np.broadcast_to(validity, (n, k)))
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


def funding_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    fc = cfg["funding"]
    parts = []
    listed = frame[frame["on_list"] & (frame["annual_plan"] > 0)]
    n = len(listed)
    q = listed["quality"].to_numpy()
    coverage = interpolate(fc["coverage"], np.clip(0.85 * q + 0.15 * rng.random(n), 0, 1))
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
    amount = rounded_amount(coverage[rows] * listed["annual_plan"].to_numpy()[rows] * share)
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
                "dated": dates_in_year(rng, year, len(rows), report),
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
                "amount": rounded_amount(
                    applying["total_investment"].to_numpy() * rng.uniform(0.05, 0.3, m)
                ),
                "status": "applied",
                "dated": dates_in_year(rng, year, m, report),
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    order = {pid: i for i, pid in enumerate(frame["project_id"])}
    return out.iloc[np.argsort(out["project_id"].map(order).to_numpy(), kind="stable")].reset_index(
        drop=True
    )


def problems_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
    pc = cfg["problems"]
    n = len(frame)
    q = frame["quality"].to_numpy()
    count = rng.poisson(interpolate(pc["per_project"][::-1], q))
    count = np.minimum(count, len(pc["texts"]))
    rows = np.repeat(np.arange(n), count)
    r = len(rows)
    offset = np.arange(r) - np.repeat(np.cumsum(count) - count, count)
    texts = np.array(pc["texts"])[
        (rng.integers(0, len(pc["texts"]), n)[rows] + offset) % len(pc["texts"])
    ]
    raised = dates_in_year(rng, year, r, report)
    due = add_days(raised, rng.integers(pc["due_days"][0], pc["due_days"][1] + 1, r))
    resolved_p = interpolate(pc["resolved_share"][::-1], q[rows])
    late = rng.random(r) < pc["late_resolution_share"]
    resolved = np.where(
        late,
        add_days(due, rng.integers(5, 46, r)),
        add_days(raised, rng.integers(3, pc["due_days"][0], r)),
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


def milestones_table(rng, cfg, frame: pd.DataFrame, year: int, report) -> pd.DataFrame:
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
    has = rng.random(n) < interpolate(mc["share_with"], q)
    count = np.where(has, np.minimum(rng.integers(3, 7, n), longest), 0)
    rows = np.repeat(np.arange(n), count)
    r = len(rows)
    offset = np.arange(r) - np.repeat(np.cumsum(count) - count, count)
    names = np.array([lists[nature[i]][j] for i, j in zip(rows, offset, strict=True)], dtype=object)
    # evenly spaced through the year, jittered, in order
    position = (offset + rng.uniform(0.2, 0.8, r)) / count[rows]
    day_of_year = np.round(10 + position * 340).astype(int)
    planned = add_days(np.full(r, np.datetime64(f"{year}-01-01", "us")), day_of_year)
    report64 = np.datetime64(report.date(), "us")
    late = rng.random(r) < mc["late_share"] * (1.5 - q[rows])
    done = np.where(
        late,
        add_days(planned, rng.integers(10, 90, r)),
        add_days(planned, rng.integers(-12, 6, r)),
    )
    never = late & (rng.random(r) < 0.5)
    done = np.where(never | (done > report64), np.datetime64("NaT", "us"), done)
    owner = _owner_names(rng, cfg, frame["responsible_unit"].to_numpy()[rows])
    owner = np.where(rng.random(r) < interpolate(mc["owner_share"], q[rows]), owner, None)
    return pd.DataFrame(
        {
            "project_id": frame["project_id"].to_numpy()[rows],
            "milestone": names,
            "owner": pd.Series(owner, dtype="str"),
            "planned_on": planned,
            "done_on": done,
        }
    )
