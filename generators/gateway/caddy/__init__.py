"""Caddy: one ``Caddyfile`` (run: ``caddy run --config Caddyfile --adapter caddyfile``).

Everything sits in one ``route`` block, so handlers run in the order written: per operation a
401 for requests that satisfy none of its security requirements (one ``not`` per alternative,
each ANDing its credentials), body limits, lifecycle headers and the ``reverse_proxy`` to the
service's replicas; then the path's 405 with ``Allow``; last the 404. Regexes go in backticks
(raw tokens, no escapes; they are ASCII-only), header values too. Caddy from Debian has no
rate limiting and no cache (both plugins): the generator warns.
"""

from __future__ import annotations

from typing import Final

from apigov.core.errors import InputError
from generators.base import GeneratedFile, GenerateRequest
from generators.gateway.model import Credential, GatewayModel
from generators.gateway.settings import Cors
from generators.gateway.target import (
    PROBLEM_401,
    PROBLEM_404,
    PROBLEM_405,
    GatewayTarget,
    Notes,
    above,
    preflights,
    provenance,
)

_LB: Final = {
    "round-robin": "round_robin",
    "least-request": "least_conn",
    "random": "random",
    "ip-hash": "ip_hash",
}


def raw(value: str) -> str:
    """A Caddyfile backtick token: taken literally (placeholders in header values stay text only
    when they cannot occur: '{' is refused)."""
    if "`" in value or "{" in value or "}" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InputError(
            f"a value for Caddy contains a backtick, a brace or a control character: {value[:40]!r}"
        )
    return f"`{value}`"


def pattern(value: str) -> str:
    """A regex as a backtick token (matchers do not expand placeholders in their patterns)."""
    if "`" in value or any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        raise InputError(f"a regex for Caddy contains a backtick or a control character: {value[:40]!r}")
    return f"`{value}`"


def body(value: str) -> str:
    """apigov's own constant response bodies: braces escaped for Caddy's placeholder replacer."""
    return "`" + value.replace("{", "\\{").replace("}", "\\}") + "`"


class CaddyTarget(GatewayTarget):
    name = "caddy"
    description = "Caddy Caddyfile: one ordered route block, reverse_proxy per operation"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        notes.per_operation(
            model,
            "rate-limit",
            "Caddy from Debian has no rate limiting (it is a plugin); the route is not limited",
            lambda op: op.policy.rate_limit is not None,
        )
        notes.per_operation(
            model,
            "cache",
            "Caddy from Debian has no response cache (it is a plugin)",
            lambda op: op.policy.cache_ttl is not None,
        )
        notes.per_operation(
            model,
            "max-body",
            "Caddy 2.6 answers 413 from Content-Length; a chunked body over the limit fails with 502",
            lambda op: op.policy.max_body is not None,
        )
        for service in model.services:
            hc = service.settings.health_check
            if hc is not None and (hc.healthy != 1 or hc.unhealthy != 1):
                notes.cannot(
                    "health-check",
                    f"service {service.name}",
                    "Caddy 2.6 takes a replica out after one failed check and back after one passed "
                    "(no healthy/unhealthy thresholds)",
                )
            cb = service.policy.circuit_breaker
            if cb is not None and (cb.max_connections or cb.max_pending):
                notes.cannot(
                    "circuit-breaker",
                    f"service {service.name}",
                    "Caddy has no connection or pending-request limit per upstream",
                )
        return [
            self.file(
                "Caddyfile",
                "Caddyfile.j2",
                model=model,
                provenance=provenance(model),
                services={s.name: s for s in model.services},
                lb=_LB,
                raw=raw,
                pattern=pattern,
                matcher=_matcher,
                origin_matcher=_origin_matcher,
                preflight=preflights(model),
                above=above,
                problem_404=body(PROBLEM_404),
                problem_405=body(PROBLEM_405),
                problem_401=body(PROBLEM_401),
                ms=lambda v: f"{v}ms",
            )
        ]


def _origin_matcher(cors: Cors) -> str:
    if "*" in cors.origins:
        return "header Origin *"
    return "header Origin " + " ".join(raw(o) for o in cors.origins)


def _matcher(cred: Credential) -> str:
    if cred.where == "header":
        return f"header {cred.name} {raw(cred.prefix + '*') if cred.prefix else '*'}"
    if cred.where == "query":
        return f"query {cred.name}=*"
    return f"header Cookie {raw('*' + cred.name + '=*')}"


generator = CaddyTarget()
