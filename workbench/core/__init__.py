"""The bottom layer: words, periods, formats, paths and configuration reading.

Other modules rely on this for the domain vocabulary (stages, bands, RAG states …), quarter and
month arithmetic, the default number formats, the one word-lookup API (zh/en labels and
phrases) and strict YAML. It may import ``workbench.exceptions`` only.
"""

from __future__ import annotations

from workbench.core.facade import lazy_exports

_EXPORTS = {
    "resolved_path": "workbench.core.paths",
    "REPO_ROOT": "workbench.core.paths",
    "report_kernel_speedups": "workbench.core.speedups",
    "set_message_lang": "workbench.core.messages",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
