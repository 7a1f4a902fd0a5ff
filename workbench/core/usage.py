"""The command line's help and usage errors in the messages' language: `translate_help`
writes every command's help, options and usage line from config/cli.yaml; `usage_error_text`
writes click's own usage errors (click's and typer's own: a missing argument, an unknown
option or command, a value of the wrong kind, an extra argument) in the messages' language.

click writes these in English; `usage_error_text` writes them again from what the exception
carries (the parameter, the option typed, the possibilities), with the words of
config/cli.yaml (``messages.usage_*``), and lists the valid choices where there are some.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

from workbench.core.words import cli_word, message

try:  # typer ≥ 0.25 carries its own copy of click; its errors are of that copy's classes
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - an older typer on click itself
    from click import UsageError

#: How a parameter's type is named in a message (cli.yaml ``messages.usage_kind_<name>``), by
#: click's type name or the Python annotation typer keeps.
KINDS = {"integer": "int", "float": "float", "boolean": "bool", "path": "path", "text": "text",
         "datetime": "date", int: "int", float: "float", bool: "bool", Path: "path", str: "text"}


def _kind(param) -> tuple[str, list[str]]:
    """The kind of value `param` takes and its choices (an enumeration's values; else [])."""
    click_type = getattr(param, "type", None)
    if getattr(click_type, "choices", None):
        return "choice", [str(c) for c in click_type.choices]
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "choice", [str(m.value) for m in annotation]
    return KINDS.get(getattr(click_type, "name", None) or annotation, "text"), []


def _name(param, ctx) -> str:
    if param is None:
        return "?"
    if _is_argument(param) or not getattr(param, "opts", None):
        return getattr(param, "human_readable_name", None) or param.name
    return max(param.opts, key=len)


def _is_argument(param) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _typed(args: list[str], param) -> str | None:
    """The value typed for `param` among the command line's `args` (None when not found)."""
    for i, arg in enumerate(args):
        for opt in getattr(param, "opts", []) or []:
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def _commands(ctx) -> list[str]:
    group = ctx.command if ctx is not None else None
    return sorted(getattr(group, "commands", {}) or {})


def is_usage_error(exc: BaseException) -> bool:
    """Whether `exc` is one of click's usage errors (not "no arguments: show the help")."""
    return isinstance(exc, UsageError) and type(exc).__name__ != "NoArgsIsHelpError"


def usage_error_text(exc, lang: str = "zh", args: list[str] | None = None) -> str:
    """What the user reads for a usage error: the error, the usage line and where help is
    (classes told apart by name: click's own or typer's copy of it)."""
    ctx = exc.ctx
    say = lambda key, **f: message(key, lang, **f)  # noqa: E731
    kind = type(exc).__name__
    no_command = re.search(r"No such command '(.*)'", exc.message)
    if kind == "NoSuchOption":
        text = say("usage_no_option", name=exc.option_name)
        if exc.possibilities:
            text += say("usage_possible", choices=", ".join(exc.possibilities))  # best first
    elif kind == "MissingParameter":
        key = "usage_missing_argument" if _is_argument(exc.param) else "usage_missing_option"
        text = say(key, name=_name(exc.param, ctx))
    elif kind == "BadParameter":
        param = exc.param
        value = _typed(args or [], param)
        kind, choices = _kind(param)
        if choices:
            text = say("usage_bad_choice", name=_name(param, ctx), value=value or "",
                       valid=", ".join(choices))
        else:
            text = say("usage_bad_value", name=_name(param, ctx), value=value or "",
                       kind=say("usage_kind_" + kind))
    elif no_command:
        text = say("usage_no_command", name=no_command[1], valid=", ".join(_commands(ctx)))
    elif needs := re.search(r"Option '(.*)' requires an argument", exc.message):
        text = say("usage_needs_value", name=needs[1])
    elif extra := re.search(r"unexpected extra argument(?:s|\(s\))? \((.*)\)", exc.message):
        text = say("usage_extra", args=extra[1])
    else:
        text = say("usage_other", text=exc.message)
    lines = [text]
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx)).replace(
            "[OPTIONS]", say("usage_options")).replace("COMMAND [ARGS]...", say("usage_command"))
        lines.append(say("usage_line", usage=f"{ctx.command_path} {pieces}"))
        lines.append(say("usage_help", command=ctx.command_path))
    return "\n".join(lines)


def translate_help(command, lang: str, path: str = "") -> None:
    """Write the help of `command`, its options and its subcommands in `lang` (cli.yaml:
    ``commands.<path>``, ``options.<path>.<name>`` else ``options.<name>``)."""
    key = path or "workbench"
    command.help = cli_word("commands", key, lang, command.help)
    command.short_help, command.options_metavar = None, message("usage_options", lang)
    prefix = cli_word("help_panels", "usage", lang) + ("：" if lang == "zh" else ": ")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = message("usage_command", lang)

    def format_usage(ctx, formatter, command=command):  # "用法：workbench load [选项] {path}"
        formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)),
                              prefix=prefix)

    command.format_usage = format_usage
    for param in command.params:
        param.help = (cli_word("options", f"{path}.{param.name}", lang)
                      or cli_word("options", param.name, lang, getattr(param, "help", None)))
    original = command.get_help_option

    def get_help_option(ctx):
        option = original(ctx)
        if option is not None:
            option.help = cli_word("options", "help", lang)
        return option

    command.get_help_option = get_help_option
    for name, sub in getattr(command, "commands", {}).items():
        translate_help(sub, lang, f"{path}.{name}" if path else name)
