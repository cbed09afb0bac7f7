"""The Pact Broker API's contract (apigov/server/pact-broker.openapi.yaml) lists exactly the
router's operations, and the latest version published in contracts/ is the same document."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from starlette.routing import Route

from apigov.server._http import ServerSettings, Shared
from apigov.server.routers import pact

ROOT = Path(__file__).parents[3]
SPEC = "apigov/server/pact-broker.openapi.yaml"


def test_every_route_is_documented_and_every_documented_operation_is_served(tmp_path: Path) -> None:
    from apigov.config.project import Config
    from apigov.registry.filesystem import DirectoryBackend
    from apigov.registry.tokens import FileTokenStore
    from apigov.server.observe import Metrics

    shared = Shared(DirectoryBackend(tmp_path), FileTokenStore(tmp_path / "t.json"), ServerSettings(), Config(root=tmp_path), Metrics())
    served = {
        (route.path, method.lower())
        for route in pact.routes(shared)
        if isinstance(route, Route) and route.name not in ("pactNotFound", "pactIndexSlash")
        for method in (route.methods or ()) if method != "HEAD"
    }
    doc = yaml.safe_load((ROOT / "apigov/server/pact-broker.openapi.yaml").read_text())
    documented = {(path, method) for path, item in doc["paths"].items() for method in item if method != "parameters"}
    assert served == documented


def test_the_published_contract_is_the_current_one() -> None:
    doc = yaml.safe_load((ROOT / "apigov/server/pact-broker.openapi.yaml").read_text())
    subject = ROOT / "contracts/apigov-pact-broker-api"
    latest = json.loads((subject / "subject.json").read_text())["versions"][-1]["file"]
    published = yaml.safe_load((subject / latest).read_text())
    assert published == doc, f"publish it: apigov publish {SPEC} -s apigov-pact-broker-api -r contracts"
