"""Golden files: compare output with ``tests/data/golden/...``; rewrite only on request.

``APIGOV_UPDATE_GOLDENS=1 pytest tests/unit/report`` rewrites the goldens (review the diff before
committing). Without it a difference fails with a unified diff. (An ``--update-goldens`` option
would need a ``conftest.py``; the environment variable needs none.)
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Final

import pytest

GOLDEN_ROOT: Final = Path(__file__).resolve().parents[2] / "data" / "golden"
UPDATE_VARIABLE: Final = "APIGOV_UPDATE_GOLDENS"


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def assert_golden(path: Path, actual: str) -> None:
    """Fail with a unified diff when ``actual`` differs from the golden file at ``path``."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    shown = path.relative_to(GOLDEN_ROOT.parent.parent.parent)
    if not path.exists():
        pytest.fail(f"golden file {shown} is missing; create it with {UPDATE_VARIABLE}=1", pytrace=False)
    expected = path.read_bytes().decode("utf-8")
    if expected != actual:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(shown),
            tofile="actual output",
        )
        pytest.fail(
            f"output differs from {shown} (rerun with {UPDATE_VARIABLE}=1 to accept it):\n" + "".join(diff),
            pytrace=False,
        )
