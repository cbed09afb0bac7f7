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
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from apigov.config.project import Config
from apigov.registry.base import RegistryBackend
from apigov.registry.present import outcome_json
from apigov.registry.tokens import TokenStore
from apigov.server._http import DEFAULT_MAX_BODY, ASGIApp, Problem, ServerSettings, Shared, request_schemas
from apigov.server.limits import BodyTimeout, Guard, Scope
from apigov.server.observe import CLIENT_CLOSED, Metrics, Observe, log_event
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
        return for_ui(shared.settings, request.scope, problem)

    async def body_late(request: Request, exc: Exception) -> Response:
        problem = Problem(408, "request-timeout", str(exc), headers={"Connection": "close"})
        return shaped(shared.settings, request.scope, problem)

    async def client_gone(request: Request, exc: Exception) -> Response:
        # the client closed the connection before its request was read: a client event (nginx's
        # 499), never an internal error; nobody reads this answer, the log and metrics do
        return Response(status_code=CLIENT_CLOSED)

    async def internal_error(request: Request, exc: Exception) -> Response:
        log_event("internal-error", logging.ERROR, error=f"{exc.__class__.__name__}: {exc}")
        problem = Problem(500, "internal-error", "internal error; the server log has the details")
        return for_ui(shared.settings, request.scope, problem)

    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: http_error,
            BodyTimeout: body_late,
            ClientDisconnect: client_gone,
            Exception: internal_error,
        },
    )
    with contextlib.suppress(AttributeError):
        app.state.metrics = metrics

    def refuse(scope: Scope, status: int, code: str, detail: str, headers: dict[str, str]) -> ASGIApp:
        return shaped(shared.settings, scope, Problem(status, code, detail, headers=headers))

    limits = shared.settings
    guarded = Guard(app, body_timeout=limits.body_timeout, max_in_flight=limits.max_in_flight, refuse=refuse)
    return Observe(guarded, metrics)


def is_ui(settings: ServerSettings, path: str) -> bool:
    return settings.ui and (path == "/ui" or path.startswith("/ui/"))


def for_ui(settings: ServerSettings, scope: Scope, problem: Problem) -> Response:
    """``problem``'s answer; under ``/ui`` with the UI's headers (its Content-Security-Policy,
    no framing, no caching) like every page, whoever answers (the router, a limit, a 404)."""
    response = problem.response()
    if is_ui(settings, str(scope.get("path", ""))):
        from apigov.server.ui.access import HEADERS

        response.headers.update(HEADERS)
    return response


def shaped(settings: ServerSettings, scope: Scope, problem: Problem) -> Response:
    """``problem`` in the error shape of the API ``scope``'s path belongs to: the Pact Broker's,
    Confluent's, else a problem document."""
    from apigov.server.routers.confluent import ConfluentError
    from apigov.server.routers.pact import BASE, BrokerError

    path = str(scope.get("path", ""))
    prefix = settings.confluent_prefix
    if is_ui(settings, path):
        return for_ui(settings, scope, problem)
    if path == BASE or path.startswith(BASE + "/"):
        return BrokerError(problem.status, problem.detail, headers=problem.headers).response()
    own = path.startswith(("/v1/", "/health/")) or path in ("/v1", "/metrics")
    if not own and (not prefix or path == prefix or path.startswith(prefix + "/")):
        code = {408: 40801, 429: 42901, 503: 50302}.get(problem.status, problem.status)
        return ConfluentError(problem.status, code, problem.detail, problem.headers).response()
    return problem.response()
