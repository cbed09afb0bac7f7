"""The server is one router per API over one Shared: every route a router mounts is an operation
of the contract (apigov/server/openapi.yaml), and every operation of the contract is served."""

from __future__ import annotations

from pathlib import Path

import yaml

from apigov.config.project import Config
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore
from apigov.server._http import SPEC_PATH, ServerSettings, Shared
from apigov.server.observe import Metrics
from apigov.server.routers import ROUTERS

# routes that answer several methods and set the operation id per request
_MULTI = {
    "getVersion": {"getVersion", "putVersion"},
    "deprecation": {"deprecateVersion", "undeprecateVersion"},
    "fuzzRuns": {"listFuzzRuns", "recordFuzzRun"},
}


def _operations() -> dict[tuple[str, str], str]:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return {
        (path, method.upper()): op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def test_every_route_is_an_operation_of_the_contract_and_every_operation_is_served(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    shared = Shared(
        backend, FileTokenStore(tmp_path / "tokens.json"), ServerSettings(), Config(root=tmp_path), Metrics()
    )
    served: set[tuple[str, str]] = set()
    operations = _operations()
    for router in ROUTERS:
        for route in router(shared):
            names = _MULTI.get(route.name, {route.name})
            for method in route.methods or ():
                if method == "HEAD":
                    continue
                assert operations.get((route.path, method)) in names, (route.path, method, route.name)
                served.add((route.path, method))
    assert served == set(operations)
