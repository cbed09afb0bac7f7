"""Operations' endpoints: liveness, readiness (one cheap backend look-up) and Prometheus metrics."""

from __future__ import annotations

import logging
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.core.errors import ApigovError, UnknownSubject
from apigov.server._http import Problem, Shared, endpoint, json_response

__all__ = ["routes"]

_PROBE: Final = "apigov-readiness-probe"


def routes(shared: Shared) -> list[Route]:
    async def live(request: Request) -> Response:
        return json_response({"status": "ok"})

    async def ready(request: Request) -> Response:
        try:  # one cheap look-up, whatever the size of the registry
            await run_in_threadpool(shared.backend.subject, _PROBE)
        except UnknownSubject:
            pass
        except ApigovError:  # the detail (a path, a database host) is for the logs, not for anyone
            logging.getLogger("apigov.serve").warning("readiness check failed", exc_info=True)
            raise Problem(503, "backend-unavailable", "the registry's store cannot be reached") from None
        return json_response({"status": "ready"})

    async def metrics(request: Request) -> Response:
        return Response(shared.metrics.render(), media_type="text/plain; version=0.0.4")

    return [
        Route("/health/live", endpoint("live", live), methods=["GET"]),
        Route("/health/ready", endpoint("ready", ready), methods=["GET"]),
        Route("/metrics", endpoint("metrics", metrics), methods=["GET"]),
    ]
