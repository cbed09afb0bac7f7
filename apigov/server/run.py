"""Start ``apigov serve``: the backend and token store for a location, the app, uvicorn."""

from __future__ import annotations

import socket

from apigov.config.project import Config
from apigov.core.errors import ConfigError
from apigov.registry.location import existing_directory, open_backend
from apigov.registry.tokens import token_store_of
from apigov.server.app import ServerSettings, create_app
from apigov.server.observe import Metrics, Observe, configure_logging, log_event

__all__ = ["serve"]


def serve(
    location: str,
    *,
    host: str,
    port: int,
    settings: ServerSettings,
    config: Config,
    log_level: str,
    create: bool = False,
) -> None:
    """Serve the registry at ``location`` until interrupted (uvicorn, one process); a directory
    must exist unless ``create``. The ``starting`` log line has the port bound (``port`` 0: the
    one the system chose)."""
    import uvicorn

    from apigov.server._uvicorn import DropLog, guarded_protocol

    if location.lower().startswith(("http://", "https://")):
        raise ConfigError(
            "apigov serve needs the registry's store, not another server",
            hint="give a directory or a postgresql:// URL with --registry",
        )
    existing_directory(location, create=create)
    backend = open_backend(location)
    tokens = token_store_of(backend)
    watch = getattr(backend, "watch_changes", None)
    if callable(watch):  # a backend that can remember subjects and hear their changes (PostgreSQL)
        watch()
    sock = _listen(host, port)
    port = int(sock.getsockname()[1])
    configure_logging(log_level)
    connections, backlog = _fitting_connections(settings.max_connections)
    app = create_app(backend, tokens, settings, config)
    metrics = app.metrics if isinstance(app, Observe) else Metrics()
    dropped = DropLog(metrics.connection_dropped, lambda counts: log_event("connections-dropped", **counts))
    protocol = guarded_protocol(
        header_timeout=settings.header_timeout, max_connections=connections, dropped=dropped
    )
    log_event(
        "starting",
        registry=backend.location,
        host=host,
        port=port,
        url=f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}",
        anonymous_read=settings.anonymous_read,
        max_body=settings.max_body,
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        max_connections=connections,
        max_connections_asked=settings.max_connections,
        max_in_flight=settings.max_in_flight,
        rate_limit=settings.rate_limit,
        rate_burst=settings.rate_burst,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            http=protocol,
            backlog=backlog,
            log_config=None,
            access_log=False,
            log_level=log_level,
            lifespan="off",
            server_header=False,
            proxy_headers=False,
        )
    )
    metrics.open_connections = lambda: len(server.server_state.connections)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _fitting_connections(asked: int) -> tuple[int, int]:
    """The connection cap and the listen backlog that fit the process's file-descriptor limit.

    The event loop accepts up to ``backlog`` connections in a row before any of them is closed,
    so the cap leaves room for one such burst plus the process's own files, threads and
    database connections: a full descriptor table makes ``accept()`` fail (and asyncio retry).
    The ``starting`` log line shows the cap in force beside the one asked for."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # no such limit on this system
        return asked, 2048
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return asked, 2048
    backlog = max(16, min(2048, soft // 8))
    return min(asked, max(8, soft - max(64, soft // 4) - backlog)), backlog


def _listen(host: str, port: int) -> socket.socket:
    """A bound socket for ``host:port``; a one-line :class:`ConfigError` when that is impossible."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise ConfigError(
            f"cannot listen on {host[:100]!r}: {exc}", hint="give an address with --host"
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", hint="choose another --port or --host"
        ) from None
    return sock
