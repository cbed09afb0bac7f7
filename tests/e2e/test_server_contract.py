"""The server's API in the working tree against its latest version published in ``contracts/``.

``contracts/`` is apigov's own registry (directory layout). A change to
``apigov/server/openapi.yaml`` that breaks clients of the published version fails here;
publish a new version with ``apigov publish apigov/server/openapi.yaml -s
apigov-registry-api -r contracts`` (a breaking one needs ``--bump major`` under mode NONE, and a
deliberate decision).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPEC = "apigov/server/openapi.yaml"
SUBJECT = "apigov-registry-api"


def test_the_working_server_api_does_not_break_its_latest_published_version() -> None:
    done = apigov(
        "diff", f"{SUBJECT}@latest", SPEC, "--format", "json", cwd=ROOT, env={"APIGOV_REGISTRY": "contracts"}
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    breaking = [c for c in report["changes"] if c["level"] == "breaking"]
    assert not breaking, f"breaking changes against {SUBJECT}@latest: {breaking}"
    assert done.returncode == 0


def test_the_published_api_is_a_subject_of_apigovs_own_registry() -> None:
    listing = apigov("registry", "list", "-r", "contracts", "--format", "json", cwd=ROOT)
    assert listing.returncode == 0, listing.stderr
    subjects = {s["subject"]: s for s in json.loads(listing.stdout)["subjects"]}
    assert subjects[SUBJECT]["kind"] == "openapi"
    assert (ROOT / "contracts" / "schemas" / "diff-report.schema.json").is_file()


def test_the_server_api_passes_apigov_check() -> None:
    done = apigov("check", SPEC, "--format", "json", cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert json.loads(done.stdout)["summary"]["error"] == 0
