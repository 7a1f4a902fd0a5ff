"""The layers of the package, bottom to top: what each subpackage may import.

Imports point strictly downward: a module may import its own subpackage and any layer below
its own, never a layer above and never a sibling in its own layer (``ingest``, ``scoring``,
``sample`` and ``history`` know nothing of each other; nor do ``review``, ``explore``, ``whatif``
and ``reconcile``). ``risk`` (the delivery-risk forecast) sits between them: it reads profiles,
scores and the store, and the reports show it. ``commands`` holds the CLI commands kept out of
``cli.py`` (``merge``, ``backtest``), which ``cli`` registers.
``workbench.exceptions`` sits at the bottom with ``core``. ``tests/test_architecture.py``
checks every import in the package against this list, imports inside functions included.
"""

from __future__ import annotations

#: Bottom to top; the names in one tuple are independent siblings.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("exceptions",),
    ("core",),
    ("present",),
    ("model",),
    ("ingest", "scoring", "sample", "history"),
    ("risk",),
    ("review", "explore", "whatif", "reconcile"),
    ("publish",),
    ("commands",),
    ("cli",),
)


def layer_of(part: str) -> int:
    """The layer number (0 at the bottom) of a top-level part of the package."""
    for number, names in enumerate(LAYERS):
        if part in names:
            return number
    raise KeyError(f"workbench.{part} is in no layer: add it to workbench.core.layers.LAYERS")
