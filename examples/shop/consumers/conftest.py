"""Where the consumer tests write their pacts: ``$PACT_OUTPUT_DIR``, else ``examples/shop/pacts``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")


@pytest.fixture(scope="session")
def pact_dir() -> Path:
    where = Path(os.environ.get("PACT_OUTPUT_DIR") or Path(__file__).parents[1] / "pacts")
    where.mkdir(parents=True, exist_ok=True)
    return where
