"""The workbench's own exception types: each names what a user must fix."""


class WorkbenchError(Exception):
    """Base class: a problem the user can act on (never a bug)."""


class LedgerReadError(WorkbenchError):
    """A ledger file cannot be read at all (missing, encrypted, not a spreadsheet, empty)."""


class SchemaError(WorkbenchError):
    """A table does not match its declared schema; the message names table, column and value."""


class ConfigError(WorkbenchError):
    """A YAML configuration file (rubric, aliases, profile, labels) is wrong."""


class ParameterError(WorkbenchError):
    """A report or notebook parameter is wrong (checked before any kernel starts)."""


class ScenarioError(WorkbenchError):
    """A what-if scenario names something unknown or holds an absurd value."""


class PublishError(WorkbenchError):
    """A report run failed; the last good report was left in place."""
