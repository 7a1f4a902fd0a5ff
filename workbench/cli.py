"""The `workbench` command: a thin layer over the library; each command calls one function.

Exit codes: 0 success, 1 the data has errors or a run failed, 2 bad usage or unreadable input.
Errors become exit codes in one place, `exit_code_of`: every command runs inside
`WorkbenchCommands.invoke`, which prints a WorkbenchError's message (with the fields it does
not already name) and exits with the error's own code (``workbench.exceptions``). Anything
else is a bug and surfaces as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from workbench import commands as _commands
from workbench.core.speedups import freeze_at_exit, skip_iri_format_checks
from workbench.core.usage import is_usage_error, translate_help, usage_error_text
from workbench.core.words import check_lang, cli_word, error_text, message, message_lang, word
from workbench.exceptions import ParameterError, WorkbenchError


def exit_code_of(exc: WorkbenchError) -> int:
    """The exit code of the command line for `exc`: the error's own (1 data/run, 2 usage)."""
    return exc.exit_code


def lang_in(args: list[str]) -> str | None:
    """The value of ``--lang`` among command-line `args` (None when not given or unknown)."""
    for i, arg in enumerate(args):
        value = arg[7:] if arg.startswith("--lang=") else \
            (args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value is not None:
            return value if value in ("zh", "en") else None
    return None


class WorkbenchCommands(TyperGroup):
    """The command group: help in the messages' language; runs a command and turns a
    WorkbenchError into its exit code, printing its message in that language."""

    says, given = None, []

    def main(self, args=None, *rest, **kwargs):
        import typer.rich_utils as panels

        from workbench.core.words import messages_in

        given = list(sys.argv[1:] if args is None else args)
        self.given, self.says = given, message_lang(lang_in(given))
        translate_help(self, self.says)
        for name in ("arguments", "options", "commands"):
            setattr(panels, f"{name.upper()}_PANEL_TITLE", cli_word("help_panels", name, self.says))
        panels.DEFAULT_STRING = cli_word("help_panels", "default", self.says)
        panels.REQUIRED_LONG_STRING = cli_word("help_panels", "required", self.says)
        with messages_in(self.says):  # the library's errors too, for this command only
            return super().main(given, *rest, **kwargs)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except Exception as exc:  # the group's own: an unknown option before a command
            self.usage_failed(exc, ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            root = ctx.find_root().command
            typer.echo(error_text(exc, getattr(root, "says", None) or message_lang()), err=True)
            raise typer.Exit(exit_code_of(exc)) from None
        except Exception as exc:  # click's own usage errors, in the messages' language
            self.usage_failed(exc, ctx)

    def usage_failed(self, exc, ctx):
        """A usage error written again in the messages' language (exit 2); anything else
        (a bug, "no arguments: show the help") goes on."""
        if not is_usage_error(exc):
            raise exc
        root = ctx.find_root().command
        typer.echo(usage_error_text(exc, getattr(root, "says", None) or message_lang(),
                                    getattr(root, "given", [])), err=True)
        raise typer.Exit(exc.exit_code) from None


app = typer.Typer(cls=WorkbenchCommands, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)


@app.command()
def load(
    path: Path = typer.Argument(...),
    sheet: list[str] = typer.Option(None, "--sheet"),
    profile: str = typer.Option(None, "--profile"),
    lang: str = typer.Option(None, "--lang"),
    year: int = typer.Option(None, "--year"),
    as_of: str = typer.Option(None, "--as-of"),
) -> None:
    """Load a ledger and print what loaded: its year, rows per table, totals in 亿元, findings."""
    from workbench.ingest import load_ledger
    from workbench.ingest.validate import ledger_summary_text, year_text

    lang = message_lang(lang)
    ledger = load_ledger(path, sheet=sheet or None, profile=profile, lang=lang, year=year, as_of=as_of)
    lines = ledger_summary_text(ledger.summary(), str(path), lang).split("\n")
    typer.echo("\n".join([lines[0], "  " + year_text(ledger, lang), *lines[1:]]))


# --- more commands below: sample, validate, score, report, whatif -----------------------------


@app.command()
def score(
    path: Path = typer.Argument(...),
    as_of: str = typer.Option(None, "--as-of"),
    rubric: Path = typer.Option(None, "--rubric"),
    out: Path = typer.Option(None, "--out"),
    lang: str = typer.Option(None, "--lang"),
    year: int = typer.Option(None, "--year"),
    profile: str = typer.Option(None, "--profile"),
) -> None:
    """Score planning quality and delivery; rank responsible units (月考核)."""
    from workbench.publish import score_file
    from workbench.scoring.scores import score_summary

    says = message_lang(lang)  # the file is written in --lang only (default zh)
    scores, written = score_file(path, as_of=as_of, rubric=rubric, out=out,
                                 lang=check_lang(lang or "zh"), year=year, profile=profile)
    typer.echo(score_summary(scores, says))
    if written is not None:
        typer.echo(message("written", says, path=written))


@app.command()
def validate(
    path: Path = typer.Argument(...),
    sheet: list[str] = typer.Option(None, "--sheet"),
    profile: str = typer.Option(None, "--profile"),
    lang: str = typer.Option(None, "--lang"),
    as_json: bool = typer.Option(False, "--json"),
    year: int = typer.Option(None, "--year"),
) -> None:
    """Check a ledger: every finding with sheet, row, column and value; rows reconciled.
    Exit 0 clean (warnings allowed), 1 errors found, 2 the file cannot be read."""
    from workbench.ingest import validation_report
    from workbench.ingest.validate import report_json, report_text

    lang = message_lang(lang)
    report = validation_report(path, sheet=sheet or None, profile=profile, lang=lang, year=year)
    if as_json:
        typer.echo(report_json(report))
    else:
        typer.echo(report_text(report, lang), err=report.exit_code == 2)
    raise typer.Exit(report.exit_code)


@app.command("map")
def map_columns(
    path: Path = typer.Argument(...),
    out: Path = typer.Option(..., "--out"),
    sheet: list[str] = typer.Option(None, "--sheet"),
    profile: str = typer.Option(None, "--profile"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """Write what was read as what (field ← column) as a mapping profile to edit and reuse."""
    from workbench.ingest import load_ledger, mapping_table_text, write_mapping_profile

    says = message_lang(lang)
    ledger = load_ledger(path, sheet=sheet or None, profile=profile, lang=says)
    written = write_mapping_profile(ledger, out, check_lang(lang or "zh"))
    typer.echo(mapping_table_text(ledger.mapping, says))
    typer.echo(message("written", says, path=f"{written}  (workbench validate {path} "
                                             f"--profile {written})"))


@app.command()
def report(
    quarter: str = typer.Option(None, "--quarter"),
    year: int = typer.Option(None, "--year"),
    week: str = typer.Option(None, "--week"),
    month: str = typer.Option(None, "--month"),
    store: Path = typer.Option(None, "--store"),
    ledger_path: Path = typer.Option(None, "--ledger"),
    lang: str = typer.Option(None, "--lang"),
    rubric: Path = typer.Option(None, "--rubric"),
    as_of: str = typer.Option("", "--as-of"),
    office: str = typer.Option("", "--office"),
    unit: str = typer.Option("", "--unit"),
    out: Path = typer.Option(Path("reports"), "--out"),
    no_pdf: bool = typer.Option(False, "--no-pdf"),
    scenario: Path = typer.Option(None, "--scenario"),
    accept_warnings: bool = typer.Option(False, "--accept-warnings"),
    on_failure: str = typer.Option(None, "--on-failure"),
) -> None:
    """Render a report: the quarterly review (季度讲评, --quarter or --year), the weekly dispatch
    (周调度, --week) or the monthly assessment (月考核通报, --month): executed notebook, offline
    HTML, PDF; refresh the index. Exit 0 published, 1 the run failed, the ledger fails its
    plausibility checks or the store holds no snapshot for the period (nothing published; see
    --accept-warnings), 2 bad parameters or no store."""
    from workbench.publish import publish_chosen
    from workbench.publish.runs import notify_on_failure, stopped_by_signals

    skip_iri_format_checks()  # this process only, before nbformat imports jsonschema
    says = message_lang(lang)  # what the terminal reads; the report is in --lang only (default zh)
    log = lambda m: typer.echo(m, err=True)  # noqa: E731
    with notify_on_failure(on_failure, says, log), stopped_by_signals(says):
        published = publish_chosen(quarter, year, week, month, store=store,
                                   lang=check_lang(lang or "zh"), rubric=rubric, pdf=not no_pdf,
                                   log=log, says=says, ledger_path=ledger_path, as_of=as_of,
                                   office=office, unit=unit, scenario=scenario, out=out,
                                   accept_warnings=accept_warnings)
    for p in published:
        typer.echo(f"{p.quarter} → {p.html}" + (f" · {p.pdf}" if p.pdf else ""))


@app.command()
def sample(
    seed: int = typer.Option(2022, "--seed"),
    projects: int = typer.Option(200, "--projects"),
    year: int = typer.Option(2022, "--year"),
    out: Path = typer.Option(Path("data/sample"), "--out"),
    series: bool = typer.Option(False, "--series"),
    submissions: bool = typer.Option(False, "--submissions"),
) -> None:
    """Generate the synthetic sample county and write its ledger workbook (.xlsx);
    with --series also its ledgers through the year and the change log."""
    from workbench.sample import sample_facts, write_sample, write_sample_series

    path, ledger = write_sample(out, seed=seed, projects=projects, year=year)
    f = sample_facts(ledger)
    says = message_lang()
    typer.echo(message("sample_written", says, path=path, seed=seed, year=year))
    typer.echo(message("sample_facts", says, **f))
    typer.echo("  " + " · ".join(message("sample_rows", says, name=word(f"table_{name}", says),
                                                 count=count)
                                  for name, count in f["rows"].items()))
    if series:
        books, log = write_sample_series(out / "series", seed=seed, projects=projects, year=year)
        kinds = log["kind"].value_counts()
        typer.echo(message("sample_series", says, folder=out / "series", books=len(books),
                           first=books[0].name, last=books[-1].name, changes=len(log),
                           file=out / "series" / "changes.csv"))
        typer.echo("  " + " · ".join(f"{kind} {count}" for kind, count in kinds.items()))
    if submissions:
        from workbench.sample import sample_config, write_sample_submissions

        paths = write_sample_submissions(ledger, out / "submissions",
                                         county=sample_config()["county"]["name"])
        typer.echo(message("sample_submissions", says, folder=out / "submissions", n=len(paths)))


@app.command()
def whatif(
    scenario: Path = typer.Argument(...),
    ledger_path: Path = typer.Option(Path("data/sample/neixiang_2022_ledger.xlsx"), "--ledger"),
    as_of: str = typer.Option("", "--as-of"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """Compare a what-if scenario with the ledger as it is: year-end forecast, start rates."""
    from workbench.whatif import compare_files, comparison_text

    comparison = compare_files(scenario, ledger_path, as_of or None)
    typer.echo(comparison_text(comparison, message_lang(lang)))


@app.command()
def brief(
    unit: str = typer.Option("", "--unit"),
    office: str = typer.Option("", "--office"),
    ledger_path: Path = typer.Option(None, "--ledger"),
    out: Path = typer.Option(Path("reports"), "--out"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """Render the brief of one responsible unit (or office, or the county) as one offline page."""
    from workbench.publish import unit_brief

    says = message_lang(lang)
    page = unit_brief(unit, ledger_path, out=out, lang=lang or "zh", office=office)
    typer.echo(message("written", says, path=page))


app.command("merge")(_commands.merge)  # the reconciliation (workbench.commands)


# --- the snapshot store: snapshot add/list/show/remove, diff --------------------------------

app.command("backtest")(_commands.backtest)  # the delivery-risk back-test (workbench.commands)
snapshot_app = typer.Typer(cls=WorkbenchCommands, no_args_is_help=True)
app.add_typer(snapshot_app, name="snapshot")


@snapshot_app.command("add")
def snapshot_add(
    ledger_path: Path = typer.Argument(...),
    as_of: str = typer.Option(None, "--as-of"),
    source: str = typer.Option("", "--source"),
    store: Path = typer.Option(None, "--store"),
    year: int = typer.Option(None, "--year"),
    profile: str = typer.Option(None, "--profile"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """加入一份台账为快照（同一文件再次加入不重复） / add a ledger to the store as a dated snapshot."""
    from workbench.publish import snapshot_ledger

    lang = message_lang(lang)
    info = snapshot_ledger(ledger_path, store, as_of=as_of, source=source, year=year,
                           profile=profile)
    key = "snapshot_added" if info.added else "snapshot_exists"
    typer.echo(word(key, lang, id=info.snapshot_id, as_of=f"{info.as_of:%Y-%m-%d}",
                    file=info.file))


@snapshot_app.command("list")
def snapshot_list(store: Path = typer.Option(None, "--store"),
                  lang: str = typer.Option(None, "--lang")) -> None:
    """列出快照 / list the snapshots, oldest first."""
    from workbench.history import list_snapshots

    lang = message_lang(lang)
    frame = list_snapshots(store)
    if not len(frame):
        typer.echo(word("snapshot_none", lang))
    for r in frame.itertuples():
        typer.echo(f"#{r.snapshot_id:<4} {r.as_of:%Y-%m-%d}  {r.projects:>6}  "
                   f"{r.content_hash[:12]}  {r.source or '-'}  {r.file}")


@snapshot_app.command("show")
def snapshot_show(snapshot: str = typer.Argument("latest"),
                  store: Path = typer.Option(None, "--store"),
                  lang: str = typer.Option(None, "--lang")) -> None:
    """显示一个快照的内容汇总 / what a snapshot holds: counts and totals."""
    from workbench.history import read_snapshot
    from workbench.ingest.validate import ledger_summary_text

    lang = message_lang(lang)
    ledger = read_snapshot(snapshot, store)
    typer.echo(ledger_summary_text(ledger.summary(), f"{snapshot} · {ledger.source}", lang))


@snapshot_app.command("remove")
def snapshot_remove(snapshot_id: int = typer.Argument(...),
                    store: Path = typer.Option(None, "--store"),
                    yes: bool = typer.Option(False, "--yes"),
                    lang: str = typer.Option(None, "--lang")) -> None:
    """删除一个快照（先询问） / remove a snapshot (asks first)."""
    from workbench.history import list_snapshots, remove_snapshot

    lang = message_lang(lang)
    frame = list_snapshots(store)
    row = frame[frame["snapshot_id"] == snapshot_id]
    if not len(row):
        raise ParameterError(message("no_snapshot", lang, id=snapshot_id),
                             field="snapshot", value=snapshot_id)
    question = word("snapshot_confirm", lang, id=snapshot_id,
                    as_of=f"{row['as_of'].iat[0]:%Y-%m-%d}", file=row["file"].iat[0])
    if not yes and not typer.confirm(question, default=False):
        typer.echo(word("snapshot_kept", lang))
        raise typer.Exit(1)
    rows = remove_snapshot(snapshot_id, store)
    typer.echo(word("snapshot_removed", lang, id=snapshot_id, rows=rows))


@app.command()
def diff(
    from_: str = typer.Option(None, "--from"),
    to: str = typer.Option(None, "--to"),
    store: Path = typer.Option(None, "--store"),
    as_json: bool = typer.Option(False, "--json"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """两个快照之间的变化 / what changed between two snapshots."""
    from workbench.history import diff_snapshots
    from workbench.history.text import diff_text

    lang = message_lang(lang)
    result = diff_snapshots(from_, to, store)
    typer.echo(result.to_json() if as_json else diff_text(result, lang))


def main() -> None:
    """The console entry point: the commands, with the process-level speed-ups of every run."""
    freeze_at_exit()  # registered first, so it runs last, after every file is closed
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
