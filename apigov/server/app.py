"""The ASGI app of ``apigov serve``: every router of :data:`~apigov.server.routers.ROUTERS` over
one :class:`~apigov.server._http.Shared` (backend, tokens, limits, metrics), one error handling
and one request log (:class:`~apigov.server.observe.Observe`).

The contract of the registry API is ``openapi.yaml`` beside this file. The server keeps no state
of its own between requests (tokens and versions live in the backend; the caches hold only
immutable versions), so several replicas can serve one registry behind a load balancer.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from apigov.config.project import Config
from apigov.registry.base import RegistryBackend
from apigov.registry.present import outcome_json
from apigov.registry.tokens import TokenStore
from apigov.server._http import DEFAULT_MAX_BODY, ASGIApp, Problem, ServerSettings, Shared, request_schemas
from apigov.server.observe import Metrics, Observe, log_event
from apigov.server.routers import ROUTERS
from apigov.server.routers.registry import subject_json, version_json

__all__ = ["DEFAULT_MAX_BODY", "ServerSettings", "create_app", "outcome_json", "subject_json", "version_json"]


def create_app(
    backend: RegistryBackend,
    tokens: TokenStore,
    settings: ServerSettings | None = None,
    config: Config | None = None,
) -> ASGIApp:
    """The ASGI app serving ``backend`` (see the module docstring)."""
    metrics = Metrics()
    request_schemas()  # load the contract now: a broken package fails at start, not at a request
    shared = Shared(backend, tokens, settings or ServerSettings(), config or Config(root=Path.cwd()), metrics)
    routes = [route for router in ROUTERS for route in router(shared)]
    if shared.settings.ui:  # the web UI: pages, not an API with a contract
        from apigov.server.routers import ui

        routes += ui.routes(shared)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        problem = Problem(exc.status_code, code, str(exc.detail), headers=exc.headers)
        return problem.response()

    async def internal_error(request: Request, exc: Exception) -> Response:
        log_event("internal-error", logging.ERROR, error=f"{exc.__class__.__name__}: {exc}")
        return Problem(500, "internal-error", "internal error; the server log has the details").response()

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
    with contextlib.suppress(AttributeError):
        app.state.metrics = metrics
    return Observe(app, metrics)
