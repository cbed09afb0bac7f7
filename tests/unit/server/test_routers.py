"""The server is one router per API over one Shared: every route a router mounts is an operation
of its API's contract (apigov/server/openapi.yaml for the registry API; the Confluent and Pact
Broker APIs have contracts of their own), and every operation of each contract is served."""

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


# router module -> (its contract, the prefix its routes carry beyond the contract's paths)
_CONTRACTS = {
    "apigov.server.routers.confluent": (SPEC_PATH.with_name("confluent-openapi.yaml"), "/confluent"),
    "apigov.server.routers.pact": (SPEC_PATH.with_name("pact-broker.openapi.yaml"), ""),
}


def _operations(spec_path: Path = SPEC_PATH, prefix: str = "") -> dict[tuple[str, str], str]:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return {
        (prefix + path, method.upper()): op["operationId"]
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
        if router.__module__ in _CONTRACTS:
            continue
        for route in router(shared):
            names = _MULTI.get(route.name, {route.name})
            for method in route.methods or ():
                if method == "HEAD":
                    continue
                assert operations.get((route.path, method)) in names, (route.path, method, route.name)
                served.add((route.path, method))
    assert served == set(operations)


def test_the_confluent_and_pact_broker_routers_serve_exactly_their_contracts(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    shared = Shared(
        backend, FileTokenStore(tmp_path / "tokens.json"), ServerSettings(), Config(root=tmp_path), Metrics()
    )
    checked = set()
    for router in ROUTERS:
        if router.__module__ not in _CONTRACTS:
            continue
        checked.add(router.__module__)
        operations = _operations(*_CONTRACTS[router.__module__])
        served = {
            (route.path.rstrip("/") or "/", method)  # an index served with and without its slash
            for route in router(shared)
            for method in route.methods or ()
            if method != "HEAD" and not route.path.endswith("{rest:path}")  # the API's own 404s
        }
        assert served == set(operations), (router.__module__, served ^ set(operations))
    assert checked == set(_CONTRACTS)
