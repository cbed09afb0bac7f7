"""Data from ``../shared`` (beside the repository, as in the project's own CI): the real-world spec
corpus (``shared/corpus``), gateway schemas and the like.

A user's clone and the GitHub workflow do not have it: there every test that needs it is skipped
with a reason naming the missing folder, also under ``CI=true``. Only ``APIGOV_REQUIRE_CORPUS=1``
(set by ``.ci/run``, which has ``../shared``) turns its absence into a failure. Installable
components are another matter: under ``CI=true`` a missing one fails (see tests/_postgres.py).

``APIGOV_SHARED_DIR`` points elsewhere than ``../shared`` if needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REQUIRE_ENV = "APIGOV_REQUIRE_CORPUS"
"""Set to 1 where ``../shared`` must be there (``.ci/run``): its absence fails the test."""

SHARED = Path(os.environ.get("APIGOV_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
CORPUS = SHARED / "corpus"


def shared_required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def shared_dir(*parts: str) -> Path:
    """``../shared/<parts>``: the folder (or file), or skip (fail with APIGOV_REQUIRE_CORPUS=1)
    naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (data from ../shared beside the repository)"
        if shared_required():
            pytest.fail(f"{message}; {REQUIRE_ENV}=1 requires it")
        pytest.skip(message)
    return path


def corpus_dir() -> Path:
    """The real-world spec corpus, ``../shared/corpus``."""
    return shared_dir("corpus")
