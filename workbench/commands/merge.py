"""`workbench merge`: one library call (``workbench.reconcile``), registered by ``cli``.

Kept out of ``cli.py`` so it stays small; errors become exit codes in ``cli``'s command group.
It may import every layer below it (it calls ``reconcile`` and ``ingest``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.core.words import message, message_lang


def merge(
    master: Path = typer.Argument(...),
    subs: list[Path] = typer.Argument(...),
    precedence: Path = typer.Option(None, "--precedence"),
    out: Path = typer.Option(Path("merged.xlsx"), "--out"),
    year: int = typer.Option(None, "--year"),
    lang: str = typer.Option(None, "--lang"),
    report: Path = typer.Option(None, "--report"),
    no_pdf: bool = typer.Option(False, "--no-pdf"),
) -> None:
    """Merge the master ledger with the other ledgers into one (一数一源) and write the merged
    workbook: conflicts, pairs to review, projects in one source only, every row's fate; with
    --report also publish the reconciliation section (offline HTML and PDF)."""
    from workbench.ingest.load import check_year
    from workbench.reconcile import merge_ledgers, merge_summary_text, write_merged

    says = message_lang(lang)
    merged = merge_ledgers([master, *subs], precedence=precedence, year=check_year(year))
    path = write_merged(merged, out, lang=lang or "zh")
    typer.echo(merge_summary_text(merged, says))
    typer.echo(message("written", says, path=path))
    if report is not None:  # the reconciliation section, published like the other reports
        from workbench.core.speedups import skip_iri_format_checks
        from workbench.publish import publish_reconciliation

        skip_iri_format_checks()  # this process only, before nbformat imports jsonschema
        page = publish_reconciliation([master, *subs], precedence=precedence, year=year,
                                      out=report, lang=lang or "zh", pdf=not no_pdf,
                                      merged=merged, log=lambda m: typer.echo(m, err=True),
                                      log_lang=says)
        typer.echo(message("written", says, path=page.html))
