"""The `workbench` command: a thin layer over the library; each command calls one function.

Exit codes: 0 success, 1 the data has errors or a run failed, 2 bad usage or unreadable input.
"""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.exceptions import WorkbenchError

app = typer.Typer(
    help="County DRC key-project workbench: load ledgers, score, report, what-if.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `message` to stderr and return an Exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.command()
def load(path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xls/.csv)")) -> None:
    """Load a ledger and print what loaded: counts per table, totals in 亿元."""
    from workbench import load_ledger

    try:
        ledger = load_ledger(path)
    except WorkbenchError as exc:
        raise fail(str(exc)) from None
    s = ledger.summary()
    typer.echo(f"{path}: year {s['year']}, months {s['months']}")
    for name, count in s["counts"].items():
        typer.echo(f"  {name:<11} {count:>7} rows")
    typer.echo(f"  总投资 {s['total_investment_yi']:.2f} 亿元 · 年度计划 {s['annual_plan_yi']:.2f} 亿元 "
               f"· 已完成 {s['completed_yi']:.2f} 亿元")
    typer.echo(f"  findings: {s['errors']} errors, {s['warnings']} warnings; "
               f"{s['rejected_rows']} rows rejected")


# --- more commands below: sample, validate, score, report, whatif -----------------------------


@app.command()
def validate(
    path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xlsm/.xls/.csv)"),
    sheet: list[str] = typer.Option(None, "--sheet", help="Read only this sheet (repeatable)"),
    profile: str = typer.Option(None, "--profile", help="Mapping profile: name (nyc, uk_gmpp) or YAML"),
    lang: str = typer.Option("zh", "--lang", help="Language of the messages: zh or en"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts"),
) -> None:
    """Check a ledger: every finding with sheet, row, column and value; rows reconciled.
    Exit 0 clean (warnings allowed), 1 errors found, 2 the file cannot be read."""
    from workbench.validate import report_json, report_text, validation_report

    try:
        report = validation_report(path, sheet=sheet or None, profile=profile, lang=lang)
    except WorkbenchError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(report_json(report))
    else:
        typer.echo(report_text(report, lang), err=report.exit_code == 2)
    raise typer.Exit(report.exit_code)


if __name__ == "__main__":  # pragma: no cover
    app()
