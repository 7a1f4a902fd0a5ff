"""Lazy facades: a package's public names, imported from its private modules on first use.

Every subpackage's ``__init__`` lists its public names with the module that defines each, and
calls `lazy_exports`. Importing a facade then costs nothing; ``from workbench.whatif import
report_section`` imports only the module that defines it (a report's kernel never pays for
the widget code it does not use).
"""

from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, exports: dict[str, str], namespace: dict):
    """`(__getattr__, __dir__)` for `package`, resolving `exports` (name → module) lazily.

    A resolved name is stored in the package's `namespace`, so later lookups are plain
    attribute reads. A name that is not exported raises AttributeError, which lets
    ``from package import submodule`` fall through to the import system.
    """

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
