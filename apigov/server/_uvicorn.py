"""uvicorn's HTTP/1.1 protocol (h11) with what it lacks before a request exists: a deadline for
the headers and a cap on open connections.

uvicorn arms its keep-alive timer only after an answer and cancels it on any byte, and an ASGI
app sees a request only once its headers are complete, so a client sending one header byte a
second (or nothing at all) holds a connection, and a file descriptor, for ever. Here every
connection must complete a request's headers within ``header_timeout`` seconds of opening (or of
the previous answer, when kept alive); one that does not is closed.

Above ``max_connections`` open connections, a new one displaces the connection that has waited
longest for its headers (an idle or slow client); when every connection is busy with a request,
the new one is answered 503 and closed. A real client sends its headers in one packet, so it is
almost never the one displaced, and ``/health/live`` stays reachable however many slow clients
there are.

This relies on ``H11Protocol``'s ``connection_made``, ``data_received``,
``on_response_complete``, ``connection_lost``, ``cycle``, ``connections`` and ``transport``;
pyproject.toml pins the uvicorn versions checked (tests/unit/server/test_uvicorn_protocol.py).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["DropLog", "guarded_protocol"]

_BUSY_BODY: Final = (
    b'{"type":"urn:apigov:problem:overloaded","title":"overloaded","status":503,'
    b'"detail":"too many open connections; retry in a second"}'
)
_BUSY: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
    b"retry-after: 1\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)


class DropLog:
    """Connections closed by a limit: counted in the metrics at once, logged as one
    ``connections-dropped`` line per second at most (a flood must not become a flood of lines)."""

    def __init__(self, count: Callable[[str], None], log: Callable[[dict[str, int]], None]) -> None:
        self.count, self.log = count, log
        self.pending: dict[str, int] = {}

    def __call__(self, reason: str) -> None:
        self.count(reason)
        if not self.pending:
            asyncio.get_running_loop().call_later(1.0, self.flush)
        self.pending[reason] = self.pending.get(reason, 0) + 1

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if pending:
            self.log(pending)


def guarded_protocol(
    *, header_timeout: float, max_connections: int, dropped: Callable[[str], None]
) -> type[H11Protocol]:
    """The protocol class for ``uvicorn.Config(http=...)``; ``dropped(reason)`` hears every
    connection closed by a limit (``header-timeout``, ``displaced``, ``over-capacity``)."""
    waiting: OrderedDict[GuardedH11, None] = OrderedDict()  # oldest first

    class GuardedH11(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _seen: object = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                victim = next(iter(waiting), None)
                if victim is None:
                    self.connections.discard(self)
                    transport.write(_BUSY)
                    transport.close()
                    dropped("over-capacity")
                    return
                victim._drop("displaced")
            self._await_headers()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._headers_seen()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.transport.is_closing():
                return
            if self.cycle is self._seen:  # no pipelined request began: wait for the next one
                self._await_headers()
            else:
                self._headers_seen()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            super().connection_lost(exc)

        def _await_headers(self) -> None:
            self._stop_waiting()
            waiting[self] = None
            self._deadline = self.loop.call_later(header_timeout, self._drop, "header-timeout")

        def _headers_seen(self) -> None:
            cycle: object = self.cycle  # None until the first request's headers
            if cycle is not None and cycle is not self._seen:
                self._seen = cycle
                self._stop_waiting()

        def _stop_waiting(self) -> None:
            waiting.pop(self, None)
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _drop(self, reason: str) -> None:
            self._stop_waiting()
            self.connections.discard(self)
            if not self.transport.is_closing():
                self.transport.abort()
            dropped(reason)

    return GuardedH11
