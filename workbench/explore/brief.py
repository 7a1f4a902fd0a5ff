"""The unit brief's words: its title, date line and section headings, from labels.yaml.

`notebooks/explore.ipynb` shows these instead of fixed markdown, so the static brief of one
unit (`workbench.publish.unit_brief`) speaks the language it is given (Chinese by default).
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.words import check_lang, word
from workbench.explore.project_list import view_date
from workbench.present.html import Html, esc


def brief_subject(unit: str = "", office: str = "", lang: str = "zh") -> str:
    """Whom a brief is about: the unit, else the office, else the whole county."""
    return unit or office or word("brief_county", check_lang(lang))


def brief_heading(key: str, lang: str = "zh", level: int = 2, **fields) -> Html:
    """A heading of the brief (``brief_*`` words of labels.yaml), escaped."""
    return Html(f"<h{level}>{esc(word(key, lang, **fields))}</h{level}>")


def brief_title(ledger, scores=None, unit: str = "", office: str = "", lang: str = "zh",
                as_of=None) -> Html:
    """The brief's title and the line under it: the date its figures speak for and the file."""
    who = brief_subject(unit, office, lang)
    date = view_date(ledger, as_of, scores).date().isoformat()
    source = Path(str(ledger.source)).name if ledger.source else word("ui_none", lang)
    line = word("brief_as_of", lang, as_of=date, source=source)
    return Html(brief_heading("brief_title", lang, level=1, who=who)
                + f"<p class='wb-subtitle'>{esc(line)}</p>")
