"""What changed between two snapshots: tidy tables, one per kind of change (docs/history.md).

`diff_ledgers` compares two Ledgers (projects matched by `identity`); `diff_snapshots` two
stored snapshots (projects matched by the keys given when they were added). Every table starts
with ``project_key``, ``project_id``, ``name``, ``responsible_unit`` of the newer snapshot (the
older one for dropped projects). Codes, not words: presentation translates them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.vocabulary import OPERATING_STAGES, RESERVE_STAGES, UNSTARTED_STAGES
from workbench.exceptions import StoreError
from workbench.history.changes import (
    BASELINE_FIELDS,
    approvals_done,
    funding_changes,
    problem_changes,
    stale_units,
)
from workbench.history.identity import LINK_COLUMNS, project_keys
from workbench.history.snapshots import read_snapshot, snapshot_date
from workbench.history.store import Store, connection, snapshot_id_of
from workbench.model.ledger import Ledger

ID_COLUMNS = ["project_key", "project_id", "name", "responsible_unit"]


@dataclass(frozen=True)
class Diff:
    """The changes from one snapshot (``from_as_of``) to a later one (``to_as_of``)."""

    from_as_of: pd.Timestamp
    to_as_of: pd.Timestamp
    added: pd.DataFrame
    dropped: pd.DataFrame
    renamed: pd.DataFrame
    uncertain: pd.DataFrame
    stages: pd.DataFrame
    rebaselines: pd.DataFrame
    investment: pd.DataFrame
    problems_opened: pd.DataFrame
    problems_closed: pd.DataFrame
    problems_overdue: pd.DataFrame
    approvals_done: pd.DataFrame
    funding: pd.DataFrame
    stale_units: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The change tables by name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if isinstance(getattr(self, f.name), pd.DataFrame)}

    def counts(self) -> dict[str, int]:
        """Rows per change table."""
        return {name: len(frame) for name, frame in self.tables().items()}

    def to_json(self) -> str:
        """The diff as JSON: dates ISO, missing values null, Chinese kept as written."""
        out = {"from": f"{self.from_as_of:%Y-%m-%d}", "to": f"{self.to_as_of:%Y-%m-%d}",
               "counts": self.counts()}
        for name, frame in self.tables().items():
            out[name] = json.loads(frame.to_json(orient="records", date_format="iso",
                                                 force_ascii=False))
        return json.dumps(out, ensure_ascii=False, indent=1)


def diff_ledgers(old: Ledger, new: Ledger, old_as_of=None, new_as_of=None) -> Diff:
    """The changes from `old` to `new`, projects matched by id, else by a close name and owner."""
    keys_old = old.projects["project_id"].astype("str")
    ids_new = set(new.projects["project_id"])
    vanished = old.projects[~old.projects["project_id"].isin(ids_new)].assign(
        project_key=lambda f: f["project_id"])
    known = dict(zip(keys_old, keys_old, strict=True))
    keys_new, links = project_keys(new.projects, known, vanished)
    return changes_between(old, dict(zip(old.projects["project_id"], keys_old, strict=True)),
                           new, dict(zip(new.projects["project_id"], keys_new, strict=True)),
                           snapshot_date(old, old_as_of), snapshot_date(new, new_as_of), links)


def diff_snapshots(from_=None, to=None, store: Store = None) -> Diff:
    """The changes between two stored snapshots (by id, ISO date or "latest"); by default the
    latest against the one before it."""
    with connection(store) as con:
        new_id = snapshot_id_of(con, to if to is not None else "latest")
        if from_ is None:
            found = con.execute(
                "SELECT snapshot_id FROM snapshots WHERE (as_of, snapshot_id) < (SELECT (as_of, "
                "snapshot_id) FROM snapshots WHERE snapshot_id = ?) ORDER BY as_of DESC, "
                "snapshot_id DESC LIMIT 1", [new_id]).fetchone()
            if found is None:
                raise StoreError("快照库中只有一个快照，无从比较 / only one snapshot: nothing to "
                                 "compare", value=str(new_id))
            old_id = int(found[0])
        else:
            old_id = snapshot_id_of(con, from_)
        dates = dict(con.execute("SELECT snapshot_id, as_of FROM snapshots WHERE snapshot_id IN "
                                 "(?, ?)", [old_id, new_id]).fetchall())
        keys = {sid: dict(con.execute("SELECT project_id, project_key FROM projects WHERE "
                                      "snapshot_id = ?", [sid]).fetchall())
                for sid in (old_id, new_id)}
        links = con.execute(f"SELECT {', '.join(LINK_COLUMNS)} FROM links WHERE snapshot_id > ? "
                            "AND snapshot_id <= ?", [min(old_id, new_id), max(old_id, new_id)]).df()
    old, new = read_snapshot(old_id, store), read_snapshot(new_id, store)
    return changes_between(old, keys[old_id], new, keys[new_id], pd.Timestamp(dates[old_id]),
                           pd.Timestamp(dates[new_id]), links)


def changes_between(old: Ledger, old_keys: dict, new: Ledger, new_keys: dict,
                    old_as_of: pd.Timestamp, new_as_of: pd.Timestamp,
                    links: pd.DataFrame) -> Diff:
    """The Diff of two Ledgers whose projects carry the given keys."""
    a = _keyed(old.projects, old_keys)
    b = _keyed(new.projects, new_keys)
    both = b.merge(a, on="project_key", suffixes=("", "_old"))
    ids = {"old": a.set_index("project_key")[ID_COLUMNS[1:]],
           "new": b.set_index("project_key")[ID_COLUMNS[1:]]}
    renamed = both[both["name"] != both["name_old"]]
    review = links[links["decision"] == "review"] if len(links) else links
    return Diff(
        from_as_of=old_as_of, to_as_of=new_as_of,
        added=b[~b["project_key"].isin(set(a["project_key"]))][ID_COLUMNS].reset_index(drop=True),
        dropped=a[~a["project_key"].isin(set(b["project_key"]))][ID_COLUMNS].reset_index(drop=True),
        renamed=renamed[[*ID_COLUMNS, "name_old"]].rename(columns={"name_old": "old"})
        .assign(new=lambda f: f["name"]).reset_index(drop=True),
        uncertain=review.reset_index(drop=True),
        stages=_stages(both),
        rebaselines=_rebaselines(both),
        investment=_investment(old, old_keys, new, new_keys, ids["new"]),
        **problem_changes(old.problems, old_keys, new.problems, new_keys, ids, new_as_of),
        approvals_done=approvals_done(old.approvals, old_keys, new.approvals, new_keys, ids["new"]),
        funding=funding_changes(old.funding, old_keys, new.funding, new_keys, ids["new"]),
        stale_units=stale_units(old.progress, old_keys, new.progress, new_keys, b),
    )


def _keyed(projects: pd.DataFrame, keys: dict) -> pd.DataFrame:
    return projects.assign(project_key=projects["project_id"].map(keys).astype("str"))


def _stages(both: pd.DataFrame) -> pd.DataFrame:
    changed = both[both["stage"] != both["stage_old"]]
    old, new = changed["stage_old"], changed["stage"]
    event = np.select(
        [old.isin(UNSTARTED_STAGES) & ~new.isin(UNSTARTED_STAGES),
         ~old.isin(OPERATING_STAGES) & new.isin(OPERATING_STAGES),
         old.isin(RESERVE_STAGES) & ~new.isin(RESERVE_STAGES)],
        ["start", "complete", "listed"], "other")
    if len(changed):  # a project both started and finished between the two: finished
        event = np.where(event == "start", np.where(new.isin(OPERATING_STAGES), "complete", "start"),
                         event)
    return changed[ID_COLUMNS].assign(old=old.to_numpy(), new=new.to_numpy(),
                                      event=pd.array(event, dtype="str")).reset_index(drop=True)


def _rebaselines(both: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for field in BASELINE_FIELDS:
        old, new = both[f"{field}_old"], both[field]
        differs = ~((old == new) | (old.isna() & new.isna()))
        if differs.any():
            rows = both.loc[differs, ID_COLUMNS]
            parts.append(rows.assign(field=field, old=old[differs].astype(object).to_numpy(),
                                     new=new[differs].astype(object).to_numpy()))
    columns = [*ID_COLUMNS, "field", "old", "new"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _investment(old: Ledger, old_keys: dict, new: Ledger, new_keys: dict,
                ids: pd.DataFrame) -> pd.DataFrame:
    """Completed investment this year per project at each snapshot, and what the period added."""
    def done(ledger: Ledger, keys: dict) -> pd.Series:
        p = ledger.progress
        if ledger.year is not None:
            p = p[p["month"].dt.year == ledger.year]
        return p.groupby(p["project_id"].map(keys))["completed"].sum(min_count=1)

    before, after = done(old, old_keys), done(new, new_keys)
    frame = pd.DataFrame({"completed_before": before.reindex(ids.index),
                          "completed_after": after.reindex(ids.index)})
    frame["done_in_period"] = frame["completed_after"] - frame["completed_before"].fillna(0.0)
    out = ids.join(frame).reset_index()
    return out[[*ID_COLUMNS, "completed_before", "completed_after", "done_in_period"]]
