"""The diff and the snapshot list as plain text for the command line (Chinese by default)."""

from __future__ import annotations

import pandas as pd

from workbench.core.words import column_label, word, yi
from workbench.history.diff import Diff

#: Rows shown per change table before "… N in all".
SHOWN = 10

_DETAIL = {
    "renamed": ("old", "new"), "uncertain": ("candidate_name", "similarity"),
    "stages": ("old", "new"), "rebaselines": ("field", "old", "new"),
    "problems_opened": ("problem",), "problems_closed": ("problem",),
    "problems_overdue": ("problem", "owner", "days_overdue"), "approvals_done": ("item",),
    "funding": ("source", "old", "new", "amount"),
}


def diff_text(diff: Diff, lang: str = "zh") -> str:
    """Counts per kind of change, then the first rows of each (what, which project, old → new)."""
    lines = [word("diff_heading", lang, old=f"{diff.from_as_of:%Y-%m-%d}",
                  new=f"{diff.to_as_of:%Y-%m-%d}")]
    done = diff.investment["done_in_period"].sum(min_count=1)
    lines.append("  " + word("diff_period_investment", lang,
                             amount=yi(0.0 if pd.isna(done) else float(done))))
    for name, frame in diff.tables().items():
        if name == "investment":
            continue
        lines.append(f"  {word(f'diff_{name}', lang)}：{len(frame)}" if lang == "zh"
                     else f"  {word(f'diff_{name}', lang)}: {len(frame)}")
        for record in frame.head(SHOWN).to_dict("records"):
            lines.append("    · " + _row_text(name, record, lang))
        if len(frame) > SHOWN:
            lines.append("    " + word("diff_more", lang, n=len(frame), m=SHOWN))
    return "\n".join(lines)


def _row_text(name: str, record: dict, lang: str) -> str:
    if name == "stale_units":
        return f"{record['responsible_unit']} ({record['projects']}) {_value(record['last_month'])}"
    head = f"{record.get('name') or record.get('project_id')}"
    detail = [_value(record[c]) if c != "field" else column_label(record[c], lang)
              for c in _DETAIL.get(name, ()) if c in record]
    if name in ("renamed", "stages", "rebaselines", "funding") and len(detail) >= 2:
        lead = detail[:-2] if name != "funding" else detail[:1]
        pair = detail[-2:] if name != "funding" else detail[1:3]
        rest = [] if name != "funding" else detail[3:]
        detail = [*lead, f"{pair[0] or '—'} → {pair[1]}", *rest]
    unit = record.get("responsible_unit")
    return " · ".join([head, *detail, *([str(unit)] if isinstance(unit, str) and unit else [])])


def _value(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
