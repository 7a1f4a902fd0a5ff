"""No silent wrongness: a report is not published from a ledger that fails its plausibility
checks (``workbench.model.plausibility``) unless the user accepts them (``--accept-warnings``);
then the report's first page states them.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.core.words import error_message, message, messages_language
from workbench.exceptions import LedgerDataError
from workbench.model.plausibility import issue_lines, plausibility_issues


def refuse_implausible(ledger, path: str, accept: bool, log: Callable[[str], None]) -> None:
    """Raise LedgerDataError (exit 1, nothing published) listing the ledger's plausibility
    issues; with `accept`, log them and go on (the report's first page states them)."""
    issues = plausibility_issues(ledger)
    if not len(issues):
        return
    says = messages_language()
    lines = issue_lines(issues, says)
    if accept:
        log(message("plausible_accepted", says, path=path, issues="; ".join(lines)))
        return
    raise LedgerDataError(
        error_message("plausible_failed", path=path,
                      issues="\n".join(f"  - {line}" for line in lines)),
        file=path, column=[c for c in issues["column"] if c] or None, value=list(issues["count"]))
