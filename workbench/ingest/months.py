"""Monthly amount columns read from their headers: "3月完成投资", "1-3月累计完成",
"2022年月度完成投资/3月" give the months covered, planned or completed, per month or cumulative.
"""

from __future__ import annotations

import re

from workbench.ingest.aliases import PARENS, YEAR_IN_TEXT, Aliases, header_key
from workbench.ingest.dates import CHINESE_NUMERALS
from workbench.ingest.layout import MonthColumn

_RANGE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]+)\s*(?:-|~|至|到|—|–|－)\s*(\d{1,2}|[一二三四五六七八九十]+)月")
_MONTH = re.compile(r"(?<![\d])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?")


def _month_number(text: str) -> int | None:
    if text.isdigit():
        month = int(text)
        return month if 1 <= month <= 12 else None
    return CHINESE_NUMERALS.get(text)


def month_column(col: int, header: str, aliases: Aliases, year_hint: int | None) -> MonthColumn | None:
    """A monthly amount column read from its header, or None."""
    key = PARENS.sub("", header_key(header))
    if "月" not in key or any(word in key for word in aliases.monthly["ignore"]):
        return None
    years = YEAR_IN_TEXT.findall(key)
    year = int(years[0]) if years else year_hint
    text = YEAR_IN_TEXT.sub("", key)
    last_part = text.split("/")[-1]
    single_last = _MONTH.search(last_part) if not _RANGE.search(last_part) else None
    cumulative = any(w in text for w in ("累计", "截至", "截止"))
    if single_last and len(text.split("/")) > 1:
        month = _month_number(single_last.group(1))
        first, last, cumulative = month, month, cumulative and "累计" in last_part
    elif (rng := _RANGE.search(text)) is not None:
        first, last = _month_number(rng.group(1)), _month_number(rng.group(2))
        if first is None or last is None or first > last:
            return None
        cumulative = first == 1
    elif (single := _MONTH.search(text)) is not None:
        month = _month_number(single.group(1))
        first, last = (1, month) if cumulative else (month, month)
    else:
        return None
    if first is None or last is None:
        return None
    if any(w in text for w in aliases.monthly["planned"]):
        kind = "planned"
    elif any(w in text for w in aliases.monthly["completed"]) or re.fullmatch(
        r"(?:/)?(?:\d{1,2}|[一二三四五六七八九十]+)月(?:份)?", text
    ):
        kind = "completed"
    else:
        return None
    return MonthColumn(col, kind, first, last, cumulative and first == 1, year)
