"""Kong (DB-less / decK): one declarative ``kong.yaml`` (``_format_version: "3.0"``).

A Kong service per service and policy group (timeouts, retries), an upstream per service with
its targets, load-balancing algorithm and active/passive health checks. Each operation is a
regex route (``~^...$``, ``regex_priority`` in the model's precedence order) per security
alternative, matching the credentials with header regexes (OR = one route per alternative,
AND = several headers in one route); behind them, at lower priority, a route answering 401 and
one per path answering 405 with ``Allow`` (request-termination + response-transformer), and a
catch-all 404, all problem+json. Policies are route plugins: rate-limiting,
request-size-limiting, proxy-cache, cors, response-transformer (lifecycle headers), and
request-validator (``validate-request``: the JSON body against its schema, see
:mod:`generators.gateway.kong.validator`; a Kong Enterprise plugin).
"""

from __future__ import annotations

from typing import Final

from apigov.core.errors import InputError
from generators.base import GeneratedFile, GenerateRequest, JSONValue
from generators.gateway.kong.validator import Unexpressible, request_validator
from generators.gateway.model import GatewayModel, Operation, Requirement, Route, Service
from generators.gateway.target import (
    PROBLEM_401,
    PROBLEM_404,
    PROBLEM_405,
    GatewayTarget,
    Notes,
    cache_ttl,
    provenance,
    warn_secured_cache,
)

_LB: Final = {
    "round-robin": "round-robin",
    "least-request": "least-connections",
    "random": "round-robin",
    "ip-hash": "consistent-hashing",
}


class KongTarget(GatewayTarget):
    name = "kong"
    description = "Kong declarative configuration (decK / DB-less kong.yaml)"
    validates_requests = True

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        warn_secured_cache(model, notes)
        for service in model.services:
            if service.settings.load_balancing == "random":
                notes.cannot(
                    "load-balancing", f"service {service.name}", "Kong has no random balancing; round-robin"
                )
            cb = service.policy.circuit_breaker
            if cb is not None and (cb.max_connections or cb.max_pending):
                notes.cannot(
                    "circuit-breaker",
                    f"service {service.name}",
                    "Kong open source has no connection or pending-request limit per upstream",
                )
        notes.per_operation(
            model,
            "rate-limit",
            "Kong's rate-limiting with policy local counts per Kong node (N nodes allow N times the rate)",
            lambda op: op.policy.rate_limit is not None,
        )
        notes.per_operation(
            model,
            "retries",
            "Kong retries without backoff",
            lambda op: (
                op.retries > 0 and op.policy.retries is not None and op.policy.retries.backoff_ms is not None
            ),
        )
        if model.settings.tls is not None:
            notes.cannot(
                "tls",
                "gateway",
                "Kong takes certificates from its own configuration (kong.conf ssl_cert) or certificate "
                "entities with inline PEM; the paths in apigov.yaml are not rendered",
            )
        services: list[JSONValue] = []
        groups: dict[tuple[object, ...], dict[str, JSONValue]] = {}
        routes_of: dict[str, list[JSONValue]] = {}
        top = 10 * (len(model.routes) + 1) + 100
        for route in model.routes:
            service = next(s for s in model.services if s.name == route.service)
            for op in route.operations:
                key = (route.service, op.policy.timeout_ms, op.policy.connect_timeout_ms, op.retries)
                if key not in groups:
                    name = f"{route.service}-{len(groups)}"
                    groups[key] = _service(name, service, op)
                    routes_of[name] = []
                    services.append(groups[key])
                group = groups[key]
                target = routes_of[str(group["name"])]
                priority = top - 10 * route.index
                validator = _validator(op, notes)
                for index, requirement in enumerate(op.auth or ((),), start=1):
                    suffix = f"-{index}" if op.auth else ""
                    target.append(
                        _route(
                            f"r{route.index}-{op.method.lower()}{suffix}",
                            route,
                            op,
                            requirement,
                            priority + 3,
                            validator,
                        )
                    )
                if op.auth:
                    target.append(
                        _terminate(
                            f"r{route.index}-{op.method.lower()}-unauthorized",
                            route,
                            [op.method],
                            priority + 2,
                            401,
                            PROBLEM_401,
                            ["WWW-Authenticate:Bearer"],
                        )
                    )
            first = routes_of[next(str(g["name"]) for k, g in groups.items() if k[0] == route.service)]
            first.append(
                _terminate(
                    f"r{route.index}-405",
                    route,
                    None,
                    priority + 1,
                    405,
                    PROBLEM_405,
                    [f"Allow:{route.allow}"],
                )
            )
        for entry in groups.values():
            entry["routes"] = routes_of[str(entry["name"])]
        fallback: dict[str, JSONValue] = {
            "name": "apigov-not-found",
            "url": "http://127.0.0.1:9",
            "routes": [
                {
                    "name": "apigov-404",
                    "paths": ["/"],
                    "strip_path": False,
                    "plugins": [_termination(404, PROBLEM_404)],
                }
            ],
        }
        config: dict[str, JSONValue] = {
            "_format_version": "3.0",
            "services": [*services, fallback],
            "upstreams": [_upstream(s) for s in model.services],
        }
        return [self.file("kong.yaml", "kong.yaml.j2", provenance=provenance(model), config=config)]


def _service(name: str, service: Service, op: Operation) -> dict[str, JSONValue]:
    p = op.policy
    entry: dict[str, JSONValue] = {
        "name": name,
        "host": f"{service.name}.upstream",
        "port": 80,
        "protocol": "http",
        "retries": op.retries,
    }
    if p.connect_timeout_ms:
        entry["connect_timeout"] = p.connect_timeout_ms
    if p.timeout_ms:
        entry["read_timeout"] = p.timeout_ms
        entry["write_timeout"] = p.timeout_ms
    return entry


def _upstream(service: Service) -> JSONValue:
    s = service.settings
    cb = service.policy.circuit_breaker
    errors = cb.consecutive_errors if cb and cb.consecutive_errors else 3
    checks: dict[str, JSONValue] = {
        "passive": {"unhealthy": {"tcp_failures": errors, "http_failures": errors, "timeouts": errors}}
    }
    if s.health_check is not None:
        hc = s.health_check
        checks["active"] = {
            "type": "http",
            "http_path": hc.path,
            "timeout": max(1, hc.timeout_ms // 1000),
            "healthy": {"interval": max(1, hc.interval_ms // 1000), "successes": hc.healthy},
            "unhealthy": {
                "interval": max(1, hc.interval_ms // 1000),
                "http_failures": hc.unhealthy,
                "tcp_failures": hc.unhealthy,
                "timeouts": hc.unhealthy,
            },
        }
    upstream: dict[str, JSONValue] = {
        "name": f"{s.name}.upstream",
        "algorithm": _LB[s.load_balancing],
        "healthchecks": checks,
        "targets": [{"target": u.address} for u in s.upstreams],
    }
    if s.load_balancing == "ip-hash":
        upstream["hash_on"] = "ip"
    return upstream


def _validator(op: Operation, notes: Notes) -> JSONValue:
    """The request-validator plugin of ``op`` (``None``: not asked for, or not expressible: warned)."""
    if not op.policy.validate_request or op.body is None:
        return None
    try:
        config = request_validator(op.body)
    except Unexpressible as exc:
        notes.cannot("validate-request", op.label, f"the request body is not validated: {exc}")
        return None
    return {"name": "request-validator", "config": config}


def _route(
    name: str, route: Route, op: Operation, requirement: Requirement, priority: int, validator: JSONValue
) -> JSONValue:
    entry: dict[str, JSONValue] = {
        "name": name,
        "paths": ["~" + route.regex()],
        "methods": [op.method],
        "strip_path": False,
        "preserve_host": True,
        "regex_priority": priority,
    }
    headers: dict[str, JSONValue] = {}
    for cred in requirement:
        if cred.where == "header":
            prefix = "".join(c if c.isalnum() else f"\\x{ord(c):02x}" for c in cred.prefix)
            headers[cred.name] = [f"~*^{prefix}.+"]
        elif cred.where == "query":
            raise InputError(
                f"Kong routes cannot match the query credential {cred.name!r} of scheme {cred.scheme!r}",
                hint="use a header API key, or a target that matches query parameters (envoy, nginx, haproxy)",
            )
        else:
            headers["cookie"] = [f"~*(^|;\\x20?){cred.name}="]
    if headers:
        entry["headers"] = headers
    plugins = _plugins(op)
    if validator is not None:
        plugins.append(validator)
    if plugins:
        entry["plugins"] = plugins
    return entry


def _plugins(op: Operation) -> list[JSONValue]:
    p = op.policy
    plugins: list[JSONValue] = []
    if p.rate_limit is not None:
        limit: dict[str, JSONValue] = {
            "second" if p.rate_limit.period == 1 else "minute": p.rate_limit.requests,
            "policy": "local",
            "limit_by": "ip" if p.rate_limit.key == "ip" else "header",
        }
        if p.rate_limit.key == "api-key":
            limit["header_name"] = p.rate_limit.header
        plugins.append({"name": "rate-limiting", "config": limit})
    if p.max_body is not None:
        plugins.append(
            {
                "name": "request-size-limiting",
                "config": {"allowed_payload_size": p.max_body, "size_unit": "bytes"},
            }
        )
    if ttl := cache_ttl(op):
        plugins.append(
            {
                "name": "proxy-cache",
                "config": {
                    "strategy": "memory",
                    "cache_ttl": ttl,
                    "request_method": ["GET", "HEAD"],
                    "response_code": [200],
                    "content_type": ["application/json"],
                },
            }
        )
    if p.cors is not None:
        cors: dict[str, JSONValue] = {"origins": list(p.cors.origins), "credentials": p.cors.credentials}
        if p.cors.methods:
            cors["methods"] = list(p.cors.methods)
        if p.cors.headers:
            cors["headers"] = list(p.cors.headers)
        if p.cors.max_age is not None:
            cors["max_age"] = p.cors.max_age
        plugins.append({"name": "cors", "config": cors})
    if op.lifecycle is not None:
        plugins.append(
            {
                "name": "response-transformer",
                "config": {"add": {"headers": [f"{k}:{v}" for k, v in op.lifecycle.headers()]}},
            }
        )
    return plugins


def _termination(status: int, body: str) -> JSONValue:
    return {
        "name": "request-termination",
        "config": {"status_code": status, "content_type": "application/problem+json", "body": body},
    }


def _terminate(
    name: str,
    route: Route,
    methods: list[str] | None,
    priority: int,
    status: int,
    body: str,
    headers: list[str],
) -> JSONValue:
    entry: dict[str, JSONValue] = {
        "name": name,
        "paths": ["~" + route.regex()],
        "strip_path": False,
        "regex_priority": priority,
        "plugins": [
            _termination(status, body),
            {"name": "response-transformer", "config": {"add": {"headers": list(headers)}}},
        ],
    }
    if methods:
        entry["methods"] = list(methods)
    return entry


generator = KongTarget()
