"""Every exception the workbench raises for a user to act on, with the data a caller needs.

Like papermill's ``PapermillExecutionError.cell_index``, each error carries its fields (the
file, sheet, Excel row, column and value it is about; the folder a failed run was kept in …)
besides its message, and the exit code the command line returns for it. The message is
written from config/errors.yaml in the messages' language (``workbench.core.messages``:
Chinese by default; the command line's --lang, WORKBENCH_LANG or locale, or
``workbench.set_message_lang("en")`` in a notebook, switch it), never in code. The CLI maps errors
to exit codes in one place (``workbench.cli.exit_code_of``): 1 when the data or a run failed,
2 when the user asked for something wrong or a file cannot be read. A bug is never a
WorkbenchError; it surfaces as a traceback.
"""

from __future__ import annotations

#: Exit codes of the command line.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class WorkbenchError(Exception):
    """Base class: a problem the user can act on (never a bug).

    ``fields`` holds what the error is about (file, sheet, row, column, value, field, kept …);
    each is also an attribute, None when not given.
    """

    exit_code = EXIT_USAGE
    FIELDS = ("file", "sheet", "row", "column", "value", "field", "kept")

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.message = message
        self.fields = {k: v for k, v in fields.items() if v is not None}
        for name in self.FIELDS:
            setattr(self, name, fields.get(name))
        for name, value in fields.items():
            if name not in self.FIELDS:
                setattr(self, name, value)

    def __reduce__(self):  # picklable with its fields (kernels and worker processes)
        return (_rebuild, (type(self), self.message, self.fields))


def _rebuild(cls, message, fields):
    return cls(message, **fields)


class LedgerReadError(WorkbenchError):
    """A ledger file cannot be read at all (missing, encrypted, not a spreadsheet, empty)."""


class LedgerDataError(WorkbenchError):
    """A ledger was read but its data cannot be used as asked (no rows, no project accepted …)."""

    exit_code = EXIT_FAILED


class SchemaError(WorkbenchError):
    """A table does not match its declared schema; the message names table, column and value."""

    exit_code = EXIT_FAILED


class ConfigError(WorkbenchError):
    """A YAML configuration file (rubric, aliases, profile, labels) is wrong."""


class ParameterError(WorkbenchError):
    """A report, notebook or command parameter is wrong (checked before any kernel starts)."""


class ScenarioError(WorkbenchError):
    """A what-if scenario names something unknown or holds an absurd value."""


class ExportError(WorkbenchError):
    """A table cannot be written where or how it was asked (unknown file type …)."""


class ProjectNotFound(WorkbenchError):
    """No project matches what the user typed; ``candidates`` holds close (id, name) pairs."""

    def __init__(self, message: str, candidates: list[tuple[str, str]] | None = None, **fields):
        super().__init__(message, candidates=candidates or [], **fields)


class AmbiguousProject(ProjectNotFound):
    """Several projects match what the user typed; ``candidates`` lists them all."""


class PublishError(WorkbenchError):
    """A report run failed; the last good report was left in place (``kept``: the failed run)."""

    exit_code = EXIT_FAILED


class StoppedBySignal(PublishError):
    """A run stopped by a signal (``value``: its name) after its failure was recorded; the
    command exits 128 + the signal's number, as a shell reports a process the signal ended
    (143 for SIGTERM, 130 for SIGINT), so cron and systemd see what stopped it."""

    def __init__(self, message: str, signum: int, **fields):
        super().__init__(message, signum=signum, **fields)
        self.exit_code = 128 + int(signum)


class StoreError(WorkbenchError):
    """The snapshot store cannot be used as asked (``file``: the store; ``value``: what was asked)."""

    exit_code = EXIT_FAILED


class StoreBusyError(StoreError):
    """Another process is writing the snapshot store; nothing was written (try again)."""
