"""No silent wrongness: a report is not published from a ledger that fails its plausibility
checks (``workbench.model.plausibility``) unless the user accepts them (``--accept-warnings``);
then the report's first page states them.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.exceptions import LedgerDataError
from workbench.model.plausibility import issue_lines, plausibility_issues


def refuse_implausible(ledger, path: str, accept: bool, log: Callable[[str], None]) -> None:
    """Raise LedgerDataError (exit 1, nothing published) listing the ledger's plausibility
    issues; with `accept`, log them and go on (the report's first page states them)."""
    issues = plausibility_issues(ledger)
    if not len(issues):
        return
    lines = issue_lines(issues, "zh")
    if accept:
        log(f"{path}: 可信度警告已接受（报告首页列出）/ plausibility warnings accepted: "
            + "; ".join(lines))
        return
    en = issue_lines(issues, "en")
    raise LedgerDataError(
        f"{path}: 台账未通过可信度检查，报告未发布 / the ledger fails its plausibility checks; "
        "nothing was published:\n"
        + "\n".join(f"  - {zh}\n    {e}" for zh, e in zip(lines, en, strict=True))
        + "\n核对上述列（workbench validate 显示每个字段取自哪一列），或加 --accept-warnings 发布并在首页注明"
        " / check these columns (workbench validate shows what was read as what), or pass "
        "--accept-warnings to publish with them stated on the first page",
        file=path, column=[c for c in issues["column"] if c] or None, value=list(issues["count"]))
