"""What was read as what: one row per column of every sheet read (``Ledger.mapping``).

The canonical field a column became (or "" when none), its letter as Excel shows it, its header
path as written, whether it is hidden, the unit and factor applied to its amounts and three
sample values as written. `workbench validate` starts with it, `workbench map` writes it as a
profile, and the quarterly review's 数据说明 lists it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.core.text import column_letter
from workbench.core.words import column_label, value_label, word
from workbench.ingest.values import UNIT_FACTORS, is_blank_cell
from workbench.model.ledger import MAPPING_COLUMNS, empty_mapping

_UNIT_WORDS = {factor: unit for unit, factor in UNIT_FACTORS.items() if unit.endswith("元")}
#: Fields whose columns hold amounts (their unit and factor are shown).
AMOUNT_FIELDS = frozenset({"total_investment", "annual_plan", "completed_to_date", "planned",
                           "completed", "amount", "applied", "approved", "received",
                           "funding"})
SAMPLES = 3


def hidden_columns(raw, layout) -> set[int]:
    """0-based numbers of the sheet's hidden columns, as far as the reader or the layout knows
    them (a hook: readers that record hidden columns set one of these attributes)."""
    for owner in (layout, raw):
        for name in ("hidden_cols", "hidden_columns"):
            found = getattr(owner, name, None)
            if found:
                return {int(c) for c in found}
    return set()


def _sample_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value == dt.datetime(value.year, value.month, value.day):
        return f"{value:%Y-%m-%d}"
    return str(value).replace("\n", " ").strip()


def _samples(data, col: int) -> str:
    out = []
    if data is not None and len(data) and col < data.shape[1]:
        for value in data[:, col]:
            # an empty cell passed over at once (an empty 备注 column is 50,000 of them)
            if value is not None and value != "" and not is_blank_cell(value):
                out.append(_sample_text(value))
                if len(out) == SAMPLES:
                    break
    return " | ".join(out)


def _field_of_columns(layout) -> dict[int, str]:
    fields = {col: name for name, col in layout.fields.items()}
    for spec in layout.monthly:
        span = f"{spec.first}" if spec.first == spec.last else f"{spec.first}-{spec.last}"
        suffix = "ytd" if spec.cumulative else "month"
        fields.setdefault(spec.col, f"{spec.kind}:{suffix}:{span}" + (f":{spec.year}" if spec.year else ""))
    for col, item in layout.approval_cols.items():
        fields.setdefault(col, f"approval:{item}")
    for col, source in layout.funding_cols.items():
        fields.setdefault(col, f"funding:{source}")
    return fields


def sheet_mapping(raw, layout, data=None) -> list[dict]:
    """The mapping rows of one recognised sheet (`data`: its data rows, for samples)."""
    fields = _field_of_columns(layout)
    hidden = hidden_columns(raw, layout)
    rows = []
    for col, header in enumerate(layout.headers):
        if not header and col not in fields:
            continue
        field = fields.get(col, "")
        amount = field.split(":")[0] in AMOUNT_FIELDS or col in layout.factors
        factor = float(layout.factor(col)) if amount else 1.0
        unit = _UNIT_WORDS.get(factor, f"×{factor:g}") if amount else ""
        rows.append({"sheet": raw.name, "table": layout.kind, "field": field,
                     "column": column_letter(col), "header": header, "hidden": col in hidden,
                     "unit": unit, "factor": factor, "samples": _samples(data, col)})
    return rows


def mapping_table(sheets) -> pd.DataFrame:
    """The mapping of every sheet read (``SheetRows`` of the load, in reading order)."""
    rows = []
    for sheet in sheets:
        rows += sheet_mapping(sheet.raw, sheet.layout, sheet.data)
    if not rows:
        return empty_mapping()
    frame = pd.DataFrame(rows, columns=MAPPING_COLUMNS)
    for name in MAPPING_COLUMNS:
        if name not in ("hidden", "factor"):
            frame[name] = frame[name].astype("str")
    frame["hidden"] = frame["hidden"].astype(bool)
    frame["factor"] = frame["factor"].astype("float64")
    return frame


def field_words(field: str, lang: str = "zh") -> str:
    """A mapping row's field for a reader: "年度计划投资", "完成投资 1-3月累计 (2022)"."""
    if not field:
        return word("map_unmatched", lang)
    parts = field.split(":")
    if parts[0] in ("approval", "funding") and len(parts) == 2:
        return f"{column_label('item' if parts[0] == 'approval' else 'source', lang)} {value_label(parts[1], lang)}"
    if len(parts) >= 3:
        first, _, last = parts[2].partition("-")
        span = word("map_ytd", lang, first=first, last=last or first) if parts[1] == "ytd" else word(
            "map_month", lang, span=parts[2])
        year = f" ({parts[3]})" if len(parts) > 3 else ""
        return f"{column_label(parts[0], lang)} {span}{year}"
    return word("map_serial", lang) if field == "serial" else column_label(field, lang)


def mapping_display(mapping: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The mapping with readable fields and headings in `lang` (for a terminal or a page)."""
    out = pd.DataFrame({
        "map_sheet": mapping["sheet"],
        "map_field": [field_words(f, lang) for f in mapping["field"]],
        "map_column": mapping["column"],
        "map_header": [h.replace("/", " / ") for h in mapping["header"]],
        "map_hidden": [word("map_yes" if h else "map_no", lang) for h in mapping["hidden"]],
        "map_unit": mapping["unit"],
        "map_factor": [f"{f:g}" if u else "" for f, u in zip(mapping["factor"], mapping["unit"],
                                                                strict=True)],
        "map_samples": mapping["samples"],
    })
    return out.rename(columns={c: word(c, lang) for c in out.columns})
