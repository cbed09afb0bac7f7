"""Kubernetes Gateway API: ``httproutes.yaml``, HTTPRoute objects (gateway.networking.k8s.io/v1).

One rule per operation (its matches: path, method and, per security alternative, header or
query matches: OR = one match per alternative, AND = several in one match), with the request
timeout, retries (idempotent operations) and lifecycle response headers. A service's rules are
split into HTTPRoutes of at most 16 rules (the API's limit), and a rule's matches into rules
of at most 64, deterministically, in the model's precedence order; objects are named
``<service>-<n>``. backendRefs name the Kubernetes Service called like the apigov service, on
its first upstream's port. What HTTPRoute cannot express (rate limits, body limits, health
checks, circuit breaking, caching, 401/404/405 bodies) is warned about, naming the route.
"""

from __future__ import annotations

from typing import Final

from generators.base import GeneratedFile, GenerateRequest, JSONValue
from generators.gateway.model import GatewayModel, Operation, Requirement, Route, Service
from generators.gateway.target import GatewayTarget, Notes, provenance

MAX_RULES: Final = 16
MAX_MATCHES: Final = 64


def _duration(ms: int) -> str:
    """A Gateway API Duration (``1h2m3s4ms`` subset): whole seconds or milliseconds."""
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


class HttpRouteTarget(GatewayTarget):
    name = "httproute"
    description = "Kubernetes Gateway API HTTPRoute objects (split at the API's per-resource limits)"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        self._warnings(model, notes)
        objects: list[JSONValue] = []
        for service in model.services:
            rules: list[JSONValue] = []
            for route in model.routes:
                if route.service != service.name:
                    continue
                for op in route.operations:
                    matches = [_match(route, op.method, req) for req in (op.auth or ((),))]
                    for start in range(0, len(matches), MAX_MATCHES):
                        rules.append(_rule(service, op, matches[start : start + MAX_MATCHES]))
            for number, start in enumerate(range(0, len(rules), MAX_RULES), start=1):
                objects.append(
                    {
                        "apiVersion": "gateway.networking.k8s.io/v1",
                        "kind": "HTTPRoute",
                        "metadata": {
                            "name": f"{service.name}-{number}",
                            "labels": {"app.kubernetes.io/managed-by": "apigov"},
                        },
                        "spec": {
                            "parentRefs": [{"name": model.settings.kubernetes_gateway}],
                            "rules": rules[start : start + MAX_RULES],
                        },
                    }
                )
        return [
            self.file("httproutes.yaml", "httproutes.yaml.j2", provenance=provenance(model), objects=objects)
        ]

    def _warnings(self, model: GatewayModel, notes: Notes) -> None:
        for label, test in (
            ("rate-limit", lambda op: op.policy.rate_limit is not None),
            ("max-body", lambda op: op.policy.max_body is not None),
            ("cache", lambda op: op.policy.cache_ttl is not None),
            ("cors", lambda op: op.policy.cors is not None),
        ):
            notes.per_operation(
                model, label, f"HTTPRoute has no {label} (use your implementation's policy)", test
            )
        notes.per_operation(
            model,
            "auth",
            "HTTPRoute only matches credentials (RegularExpression header matches are implementation-specific); "
            "a request without them is not routed (the implementation's 404, not 401)",
            lambda op: bool(op.auth),
        )
        for service in model.services:
            s = service.settings
            if s.health_check is not None:
                notes.cannot(
                    "health-check",
                    f"service {s.name}",
                    "HTTPRoute has no health checks (Kubernetes probes do that)",
                )
            if service.policy.circuit_breaker is not None:
                notes.cannot("circuit-breaker", f"service {s.name}", "HTTPRoute has no circuit breaking")
            if s.load_balancing != "round-robin":
                notes.cannot("load-balancing", f"service {s.name}", "HTTPRoute has no load-balancing policy")
        if model.settings.tls is not None:
            notes.cannot("tls", "gateway", "TLS is configured on the Gateway's listeners, not on HTTPRoutes")
        for route in model.routes:
            notes.cannot(
                "405",
                route.template,
                "HTTPRoute cannot answer 405 with Allow or 404 problem+json; the implementation answers 404",
            )
        templated = [r for r in model.routes if not r.literal]
        for i, first in enumerate(templated):
            for second in templated[i + 1 :]:
                if len(first.segments) == len(second.segments) and _meet(first, second):
                    notes.cannot(
                        "precedence",
                        first.template,
                        f"{first.template} and {second.template} can match one path; precedence between "
                        "RegularExpression matches is implementation-specific",
                    )


def _meet(first: Route, second: Route) -> bool:
    for a, b in zip(first.segments, second.segments, strict=True):
        literal_a = len(a) == 1 and not a[0].param
        literal_b = len(b) == 1 and not b[0].param
        if literal_a and literal_b and a != b:
            return False
    return True


def _match(route: Route, method: str, requirement: Requirement) -> JSONValue:
    match: dict[str, JSONValue] = {
        "path": {"type": "Exact", "value": route.path}
        if route.literal
        else {"type": "RegularExpression", "value": route.regex()},
        "method": method,
    }
    headers: list[JSONValue] = []
    query: list[JSONValue] = []
    for cred in requirement:
        if cred.where == "header":
            prefix = "".join(c if c.isalnum() else f"\\x{ord(c):02x}" for c in cred.prefix)
            headers.append({"type": "RegularExpression", "name": cred.name, "value": f"^{prefix}.+"})
        elif cred.where == "query":
            query.append({"type": "RegularExpression", "name": cred.name, "value": ".*"})
        else:
            headers.append(
                {"type": "RegularExpression", "name": "cookie", "value": f"(^|;\\x20?){cred.name}="}
            )
    if headers:
        match["headers"] = headers
    if query:
        match["queryParams"] = query
    return match


def _rule(service: Service, op: Operation, matches: list[JSONValue]) -> JSONValue:
    rule: dict[str, JSONValue] = {
        "matches": matches,
        "backendRefs": [{"name": service.name, "port": service.settings.upstreams[0].port}],
    }
    if op.policy.timeout_ms:
        rule["timeouts"] = {"request": _duration(op.policy.timeout_ms)}
    if op.retries:
        retry: dict[str, JSONValue] = {"attempts": op.retries, "codes": [502, 503, 504]}
        if op.policy.retries is not None and op.policy.retries.backoff_ms:
            retry["backoff"] = _duration(op.policy.retries.backoff_ms)
        rule["retry"] = retry
    if op.lifecycle is not None:
        rule["filters"] = [
            {
                "type": "ResponseHeaderModifier",
                "responseHeaderModifier": {
                    "set": [{"name": k, "value": v} for k, v in op.lifecycle.headers()]
                },
            }
        ]
    return rule


generator = HttpRouteTarget()
