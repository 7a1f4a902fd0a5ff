"""The words a ledger's headers and choices are written in: the synonym tables of
``config/aliases.yaml`` (with the zh/en labels of ``labels.yaml``), the key a header or word is
compared by, and which field a header names (with the unit or year written in it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from workbench.core.text import fold
from workbench.core.words import _labels, config_error
from workbench.core.yamlfile import packaged_yaml
from workbench.ingest.values import UNIT_FACTORS, choice_key
from workbench.model.schemas import (
    APPROVAL_ITEMS,
    APPROVAL_STATUSES,
    BATCH_KINDS,
    FUNDING_SOURCES,
    FUNDING_STATUSES,
    LEVELS,
    NATURES,
    OFFICES,
    STAGES,
    TIERS_531,
)

_DOMAINS = {
    "nature": NATURES, "stage": STAGES, "level": LEVELS, "office": OFFICES,
    "batch_kind": BATCH_KINDS, "tier_531": TIERS_531, "approval_status": APPROVAL_STATUSES,
    "funding_status": FUNDING_STATUSES, "approval_item": APPROVAL_ITEMS,
    "funding_source": FUNDING_SOURCES,
}
#: A bracketed note in a header key: "总投资(亿元)".
PARENS = re.compile(r"\(([^()]*)\)")
_YEAR_PREFIX = re.compile(r"^(\d{4})年度?")
#: A year written in a header or title: "2022年".
YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
#: The sub-header of a group's whole-year figure beside its 其中 columns ("计划投资/全年").
WHOLE_YEAR = frozenset({"全年", "全年计划", "年度", "年度计划", "全年合计", "全年累计", "年计划"})
#: Sections aliases.yaml must have.
SECTIONS = ("tables", "sheet_kinds", "monthly", "values", "approval_items", "funding_sources",
            "category_office", "defaults")


@dataclass(frozen=True)
class Aliases:
    """Synonym tables from config/aliases.yaml, keys already normalised."""

    headers: dict[str, dict[str, str]]  # table → normalised header → field
    sheet_kinds: dict[str, dict]
    monthly: dict[str, list[str]]
    approval_items: dict[str, str]  # normalised word → item
    funding_sources: dict[str, str]
    values: dict[str, dict[str, str]]  # field → normalised word → canonical value
    category_office: dict[str, str]
    defaults: dict
    date_status: dict[str, str] = field(default_factory=dict)  # normalised word → started/completed
    matched: dict = field(default_factory=dict, compare=False, repr=False)  # header match cache


def header_key(text) -> str:
    """A header or word as compared: ``core.text.fold`` (NFKC, no blanks or line breaks, case
    folded)."""
    return fold(text)


@cache
def load_aliases() -> Aliases:
    """The packaged synonym tables (labels.yaml's zh/en labels included)."""
    return build_aliases(packaged_yaml("aliases.yaml"))


def build_aliases(data: dict) -> Aliases:
    """Aliases from parsed YAML (merged with the display labels); ConfigError naming a missing
    section."""
    missing = [s for s in SECTIONS if not isinstance(data, dict) or not isinstance(data.get(s), dict)]
    if missing:
        raise config_error("aliases.yaml", missing[0], "expect_mapping",
                           data.get(missing[0]) if isinstance(data, dict) else None,
                           given=isinstance(data, dict) and missing[0] in data)
    labels = _labels()
    headers: dict[str, dict[str, str]] = {}
    for table, fields in data["tables"].items():
        mapping: dict[str, str] = {}
        for field_name, words in fields.items():
            entry = labels["columns"].get(field_name)
            label_words = [entry["zh"], entry["en"]] if entry else []
            for word in [*words, *label_words]:
                mapping.setdefault(header_key(word), field_name)
        headers[table] = mapping

    def words_of(section: dict, domain: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for canonical, words in section.items():
            canonical = str(canonical)
            for word in [canonical, *(str(w) for w in words)]:
                out.setdefault(choice_key(word), canonical)
        for canonical in _DOMAINS.get(domain, ()):
            entry = labels["values"].get(canonical)
            if entry:
                for word in entry.values():
                    out.setdefault(choice_key(word), canonical)
            out.setdefault(choice_key(canonical), canonical)
        return out

    values = {f: words_of(section, f) for f, section in data["values"].items()}
    values["approval_item"] = words_of(data["approval_items"], "approval_item")
    values["funding_source"] = words_of(data["funding_sources"], "funding_source")
    for domain in _DOMAINS:
        values.setdefault(domain, words_of({}, domain))
    return Aliases(
        headers=headers,
        sheet_kinds=data["sheet_kinds"],
        monthly={k: [header_key(w) for w in v] for k, v in data["monthly"].items()},
        approval_items=values["approval_item"],
        funding_sources=values["funding_source"],
        values=values,
        category_office={header_key(k): v for k, v in data["category_office"].items()},
        defaults=data["defaults"],
        date_status=_date_status(data.get("date_status", {})),
    )


def _date_status(section) -> dict[str, str]:
    """date_status words (a fact per word); ConfigError when the section is malformed."""
    if not isinstance(section, dict) or not set(section) <= {"started", "completed"} or not all(
            isinstance(words, list) for words in section.values()):
        raise config_error("aliases.yaml", "date_status", "expect_words_by_fact", section)
    return {choice_key(word): fact for fact, words in section.items() for word in words}


def split_header(text: str) -> tuple[str, float | None, int | None, bool]:
    """(base key, unit factor, leading year, percent) of a header: "2022年总投资（亿元）" →
    ("总投资", 1e4, 2022, False)."""
    key = header_key(text)
    factor, percent = None, False
    for inner in PARENS.findall(key):
        found = re.search(r"(万元|亿元|元|万|亿)", inner)
        if found:
            factor = UNIT_FACTORS[found.group(1)]
        if "%" in inner:
            percent = True
    base = PARENS.sub("", key)
    suffix_unit = re.search(r"[/:](万元|亿元|元)$", base)
    if suffix_unit:
        factor = UNIT_FACTORS[suffix_unit.group(1)]
        base = base[: suffix_unit.start()]
    year = None
    match = _YEAR_PREFIX.match(base)
    if match:  # "2014年/计划投资": a year over the measure is the measure of that year
        year, base = int(match.group(1)), base[match.end():].lstrip("/")
    return base, factor, year, percent


def match_field(header: str, table: str, aliases: Aliases) -> tuple[str | None, float | None]:
    """The field a header names for a sheet kind, and the unit it declares."""
    key = (table, header)
    found = aliases.matched.get(key)
    if found is None:
        if len(aliases.matched) > 100_000:
            aliases.matched.clear()
        found = aliases.matched[key] = _match_field(header, table, aliases)
    return found


def _match_field(header: str, table: str, aliases: Aliases) -> tuple[str | None, float | None]:
    mapping = aliases.headers[table]
    key = header_key(header)
    if key in mapping:
        _, factor, _, _ = split_header(header)
        return mapping[key], factor
    base, factor, year, _ = split_header(header)
    if base in mapping:
        return mapping[base], factor
    if year is not None:
        with_year = PARENS.sub("", key)
        if with_year in mapping:
            return mapping[with_year], factor
        if base.count("/") == 1 and base.replace("/", "") in mapping:  # "2012年计划/投资"
            return mapping[base.replace("/", "")], factor
    group, _, last = header.rpartition("/")
    if group and header_key(last) in WHOLE_YEAR:  # "2022年计划投资/全年" is the group's figure
        found, group_factor = _match_field(group, table, aliases)
        return found, factor if factor is not None else group_factor
    return None, factor
