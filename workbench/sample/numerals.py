"""Chinese numerals as a ledger writes them: 一 … 九十九 (category ordinals, phases, quarters)."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(k: int) -> str:
    """0-99 in Chinese numerals (二, 十, 十二, 二十三)."""
    if k < 10:
        return _DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])
