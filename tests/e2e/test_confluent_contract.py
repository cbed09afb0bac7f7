"""The Confluent API's contract (``apigov/server/confluent-openapi.yaml``): every route of the
router is an operation of it, it passes ``apigov check``, and it does not break the version
published in ``contracts/`` (subject ``apigov-confluent-api``; publish a new one with ``apigov
publish apigov/server/confluent-openapi.yaml -s apigov-confluent-api -r contracts``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from apigov.config.project import Config
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore
from apigov.server._http import ServerSettings, Shared
from apigov.server.observe import Metrics
from apigov.server.routers import confluent
from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPEC = "apigov/server/confluent-openapi.yaml"
SUBJECT = "apigov-confluent-api"


def test_every_route_is_an_operation_of_the_contract(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / SPEC).read_text(encoding="utf-8"))
    operations = {
        (path, method.upper()): op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    backend = DirectoryBackend(tmp_path / "registry")
    shared = Shared(
        backend, FileTokenStore(tmp_path / "tokens.json"), ServerSettings(), Config(root=tmp_path), Metrics()
    )
    served = {}
    for route in confluent.routes(shared):
        if route.name == "confluentUnknown":
            continue
        assert route.path.startswith("/confluent/")
        for method in route.methods or ():
            if method != "HEAD":
                served[(route.path.removeprefix("/confluent"), method)] = route.name
    assert served == operations


def test_the_contract_passes_apigov_check_and_keeps_its_published_version() -> None:
    done = apigov("check", SPEC, "--format", "json", cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert json.loads(done.stdout)["summary"]["error"] == 0
    diff = apigov(
        "diff", f"{SUBJECT}@latest", SPEC, "--format", "json", cwd=ROOT, env={"APIGOV_REGISTRY": "contracts"}
    )
    assert diff.returncode in (0, 1), diff.stderr
    assert not [c for c in json.loads(diff.stdout)["changes"] if c["level"] == "breaking"]
