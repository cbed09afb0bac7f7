"""What ``apigov serve`` tells operators: JSON log lines and Prometheus metrics.

Logs: one JSON object per line on stderr (``ts``, ``level``, ``event``, and for requests
``method``, ``path``, ``operation``, ``status``, ``duration_ms``, ``bytes``, ``request_id``,
``token`` — the token's *name*). Request headers, query strings and bodies are never logged, so a
token never reaches a log.

Metrics (text exposition format 0.0.4) of this process: ``apigov_http_requests_total`` by method,
operation and status, ``apigov_http_request_duration_seconds`` (histogram) by operation,
``apigov_publishes_total`` by outcome, ``apigov_http_requests_in_flight``,
``apigov_connections_open`` and ``apigov_connections_dropped_total`` by reason.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any, Final

__all__ = [
    "BUCKETS",
    "CLIENT_CLOSED",
    "JsonFormatter",
    "Metrics",
    "Observe",
    "configure_logging",
    "log_event",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LOGGER: Final = logging.getLogger("apigov.server")
CLIENT_CLOSED: Final = 499
"""The status logged and counted for a request whose client went away before it was read (as
nginx does): a client event, not a server error."""


_METHODS: Final = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"})


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line; ``extra={"fields": {...}}`` adds keys."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _SystemErrors(logging.Filter):
    """asyncio's and uvicorn's own errors as events: a failed ``accept()`` (out of file
    descriptors, memory) is ``accept-failed`` with the error, without the event loop's traceback,
    and one line a second at most (asyncio logs one per connection it could not accept), the
    next one saying how many were left out."""

    def __init__(self) -> None:
        super().__init__()
        self.last = 0.0
        self.left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, OSError) or "accept" not in str(record.msg):
            return True
        if record.created - self.last < 1.0:
            self.left_out += 1
            return False
        record.msg, record.args, record.exc_info = "accept-failed", (), None
        record.fields = {"error": f"{error.__class__.__name__}: {error}", "left_out": self.left_out}
        self.last, self.left_out = record.created, 0
        return True


def configure_logging(level: str = "info") -> None:
    """JSON lines on stderr for apigov's, uvicorn's and asyncio's loggers (every line one JSON
    object, a traceback inside it as a string)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_SystemErrors())
    for name in ("apigov.server", "uvicorn", "uvicorn.error", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(level.upper() if name != "asyncio" else "WARNING")
    logging.getLogger("uvicorn.access").disabled = True


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    if LOGGER.isEnabledFor(level):
        LOGGER.log(level, event, extra={"fields": fields})


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    escaped = (
        f'{key}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34)).replace(chr(10), " ")}"'
        for key, value in pairs
    )
    return "{" + ",".join(escaped) + "}"


class Metrics:
    """Counters and histograms of one process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: defaultdict[tuple[str, str, str], int] = defaultdict(int)
        self._buckets: defaultdict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self._sums: defaultdict[str, float] = defaultdict(float)
        self._publishes: defaultdict[str, int] = defaultdict(int)
        self._dropped: defaultdict[str, int] = defaultdict(int)
        self.in_flight = 0
        self.open_connections: Callable[[], int] | None = None
        """How many connections are open (set by the server that knows)."""
        self.started = time.time()

    def request(self, method: str, operation: str, status: int, seconds: float) -> None:
        # labels come from a fixed set: a client's made-up method must not grow the counters
        method = method if method in _METHODS else "other"
        with self._lock:
            self._requests[(method, operation, str(status))] += 1
            counts = self._buckets[operation]
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[index] += 1
                    break
            else:
                counts[-1] += 1
            self._sums[operation] += seconds

    def publish(self, outcome: str) -> None:
        with self._lock:
            self._publishes[outcome] += 1

    def connection_dropped(self, reason: str) -> None:
        with self._lock:
            self._dropped[reason] += 1

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP apigov_http_requests_total HTTP requests answered, by method, operation and status.",
                "# TYPE apigov_http_requests_total counter",
            ]
            for (method, operation, status), count in sorted(self._requests.items()):
                labels = _labels((("method", method), ("operation", operation), ("status", status)))
                lines.append(f"apigov_http_requests_total{labels} {count}")
            lines += [
                "# HELP apigov_http_request_duration_seconds Time to answer a request, by operation.",
                "# TYPE apigov_http_request_duration_seconds histogram",
            ]
            for operation, counts in sorted(self._buckets.items()):
                total = 0
                for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                    total += count
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    labels = _labels((("operation", operation), ("le", le)))
                    lines.append(f"apigov_http_request_duration_seconds_bucket{labels} {total}")
                op = _labels((("operation", operation),))
                lines.append(f"apigov_http_request_duration_seconds_sum{op} {self._sums[operation]:.6f}")
                lines.append(f"apigov_http_request_duration_seconds_count{op} {total}")
            lines += [
                "# HELP apigov_publishes_total Publishes through the policy, by outcome.",
                "# TYPE apigov_publishes_total counter",
            ]
            for outcome, count in sorted(self._publishes.items()):
                lines.append(f"apigov_publishes_total{_labels((('outcome', outcome),))} {count}")
            lines += [
                "# HELP apigov_connections_dropped_total Connections closed by a limit, by reason.",
                "# TYPE apigov_connections_dropped_total counter",
            ]
            for reason, count in sorted(self._dropped.items()):
                lines.append(f"apigov_connections_dropped_total{_labels((('reason', reason),))} {count}")
            if self.open_connections is not None:
                lines += [
                    "# HELP apigov_connections_open Connections open now.",
                    "# TYPE apigov_connections_open gauge",
                    f"apigov_connections_open {self.open_connections()}",
                ]
            lines += [
                "# HELP apigov_http_requests_in_flight Requests being answered now.",
                "# TYPE apigov_http_requests_in_flight gauge",
                f"apigov_http_requests_in_flight {self.in_flight}",
                "# HELP apigov_process_start_time_seconds Start time of the process (Unix epoch).",
                "# TYPE apigov_process_start_time_seconds gauge",
                f"apigov_process_start_time_seconds {self.started:.3f}",
            ]
        return "\n".join(lines) + "\n"


class Observe:
    """Pure ASGI middleware: request id, one JSON log line and the metrics of every request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        status = 500
        sent = 0

        async def wrapped(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        self.metrics.in_flight += 1
        try:
            await self.app(scope, receive, wrapped)
        finally:
            self.metrics.in_flight -= 1
            seconds = time.perf_counter() - start
            operation = str(
                scope.get("apigov.operation") or getattr(scope.get("endpoint"), "__name__", "unmatched")
            )
            self.metrics.request(scope["method"], operation, status, seconds)
            log_event(
                "request",
                logging.WARNING if status >= 500 else logging.INFO,
                method=scope["method"],
                path=scope.get("path", ""),
                operation=operation,
                status=status,
                duration_ms=round(seconds * 1000, 3),
                bytes=sent,
                request_id=request_id,
                token=scope.get("apigov.token"),
            )
