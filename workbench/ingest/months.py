"""Monthly amount columns read from their headers: "3月完成投资", "1-3月累计完成",
"2022年月度完成投资/3月" give the months covered, planned or completed, per month or cumulative.
"""

from __future__ import annotations

import re

from workbench.ingest.aliases import PARENS, YEAR_IN_TEXT, Aliases, header_key
from workbench.ingest.dates import CHINESE_NUMERALS
from workbench.ingest.layout import MonthColumn, SheetLayout

_RANGE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]+)\s*(?:-|~|至|到|—|–|－)\s*(\d{1,2}|[一二三四五六七八九十]+)月")
_MONTH = re.compile(r"(?<![\d])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?")


def _month_number(text: str) -> int | None:
    if text.isdigit():
        month = int(text)
        return month if 1 <= month <= 12 else None
    return CHINESE_NUMERALS.get(text)


_QUARTER = re.compile(r"(?<!前)(?:第)?([1-4一二三四])季度|(?<![a-z])q([1-4])(?![0-9])")
_SO_FAR = re.compile(r"前([2-4二三四])(?:个)?季度|(上)半年")


def _quarter_column(col: int, key: str, aliases: Aliases, year: int | None) -> MonthColumn | None:
    """A quarterly column ("2022年计划投资/其中：一季度", "二季度完成投资", "上半年计划",
    "前三季度累计"), as the months it covers (a cumulative one from January)."""
    text = YEAR_IN_TEXT.sub("", key)
    if (found := _SO_FAR.search(text)) is not None:
        last = 6 if found.group(2) else 3 * int(CHINESE_NUMERALS.get(found.group(1), found.group(1) or 0))
        first, cumulative = 1, True
    elif (found := _QUARTER.search(text)) is not None:
        quarter = found.group(1) or found.group(2)
        last = 3 * int(CHINESE_NUMERALS.get(quarter, quarter))
        first, cumulative = last - 2, False
    else:
        return None
    if any(w in text for w in aliases.monthly["planned"]):
        kind = "planned"
    elif any(w in text for w in aliases.monthly["completed"]):
        kind = "completed"
    else:
        return None
    return MonthColumn(col, kind, first, last, cumulative, year)


def month_column(col: int, header: str, aliases: Aliases, year_hint: int | None) -> MonthColumn | None:
    """A monthly (or quarterly: ``_quarter_column``) amount column read from its header, or None."""
    key = PARENS.sub("", header_key(header))
    if any(word in key for word in aliases.monthly["ignore"]):
        return None
    if "月" not in key:
        years = YEAR_IN_TEXT.findall(key)
        return _quarter_column(col, key, aliases, int(years[0]) if years else year_hint)
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


_THIS_MONTH = re.compile(r"(?:当月|本月|当期|本期)")


def adopt_this_month(layout: SheetLayout, aliases: Aliases) -> None:
    """A "当月完成" / "本月完成投资" column (no month written) beside a year-to-date column
    "1-N月累计" of the same kind is month N: moved from the sheet's extras to its monthly
    columns. Without such a year-to-date column its month is unknown and it stays an extra."""
    for col in list(layout.extras):
        key = PARENS.sub("", header_key(layout.headers[col]))
        if not _THIS_MONTH.search(key) or any(w in key for w in aliases.monthly["ignore"]):
            continue
        kind = "planned" if any(w in key for w in aliases.monthly["planned"]) else (
            "completed" if any(w in key for w in aliases.monthly["completed"]) else None)
        ytd = [m for m in layout.monthly if m.kind == kind and m.cumulative]
        if kind is None or not ytd:
            continue
        last = max(m.last for m in ytd)
        if any(m.kind == kind and m.first == m.last == last and not m.cumulative for m in layout.monthly):
            continue
        layout.extras.remove(col)
        layout.monthly.append(MonthColumn(col, kind, last, last, False, ytd[0].year))
