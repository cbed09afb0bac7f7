"""``apigov serve``: the registry's REST API (Starlette on uvicorn; imported only here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import click

from apigov.cli.commands.registry import location, registry_option

#: The first path segments of apigov's own API (apigov/server/openapi.yaml): a Confluent prefix
#: under one of them would be shadowed by it.
_OWN_SEGMENTS = frozenset({"v1", "health", "metrics", "ui"})


#: The limits against slow clients and floods: (option, type, default, metavar, help); each is
#: also the environment variable APIGOV_SERVE_<OPTION> (ServerSettings has the same names).
_LIMITS: Final = (
    (
        "--header-timeout",
        click.FloatRange(0.5, 3600),
        10.0,
        "SECONDS",
        "A connection that has not sent a request's headers this long after opening (or after the "
        "previous answer) is closed.",
    ),
    (
        "--body-timeout",
        click.FloatRange(0.5, 3600),
        60.0,
        "SECONDS",
        "A request body not all received this long after its headers gets 408 and the connection is closed.",
    ),
    (
        "--max-connections",
        click.IntRange(8, 1_000_000),
        1000,
        "N",
        "Open connections at most (lowered to fit the file-descriptor limit, ulimit -n); above it the "
        "connection waiting longest for its headers is closed, else the new one gets 503.",
    ),
    (
        "--max-in-flight",
        click.IntRange(1, 1_000_000),
        256,
        "N",
        "Requests answered at once at most; more get 503 with Retry-After (never /health/* or /metrics).",
    ),
    (
        "--rate-limit",
        click.FloatRange(0, 1_000_000),
        200.0,
        "PER_SECOND",
        "Requests per second per token (anonymous reads: per client address); above it 429 with "
        "Retry-After. 0: no limit.",
    ),
    (
        "--rate-burst",
        click.IntRange(1, 10_000_000),
        2000,
        "N",
        "Requests a token may send at once above its rate (producers that restart together).",
    ),
)


def limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of :data:`_LIMITS`, in order, each with its environment variable."""
    for name, kind, default, metavar, text in reversed(_LIMITS):
        env = "APIGOV_SERVE_" + name.removeprefix("--").replace("-", "_").upper()
        option = click.option(
            name,
            type=kind,
            default=default,
            show_default=True,
            envvar=env,
            show_envvar=True,
            metavar=metavar,
            help=text,
        )
        command = option(command)
    return command


def public_origin(url: str) -> str:
    """``--public-url`` as an origin (``scheme://host[:port]``, lower case), or a usage error."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise click.BadParameter(
            "give the URL browsers use, such as https://registry.example.com", param_hint="--public-url"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise click.BadParameter(
            "give an origin without a path, such as https://registry.example.com", param_hint="--public-url"
        )
    host = _origin_host(parts.hostname)
    if host is None or parts.port == 0:
        raise click.BadParameter(
            f"{parts.hostname!r} is no host name a browser sends (or the port is 0)",
            param_hint="--public-url",
        )
    default = {"http": 80, "https": 443}[parts.scheme]
    port = "" if parts.port in (None, default) else f":{parts.port}"  # browsers omit a default port
    return f"{parts.scheme}://{host}{port}"


def _origin_host(hostname: str) -> str | None:
    """``hostname`` as a browser writes it in ``Origin`` (IDNA, lower case, IPv6 in brackets),
    or ``None`` when no browser would send it."""
    import ipaddress
    import re

    if ":" in hostname:
        try:
            return f"[{ipaddress.IPv6Address(hostname).compressed}]"
        except ValueError:
            return None
    try:
        ascii_name = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    label = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
    return ascii_name if re.fullmatch(rf"{label}(\.{label})*", ascii_name) else None


@click.command("serve")
@registry_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on (0: a free one, named in the first log line).",
)
@click.option(
    "--anonymous-read",
    is_flag=True,
    envvar="APIGOV_ANONYMOUS_READ",
    help="Answer reads (list, fetch) without a token; writes always need one.",
)
@click.option(
    "--max-body",
    type=click.IntRange(1024, 1024 * 1024 * 1024),
    default=10 * 1024 * 1024,
    show_default=True,
    metavar="BYTES",
    help="Largest request body; larger uploads get 413 (counted while they stream in).",
)
@click.option(
    "--create",
    is_flag=True,
    help="Create the registry directory when it does not exist (without it, a missing one is an error).",
)
@click.option(
    "--confluent-prefix",
    default="/confluent",
    show_default=True,
    metavar="PATH",
    help="Where the Confluent Schema Registry API is served ('/' for the root).",
)
@limit_options
@click.option(
    "--no-ui",
    is_flag=True,
    help="Do not serve the read-only web UI under /ui (catalog, diffs, service graph, can-i-deploy matrix).",
)
@click.option(
    "--public-url",
    envvar="APIGOV_SERVE_PUBLIC_URL",
    metavar="URL",
    help="The URL browsers reach the server at, when a proxy in front of it terminates TLS or "
    "rewrites Host (e.g. https://registry.example.com): the web UI's session cookie is then "
    "Secure and its sign-in form is accepted from that origin.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="info",
    show_default=True,
    help="JSON log lines on stderr from this level on.",
)
def serve_command(
    registry: str | None,
    host: str,
    port: int,
    anonymous_read: bool,
    max_body: int,
    create: bool,
    confluent_prefix: str,
    header_timeout: float,
    body_timeout: float,
    max_connections: int,
    max_in_flight: int,
    rate_limit: float,
    rate_burst: int,
    no_ui: bool,
    public_url: str | None,
    log_level: str,
) -> int:
    """Serve the registry over HTTP: the REST API of 'apigov publish --registry URL'.

    Bearer tokens ('apigov token create') with scopes read, publish and admin; health checks at
    /health/live and /health/ready; Prometheus metrics at /metrics; one JSON log line per request
    on stderr (never a token; the first, "starting", has the port and URL, so --port 0 picks a
    free port and says which). The server keeps no state of its own, so several replicas can serve
    one registry behind a load balancer. The API is described in contracts/ (subject
    apigov-registry-api).

    Kafka serializers use the Confluent Schema Registry API under --confluent-prefix (HTTP Basic
    with any user name and a token as password, or Bearer): Avro and JSON Schema subjects,
    integer versions, global schema ids; a registration is a publish (--bump auto).

    Slow and broken clients: headers and bodies have deadlines, connections and requests in
    flight are capped and each token has a request rate with a burst allowance (the options
    below, or their APIGOV_SERVE_* variables); connections closed by a limit are counted in
    /metrics and logged as one line per second at most.

    A read-only web UI is at /ui: the catalog, each subject's versions and contract, diffs
    between any two versions, the service graph from pacts and AsyncAPI, and the can-i-deploy
    matrix. It needs a read token like the API (entered once, kept in a session cookie), or
    none with --anonymous-read.
    """
    import re

    from apigov.core.extras import require

    if not re.fullmatch(r"/|(/[A-Za-z0-9._-]+)+", confluent_prefix):
        raise click.BadParameter("give a path such as /confluent or /", param_hint="--confluent-prefix")
    segments = confluent_prefix.strip("/").split("/")
    if {".", ".."} & set(segments) or segments[0] in _OWN_SEGMENTS:
        raise click.BadParameter(
            f"{confluent_prefix} is inside apigov's own API (/{', /'.join(sorted(_OWN_SEGMENTS))}); "
            "give another path such as /confluent or /",
            param_hint="--confluent-prefix",
        )
    require("server", "starlette", "uvicorn", feature="apigov serve")
    if not no_ui:
        require("server", "jinja2", "grandalf", feature="the web UI of apigov serve (--no-ui turns it off)")
    from apigov.cli.config_loading import project_config
    from apigov.server.app import ServerSettings
    from apigov.server.run import serve

    serve(
        location(registry),
        host=host,
        port=port,
        settings=ServerSettings(
            anonymous_read=anonymous_read,
            max_body=max_body,
            confluent_prefix=confluent_prefix.rstrip("/"),
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            max_connections=max_connections,
            max_in_flight=max_in_flight,
            rate_limit=rate_limit,
            rate_burst=rate_burst,
            ui=not no_ui,
            public_url=public_origin(public_url) if public_url else None,
        ),
        config=project_config(),
        log_level=log_level.lower(),
        create=create,
    )
    return 0
