"""The raw sheets of one file to one Ledger: choose the sheets, recognise each layout, read the
project sheets, check duplicates, read the linked sheets, account for every row.

``load.load_ledger`` and ``profiles.load_with_profile`` both build on ``ledger_from_sheets``.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.words import error_message
from workbench.exceptions import LedgerReadError, ParameterError
from workbench.ingest.aliases import Aliases, load_aliases
from workbench.ingest.assemble import assemble, error_keys, skip_sheet
from workbench.ingest.checks import check_duplicates
from workbench.ingest.context import Context, LoadOptions, Parts, concat_table
from workbench.ingest.headers import recognise
from workbench.ingest.linked import Resolver, read_linked_sheet
from workbench.ingest.mapping import mapping_table
from workbench.ingest.projects import read_projects_sheet
from workbench.ingest.readers import RawSheet
from workbench.ingest.years import ledger_year, other_year_columns, report_date
from workbench.model.findings import Findings
from workbench.model.ledger import Ledger


def ledger_from_sheets(raws: list[RawSheet], source: str, sheet=None, year: int | None = None,
                       aliases: Aliases | None = None, options: LoadOptions | None = None) -> Ledger:
    """One Ledger from the raw sheets of a file (see `load_ledger`)."""
    aliases = aliases or load_aliases()
    options = options or LoadOptions()
    file = Path(source).name
    raws = chosen_sheets(raws, sheet, source)
    layouts = [recognise(raw, aliases) for raw in raws]
    if not any(layout.kind == "projects" for layout in layouts):
        raise LedgerReadError(error_message("no_ledger_sheet", path=source,
                                            sheets="、".join(r.name for r in raws)), file=source)
    findings = Findings(file)
    year, year_source = ledger_year(raws, layouts, source, year)
    for layout in layouts:
        other_year_columns(layout, year, aliases, findings)
    parts = Parts()
    ctx = Context(file, findings, aliases, year)
    ctx.year_source = year_source
    ctx.reported_on = report_date(raws)
    ctx.options = options
    if options.unit_factor is not None:
        for layout in layouts:
            if layout.unit_written is None:
                layout.unit_factor = options.unit_factor
    ctx.sheet_order = [raw.name for raw in raws]
    misnamed = next((raw.read_as for raw in raws if raw.read_as), None)
    if misnamed:
        findings.add("file_misnamed", None, None, None, Path(source).suffix, None, misnamed.upper())
    for raw in raws:
        if raw.uncalculated:
            findings.add("formula_uncalculated", raw.name, None, None, raw.uncalculated)
    for raw, layout in zip(raws, layouts, strict=True):
        if layout.kind == "projects":
            read_projects_sheet(raw, layout, ctx, parts)
    check_duplicates(parts, ctx)
    projects = concat_table(parts.projects, "projects")
    ctx.make_resolver = lambda: Resolver(projects, error_keys(parts, ctx))
    for raw, layout in zip(raws, layouts, strict=True):
        if layout.kind not in ("projects", "unrecognised"):
            read_linked_sheet(raw, layout, ctx, parts)
        elif layout.kind == "unrecognised":
            skip_sheet(raw, ctx, parts)
    ctx.make_resolver = None  # the lambda closes over ctx: a cycle that would hold every row
    ledger = assemble(parts, ctx, source, projects)
    return ledger.replace(mapping=mapping_table(parts.sheets))  # what was read as what


def chosen_sheets(raws: list[RawSheet], sheet, source: str) -> list[RawSheet]:
    """The sheets `sheet` asks for: a name, a 0-based number, or a list of them; all when None."""
    if sheet is None:
        return raws
    wanted = [sheet] if isinstance(sheet, (str, int)) else sheet
    if not isinstance(wanted, (list, tuple)) or not all(isinstance(w, (str, int)) for w in wanted):
        raise ParameterError(error_message("sheet_kind", path=source, value=sheet), file=source,
                             field="sheet", value=repr(sheet))
    out = []
    for w in wanted:
        if isinstance(w, int) or (isinstance(w, str) and w.isdigit() and w not in [r.name for r in raws]):
            index = int(w)
            if not 0 <= index < len(raws):
                raise LedgerReadError(error_message("sheet_number", path=source, index=index,
                                                    count=len(raws)),
                                      file=source, sheet=str(w), value=index)
            out.append(raws[index])
            continue
        match = [r for r in raws if r.name == w or r.name.strip() == str(w).strip()]
        if not match:
            names = ", ".join(r.name for r in raws)
            raise LedgerReadError(error_message("sheet_name", path=source, value=w, sheets=names),
                                  file=source, sheet=str(w))
        out.append(match[0])
    return out
