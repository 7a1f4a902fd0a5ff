"""Commands of the `workbench` CLI kept outside cli.py (which stays under 400 lines).

Other modules rely on this for `backtest` and `merge` (the typer commands ``workbench
backtest`` and ``workbench merge``), which ``workbench.cli`` registers. It may import every layer below ``cli``; like cli.py it is a thin
layer over library calls.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "backtest": "workbench.commands.backtest",
    "merge": "workbench.commands.merge",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
