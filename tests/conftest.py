"""Suite-wide options: ``pytest --update-goldens`` rewrites golden files (review the diff)."""

from __future__ import annotations

import os

import pytest

from tests._postgres import postgres_server, postgres_url, stop  # noqa: F401 - fixtures for every test


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files under tests/data/golden instead of comparing with them",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-goldens"):
        os.environ["APIGOV_UPDATE_GOLDENS"] = "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    stop()  # the throwaway PostgreSQL server, if a test started one
