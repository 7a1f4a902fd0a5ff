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
from workbench.core.words import error_message
from workbench.exceptions import StoreError
from workbench.history.changes import BASELINE_FIELDS, ID_COLUMNS, QUERIES, change_table
from workbench.history.identity import LINK_COLUMNS
from workbench.history.snapshots import add_to, snapshot_date
from workbench.history.store import Store, connection, memory_store, snapshot_id_of
from workbench.model.ledger import Ledger


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
    """The changes from `old` to `new`, projects matched by id, else by a close name and owner
    (both go through an in-memory store: the same tables and queries as stored snapshots)."""
    with memory_store() as con:
        a = add_to(con, old, as_of=snapshot_date(old, old_as_of), content_hash="old")
        b = add_to(con, new, as_of=snapshot_date(new, new_as_of), content_hash="new")
        return diff_in(con, a.snapshot_id, b.snapshot_id)


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
                raise StoreError(error_message("store_one_snapshot"), value=str(new_id))
            old_id = int(found[0])
        else:
            old_id = snapshot_id_of(con, from_)
        return diff_in(con, old_id, new_id)


def diff_in(con, old: int, new: int) -> Diff:
    """The Diff between two snapshots of an open store."""
    dates = dict(con.execute("SELECT snapshot_id, as_of FROM snapshots WHERE snapshot_id IN "
                             "(?, ?)", [old, new]).fetchall())
    links = con.execute(f"SELECT {', '.join(LINK_COLUMNS)} FROM links WHERE snapshot_id > ? "
                        "AND snapshot_id <= ? AND decision = 'review'",
                        [min(old, new), max(old, new)]).df()
    tables = {name: change_table(con, name, old, new) for name in QUERIES}
    changed = tables.pop("changed")
    renamed = changed[changed["name"] != changed["name_old"]]
    return Diff(
        from_as_of=pd.Timestamp(dates[old]), to_as_of=pd.Timestamp(dates[new]),
        renamed=renamed[[*ID_COLUMNS, "name_old"]].rename(columns={"name_old": "old"})
        .assign(new=lambda f: f["name"]).reset_index(drop=True),
        uncertain=links, stages=_stages(changed), rebaselines=_rebaselines(changed), **tables)


def _stages(both: pd.DataFrame) -> pd.DataFrame:
    changed = both[both["stage"] != both["stage_old"]]
    old, new = changed["stage_old"], changed["stage"]
    # the first that holds: a project both started and finished between the two is finished
    event = np.select(
        [~old.isin(OPERATING_STAGES) & new.isin(OPERATING_STAGES),
         old.isin(UNSTARTED_STAGES) & ~new.isin(UNSTARTED_STAGES),
         old.isin(RESERVE_STAGES) & ~new.isin(RESERVE_STAGES)],
        ["complete", "start", "listed"], "other")
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
