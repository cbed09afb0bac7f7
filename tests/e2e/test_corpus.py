"""Real-world specs from ../shared/corpus: `apigov check` never crashes and finds them valid.

The corpus sits beside the repository (as in CI). Under CI=true its absence is a failure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._corpus import corpus_dir
from tests.e2e._cli import apigov

pytestmark = pytest.mark.slow  # the real-world corpus from ../shared (make test-slow)

SAMPLE = [
    "petstore/v3-1.0.26.yaml",
    "box/2026-01-27.json",
    "twilio/2025-12-03_2.5.8_api_v2010.json",
    "kubernetes/release-1.36.json",
    "stripe/2023-09-12_v524.yaml",
    "github/2022-07-18_v6.7.1.json",
]


@pytest.fixture(scope="module")
def corpus() -> Path:
    return corpus_dir()


@pytest.mark.parametrize("name", SAMPLE)
def test_real_spec_checks_without_crash(corpus: Path, name: str, tmp_path: Path) -> None:
    result = apigov("check", str(corpus / name), "-f", "json", "--fail-on", "none", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["documents"][0]["kind"].startswith(("openapi", "swagger"))
    structural = [f for f in report["findings"] if f["id"] == "openapi-structure-invalid"]
    assert structural == [], structural[:3]
    assert all(f["line"] for f in report["findings"])  # every finding points at a line
