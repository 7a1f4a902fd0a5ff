"""Submissions with known truth, drawn from a sample ledger: what the DRC receives from units and
the province, with the usual drift (names shortened, the county's name dropped, owners written
differently, codes missing or mistyped, amounts in 亿元 to two decimals instead of 万元, other
date formats, a project reported by two units
with half the amount each, projects present in one source only).

`perturbed_submissions` returns the master (the ledger minus a few projects) and the
submissions as tables written the way units write them, each row with the id of the project it
truly is (``truth``); `write_submissions` writes them as workbooks ``load_ledger`` reads. The
reconciliation's benchmark and tests measure pair precision and recall against ``truth``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.model.ledger import Ledger, is_project_code

_SUFFIXES = ("建设项目", "项目", "工程")


@dataclass(frozen=True)
class Submission:
    """One submission: its file name, its rows as written (Chinese headers), the amounts'
    unit ("万元" or "亿元") and the true project id of each row."""

    name: str
    table: pd.DataFrame = field(repr=False)
    unit: str
    truth: list[str] = field(repr=False)


def _shorten(name: str, county: str, rng, drop_county: float, shorten: float) -> str:
    out = name
    if rng.random() < drop_county and out.startswith(county):
        out = out[len(county):]
    if rng.random() < shorten:
        out = out.split("（")[0]
        for s in _SUFFIXES:
            if out.endswith(s) and len(out) > len(s) + 4:
                out = out[: -len(s)]
                break
    return out


def _owner(owner, county: str, rng, drift: float):
    """The owner as units write it: now and then without the county's name or as 公司."""
    if not isinstance(owner, str):
        return None
    u = rng.random()
    if u < drift / 2 and owner.startswith(county):
        return owner[len(county):]
    if u < drift:
        return owner.replace("有限公司", "公司").replace("股份", "")
    return owner


def _mistyped(code: str, rng) -> str:
    i = len(code) - 1 - int(rng.integers(0, 6))
    digit = str((int(code[i]) + 1 + int(rng.integers(0, 8))) % 10)
    return code[:i] + digit + code[i + 1:]


def _date_text(value, style: int):
    if pd.isna(value):
        return None
    return (f"{value.year}.{value.month}" if style == 1 else
            f"{value.year}年{value.month}月" if style == 2 else f"{value:%Y-%m-%d}")


def perturbed_rows(projects: pd.DataFrame, rng, county: str, *, unit: str = "万元",
                   date_style: int = 0, drop_county: float = 0.5, shorten: float = 0.3,
                   code_missing: float = 0.3, code_mistyped: float = 0.05,
                   owner_drift: float = 0.2, with_location: bool = True) -> pd.DataFrame:
    """`projects` as a unit writes them (headers as in its sheet), with the drift drawn;
    amounts in 亿元 are written to two decimals, as units do (万元 to whole numbers)."""
    factor, digits = (1e-4, 2) if unit == "亿元" else (1.0, 0)
    rows = []
    for i, r in enumerate(projects.itertuples(index=False)):
        code = r.project_id if is_project_code(r.project_id) else None
        u = rng.random()
        if code is not None and u < code_missing:
            code = None
        elif code is not None and u < code_missing + code_mistyped:
            code = _mistyped(code, rng)
        row = {"序号": i + 1, "项目代码": code,
               "项目名称": _shorten(r.name, county, rng, drop_county, shorten),
               "项目单位": _owner(r.owner, county, rng, owner_drift),
               f"总投资（{unit}）": round(float(r.total_investment) * factor, digits)}
        if with_location:
            row["建设地点"] = r.location if isinstance(r.location, str) else None
        row["计划开工时间"] = _date_text(r.planned_start, date_style)
        rows.append(row)
    return pd.DataFrame(rows)


def perturbed_submissions(ledger: Ledger, seed: int = 16, units: int = 6, county: str = "内乡县",
                          master_missing: float = 0.04, split: int = 2,
                          province_share: float = 0.7) -> tuple[Ledger, list[Submission]]:
    """(the master: `ledger` minus `master_missing` of its projects, each then found in one
    unit's submission only or in none; the submissions: the `units` largest responsible units'
    own projects, `split` projects reported by two units with half the amount each, and the
    province's export of `province_share` of the coded projects, codes always kept)."""
    rng = np.random.default_rng(seed)
    p = ledger.projects.reset_index(drop=True)
    units_by_size = p["responsible_unit"].value_counts()
    chosen_units = list(units_by_size.index[:units])
    dropped = rng.random(len(p)) < master_missing
    master = ledger.replace(projects=p[~dropped].reset_index(drop=True))
    # a project of the next unit that this unit reports too: each writes half the amount
    split_into: dict[str, list[str]] = {}
    for k in range(min(split, len(chosen_units) - 1)):
        nxt = p[p["responsible_unit"] == chosen_units[k + 1]]
        if len(nxt):
            split_into[chosen_units[k]] = [nxt["project_id"].iat[0]]
    split_ids = {pid for ids in split_into.values() for pid in ids}
    subs = []
    for k, name in enumerate(chosen_units):
        mine = p[(p["responsible_unit"] == name) | p["project_id"].isin(split_into.get(name, []))]
        mine = mine.assign(total_investment=mine["total_investment"].where(
            ~mine["project_id"].isin(split_ids), mine["total_investment"] / 2))
        unit = "亿元" if k % 2 else "万元"
        table = perturbed_rows(mine, rng, county, unit=unit, date_style=k % 3,
                               with_location=bool(k % 3 != 1))
        subs.append(Submission(f"{name}_报送.xlsx", table, unit, list(mine["project_id"])))
    coded = p[p["project_id"].map(is_project_code)]
    coded = coded[rng.random(len(coded)) < province_share]
    table = perturbed_rows(coded, rng, county, code_missing=0.0, code_mistyped=0.0,
                           drop_county=0.2, shorten=0.2, with_location=False)
    table = table.drop(columns=["计划开工时间"])
    subs.append(Submission("省平台导出.xlsx", table, "万元", list(coded["project_id"])))
    return master, subs


def write_submissions(master: Ledger, subs: list[Submission], folder: str | Path,
                      county: str = "内乡县") -> list[Path]:
    """The master as the sample workbook (``主台账.xlsx``) and each submission as a one-sheet
    workbook (a title row, the unit row, the header); the paths, master first."""
    from openpyxl import Workbook

    from workbench.model.asof import default_as_of
    from workbench.sample.workbook import save_stably, write_ledger_workbook

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_ledger_workbook(master, folder / "主台账.xlsx", county=county)]
    day = default_as_of(master).date()
    for sub in subs:
        wb = Workbook()
        ws = wb.active
        ws.title = "项目清单"
        ws.append([f"{county}重点项目报送表"])
        ws.append([f"单位：{sub.unit}"])
        ws.append(list(sub.table.columns))
        for row in sub.table.itertuples(index=False):
            ws.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
        paths.append(save_stably(wb, folder / sub.name, day))
    return paths


#: The Excel row of a submission's first data row (title, unit and header rows above it).
FIRST_ROW = 4


def truth_of(subs: list[Submission], first_row: int = FIRST_ROW) -> list:
    """The truth per input in the order `write_submissions` writes them: None for the master
    (its project ids are the sample's), then each submission's Excel row → true project id."""
    return [None, *[{first_row + i: pid for i, pid in enumerate(s.truth)} for s in subs]]


def write_sample_submissions(ledger: Ledger, folder: str | Path, county: str = "内乡县",
                             seed: int = 16) -> list[Path]:
    """The sample county's ledgers as the DRC receives them, to try ``workbench merge`` on: the
    master and each unit's and the province's submission, drawn with the usual drift
    (`perturbed_submissions`), written by `write_submissions`; the paths, master first."""
    master, subs = perturbed_submissions(ledger, seed=seed, county=county)
    return write_submissions(master, subs, folder, county=county)
