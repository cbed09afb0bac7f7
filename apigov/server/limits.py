"""What keeps ``apigov serve`` answering under slow clients and floods, inside the ASGI app: a
deadline for the request body, a cap on the requests in flight and a request rate per token.

The deadlines before a request exists (its headers) and the cap on open connections live in the
HTTP protocol (:mod:`apigov.server._uvicorn`), because an ASGI app only sees a request once its
headers are complete.

- **Body deadline.** A request's body must have arrived ``body_timeout`` seconds after its
  headers (however it trickles in); else the answer is 408 and the connection is closed.
- **In flight.** Above ``max_in_flight`` requests being answered, a new one gets 503 with
  ``Retry-After`` at once. Health checks and metrics are never refused, so a probe sees a live
  server even when it is saturated.
- **Rate.** Each token (anonymous reads: each client address) has a bucket of ``burst``
  requests refilled at ``rate`` per second; an empty bucket answers 429 with ``Retry-After``.
  The burst is what lets a fleet of producers that restart together register their schemas.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

__all__ = ["EXEMPT_PATHS", "BodyTimeout", "Guard", "RateLimiter"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

EXEMPT_PATHS: Final = frozenset({"/health/live", "/health/ready", "/metrics"})
"""Never refused for load: what orchestrators and scrapers ask."""


class BodyTimeout(Exception):
    """The request body did not arrive before its deadline (answered 408, connection closed)."""


class RateLimiter:
    """Token buckets by key (thread-safe; at most ``max_keys`` remembered, least recent dropped
    first — a dropped bucket was full or nearly so, so forgetting it grants nothing it would not)."""

    def __init__(self, rate: float, burst: int, *, max_keys: int = 100_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> int | None:
        """Take one request for ``key``: ``None`` when allowed, else the seconds to wait."""
        if self.rate <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                refused = None
            else:
                self._buckets[key] = (tokens, now)
                refused = max(1, math.ceil((1.0 - tokens) / self.rate))
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return refused


class Guard:
    """Pure ASGI middleware: the in-flight cap and the body deadline (see the module docstring).
    ``refuse(scope, status, code, detail, headers)`` makes the answer in the shape of the API the
    path belongs to."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        body_timeout: float,
        max_in_flight: int,
        refuse: Callable[[Scope, int, str, str, dict[str, str]], ASGIApp],
    ) -> None:
        self.app, self.body_timeout, self.max_in_flight, self.refuse = (
            app,
            body_timeout,
            max_in_flight,
            refuse,
        )
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.active >= self.max_in_flight:
            detail = f"the server is answering {self.max_in_flight} requests; retry in a second"
            answer = self.refuse(scope, 503, "overloaded", detail, {"Retry-After": "1"})
            await answer(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.body_timeout
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # after the body: only a disconnect is left to hear, without a deadline
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(f"the body did not arrive within {self.body_timeout:g} seconds") from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        self.active += 1
        try:
            await self.app(scope, timed_receive, send)
        finally:
            self.active -= 1
