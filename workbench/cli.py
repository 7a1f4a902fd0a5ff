"""The `workbench` command: a thin layer over the library; each command calls one function.

Exit codes: 0 success, 1 the data has errors or a run failed, 2 bad usage or unreadable input.
Errors become exit codes in one place, `exit_code_of`: every command runs inside
`WorkbenchCommands.invoke`, which prints a WorkbenchError's message (with the fields it does
not already name) and exits with the error's own code (``workbench.exceptions``). Anything
else is a bug and surfaces as a traceback.
"""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperGroup

from workbench.core.speedups import freeze_at_exit, skip_iri_format_checks
from workbench.core.words import word
from workbench.exceptions import ParameterError, WorkbenchError

#: Fields of an error worth showing under its message (when the message does not name them).
SHOWN_FIELDS = ("file", "sheet", "row", "column", "value", "kept")
#: The --year option of load, validate and score.
YEAR_HELP = ("The ledger's year (default: from the title, sheet name, file name or report date; "
             "the load summary says which)")


def exit_code_of(exc: WorkbenchError) -> int:
    """The exit code of the command line for `exc`: the error's own (1 data/run, 2 usage)."""
    return exc.exit_code


def error_text(exc: WorkbenchError) -> str:
    """What the user reads for `exc`: its message, then each field the message does not name."""
    message = str(exc)
    lines = [f"parameter error: {message}" if isinstance(exc, ParameterError) else message]
    for name in SHOWN_FIELDS:
        value = exc.fields.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        if value is not None and not all(str(v) in message for v in values):
            lines.append(f"  {name}: {', '.join(str(v) for v in values)}")
    for code, name in getattr(exc, "candidates", None) or []:
        lines.append(f"  {code} {name}")
    return "\n".join(lines)


class WorkbenchCommands(TyperGroup):
    """The command group: runs a command and turns a WorkbenchError into its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            typer.echo(error_text(exc), err=True)
            raise typer.Exit(exit_code_of(exc)) from None


app = typer.Typer(
    cls=WorkbenchCommands,
    help="County DRC key-project workbench: load ledgers, score, report, what-if.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def load(
    path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xlsm/.xls/.csv)"),
    sheet: list[str] = typer.Option(None, "--sheet", help="Read only this sheet (repeatable)"),
    profile: str = typer.Option(None, "--profile", help="Mapping profile: name (nyc, uk_gmpp) or YAML"),
    lang: str = typer.Option("zh", "--lang", help="Language of the summary: zh or en"),
    year: int = typer.Option(None, "--year", help=YEAR_HELP),
) -> None:
    """Load a ledger and print what loaded: its year, rows per table, totals in 亿元, findings."""
    from workbench.core.words import check_lang
    from workbench.ingest import load_ledger
    from workbench.ingest.validate import year_text

    ledger = load_ledger(path, sheet=sheet or None, profile=profile, lang=check_lang(lang), year=year)
    lines = ledger_summary_text(ledger.summary(), str(path), lang).split("\n")
    typer.echo("\n".join([lines[0], "  " + year_text(ledger, lang), *lines[1:]]))


def ledger_summary_text(summary: dict, path: str, lang: str = "zh") -> str:
    """The `workbench load` summary as lines of text in `lang`."""
    from workbench.core.words import word

    s = summary
    lines = [f"{path}: {s['year']} · {s['months'] or '—'}"]
    lines += [f"  {count:>8,}  {word(f'table_{name}', lang)}" for name, count in s["counts"].items()]
    if lang == "zh":
        lines.append(f"  总投资 {s['total_investment_yi']:,.2f} 亿元 · 年度计划 "
                     f"{s['annual_plan_yi']:,.2f} 亿元 · 已完成 {s['completed_yi']:,.2f} 亿元")
        if s.get("bundled"):
            lines.append(f"  打捆项目只计一次：{s['bundled']} 行（子项目或打捆行）保留在台账中，未重复计入")
        lines.append(f"  错误 {s['errors']} 条 · 警告 {s['warnings']} 条 · 拒绝 {s['rejected_rows']} 行"
                     "（workbench validate 查看详情）")
    else:
        lines.append(f"  total {s['total_investment_yi']:,.2f} 亿元 · annual plan "
                     f"{s['annual_plan_yi']:,.2f} 亿元 · completed {s['completed_yi']:,.2f} 亿元")
        if s.get("bundled"):
            lines.append(f"  bundled projects (打捆) counted once: {s['bundled']} rows (parts or "
                         "bundle rows) kept in the ledger, not counted again")
        lines.append(f"  {s['errors']} errors · {s['warnings']} warnings · "
                     f"{s['rejected_rows']} rows rejected (details: workbench validate)")
    return "\n".join(lines)


# --- more commands below: sample, validate, score, report, whatif -----------------------------


@app.command()
def score(
    path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xls/.csv)"),
    as_of: str = typer.Option(None, "--as-of", help="Score as of this date (YYYY-MM-DD); "
                              "default: end of the last month with progress data"),
    rubric: Path = typer.Option(None, "--rubric", help="Your rubric YAML (merged over the default)"),
    out: Path = typer.Option(None, "--out", help="Write scores, reasons and unit ranking (.xlsx/.csv)"),
    lang: str = typer.Option("zh", "--lang", help="Language of the export and summary: zh or en"),
    year: int = typer.Option(None, "--year", help=YEAR_HELP),
) -> None:
    """Score planning quality and delivery; rank responsible units (月考核)."""
    from workbench.publish import score_file
    from workbench.scoring.scores import score_summary

    scores, written = score_file(path, as_of=as_of, rubric=rubric, out=out, lang=lang, year=year)
    typer.echo(score_summary(scores, lang))
    if written is not None:
        typer.echo(f"→ {written}")


@app.command()
def validate(
    path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xlsm/.xls/.csv)"),
    sheet: list[str] = typer.Option(None, "--sheet", help="Read only this sheet (repeatable)"),
    profile: str = typer.Option(None, "--profile", help="Mapping profile: name (nyc, uk_gmpp) or YAML"),
    lang: str = typer.Option("zh", "--lang", help="Language of the messages: zh or en"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts"),
    year: int = typer.Option(None, "--year", help=YEAR_HELP),
) -> None:
    """Check a ledger: every finding with sheet, row, column and value; rows reconciled.
    Exit 0 clean (warnings allowed), 1 errors found, 2 the file cannot be read."""
    from workbench.ingest import validation_report
    from workbench.ingest.validate import report_json, report_text

    report = validation_report(path, sheet=sheet or None, profile=profile, lang=lang, year=year)
    if as_json:
        typer.echo(report_json(report))
    else:
        typer.echo(report_text(report, lang), err=report.exit_code == 2)
    raise typer.Exit(report.exit_code)


@app.command("map")
def map_columns(
    path: Path = typer.Argument(..., help="Ledger workbook (.xlsx/.xlsm/.xls/.csv)"),
    out: Path = typer.Option(..., "--out", help="Profile YAML to write (edit it, pass it back with --profile)"),
    sheet: list[str] = typer.Option(None, "--sheet", help="Read only this sheet (repeatable)"),
    profile: str = typer.Option(None, "--profile", help="Read through this profile first"),
    lang: str = typer.Option("zh", "--lang", help="Language of the table: zh or en"),
) -> None:
    """Write what was read as what (field ← column) as a mapping profile to edit and reuse."""
    from workbench.core.words import check_lang
    from workbench.ingest import load_ledger, mapping_table_text, write_mapping_profile

    ledger = load_ledger(path, sheet=sheet or None, profile=profile, lang=check_lang(lang))
    written = write_mapping_profile(ledger, out, lang)
    typer.echo(mapping_table_text(ledger.mapping, lang))
    typer.echo(f"→ {written}  (workbench validate {path} --profile {written})")


@app.command()
def report(
    quarter: str = typer.Option(None, "--quarter", help="Quarter to review, e.g. 2022Q1"),
    year: int = typer.Option(None, "--year", help="Render every quarter of this year the data covers "
                             "(the ledger is read as this year's)"),
    ledger_path: Path = typer.Option(None, "--ledger", help="Ledger workbook (default: the bundled sample)"),
    lang: str = typer.Option("zh", "--lang", help="Language of the report: zh or en"),
    rubric: Path = typer.Option(None, "--rubric", help="Scoring rubric YAML (default: packaged)"),
    as_of: str = typer.Option("", "--as-of", help="As-of date YYYY-MM-DD (default: quarter end)"),
    office: str = typer.Option("", "--office", help="Only this office (政府投资/城镇建设/…)"),
    unit: str = typer.Option("", "--unit", help="Only this responsible unit"),
    out: Path = typer.Option(Path("reports"), "--out", help="Output folder"),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Skip the PDF (printed by headless Chromium)"),
    scenario: Path = typer.Option(None, "--scenario", help="What-if scenario YAML: adds base vs scenario"),
    accept_warnings: bool = typer.Option(False, "--accept-warnings",
                                         help="Publish although the ledger fails its plausibility "
                                         "checks; the report's first page states them"),
) -> None:
    """Render the quarterly review (季度讲评): executed notebook, offline HTML, PDF; refresh the index.
    Exit 0 published, 1 the run failed or the ledger fails its plausibility checks (nothing
    published; see --accept-warnings), 2 bad parameters."""
    skip_iri_format_checks()  # this process only, before nbformat imports jsonschema
    from workbench.publish import publish_reports

    published = publish_reports(quarter, year, ledger_path=ledger_path, lang=lang, rubric=rubric,
                                as_of=as_of, office=office, unit=unit, scenario=scenario, out=out,
                                pdf=not no_pdf, accept_warnings=accept_warnings,
                                log=lambda m: typer.echo(m, err=True))
    for p in published:
        typer.echo(f"{p.quarter} → {p.html}" + (f" · {p.pdf}" if p.pdf else ""))


@app.command()
def sample(
    seed: int = typer.Option(2022, "--seed", help="Random seed: the same seed gives the same ledger"),
    projects: int = typer.Option(200, "--projects", help="Key projects on this year's list"),
    year: int = typer.Option(2022, "--year", help="Ledger year"),
    out: Path = typer.Option(Path("data/sample"), "--out", help="Folder to write the workbook into"),
    series: bool = typer.Option(False, "--series", help="Also write the year as a series of ledgers "
                                "(month ends, Fridays of Q4, year end) and changes.csv into OUT/series"),
) -> None:
    """Generate the synthetic sample county and write its ledger workbook (.xlsx);
    with --series also its ledgers through the year and the change log."""
    from workbench.sample import sample_facts, write_sample, write_sample_series

    path, ledger = write_sample(out, seed=seed, projects=projects, year=year)
    f = sample_facts(ledger)
    typer.echo(f"{path}: synthetic sample, seed {seed}, year {year}")
    typer.echo(f"  重点项目 {f['projects']} 个（省市级 {f['province_city']} 个）· 总投资 "
               f"{f['total_investment_yi']:.2f} 亿元 · 年度计划 {f['annual_plan_yi']:.2f} 亿元 · "
               f"完成 {f['completed_yi']:.2f} 亿元")
    typer.echo(f"  谋划储备 {f['reserve_projects']} 个 · 总投资 {f['reserve_investment_yi']:.2f} 亿元 "
               f"（年度计划的 {f['reserve_multiple']:.2f} 倍）")
    typer.echo("  " + " · ".join(f"{name} {count} 行" for name, count in f["rows"].items()))
    if series:
        books, log = write_sample_series(out / "series", seed=seed, projects=projects, year=year)
        kinds = log["kind"].value_counts()
        typer.echo(f"{out / 'series'}: {len(books)} 期台账（{books[0].name} … {books[-1].name}）"
                   f"· 变更记录 {len(log)} 条 → {out / 'series' / 'changes.csv'}")
        typer.echo("  " + " · ".join(f"{kind} {count}" for kind, count in kinds.items()))


@app.command()
def whatif(
    scenario: Path = typer.Argument(..., help="What-if scenario YAML (the what-if notebook's 保存情景)"),
    ledger_path: Path = typer.Option(Path("data/sample/neixiang_2022_ledger.xlsx"), "--ledger",
                                help="Ledger workbook (default: the bundled sample)"),
    as_of: str = typer.Option("", "--as-of", help="YYYY-MM-DD; months up to it are history "
                              "(default: the last reported month)"),
    lang: str = typer.Option("zh", "--lang", help="zh or en"),
) -> None:
    """Compare a what-if scenario with the ledger as it is: year-end forecast, start rates."""
    from workbench.whatif import compare_files, comparison_text

    comparison = compare_files(scenario, ledger_path, as_of or None)
    typer.echo(comparison_text(comparison, lang))


# --- the snapshot store: snapshot add/list/show/remove, diff --------------------------------

snapshot_app = typer.Typer(cls=WorkbenchCommands, no_args_is_help=True,
                           help="快照库：每次报送的台账按日期保存 / the snapshot store")
app.add_typer(snapshot_app, name="snapshot")
STORE_HELP = "快照库文件（默认 data/history.duckdb） / the store file"


@snapshot_app.command("add")
def snapshot_add(
    ledger_path: Path = typer.Argument(..., help="台账文件 / ledger workbook"),
    as_of: str = typer.Option(None, "--as-of", help="快照日期 YYYY-MM-DD（默认：台账填报时间） / "
                              "snapshot date (default: the ledger's report date)"),
    source: str = typer.Option("", "--source", help="来源，如单位名或省平台 / where it came from"),
    store: Path = typer.Option(None, "--store", help=STORE_HELP),
    year: int = typer.Option(None, "--year", help=YEAR_HELP),
    profile: str = typer.Option(None, "--profile", help="Mapping profile: name or YAML"),
    lang: str = typer.Option("zh", "--lang", help="zh or en"),
) -> None:
    """加入一份台账为快照（同一文件再次加入不重复） / add a ledger to the store as a dated snapshot."""
    from workbench.publish import snapshot_ledger

    info = snapshot_ledger(ledger_path, store, as_of=as_of, source=source, year=year,
                           profile=profile)
    key = "snapshot_added" if info.added else "snapshot_exists"
    typer.echo(word(key, lang, id=info.snapshot_id, as_of=f"{info.as_of:%Y-%m-%d}",
                    file=info.file))


@snapshot_app.command("list")
def snapshot_list(store: Path = typer.Option(None, "--store", help=STORE_HELP),
                  lang: str = typer.Option("zh", "--lang", help="zh or en")) -> None:
    """列出快照 / list the snapshots, oldest first."""
    from workbench.history import list_snapshots

    frame = list_snapshots(store)
    if not len(frame):
        typer.echo(word("snapshot_none", lang))
    for r in frame.itertuples():
        typer.echo(f"#{r.snapshot_id:<4} {r.as_of:%Y-%m-%d}  {r.projects:>6}  "
                   f"{r.content_hash[:12]}  {r.source or '-'}  {r.file}")


@snapshot_app.command("show")
def snapshot_show(snapshot: str = typer.Argument("latest", help="编号、日期或 latest / id, date"),
                  store: Path = typer.Option(None, "--store", help=STORE_HELP),
                  lang: str = typer.Option("zh", "--lang", help="zh or en")) -> None:
    """显示一个快照的内容汇总 / what a snapshot holds: counts and totals."""
    from workbench.history import read_snapshot

    ledger = read_snapshot(snapshot, store)
    typer.echo(ledger_summary_text(ledger.summary(), f"{snapshot} · {ledger.source}", lang))


@snapshot_app.command("remove")
def snapshot_remove(snapshot_id: int = typer.Argument(..., help="快照编号 / snapshot id"),
                    store: Path = typer.Option(None, "--store", help=STORE_HELP),
                    yes: bool = typer.Option(False, "--yes", help="不询问 / do not ask"),
                    lang: str = typer.Option("zh", "--lang", help="zh or en")) -> None:
    """删除一个快照（先询问） / remove a snapshot (asks first)."""
    from workbench.history import list_snapshots, remove_snapshot

    frame = list_snapshots(store)
    row = frame[frame["snapshot_id"] == snapshot_id]
    if not len(row):
        raise ParameterError(f"快照库中没有快照 #{snapshot_id} / no snapshot #{snapshot_id}",
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
    from_: str = typer.Option(None, "--from", help="较早的快照（编号或日期；默认：上一个） / older snapshot"),
    to: str = typer.Option(None, "--to", help="较晚的快照（默认：最新） / newer snapshot (default: latest)"),
    store: Path = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON for scripts"),
    lang: str = typer.Option("zh", "--lang", help="zh or en"),
) -> None:
    """两个快照之间的变化 / what changed between two snapshots."""
    from workbench.history import diff_snapshots
    from workbench.history.text import diff_text

    result = diff_snapshots(from_, to, store)
    typer.echo(result.to_json() if as_json else diff_text(result, lang))


def main() -> None:
    """The console entry point: the commands, with the process-level speed-ups of every run."""
    freeze_at_exit()  # registered first, so it runs last, after every file is closed
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
