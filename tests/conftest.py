"""Suite-wide options: ``pytest --update-goldens`` rewrites golden files (review the diff).

The suite never inherits git's repository variables: run from a git hook or ``git rebase
--exec``, ``GIT_DIR`` would point every test repository's ``git init`` (and apigov's own git
calls) at the enclosing repository, and ``git init`` with ``GIT_DIR`` set turns it bare."""

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
    for name in list(os.environ):
        if name.startswith("GIT_") and name not in ("GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
            del os.environ[name]
    if config.getoption("--update-goldens"):
        os.environ["APIGOV_UPDATE_GOLDENS"] = "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    stop()  # the throwaway PostgreSQL server, if a test started one
