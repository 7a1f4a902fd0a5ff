"""``workbench backtest``: the delivery-risk forecast back-tested on a portfolio panel, or the
packaged prior refitted on the reference portfolios (``--prior-out``)."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from workbench.core.words import check_lang, error_message, message_lang
from workbench.exceptions import ParameterError


def backtest(
    paths: list[Path] = typer.Argument(...),
    profile: list[str] = typer.Option(..., "--profile"),
    out: Path = typer.Option(None, "--out"),
    prior_out: Path = typer.Option(None, "--prior-out"),
    planning: bool = typer.Option(True, "--planning/--no-planning"),
    page: Path = typer.Option(None, "--page"),
    lang: str = typer.Option(None, "--lang"),
) -> None:
    """Back-test the delivery-risk forecast on a portfolio panel read through a profile."""
    from workbench.risk.backtest import run_backtest
    from workbench.risk.reference import reference_pairs
    from workbench.risk.report import backtest_markdown

    lang = check_lang(lang or message_lang())
    if len(profile) not in (1, len(paths)):
        raise ParameterError(error_message("backtest_profiles", n=len(profile), paths=len(paths)),
                             field="profile", value=str(len(profile)))
    pairs_of = list(zip(paths, profile * len(paths) if len(profile) == 1 else profile, strict=True))
    words = ["workbench", "backtest", *[w for name in profile for w in ("--profile", name)],
             *([] if planning else ["--no-planning"]), *(["--out", str(out)] if out else []),
             *(["--prior-out", str(prior_out)] if prior_out else []),
             *(["--page", str(page)] if page else []), *map(str, paths)]
    command = " ".join(shlex.quote(w) for w in words)  # the command that made the output
    if prior_out is not None:
        from workbench.risk.model import prior_yaml
        from workbench.risk.reference_prior import fit_prior

        model = fit_prior([(str(p), name) for p, name in pairs_of])
        prior_out.write_text(prior_yaml(model, command), "utf-8")
        typer.echo(f"{prior_out}: {model.fitted_on}")
        return
    for path, name in pairs_of:
        pairs = reference_pairs(path, name, planning=planning)
        result = run_backtest(pairs, name)
        typer.echo(result.pass_line())
        if out is not None:
            target = out if len(pairs_of) == 1 else out.with_name(f"{out.stem}_{name}{out.suffix}")
            source = f"{Path(path).name} · --profile {name}"
            target.write_text(backtest_markdown(result, command, source, lang, result.model) + "\n", "utf-8")
            typer.echo(str(target))
        if page is not None:
            from workbench.publish.backtest import backtest_page

            target = page if len(pairs_of) == 1 else page.with_name(f"{page.stem}_{name}{page.suffix}")
            typer.echo(str(backtest_page(name, path, target, lang=lang, planning=planning,
                                         command=command)))
