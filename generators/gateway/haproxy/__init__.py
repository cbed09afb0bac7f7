"""HAProxy: one ``haproxy.cfg`` (run: ``haproxy -db -f haproxy.cfg``; check: ``haproxy -c -f``).

The frontend resolves the route once, in precedence order (``set-var(txn.route)`` by the first
matching path regex), then answers 404, 401 (OR of ANDs through one ``txn.auth_N`` variable per
set of security requirements), 429 (stick tables), 413 and 405 itself, and hands every other
request to a backend per service and policy (timeouts, retries, health checks, caching,
lifecycle headers). Regexes are ASCII-only and single-quoted; header values are single-quoted
log-format strings with ``%`` doubled and ``'`` percent-encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from apigov.core.errors import InputError
from generators.base import GeneratedFile, GenerateRequest
from generators.gateway.model import Credential, GatewayModel, Operation, Requirement, Route, Service
from generators.gateway.settings import Cors, RateLimit
from generators.gateway.target import (
    PROBLEM_401,
    PROBLEM_404,
    PROBLEM_405,
    PROBLEM_429,
    GatewayTarget,
    Notes,
    cache_ttl,
    cors_names,
    preflights,
    provenance,
    warn_secured_cache,
)

_LB: Final = {
    "round-robin": "roundrobin",
    "least-request": "leastconn",
    "random": "random",
    "ip-hash": "source",
}


def quote_value(value: str) -> str:
    """A single-quoted log-format string (no interpolation inside single quotes)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InputError(f"a value for HAProxy contains a control character: {value[:40]!r}")
    return "'" + value.replace("%", "%%").replace("'", "%%27") + "'"


def quote_regex(value: str) -> str:
    if "'" in value or any(ord(c) < 0x21 for c in value):
        raise InputError(f"regex cannot be written for HAProxy: {value[:40]!r}")
    return f"'{value}'"


@dataclass(frozen=True, slots=True)
class _Backend:
    name: str
    service: Service
    op: Operation  # the first operation using it (its policy is shared by all)
    cache: int | None  # seconds its answers are cached (never for secured operations)


class HaproxyTarget(GatewayTarget):
    name = "haproxy"
    description = "HAProxy haproxy.cfg: one frontend, a backend per service and policy"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        creds: dict[Credential, str] = {}
        auths: dict[tuple[Requirement, ...], str] = {}
        tables: dict[RateLimit, str] = {}
        caches: dict[int, str] = {}
        backends: dict[tuple[object, ...], _Backend] = {}
        chosen: dict[tuple[int, str], _Backend] = {}
        services = {s.name: s for s in model.services}
        for route, op in model.operations():
            for requirement in op.auth:
                for cred in requirement:
                    creds.setdefault(cred, f"cred_{len(creds)}")
            if op.auth:
                auths.setdefault(op.auth, f"auth_{len(auths)}")
            if op.policy.rate_limit is not None:
                tables.setdefault(op.policy.rate_limit, f"rate_{len(tables)}")
            cache = cache_ttl(op)
            if cache:
                caches.setdefault(cache, f"cache_{len(caches)}")
            p = op.policy
            key = (route.service, p.timeout_ms, p.connect_timeout_ms, op.retries, cache, op.lifecycle)
            if key not in backends:
                backends[key] = _Backend(
                    f"{route.service}_{len(backends)}", services[route.service], op, cache
                )
            chosen[(route.index, op.method)] = backends[key]
        tls = model.settings.tls
        if tls is not None and tls.key != f"{tls.certificate}.key":
            notes.cannot(
                "tls",
                "gateway",
                f"HAProxy reads the key from the certificate file or from {tls.certificate}.key beside it, "
                "not from the key path given",
            )
        cors_acls = cors_names(model, lambda i: f"cors_{i}")
        preflight = preflights(model)
        warn_secured_cache(model, notes)
        notes.per_operation(
            model,
            "retries",
            "HAProxy retries without backoff",
            lambda op: (
                op.retries > 0 and op.policy.retries is not None and op.policy.retries.backoff_ms is not None
            ),
        )
        notes.per_operation(
            model,
            "rate-limit",
            "HAProxy keeps stick tables per gateway replica (N replicas allow N times the rate) unless peers are configured",
            lambda op: op.policy.rate_limit is not None,
        )
        notes.per_operation(
            model,
            "max-body",
            "HAProxy checks the Content-Length header; chunked bodies are not counted",
            lambda op: op.policy.max_body is not None,
        )
        return [
            self.file(
                "haproxy.cfg",
                "haproxy.cfg.j2",
                model=model,
                provenance=provenance(model),
                creds=creds,
                dns=any(service.settings.dns for service in model.services),
                cors_acls=cors_acls,
                preflight=preflight,
                origins=_origins,
                auths=auths,
                tables=tables,
                caches=caches,
                backends=list(backends.values()),
                chosen=chosen,
                lb=_LB,
                fetch=_fetch,
                method_acl=_method,
                quote_value=quote_value,
                quote_regex=quote_regex,
                problem_404=quote_value(PROBLEM_404),
                problem_405=quote_value(PROBLEM_405),
                problem_401=quote_value(PROBLEM_401),
                problem_429=quote_value(PROBLEM_429),
                rate_key=_rate_key,
                route_var=_route_var,
                ms=lambda v: f"{v}ms",
            )
        ]


def _origins(cors: Cors) -> str:
    """The ACL pattern part matching the allowed origins (exactly; ``*``: any Origin)."""
    if "*" in cors.origins:
        return "-m found"
    return "-m str " + " ".join(quote_value(o) for o in cors.origins)


def _fetch(cred: Credential) -> str:
    if cred.where == "header":
        check = f"-m beg {quote_value(cred.prefix)}" if cred.prefix else "-m found"
        return f"req.hdr({cred.name}) {check}"
    if cred.where == "query":
        return f"url_param({cred.name}) -m found"
    return f"req.cook({cred.name}) -m found"


def _method(method: str) -> str:
    return f"{{ method {method} }}"


def _rate_key(limit: RateLimit) -> tuple[str, str]:
    """(stick-table type, sample fetch)."""
    if limit.key == "ip":
        return "ip", "src"
    return "string len 128", f"req.hdr({limit.header.lower()})"


def _route_var(route: Route) -> str:
    return f"{{ var(txn.route) -m int {route.index} }}"


generator = HaproxyTarget()
