"""The merged workbook (one sheet each: the merged projects, the conflicts, the pairs left to a
person, the links, the projects found in one source only, the rejected rows, the row accounting
and where every value came from; text cells formula-safe) and the summary the command prints."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.words import column_labels, message
from workbench.present.export import write_tables

_SHEETS = {  # sheet name zh, en
    "projects": ("合并后项目", "merged projects"),
    "conflicts": ("字段冲突", "conflicts"),
    "review": ("待人工确认", "to review"),
    "links": ("已链接", "links"),
    "unique": ("仅一方有", "one source only"),
    "rejected": ("未采用行", "rejected rows"),
    "accounts": ("行数核对", "row accounting"),
    "value_sources": ("取值来源", "value sources"),
}
_PAIR_COLUMNS = ["probability", "rule", "decision", "reason", "label_l", "sheet_l", "excel_row_l",
                 "name_l", "owner_l", "total_investment_l", "label_r", "sheet_r", "excel_row_r",
                 "name_r", "owner_r", "total_investment_r", "merged_id_l", "merged_id_r"]
_RECORD_COLUMNS = ["label", "role", "file", "sheet", "excel_row", "project_id", "name", "owner",
                   "total_investment", "merged_id"]


def merged_tables(merged) -> dict[str, pd.DataFrame]:
    """The merge's tables by key (see _SHEETS), as written to the workbook."""
    projects = merged.ledger.projects
    return {
        "projects": projects.rename(columns=column_labels(projects.columns)),
        "conflicts": merged.conflicts.astype({"value": "str", "chosen_value": "str"}),
        "review": merged.review[_PAIR_COLUMNS],
        "links": merged.pairs[merged.pairs["decision"] == "link"][_PAIR_COLUMNS],
        "unique": merged.unique[_RECORD_COLUMNS],
        "rejected": merged.rejected,
        "accounts": merged.accounts,
        "value_sources": merged.value_sources,
    }


def write_merged(merged, path: str | Path, lang: str = "zh") -> Path:
    """Write the merged workbook to `path` (.xlsx): one sheet per table, named in `lang`."""
    index = 0 if lang == "zh" else 1
    tables = {_SHEETS[key][index]: frame for key, frame in merged_tables(merged).items()}
    return write_tables(tables, path)


def merge_summary_text(merged, lang: str = "zh") -> str:
    """What `workbench merge` prints: per source its rows and how they ended, then the totals."""
    lines = []
    for r in merged.accounts.itertuples(index=False):
        lines.append(message("merge_source", lang, source=r.source, role=r.role, rows=r.rows,
                             linked=r.linked, unique=r.unique, rejected=r.rejected))
    conflicts = merged.conflicts[["project_id", "field"]].drop_duplicates()
    lines.append(message("merge_total", lang, projects=len(merged.ledger.projects),
                         linked=int((merged.records.groupby("project").size() > 1).sum()),
                         review=len(merged.review), conflicts=len(conflicts),
                         unique=len(merged.unique),
                         accounted=bool(merged.accounts["accounted"].all())))
    return "\n".join(lines)
