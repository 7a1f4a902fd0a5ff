"""`merge_ledgers`: the inputs loaded, linked and merged into one Ledger that keeps the source
of every value, with the pairs left to a person, the conflicts, the projects found in one source
only and the accounting of every input row (linked, unique to its source, or rejected with the
loader's reason; the counts must add up, else the merge refuses to return).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.vocabulary import TABLE_NAMES
from workbench.core.words import error_message
from workbench.exceptions import LedgerDataError
from workbench.model.ledger import Ledger
from workbench.reconcile.choose import CONFLICT_COLUMNS, chosen_values, value_sources
from workbench.reconcile.linkage import projects_from_pairs, scored_pairs
from workbench.reconcile.records import Loaded, load_sources, records_of, written_masks
from workbench.reconcile.settings import Settings, reconcile_settings

ACCOUNT_COLUMNS = ["source", "role", "file", "rows", "linked", "unique", "rejected", "accounted"]


@dataclass(frozen=True)
class Merged:
    """What a merge made.

    ``ledger`` the merged Ledger (``provenance["projects"]`` names the file, sheet and Excel
    row of each project's base record); ``value_sources`` where every value of its projects
    table came from (project, field, source, file, sheet, Excel row); ``records`` every accepted
    input row with its merged project and ``status`` ("linked" / "unique"); ``pairs`` every
    scored pair with its match probability and ``decision`` ("link" / "review"); ``review`` the
    pairs left to a person; ``conflicts`` the field-level differences (value per source, the
    chosen value and the rule that chose it, with provenance); ``unique`` the projects found in
    one source only; ``rejected`` the input rows the loader rejected, with the reason;
    ``accounts`` per source, data rows read = linked + unique + rejected.
    """

    ledger: Ledger = field(repr=False)
    sources: list = field(repr=False)
    records: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    conflicts: pd.DataFrame = field(repr=False)
    value_sources: pd.DataFrame = field(repr=False)
    rejected: pd.DataFrame = field(repr=False)
    accounts: pd.DataFrame
    settings: Settings = field(repr=False)

    @property
    def review(self) -> pd.DataFrame:
        """The pairs a person decides (never merged): ``decision == "review"``."""
        return self.pairs[self.pairs["decision"] == "review"].reset_index(drop=True)

    @property
    def unique(self) -> pd.DataFrame:
        """The records whose project no other source holds, by source."""
        return self.records[self.records["status"] == "unique"].reset_index(drop=True)


def merge_ledgers(sources, precedence: str | Path | None = None, year: int | None = None,
                  settings: Settings | None = None) -> Merged:
    """Load every source (paths, `Source`s or ``(label, Ledger)`` pairs; the first is the
    master), link them and merge them. `precedence` is a user's precedence file (else the
    packaged one); `year` the ledgers' year when the files do not say it."""
    settings = settings or reconcile_settings(precedence)
    loaded = load_sources(list(sources), settings.precedence, year)
    return merge_loaded(loaded, settings)


def merge_loaded(loaded: list[Loaded], settings: Settings) -> Merged:
    """The merge of sources already loaded (see `merge_ledgers`)."""
    records = records_of(loaded)
    pairs = scored_pairs(records, settings)
    project, pairs = projects_from_pairs(records, pairs, settings)
    chosen, conflicts = chosen_values(records, project, settings,
                                      written_masks(loaded, records, settings.fields))
    ids = _project_ids(records, project, chosen["project_id"] if "project_id" in chosen else None,
                       settings)
    ledger = _merged_ledger(loaded, records, project, chosen, ids, settings)
    size = np.bincount(project)[project]
    records = records.assign(project=project, merged_id=ids[project],
                             status=np.where(size > 1, "linked", "unique"))
    records["probability"] = _link_probability(records, pairs)
    names = ledger.projects.set_index("project_id")["name"]
    conflicts = _conflict_table(conflicts, records, ids, names)
    rejected = _rejected(loaded)
    accounts = _accounts(loaded, records, rejected)
    pairs = _named_pairs(pairs, records)
    return Merged(ledger, loaded, records, pairs, conflicts,
                  value_sources(chosen, records, ids), rejected, accounts, settings)


def _project_ids(records: pd.DataFrame, project: np.ndarray, codes: pd.DataFrame | None,
                 settings: Settings) -> np.ndarray:
    """The merged id of each project: its chosen 项目代码, else the id its base record had;
    made unique (a second project with the same id gets "#2" …)."""
    n = int(project.max()) + 1 if len(project) else 0
    ids = np.empty(n, dtype=object)
    base = _base_records(records, project, settings)
    ids[:] = records["project_id"].to_numpy(dtype=object)[base]
    if codes is not None and len(codes):
        ids[codes["project"].to_numpy()] = codes["value"].to_numpy(dtype=object)
    seen: dict[str, int] = {}
    for i, value in enumerate(ids):
        seen[value] = seen.get(value, 0) + 1
        if seen[value] > 1:
            ids[i] = f"{value}#{seen[value]}"
    return ids


def _base_records(records: pd.DataFrame, project: np.ndarray, settings: Settings) -> np.ndarray:
    """Per project, the record whose other columns (level, office, category …) the merged
    project takes: the first by the default precedence, then by input order."""
    ranks = {role: i for i, role in enumerate(settings.precedence.default)}
    frame = pd.DataFrame({"project": project, "rank": records["role"].map(ranks).fillna(99),
                          "uid": records["uid"].to_numpy()})
    first = frame.sort_values(["project", "rank", "uid"], kind="stable").drop_duplicates("project")
    return first["uid"].to_numpy()


def _merged_ledger(loaded, records, project, chosen, ids, settings) -> Ledger:
    base = _base_records(records, project, settings)
    cols = list(loaded[0].ledger.projects.columns)
    projects = records.loc[base, cols].reset_index(drop=True)
    for f, frame in chosen.items():
        if f == "project_id":
            continue
        values = projects[f].astype(object).to_numpy().copy()
        values[frame["project"].to_numpy()] = frame["value"].to_numpy(dtype=object)
        projects[f] = pd.Series(values).astype(projects[f].dtype) if f not in (
            "total_investment", "annual_plan") else pd.to_numeric(pd.Series(values))
    projects["annual_plan"] = projects["annual_plan"].fillna(0.0)
    projects["project_id"] = pd.Series(ids, dtype="str")
    # each source's own ids of the projects its records went to, for parents and item tables
    own = {(int(s), pid): ids[p] for s, pid, p in zip(records["source"], records["project_id"],
                                                       project, strict=True)}
    src = records.loc[base, "source"].to_numpy()
    projects["parent_id"] = [own.get((int(s), par)) if isinstance(par, str) else None
                             for s, par in zip(src, projects["parent_id"], strict=True)]
    tables = {"projects": projects}
    for name in TABLE_NAMES[1:]:
        parts = []
        for s, src_loaded in enumerate(loaded):
            frame = getattr(src_loaded.ledger, name)
            mine = {pid for (si, pid) in own if si == s}
            based = set(records.loc[base[records.loc[base, "source"].to_numpy() == s], "project_id"])
            keep = frame["project_id"].isin(mine & based)
            if keep.any():
                parts.append(frame[keep.to_numpy()].assign(
                    project_id=frame.loc[keep, "project_id"].map(lambda v, s=s: own[(s, v)])))
        if parts:
            tables[name] = pd.concat(parts, ignore_index=True)
    where = records.loc[base, ["sheet", "excel_row", "file"]].reset_index(drop=True)
    years = [x.ledger.year for x in loaded if x.ledger.year is not None]
    labels = " + ".join(x.label for x in loaded)
    return Ledger(**tables, year=years[0] if years else None, source=f"merge: {labels}",
                  provenance={"projects": where})


def _link_probability(records: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """Each linked record's highest match probability with a record of its project."""
    linked = pairs[pairs["decision"] == "link"]
    both = pd.concat([linked[["uid_l", "probability"]].rename(columns={"uid_l": "uid"}),
                      linked[["uid_r", "probability"]].rename(columns={"uid_r": "uid"})])
    best = both.groupby("uid")["probability"].max()
    return records["uid"].map(best).astype("Float64")


def _conflict_table(conflicts: pd.DataFrame, records: pd.DataFrame, ids: np.ndarray,
                    names: pd.Series) -> pd.DataFrame:
    rec = records.set_index("uid")
    project_ids = ids[conflicts["project"].to_numpy(dtype="int64")] if len(conflicts) else []
    out = pd.DataFrame({
        "project_id": pd.Series(project_ids, dtype="str"),
        "name": pd.Series(names.reindex(project_ids).to_numpy(), dtype="str"),
        "field": conflicts["field"].to_numpy(),
        "source": rec.loc[conflicts["uid"], "label"].to_numpy(),
        "role": rec.loc[conflicts["uid"], "role"].to_numpy(),
        "file": rec.loc[conflicts["uid"], "file"].to_numpy(),
        "sheet": rec.loc[conflicts["uid"], "sheet"].to_numpy(),
        "excel_row": rec.loc[conflicts["uid"], "excel_row"].to_numpy(),
        "value": conflicts["value"].to_numpy(), "chosen": conflicts["chosen"].to_numpy(dtype=bool),
        "chosen_value": conflicts["chosen_value"].to_numpy(), "rule": conflicts["rule"].to_numpy()})
    return out[CONFLICT_COLUMNS]


def _named_pairs(pairs: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    rec = records.set_index("uid")
    out = pairs.copy()
    for side in ("l", "r"):
        uid = pairs[f"uid_{side}"]
        for col in ("label", "sheet", "excel_row", "name", "owner", "total_investment", "merged_id"):
            out[f"{col}_{side}"] = rec.loc[uid, col].to_numpy()
    return out


def _rejected(loaded: list[Loaded]) -> pd.DataFrame:
    frames = []
    for src in loaded:
        r = src.ledger.rejected
        if len(r) and "table" in r.columns:
            frames.append(r[r["table"] == "projects"].assign(source=src.label, role=src.role))
    cols = ["source", "role", "file", "sheet", "row", "rules", "message_zh", "message_en", "values"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def _accounts(loaded: list[Loaded], records: pd.DataFrame, rejected: pd.DataFrame) -> pd.DataFrame:
    """Per source: project rows read, and how each ended; refuses a merge where they differ."""
    rows = []
    for i, src in enumerate(loaded):
        recon = src.ledger.reconciliation
        mine = records[records["source"] == i]
        if len(recon) and "table" in recon.columns:
            part = recon[recon["table"] == "projects"]
            read = int(part["data"].sum())  # data rows = accepted + rejected
        else:  # a Ledger made in code: its rows are what it holds
            read = len(src.ledger.projects)
        linked = int((mine["status"] == "linked").sum())
        unique = int((mine["status"] == "unique").sum())
        refused = int((rejected["source"] == src.label).sum())
        rows.append({"source": src.label, "role": src.role, "file": src.file, "rows": read,
                     "linked": linked, "unique": unique, "rejected": refused,
                     "accounted": linked + unique + refused == read})
    accounts = pd.DataFrame(rows, columns=ACCOUNT_COLUMNS)
    wrong = accounts[~accounts["accounted"]]
    if len(wrong):
        r = wrong.iloc[0]
        raise LedgerDataError(
            error_message("merge_rows_unaccounted", file=r["file"], rows=r["rows"],
                          linked=r["linked"], unique=r["unique"], rejected=r["rejected"]),
            file=str(r["file"]), field="rows", value=int(r["rows"]))
    return accounts
