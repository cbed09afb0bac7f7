"""Traefik v3: ``traefik.yaml`` (static: entry point, file provider) and ``dynamic.yaml``
(routers, middlewares, services). Run it from the output folder: ``traefik --configFile=traefik.yaml``.

Each operation is a router whose rule is ``PathRegexp`` + ``Method`` (+ ``Header``/``Query``
matchers for one security alternative; OR = one router per alternative), with explicit
priorities in the model's precedence order. Traefik cannot answer by itself: requests without
credentials, unknown paths and wrong methods all get Traefik's plain 404 (warned). Rules are
written with backtick strings (the regex is ASCII-only, names are tokens); the YAML itself is
emitted by a YAML library, so no value can change the structure.
"""

from __future__ import annotations

from typing import Final

from apigov.core.errors import InputError
from generators.base import GeneratedFile, GenerateRequest, JSONValue
from generators.gateway.model import Credential, GatewayModel, Operation, Requirement, Route
from generators.gateway.settings import Cors
from generators.gateway.target import GatewayTarget, Notes, provenance, seconds

_IDEMPOTENT: Final = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def tick(value: str) -> str:
    """A Traefik rule string literal (backticks; refused when it holds one or a control character)."""
    if "`" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InputError(
            f"a value for a Traefik rule holds a backtick or a control character: {value[:40]!r}"
        )
    return f"`{value}`"


class TraefikTarget(GatewayTarget):
    name = "traefik"
    description = "Traefik v3 file-provider config (routers, middlewares, services)"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        self._warnings(model, notes)
        routers: dict[str, JSONValue] = {}
        middlewares: dict[str, JSONValue] = {}
        services: dict[str, JSONValue] = {}
        top = 10 * (len(model.routes) + 1) + 1000
        for route in model.routes:
            for op in route.operations:
                base = f"r{route.index}-{op.method.lower()}"
                used = self._middlewares(base, op, middlewares)
                service = _service_name(route, op)
                for index, requirement in enumerate(op.auth or ((),), start=1):
                    router: dict[str, JSONValue] = {
                        "entryPoints": ["apigov"],
                        "rule": _rule(route, op.method, requirement),
                        "priority": top - 10 * route.index,
                        "service": service,
                    }
                    if used:
                        router["middlewares"] = list(used)
                    if model.settings.tls is not None:
                        router["tls"] = {}
                    routers[f"{base}-{index}" if op.auth else base] = router
                services.setdefault(service, self._service(model, route.service, op))
            cors = next((op for op in route.operations if op.policy.cors is not None), None)
            if cors is not None:  # preflights: the headers middleware answers them itself
                name = f"r{route.index}-preflight"
                assert cors.policy.cors is not None
                middlewares[f"{name}-cors"] = {"headers": _cors(cors.policy.cors)}
                routers[name] = {
                    "entryPoints": ["apigov"],
                    "rule": f"PathRegexp({tick(route.regex())}) && Method(`OPTIONS`)",
                    "priority": top - 10 * route.index,
                    "service": _service_name(route, cors),
                    "middlewares": [f"{name}-cors"],
                }
        transports: dict[str, JSONValue] = {}
        for name in services:
            timeout = name.rsplit("-", 1)[1]
            if timeout.startswith("t"):
                transports[f"timeout-{timeout[1:]}"] = {
                    "forwardingTimeouts": {"responseHeaderTimeout": seconds(int(timeout[1:]))}
                }
        dynamic: dict[str, JSONValue] = {"http": {"routers": routers, "services": services}}
        http = dynamic["http"]
        assert isinstance(http, dict)
        if middlewares:
            http["middlewares"] = middlewares
        if transports:
            http["serversTransports"] = transports
        tls = model.settings.tls
        if tls is not None:
            dynamic["tls"] = {"certificates": [{"certFile": tls.certificate, "keyFile": tls.key}]}
        entry: dict[str, JSONValue] = {"address": model.settings.listen.address, "reusePort": True}
        entry_points: dict[str, JSONValue] = {"apigov": entry}
        if tls is not None and tls.redirect_from:
            entry_points["apigov-redirect"] = {
                "address": f"{model.settings.listen.host}:{tls.redirect_from}",
                "reusePort": True,
                "http": {
                    "redirections": {"entryPoint": {"to": "apigov", "scheme": "https", "permanent": True}}
                },
            }
        static: dict[str, JSONValue] = {
            "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
            "entryPoints": entry_points,
            "providers": {"file": {"filename": "dynamic.yaml", "watch": False}},
            "log": {"level": "WARN"},
        }
        return [
            self.file("traefik.yaml", "traefik.yaml.j2", provenance=provenance(model), config=static),
            self.file("dynamic.yaml", "dynamic.yaml.j2", provenance=provenance(model), config=dynamic),
        ]

    def _service(self, model: GatewayModel, name: str, op: Operation) -> JSONValue:
        service = next(s for s in model.services if s.name == name)
        balancer: dict[str, JSONValue] = {
            "servers": [{"url": f"http://{u.address}"} for u in service.settings.upstreams],
            "passHostHeader": True,
        }
        hc = service.settings.health_check
        if hc is not None:
            balancer["healthCheck"] = {
                "path": hc.path,
                "interval": seconds(hc.interval_ms),
                "timeout": seconds(hc.timeout_ms),
            }
        if op.policy.timeout_ms:
            balancer["serversTransport"] = f"timeout-{op.policy.timeout_ms}"
        return {"loadBalancer": balancer}

    def _middlewares(self, base: str, op: Operation, middlewares: dict[str, JSONValue]) -> list[str]:
        used: list[str] = []
        p = op.policy
        if p.rate_limit is not None:
            limit: dict[str, JSONValue] = {
                "average": p.rate_limit.requests,
                "period": f"{p.rate_limit.period}s",
                "burst": max(1, p.rate_limit.requests + p.rate_limit.burst),
            }
            if p.rate_limit.key == "api-key":
                limit["sourceCriterion"] = {"requestHeaderName": p.rate_limit.header}
            middlewares[f"{base}-rate-limit"] = {"rateLimit": limit}
            used.append(f"{base}-rate-limit")
        if p.max_body is not None:
            middlewares[f"{base}-max-body"] = {"buffering": {"maxRequestBodyBytes": p.max_body}}
            used.append(f"{base}-max-body")
        if op.retries and op.method in _IDEMPOTENT:
            retry: dict[str, JSONValue] = {"attempts": op.retries + 1}
            if p.retries is not None and p.retries.backoff_ms:
                retry["initialInterval"] = seconds(p.retries.backoff_ms)
            middlewares[f"{base}-retry"] = {"retry": retry}
            used.append(f"{base}-retry")
        if p.cors is not None:
            middlewares[f"{base}-cors"] = {"headers": _cors(p.cors)}
            used.append(f"{base}-cors")
        if op.lifecycle is not None:
            middlewares[f"{base}-lifecycle"] = {
                "headers": {"customResponseHeaders": dict(op.lifecycle.headers())}
            }
            used.append(f"{base}-lifecycle")
        return used

    def _warnings(self, model: GatewayModel, notes: Notes) -> None:
        for route in model.routes:
            notes.cannot(
                "405",
                route.template,
                "Traefik cannot answer 405 with Allow or 404 problem+json by itself; it answers a plain 404",
            )
        notes.per_operation(
            model,
            "auth",
            "Traefik cannot answer 401 by itself: a request without the credentials gets its plain 404",
            lambda op: bool(op.auth),
        )
        notes.per_operation(
            model, "cache", "Traefik has no response cache", lambda op: op.policy.cache_ttl is not None
        )
        notes.per_operation(
            model,
            "rate-limit",
            "Traefik keeps rate-limit counters per gateway replica (N replicas allow N times the rate)",
            lambda op: op.policy.rate_limit is not None,
        )
        for service in model.services:
            s = service.settings
            if s.load_balancing != "round-robin":
                notes.cannot(
                    "load-balancing",
                    f"service {s.name}",
                    f"Traefik's file provider balances round-robin here, not {s.load_balancing}",
                )
            if service.policy.circuit_breaker is not None:
                notes.cannot(
                    "circuit-breaker",
                    f"service {s.name}",
                    "circuit breaking is not rendered for Traefik (its circuitBreaker middleware trips on "
                    "ratios, not on these settings); failed replicas are taken out by health checks",
                )
            if s.health_check is None:
                notes.cannot(
                    "health-check",
                    f"service {s.name}",
                    "without a health-check Traefik keeps sending to a dead replica",
                )
        notes.per_operation(
            model,
            "retries",
            "Traefik retries non-idempotent requests only through the health check taking a replica out",
            lambda op: False,
        )


def _service_name(route: Route, op: Operation) -> str:
    """A Traefik service per service and timeout (the timeout lives in its serversTransport)."""
    return f"{route.service}-{'t' + str(op.policy.timeout_ms) if op.policy.timeout_ms else 'default'}"


def _cors(cors: Cors) -> JSONValue:
    headers: dict[str, JSONValue] = {
        "accessControlAllowOriginList": list(cors.origins),
        "accessControlAllowCredentials": cors.credentials,
        "addVaryHeader": True,
    }
    if cors.methods:
        headers["accessControlAllowMethods"] = list(cors.methods)
    if cors.headers:
        headers["accessControlAllowHeaders"] = list(cors.headers)
    if cors.max_age is not None:
        headers["accessControlMaxAge"] = cors.max_age
    return headers


def _rule(route: Route, method: str, requirement: Requirement) -> str:
    parts = [f"PathRegexp({tick(route.regex())})", f"Method({tick(method)})"]
    parts.extend(_credential(c) for c in requirement)
    return " && ".join(parts)


def _credential(cred: Credential) -> str:
    if cred.where == "header":
        pattern = "^" + "".join(c if c.isalnum() else f"\\x{ord(c):02x}" for c in cred.prefix) + ".+"
        return f"HeaderRegexp({tick(cred.name)}, {tick(pattern)})"
    if cred.where == "query":
        return f"QueryRegexp({tick(cred.name)}, {tick('.*')})"
    return f"HeaderRegexp({tick('Cookie')}, {tick('(^|; )' + cred.name + '=')})"


generator = TraefikTarget()
