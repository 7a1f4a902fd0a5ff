"""Shared fixtures: paths of the repository and its bundled sample, and system tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_XLSX = ROOT / "data" / "sample" / "neixiang_2022_ledger.xlsx"


@pytest.fixture(autouse=True)
def _messages_in_the_default_language(monkeypatch):
    """Tests read the command line's default (Chinese) messages whatever the machine's locale
    (an English LANG switches them: ``workbench.core.words.message_lang``)."""
    from workbench.core import messages

    for name in ("WORKBENCH_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setitem(messages._MESSAGES, "lang", "zh")  # the library's messages: Chinese


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder."""
    return ROOT


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled synthetic sample county's ledger workbook."""
    if not SAMPLE_XLSX.exists():
        pytest.fail(f"bundled sample missing: {SAMPLE_XLSX}")
    return SAMPLE_XLSX


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of headless Chromium; skipped on a developer machine without it, a failure in CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI must install it: see .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    return path
