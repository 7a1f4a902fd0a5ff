"""Text as people type it: folded for matching names, units and choices."""

from __future__ import annotations

import unicodedata


def fold(text) -> str:
    """Text folded for matching: full-width to half-width (NFKC), no spaces, case-insensitive."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()
