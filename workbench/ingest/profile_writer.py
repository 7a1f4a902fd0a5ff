"""`workbench map`: a ledger's mapping written as a profile the user edits and passes back with
``--profile`` (the format of ``workbench/profiles/*.yaml``, read by ``profiles``).

Each canonical column is one line ``"header as written": field`` with its sheet, column letter
and samples in a comment; the columns recognised without a profile (monthly amounts, approval
and funding columns, linked sheets) and the unmatched ones are listed as comments, so a user
sees every column of the file in one place.
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.ingest.aliases import header_key
from workbench.ingest.mapping import field_words
from workbench.ingest.profiles import _FIELDS


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def mapping_profile(ledger, lang: str = "zh") -> str:
    """The YAML text of a profile that reads `ledger`'s file the way it was read."""
    mapping = ledger.mapping
    name = Path(ledger.source or "ledger").stem
    lines = [
        f"# Mapping profile written by `workbench map` from {_comment(Path(ledger.source or '').name)}.",
        "# 映射配置：每行“表头原文: 字段”。改动字段后用 --profile 本文件 重新读取台账。",
        "# Each line maps a header as written to a field; edit it and pass the file back with",
        "# --profile. Fields: see workbench/config/labels.yaml (columns) and docs/sources.md.",
        f"name: {_quoted(name)}",
        f"description: {_quoted('workbench map ' + Path(ledger.source or '').name)}",
    ]
    if ledger.year is not None:
        lines.append(f"year: {int(ledger.year)}")
    lines.append("columns:")
    seen: set[str] = set()
    auto, unmatched = [], []
    for row in mapping.to_dict("records"):
        where = f"{row['sheet']} 列 {row['column']}" + (" (隐藏/hidden)" if row["hidden"] else "")
        if row["table"] != "projects" or (row["field"] and row["field"] not in _FIELDS):
            if row["field"]:
                auto.append(f"#   {where} {_quoted(row['header'])} → {field_words(row['field'], lang)}")
            continue
        if not row["field"]:
            unmatched.append(f"#   {_quoted(row['header'])}:   # {where}; 样例 {_comment(row['samples'])}")
            continue
        key = header_key(row["header"])
        if key in seen:
            continue
        seen.add(key)
        unit = f" · {row['unit']}" if row["unit"] else ""
        lines.append(f"  {_quoted(row['header'])}: {row['field']}   # {where}{unit} · 样例 "
                     f"{_comment(row['samples'])}")
    if unmatched:
        lines += ["# 未匹配的列（保留在附加列）；要读入某列，去掉 # 并写上字段 / unmatched columns (kept",
                  "# in extras): to read one, remove the # and write its field:", *unmatched]
    if auto:
        lines += ["# 无需配置即可识别的列（月度金额、手续、资金、其他工作表）/ recognised without the",
                  "# profile (monthly amounts, approval and funding columns, other sheets):", *auto]
    return "\n".join(lines) + "\n"


def write_mapping_profile(ledger, out, lang: str = "zh") -> Path:
    """Write `ledger`'s mapping profile to `out` (UTF-8 YAML); returns the path."""
    out = Path(out)
    out.write_text(mapping_profile(ledger, lang), encoding="utf-8")
    return out
