"""The inputs of a reconciliation: each file loaded through ``load_ledger`` (its own layout or
profile) and its projects turned into records to link, each with where it was read (file,
sheet, Excel row) and the keys linkage compares (code, name, owner, town, amount, start).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.words import error_message
from workbench.exceptions import ParameterError
from workbench.history import name_key
from workbench.model.ledger import Ledger, is_project_code

_COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:自治县|县|市|区)")
_TOWN = re.compile(r"[\u4e00-\u9fff]{2,3}?(?:镇|乡|街道)")


@dataclass(frozen=True)
class Source:
    """One input of a reconciliation: a ledger file and how to read it.

    ``role`` is one of ``settings.ROLES`` (None: the first source is the master, the others
    take the role their file name says, ``Precedence.role_of``); ``label`` names it in every
    table (the file's name when not given); ``profile``, ``sheet`` and ``year`` are
    ``load_ledger``'s."""

    path: str | Path
    role: str | None = None
    label: str | None = None
    profile: str | None = None
    sheet: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Loaded:
    """A source read: its label and role, the Ledger, and a Ledger made in code has no file."""

    label: str
    role: str
    file: str
    ledger: Ledger = field(repr=False)


def town_of(text) -> str | None:
    """The township (…镇, …乡, …街道) a location or a name holds, the county's name left out."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    s = _COUNTY.sub("", unicodedata.normalize("NFKC", str(text)).strip(), count=1)
    found = _TOWN.search(s)
    return found.group(0) if found else None


def load_sources(sources, precedence, year: int | None = None) -> list[Loaded]:
    """Each source loaded (a path, a `Source`, or a `(label, Ledger)` pair made in code), with
    its label and role; the first is the master. Labels must differ (the tables name them)."""
    from workbench.ingest import load_ledger

    loaded = []
    for i, src in enumerate(sources):
        if isinstance(src, tuple) and len(src) == 2 and isinstance(src[1], Ledger):
            label, ledger = src
            role, file = ("master" if i == 0 else precedence.role_of(label)), str(label)
        else:
            src = src if isinstance(src, Source) else Source(src)
            path = Path(src.path)
            ledger = load_ledger(path, sheet=src.sheet, profile=src.profile,
                                 year=src.year if src.year is not None else year)
            role = src.role or ("master" if i == 0 else precedence.role_of(path))
            label, file = src.label or path.name, path.name
        loaded.append(Loaded(str(label), role, file, ledger))
    labels = [s.label for s in loaded]
    if len(set(labels)) != len(labels):
        twice = sorted({x for x in labels if labels.count(x) > 1})
        raise ParameterError(error_message("merge_same_label", value=twice[0]),
                             field="inputs", value=twice[0])
    if len(loaded) < 2:
        raise ParameterError(error_message("merge_too_few", value=len(loaded)),
                             field="inputs", value=len(loaded))
    return loaded


def records_of(loaded: list[Loaded]) -> pd.DataFrame:
    """One record per accepted project row of every source: ``uid`` (0…), ``source`` (its
    position), ``label``, ``role``, ``file``, ``sheet``, ``excel_row``, ``row`` (position in
    its Ledger's projects), the project's fields and the linkage keys ``code``, ``name_key``,
    ``owner_key``, ``town``, ``ti`` (万元) and ``start_month`` (months since year 0)."""
    frames = []
    for i, src in enumerate(loaded):
        p = src.ledger.projects
        where = src.ledger.provenance.get("projects")
        n = len(p)
        if where is None or len(where) != n:
            sheet, row = pd.Series([None] * n, dtype="str"), pd.Series([pd.NA] * n, dtype="Int64")
        else:
            sheet, row = where["sheet"].astype("str"), where["excel_row"].astype("Int64")
        frame = p.assign(source=i, label=src.label, role=src.role, file=src.file,
                         sheet=sheet.to_numpy(), excel_row=row.to_numpy(), row=np.arange(n))
        frames.append(frame)
    rec = pd.concat(frames, ignore_index=True)
    rec.insert(0, "uid", np.arange(len(rec)))
    ids = rec["project_id"].to_numpy(dtype=object)
    rec["code"] = pd.Series([c if isinstance(c, str) and is_project_code(c) else None for c in ids],
                            dtype="str")
    rec["name_key"] = pd.Series([name_key(v) or None for v in rec["name"]], dtype="str")
    rec["owner_key"] = pd.Series([name_key(v) or None for v in rec["owner"]], dtype="str")
    towns = [town_of(loc) or town_of(nm) for loc, nm in zip(rec["location"], rec["name"], strict=True)]
    rec["town"] = pd.Series(towns, dtype="str")
    ti = rec["total_investment"].to_numpy(dtype="float64")
    rec["ti"] = np.where(ti > 0, ti, np.nan)
    start = rec["planned_start"]
    rec["start_month"] = (start.dt.year * 12 + start.dt.month).astype("Float64")
    return rec


def written_masks(loaded: list[Loaded], records: pd.DataFrame, fields) -> dict[str, np.ndarray]:
    """Per field, True for the records whose sheet has a column read as that field; False where
    the loader derived the value (建设性质 from the dates and the year, 项目阶段 from the nature) or
    left it empty. A Ledger made in code has no mapping: all its values count as written."""
    out = {f: np.ones(len(records), dtype=bool) for f in fields}
    source, sheet = records["source"].to_numpy(), records["sheet"].to_numpy(dtype=object)
    for i, src in enumerate(loaded):
        mapping = src.ledger.mapping
        if not len(mapping):
            continue
        mapped = set(zip(mapping["sheet"], mapping["field"], strict=True))
        mine = np.flatnonzero(source == i)
        for f in fields:
            out[f][mine] = [(s, f) in mapped for s in sheet[mine]]
    return out
