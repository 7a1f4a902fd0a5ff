"""Text as people type it: folded for matching names, units and choices."""

from __future__ import annotations

import unicodedata


def fold(text) -> str:
    """Text folded for matching: full-width to half-width (NFKC), no spaces, case-insensitive."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def column_letter(index: int) -> str:
    """Excel's letters of the 0-based column `index`: 0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
