"""nginx (open source): one self-contained ``nginx.conf``.

Run it with ``nginx -c $PWD/nginx.conf -p $PWD/ -g 'daemon off;'``: pid, temp paths and the
cache live under the prefix folder. Each path is a ``location`` (exact for literal paths,
an anchored regex otherwise, in precedence order); each operation is a named location the
path's location jumps to by method (``error_page 59x = @op``), so timeouts, rate limits and
retries are per operation. Credentials are checked with ``map`` (OR of ANDs kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from apigov.core.errors import InputError
from generators.base import GeneratedFile, GenerateRequest
from generators.gateway.model import Credential, GatewayModel, Operation, Requirement, Route
from generators.gateway.settings import RateLimit
from generators.gateway.target import (
    PROBLEM_401,
    PROBLEM_404,
    PROBLEM_405,
    GatewayTarget,
    Notes,
    above,
    cache_ttl,
    cors_names,
    preflights,
    provenance,
    warn_secured_cache,
)

_LB: Final = {"round-robin": "", "least-request": "least_conn", "random": "random", "ip-hash": "ip_hash"}
_VAR_NAME: Final = re.compile(r"^[a-z0-9_]{1,64}\Z")


def quote(value: str) -> str:
    """An nginx double-quoted string; ``$`` is spelt ``${apigov_dollar}`` (nginx has no escape for it)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InputError(f"a value for nginx contains a control character: {value[:40]!r}")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "${apigov_dollar}")
    return f'"{escaped}"'


def quote_path(value: str) -> str:
    """An exact ``location =`` path: quoted; ``$`` stays (location paths hold no variables)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InputError(f"a path for nginx contains a control character: {value[:40]!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_regex(value: str) -> str:
    """A regex (already ASCII-escaped by the model): quoted, its ``$`` anchors kept."""
    if '"' in value or "\\\\" in value or any(ord(c) < 0x20 for c in value):
        raise InputError(f"regex cannot be written for nginx: {value[:40]!r}")
    return f'"{value}"'


@dataclass(frozen=True, slots=True)
class _Method:
    code: int
    method: str
    named: str


class NginxTarget(GatewayTarget):
    name = "nginx"
    description = "nginx (open source) nginx.conf: locations per path, named locations per operation"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        creds: dict[Credential, str] = {}
        for _route, op in model.operations():
            for requirement in op.auth:
                for cred in requirement:
                    creds.setdefault(cred, f"$apigov_cred_{len(creds)}")
        cred_maps = [(self._source(c, op_label=None), c, var) for c, var in creds.items()]
        auth_maps: dict[tuple[Requirement, ...], str] = {}
        zones: dict[RateLimit, str] = {}
        for _route, op in model.operations():
            if op.auth:
                auth_maps.setdefault(op.auth, f"$apigov_auth_{len(auth_maps)}")
            if op.policy.rate_limit is not None:
                zones.setdefault(op.policy.rate_limit, f"apigov_rl_{len(zones)}")
        auth_rows = []
        for alternatives, var in auth_maps.items():
            used = sorted({c for req in alternatives for c in req}, key=lambda c: creds[c])
            key = "".join(creds[c] for c in used)
            patterns = ["~^" + "".join("1" if c in req else "." for c in used) + "$" for req in alternatives]
            auth_rows.append((key, patterns, var))
        self._warnings(model, notes)
        methods = {
            (route.index, op.method): _Method(
                590 + i, op.method, f"@apigov_{route.index}_{op.method.lower()}"
            )
            for route in model.routes
            for i, op in enumerate(route.operations)
        }
        cors_maps = cors_names(model, lambda i: f"$apigov_cors_{i}")
        preflight = preflights(model)
        warn_secured_cache(model, notes)
        cache = any(cache_ttl(op) for _r, op in model.operations())
        return [
            self.file(
                "nginx.conf",
                "nginx.conf.j2",
                model=model,
                provenance=provenance(model),
                cred_maps=cred_maps,
                auth_rows=auth_rows,
                auth_maps=auth_maps,
                zones=zones,
                methods=methods,
                lb=_LB,
                cache=cache,
                cache_ttl=cache_ttl,
                quote=quote,
                quote_regex=quote_regex,
                quote_path=quote_path,
                above=above,
                path_limit=_path_limit,
                cors_maps=cors_maps,
                preflight=preflight,
                problem_404=PROBLEM_404,
                problem_405=PROBLEM_405,
                problem_401=PROBLEM_401,
                rate_key=_rate_key,
                bearer_schemes=_challenge,
            )
        ]

    def _source(self, cred: Credential, op_label: str | None) -> tuple[str, str]:
        """(nginx variable holding the credential, map pattern meaning "present")."""
        name = cred.name.lower().replace("-", "_")
        if not _VAR_NAME.match(name):
            raise InputError(
                f"nginx cannot read the credential {cred.where} {cred.name!r} of scheme {cred.scheme!r} "
                "(only letters, digits, '-' and '_' name an nginx variable)"
            )
        if cred.where == "header":
            variable = f"$http_{name}"
        elif cred.where == "query":
            variable = f"$arg_{name}"
        else:
            variable = f"$cookie_{name}"
        pattern = "~^" + re.escape(cred.prefix).replace("\\ ", "\\x20") + "." if cred.prefix else "~."
        return variable, pattern

    def _warnings(self, model: GatewayModel, notes: Notes) -> None:
        for service in model.services:
            s = service.settings
            if s.health_check is not None:
                notes.cannot(
                    "health-check",
                    f"service {s.name}",
                    "open-source nginx has no active health checks; failed replicas are taken out "
                    "passively (max_fails/fail_timeout)",
                )
            if s.dns:
                notes.cannot(
                    "dns",
                    f"service {s.name}",
                    "this nginx resolves upstream hostnames once at start (re-resolution needs nginx >= 1.27.3)",
                )
            if s.policy.circuit_breaker and s.policy.circuit_breaker.max_pending is not None:
                notes.cannot("circuit-breaker", f"service {s.name}", "nginx has no limit on pending requests")
        notes.per_operation(
            model,
            "retries",
            "nginx retries on the next replica without backoff",
            lambda op: (
                op.retries > 0 and op.policy.retries is not None and op.policy.retries.backoff_ms is not None
            ),
        )
        notes.per_operation(
            model,
            "rate-limit",
            "nginx keeps rate-limit counters per gateway replica (N replicas allow N times the rate)",
            lambda op: op.policy.rate_limit is not None,
        )


def _path_limit(route: Route) -> int | None:
    """The body limit a path's location can set (nginx checks Content-Length there, before the
    named location): the largest of its operations', or none when one of them has no limit."""
    limits = [op.policy.max_body for op in route.operations]
    if any(limit is None for limit in limits):
        return None
    return max(limit for limit in limits if limit is not None)


def _rate_key(limit: RateLimit) -> str:
    if limit.key == "ip":
        return "$binary_remote_addr"
    return "$http_" + limit.header.lower().replace("-", "_")


def _challenge(op: Operation) -> str:
    schemes = sorted({c.prefix.strip() for req in op.auth for c in req if c.prefix})
    return ", ".join(schemes) if schemes else "ApiKey"


def routes_of(model: GatewayModel) -> list[Route]:
    return list(model.routes)


generator = NginxTarget()
