"""One value per field of each merged project: when the records of a project agree, that value;
when they differ, the value of the role the precedence puts first (``config/reconcile.yaml``'s
``precedence`` or the user's file), and every differing value listed in the conflicts table with
its source, file, sheet and Excel row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.reconcile.settings import Settings

CONFLICT_COLUMNS = ["project_id", "name", "field", "source", "role", "file", "sheet",
                    "excel_row", "value", "chosen", "chosen_value", "rule"]
SOURCE_COLUMNS = ["project_id", "field", "source", "file", "sheet", "excel_row"]
_AMOUNTS = ("total_investment", "annual_plan")


def _values(records: pd.DataFrame, field: str) -> pd.Series:
    """The values of `field` compared across records (a derived id is no code: left out)."""
    if field == "project_id":
        return records["code"]
    values = records[field]
    if values.dtype == "str":
        return values.str.strip().replace("", None)
    if field in _AMOUNTS:  # an amount of 0 is "not given" in a list that lacks it
        return values.where(values > 0)
    return values


def _rank(records: pd.DataFrame, order: tuple[str, ...]) -> np.ndarray:
    ranks = {role: i for i, role in enumerate(order)}
    return records["role"].map(ranks).fillna(len(order)).to_numpy(dtype="int64")


def chosen_values(records: pd.DataFrame, project: np.ndarray, settings: Settings,
                  written: dict[str, np.ndarray] | None = None
                  ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """(per field, the chosen record of each project that has a value: ``project``, ``uid``,
    ``value``, ``rule``; the conflicts table, CONFLICT_COLUMNS without project_id and name
    but with ``project``). `written` (``records.written_masks``): a value the loader derived
    is used only where no source of the project writes one, and is then no conflict with it."""
    chosen, conflicts = {}, []
    for field in settings.fields:
        order = settings.precedence.order(field)
        values = _values(records, field)
        frame = pd.DataFrame({"project": project, "uid": records["uid"].to_numpy(),
                              "rank": _rank(records, order), "source": records["source"].to_numpy(),
                              "value": values.to_numpy(dtype=object)})
        frame = frame[values.notna().to_numpy()]
        if written is not None and field in written:
            derived = ~written[field][frame["uid"].to_numpy()]
            some_written = pd.Series(~derived).groupby(frame["project"].to_numpy()).transform("any")
            frame = frame[~derived | ~some_written.to_numpy()]
        frame = frame.sort_values(["project", "rank", "source"], kind="stable")
        differ = _differing(frame, field, settings.amount_rel)
        first = frame.drop_duplicates("project")
        rule = np.where(first["project"].isin(differ), "precedence: " + " > ".join(order), "agree")
        chosen[field] = first.assign(rule=rule)[["project", "uid", "value", "rule"]]
        if len(differ):
            rows = frame[frame["project"].isin(differ)]
            best = first.set_index("project")
            conflicts.append(pd.DataFrame({
                "project": rows["project"].to_numpy(), "field": field, "uid": rows["uid"].to_numpy(),
                "value": rows["value"].to_numpy(),
                "chosen": (rows["uid"].to_numpy() == best.loc[rows["project"], "uid"].to_numpy()),
                "chosen_value": best.loc[rows["project"], "value"].to_numpy(),
                "rule": "precedence: " + " > ".join(order)}))
    table = (pd.concat(conflicts, ignore_index=True) if conflicts else
             pd.DataFrame(columns=["project", "field", "uid", "value", "chosen", "chosen_value", "rule"]))
    return chosen, table


def _differing(frame: pd.DataFrame, field: str, amount_rel: float) -> np.ndarray:
    """The projects whose records hold different values of `field` (amounts within
    ``amount_rel`` of the larger count as equal)."""
    if not len(frame):
        return np.array([], dtype=np.int64)
    groups = frame.groupby("project")["value"]
    if field in _AMOUNTS:
        values = frame.assign(value=frame["value"].astype("float64")).groupby("project")["value"]
        lo, hi = values.min(), values.max()
        return lo.index[(hi - lo) > amount_rel * hi].to_numpy()
    if pd.api.types.is_datetime64_any_dtype(frame["value"].infer_objects()):
        # a month written without its day ("2022.3") agrees with any day of that month
        months = pd.to_datetime(frame["value"]).dt.to_period("M")
        groups = frame.assign(value=months).groupby("project")["value"]
    counts = groups.nunique()
    return counts.index[counts > 1].to_numpy()


def value_sources(chosen: dict[str, pd.DataFrame], records: pd.DataFrame,
                  project_ids: np.ndarray) -> pd.DataFrame:
    """Where every value of the merged projects table came from: one row per project and field
    with a value (SOURCE_COLUMNS)."""
    frames = []
    for field, frame in chosen.items():
        rec = records.loc[frame["uid"].to_numpy()]
        frames.append(pd.DataFrame({
            "project_id": project_ids[frame["project"].to_numpy()], "field": field,
            "source": rec["label"].to_numpy(), "file": rec["file"].to_numpy(),
            "sheet": rec["sheet"].to_numpy(), "excel_row": rec["excel_row"].to_numpy()}))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SOURCE_COLUMNS)
    return out.astype({"project_id": "str", "field": "str", "source": "str", "file": "str",
                       "sheet": "str", "excel_row": "Int64"})
