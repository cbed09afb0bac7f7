"""The backend fixture the shared backend suite runs on: one line per backend.

A new backend (PostgreSQL, HTTP) adds one entry to ``BACKENDS``: a function that takes a fresh
temporary directory and returns an empty registry of that kind (starting what it needs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest

from apigov.registry.base import RegistryBackend
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.postgres import PostgresBackend
from tests._postgres import fresh_database

BACKENDS: Final[dict[str, Callable[[Path], RegistryBackend]]] = {
    "directory": lambda tmp: DirectoryBackend(tmp / "contracts"),
    "postgres": lambda tmp: PostgresBackend(fresh_database()),
    "http": lambda tmp: __import__("tests.unit.registry._http_support", fromlist=["x"]).http_backend(tmp),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> RegistryBackend:
    return BACKENDS[request.param](tmp_path)
