"""One router per API that ``apigov serve`` answers.

A router is a module with ``routes(shared) -> list[Route]``: it gets the one
:class:`~apigov.server._http.Shared` (auth, body limits, backend calls, metrics) and returns its
Starlette routes, each named by the operation id of its contract. :data:`ROUTERS` lists them in
the order they are mounted; a new API (the Pact Broker API, the Confluent Schema Registry API,
contract-test and fuzz results, the web UI) is one more module and one more row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

from starlette.routing import Route

from apigov.server._http import Shared
from apigov.server.routers import confluent, fuzz, health, pact, registry

__all__ = ["ROUTERS", "Router"]


class Router(Protocol):
    def __call__(self, shared: Shared) -> Sequence[Route]: ...


ROUTERS: Final[tuple[Router, ...]] = (
    health.routes,
    registry.routes,
    confluent.routes,
    pact.routes,
    fuzz.routes,
)
