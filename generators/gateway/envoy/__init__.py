"""Envoy: one static bootstrap ``envoy.yaml`` (listener, routes, clusters; no admin port).

Run it with ``envoy -c envoy.yaml --base-id N`` (a distinct ``--base-id`` per instance on one
host). Routes match the path regex (RE2) and ``:method``; auth alternatives become routes
with header/query matchers (OR of ANDs kept) before a 401 route; a path's last route answers
405 with ``Allow``, the last route of all 404, both problem+json. Clusters carry the replicas,
the load-balancing policy, active health checks, outlier detection and circuit breakers.
``cache`` on an operation without security routes it to a copy of its service's cluster whose
upstream filters add ``Cache-Control: max-age=<ttl>`` (when the upstream sent none), behind
the ``envoy.filters.http.cache`` filter that every other route turns off.
The listener and cluster lists are built as data and written by a YAML emitter inside the
template, so no spec text can change the structure.
"""

from __future__ import annotations

import re
from typing import Final

from generators.base import GeneratedFile, GenerateRequest, JSONValue
from generators.gateway.model import GatewayModel, Operation, Requirement, Route, Service
from generators.gateway.settings import Cors, Jwt
from generators.gateway.target import PROBLEM_401, PROBLEM_404, PROBLEM_405, GatewayTarget, Notes, provenance

_LB: Final = {
    "round-robin": "ROUND_ROBIN",
    "least-request": "LEAST_REQUEST",
    "random": "RANDOM",
    "ip-hash": "RING_HASH",
}
_IPV4: Final = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}\Z")
_T = "type.googleapis.com/envoy.extensions."
_OVERWRITE: Final = "OVERWRITE_IF_EXISTS_OR_ADD"
_CACHED: Final = "/cached"  # the suffix of a cacheable route's cluster name


def seconds(ms: int) -> str:
    """A protobuf Duration in seconds: ``1500`` -> ``1.5s``."""
    whole, rest = divmod(ms, 1000)
    return f"{whole}s" if not rest else f"{whole}.{rest:03d}".rstrip("0") + "s"


class EnvoyTarget(GatewayTarget):
    name = "envoy"
    validates_jwt = True
    description = "Envoy static bootstrap (routes, clusters, health checks, outlier detection)"

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        notes.per_operation(
            model,
            "rate-limit",
            "Envoy's local rate limit counts every client of the route together (one bucket per route "
            "and gateway replica), not per client IP or API key",
            lambda op: op.policy.rate_limit is not None,
        )
        notes.per_operation(
            model,
            "jwt",
            "a Bearer scheme of this operation has no jwt settings, so no token can be validated "
            "(the gateway cannot tell the schemes' tokens apart); presence only",
            lambda op: (
                any(s in model.settings.jwt for s in op.bearer_schemes)
                and not all(s in model.settings.jwt for s in op.bearer_schemes)
            ),
        )
        notes.per_operation(
            model,
            "cache",
            "not cached: Envoy's cache filter serves no request that carries Authorization, and a "
            "cache keyed without the credentials would share one client's answers with others; "
            "only operations without security are cached",
            lambda op: op.policy.cache_ttl is not None and op.method == "GET" and bool(op.auth),
        )
        clusters = [_cluster(s) for s in model.services]
        for service_name, ttl in sorted(
            {(r.service, t) for r, op in model.operations() if (t := _cache_ttl(op))}
        ):
            service = next(s for s in model.services if s.name == service_name)
            clusters.append(_cache_cluster(service, ttl))
        return [
            self.file(
                "envoy.yaml",
                "envoy.yaml.j2",
                provenance=provenance(model),
                listeners=_listeners(model),
                clusters=clusters,
            )
        ]


def _listeners(model: GatewayModel) -> list[JSONValue]:
    settings = model.settings
    uses_rate_limit = any(op.policy.rate_limit for _r, op in model.operations())
    uses_buffer = any(op.policy.max_body is not None for _r, op in model.operations())
    requirements = _jwt_requirements(model)
    routes: list[JSONValue] = []
    lb = {s.name: s.settings.load_balancing for s in model.services}
    for route in model.routes:
        for op in route.operations:
            for index, requirement in enumerate(op.auth or ((),), start=1):
                name = f"{op.operation_id} #{index}" if op.auth else op.operation_id
                entry = _route(route, op, requirement, name, lb[route.service], uses_buffer)
                validated = requirements.get(op.bearer_schemes)
                if validated and any(c.prefix == "Bearer " for c in requirement) and isinstance(entry, dict):
                    per_filter = entry.setdefault("typed_per_filter_config", {})
                    assert isinstance(per_filter, dict)
                    per_filter["envoy.filters.http.jwt_authn"] = {
                        "@type": _T + "filters.http.jwt_authn.v3.PerRouteConfig",
                        "requirement_name": validated,
                    }
                routes.append(entry)
            if op.auth:
                routes.append(
                    _problem(
                        f"{op.operation_id} unauthorized",
                        _match(route, op.method, ()),
                        401,
                        PROBLEM_401,
                        [("www-authenticate", "Bearer")],
                    )
                )
        not_allowed = _problem(
            f"405 {route.index}", _match(route, None, ()), 405, PROBLEM_405, [("allow", route.allow)]
        )
        cors = route.cors
        if cors is not None:  # a CORS preflight: the cors filter answers it on a route that proxies
            preflight = _match(route, "OPTIONS", ())
            headers = preflight["headers"]
            assert isinstance(headers, list)
            headers.append({"name": "access-control-request-method", "present_match": True})
            routes.append(
                {
                    "name": f"{route.index} preflight",
                    "match": preflight,
                    "route": {"cluster": route.service, "timeout": "15s"},
                    "typed_per_filter_config": {"envoy.filters.http.cors": _cors(cors)},
                }
            )
        routes.append(not_allowed)
    routes.append(_problem("404", {"prefix": "/"}, 404, PROBLEM_404, []))
    filters: list[JSONValue] = []
    if uses_rate_limit:
        filters.append(
            {
                "name": "envoy.filters.http.local_ratelimit",
                "typed_config": {
                    "@type": _T + "filters.http.local_ratelimit.v3.LocalRateLimit",
                    "stat_prefix": "apigov_rate_limit",
                },
            }
        )
    if requirements:
        filters.append(
            {
                "name": "envoy.filters.http.jwt_authn",
                "typed_config": {
                    "@type": _T + "filters.http.jwt_authn.v3.JwtAuthentication",
                    "providers": {
                        jwt.scheme: _provider(jwt)
                        for jwt in sorted(settings.jwt.values(), key=lambda j: j.scheme)
                    },
                    "requirement_map": {
                        name: {"provider_name": schemes[0]}
                        if len(schemes) == 1
                        else {"requires_any": {"requirements": [{"provider_name": s} for s in schemes]}}
                        for schemes, name in requirements.items()
                    },
                },
            }
        )
    if any(op.policy.cors for _r, op in model.operations()):
        filters.append(
            {"name": "envoy.filters.http.cors", "typed_config": {"@type": _T + "filters.http.cors.v3.Cors"}}
        )
    if uses_buffer:
        filters.append(
            {
                "name": "envoy.filters.http.buffer",
                "typed_config": {
                    "@type": _T + "filters.http.buffer.v3.Buffer",
                    "max_request_bytes": 1073741824,
                },
            }
        )
    if any(_cache_ttl(op) for _r, op in model.operations()):
        # the cache filter sends a miss upstream itself (through the cluster's upstream filters,
        # not the filters after it), so it stands right before the router; every route but the
        # cacheable ones turns it off
        filters.append(
            {
                "name": "envoy.filters.http.cache",
                "typed_config": {
                    "@type": _T + "filters.http.cache.v3.CacheConfig",
                    "typed_config": {"@type": _T + "http.cache.simple_http_cache.v3.SimpleHttpCacheConfig"},
                },
            }
        )
        off: JSONValue = {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": True}
        for entry in routes:
            assert isinstance(entry, dict)
            action = entry.get("route")
            if isinstance(action, dict) and str(action.get("cluster", "")).endswith(_CACHED):
                continue
            per_filter = entry.setdefault("typed_per_filter_config", {})
            assert isinstance(per_filter, dict)
            per_filter["envoy.filters.http.cache"] = off
    filters.append(_router())
    manager: dict[str, JSONValue] = {
        "@type": _T + "filters.network.http_connection_manager.v3.HttpConnectionManager",
        "stat_prefix": "apigov",
        "normalize_path": True,
        "merge_slashes": True,
        "route_config": {
            "name": "apigov",
            "virtual_hosts": [{"name": "apigov", "domains": ["*"], "routes": routes}],
        },
        "http_filters": filters,
    }
    chain: dict[str, JSONValue] = {
        "filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": manager}]
    }
    if settings.tls is not None:
        chain["transport_socket"] = {
            "name": "envoy.transport_sockets.tls",
            "typed_config": {
                "@type": _T + "transport_sockets.tls.v3.DownstreamTlsContext",
                "common_tls_context": {
                    "tls_certificates": [
                        {
                            "certificate_chain": {"filename": settings.tls.certificate},
                            "private_key": {"filename": settings.tls.key},
                        }
                    ]
                },
            },
        }
    listeners: list[JSONValue] = [_listener("apigov", settings.listen.host, settings.listen.port, chain)]
    if settings.tls is not None and settings.tls.redirect_from:
        redirect: dict[str, JSONValue] = {
            "@type": _T + "filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "apigov_redirect",
            "route_config": {
                "virtual_hosts": [
                    {
                        "name": "redirect",
                        "domains": ["*"],
                        "routes": [
                            {
                                "match": {"prefix": "/"},
                                "redirect": {"https_redirect": True, "port_redirect": settings.listen.port},
                            }
                        ],
                    }
                ]
            },
            "http_filters": [_router()],
        }
        listeners.insert(
            0,
            _listener(
                "apigov_redirect",
                settings.listen.host,
                settings.tls.redirect_from,
                {
                    "filters": [
                        {"name": "envoy.filters.network.http_connection_manager", "typed_config": redirect}
                    ]
                },
            ),
        )
    return listeners


def _jwt_requirements(model: GatewayModel) -> dict[tuple[str, ...], str]:
    """A jwt_authn requirement per set of Bearer schemes that all have JWT settings."""
    found: dict[tuple[str, ...], str] = {}
    for _route, op in model.operations():
        schemes = op.bearer_schemes
        if schemes and all(s in model.settings.jwt for s in schemes):
            found.setdefault(schemes, f"jwt-{len(found)}")
    return found


def _provider(jwt: Jwt) -> JSONValue:
    provider: dict[str, JSONValue] = {
        "issuer": jwt.issuer,
        "local_jwks": {"filename": jwt.jwks_file},
        "forward": True,
    }
    if jwt.audiences:
        provider["audiences"] = list(jwt.audiences)
    return provider


def _listener(name: str, host: str, port: int, chain: JSONValue) -> JSONValue:
    return {
        "name": name,
        "address": {"socket_address": {"address": host, "port_value": port}},
        "enable_reuse_port": True,
        "filter_chains": [chain],
    }


def _router() -> JSONValue:
    return {
        "name": "envoy.filters.http.router",
        "typed_config": {"@type": _T + "filters.http.router.v3.Router"},
    }


def _match(route: Route, method: str | None, requirement: Requirement) -> dict[str, JSONValue]:
    match: dict[str, JSONValue] = (
        {"path": route.path} if route.literal else {"safe_regex": {"regex": route.regex()}}
    )
    headers: list[JSONValue] = []
    if method is not None:
        headers.append({"name": ":method", "string_match": {"exact": method}})
    for cred in requirement:
        if cred.where == "header":
            if cred.prefix:
                headers.append({"name": cred.name, "string_match": {"prefix": cred.prefix}})
            else:
                headers.append({"name": cred.name, "present_match": True})
        elif cred.where == "cookie":
            headers.append({"name": "cookie", "string_match": {"contains": f"{cred.name}="}})
    if headers:
        match["headers"] = headers
    query: list[JSONValue] = [
        {"name": c.name, "present_match": True} for c in requirement if c.where == "query"
    ]
    if query:
        match["query_parameters"] = query
    return match


def _route(
    route: Route, op: Operation, requirement: Requirement, name: str, lb: str, uses_buffer: bool
) -> JSONValue:
    p = op.policy
    ttl = _cache_ttl(op)
    cluster = f"{route.service}/cache-{ttl}s{_CACHED}" if ttl else route.service
    action: dict[str, JSONValue] = {"cluster": cluster, "timeout": seconds(p.timeout_ms or 15000)}
    if lb == "ip-hash":
        action["hash_policy"] = [{"connection_properties": {"source_ip": True}}]
    if op.retries:
        retry: dict[str, JSONValue] = {
            "retry_on": "connect-failure,refused-stream,reset,gateway-error",
            "num_retries": op.retries,
        }
        if p.retries is not None and p.retries.backoff_ms:
            retry["retry_back_off"] = {"base_interval": seconds(p.retries.backoff_ms)}
    else:  # nothing reached the replica: safe for every method
        retry = {"retry_on": "connect-failure,refused-stream", "num_retries": 1}
    action["retry_policy"] = retry
    entry: dict[str, JSONValue] = {
        "name": name,
        "match": _match(route, op.method, requirement),
        "route": action,
    }
    if op.lifecycle is not None:
        entry["response_headers_to_add"] = _headers(op.lifecycle.headers())
    per_filter: dict[str, JSONValue] = {}
    if p.rate_limit is not None:
        everyone: JSONValue = {"default_value": {"numerator": 100, "denominator": "HUNDRED"}}
        per_filter["envoy.filters.http.local_ratelimit"] = {
            "@type": _T + "filters.http.local_ratelimit.v3.LocalRateLimit",
            "stat_prefix": f"rate_limit_{route.index}_{op.method.lower()}",
            "token_bucket": {
                "max_tokens": p.rate_limit.requests + p.rate_limit.burst,
                "tokens_per_fill": p.rate_limit.requests,
                "fill_interval": f"{p.rate_limit.period}s",
            },
            "filter_enabled": everyone,
            "filter_enforced": everyone,
        }
    if uses_buffer:
        buffer: dict[str, JSONValue] = {"@type": _T + "filters.http.buffer.v3.BufferPerRoute"}
        if p.max_body is not None:
            buffer["buffer"] = {"max_request_bytes": p.max_body}
        else:
            buffer["disabled"] = True
        per_filter["envoy.filters.http.buffer"] = buffer
    if p.cors is not None:
        per_filter["envoy.filters.http.cors"] = _cors(p.cors)
    if per_filter:
        entry["typed_per_filter_config"] = per_filter
    return entry


def _cors(cors: Cors) -> JSONValue:
    policy: dict[str, JSONValue] = {
        "@type": _T + "filters.http.cors.v3.CorsPolicy",
        "allow_origin_string_match": [
            {"safe_regex": {"regex": ".*"}} if origin == "*" else {"exact": origin} for origin in cors.origins
        ],
        "allow_credentials": cors.credentials,
    }
    if cors.methods:
        policy["allow_methods"] = ", ".join(cors.methods)
    if cors.headers:
        policy["allow_headers"] = ", ".join(cors.headers)
    if cors.max_age is not None:
        policy["max_age"] = str(cors.max_age)
    return policy


def _problem(name: str, match: JSONValue, status: int, body: str, extra: list[tuple[str, str]]) -> JSONValue:
    return {
        "name": name,
        "match": match,
        "direct_response": {"status": status, "body": {"inline_string": body}},
        "response_headers_to_add": _headers([("content-type", "application/problem+json"), *extra]),
    }


def _headers(pairs: object) -> list[JSONValue]:
    assert isinstance(pairs, list | tuple)
    return [{"header": {"key": k, "value": v}, "append_action": _OVERWRITE} for k, v in pairs]


def _cache_ttl(op: Operation) -> int | None:
    """The seconds a GET answer of ``op`` may be served from the gateway's cache (``None``: not cached)."""
    return op.policy.cache_ttl if op.policy.cache_ttl and op.method == "GET" and not op.auth else None


def _cache_cluster(service: Service, ttl: int) -> JSONValue:
    """The service's cluster for cacheable routes: its upstream filters give an answer without a
    ``Cache-Control`` of its own ``max-age=<ttl>``, which the cache filter (and clients) then honour."""
    cluster = _cluster(service)
    assert isinstance(cluster, dict)
    name = f"{service.name}/cache-{ttl}s{_CACHED}"
    cluster["name"] = name
    load = cluster["load_assignment"]
    assert isinstance(load, dict)
    load["cluster_name"] = name
    cluster["typed_extension_protocol_options"] = {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": _T + "upstreams.http.v3.HttpProtocolOptions",
            "explicit_http_config": {"http_protocol_options": {}},
            "http_filters": [
                {
                    "name": "envoy.filters.http.header_mutation",
                    "typed_config": {
                        "@type": _T + "filters.http.header_mutation.v3.HeaderMutation",
                        "mutations": {
                            "response_mutations": [
                                {
                                    "append": {
                                        "header": {"key": "cache-control", "value": f"max-age={ttl}"},
                                        "append_action": "ADD_IF_ABSENT",
                                    }
                                }
                            ]
                        },
                    },
                },
                {
                    "name": "envoy.filters.http.upstream_codec",
                    "typed_config": {"@type": _T + "filters.http.upstream_codec.v3.UpstreamCodec"},
                },
            ],
        }
    }
    return cluster


def _cluster(service: Service) -> JSONValue:
    s = service.settings
    policy = service.policy
    cb = policy.circuit_breaker
    cluster: dict[str, JSONValue] = {
        "name": s.name,
        # STATIC for IP addresses; STRICT_DNS (hostnames re-resolved) for names or `dns: true`
        "type": "STRICT_DNS" if s.dns or not all(_IPV4.match(u.host) for u in s.upstreams) else "STATIC",
        "connect_timeout": seconds(policy.connect_timeout_ms or 2000),
        "lb_policy": _LB[s.load_balancing],
        "load_assignment": {
            "cluster_name": s.name,
            "endpoints": [
                {
                    "lb_endpoints": [
                        {
                            "endpoint": {
                                "address": {"socket_address": {"address": u.host, "port_value": u.port}}
                            }
                        }
                        for u in s.upstreams
                    ]
                }
            ],
        },
    }
    if cluster["type"] == "STRICT_DNS":
        cluster["dns_lookup_family"] = "V4_PREFERRED"  # as nginx/HAProxy: an IPv4 answer first
    if s.health_check is not None:
        hc = s.health_check
        cluster["health_checks"] = [
            {
                "timeout": seconds(hc.timeout_ms),
                "interval": seconds(hc.interval_ms),
                "healthy_threshold": hc.healthy,
                "unhealthy_threshold": hc.unhealthy,
                "http_health_check": {"path": hc.path},
            }
        ]
    errors = cb.consecutive_errors if cb and cb.consecutive_errors else 5
    cluster["outlier_detection"] = {
        "consecutive_5xx": errors,
        "consecutive_gateway_failure": errors,
        "base_ejection_time": seconds(cb.ejection_ms if cb and cb.ejection_ms else 10000),
        "max_ejection_percent": 50,
    }
    if cb and (cb.max_connections or cb.max_pending):
        threshold: dict[str, JSONValue] = {"priority": "DEFAULT"}
        if cb.max_connections:
            threshold["max_connections"] = cb.max_connections
        if cb.max_pending:
            threshold["max_pending_requests"] = cb.max_pending
        cluster["circuit_breakers"] = {"thresholds": [threshold]}
    return cluster


generator = EnvoyTarget()
