"""The small hand-made ledger of tests/small_ledger.py, built once a module."""

from __future__ import annotations

import pytest

from tests.small_ledger import small_ledger
from workbench.model.ledger import Ledger


@pytest.fixture(scope="module")
def book() -> Ledger:
    return small_ledger()
