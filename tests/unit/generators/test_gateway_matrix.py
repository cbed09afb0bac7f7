"""The README's support matrix, pinned: for every target and policy, the policy is rendered into
the config, or a warning names the target, the policy and the route (never silently dropped).
The policies' behaviour in the real gateways is tested in tests/e2e/test_gateway_*.py."""

from __future__ import annotations

from typing import Any

import pytest

from generators.base import Contract, GenerateRequest, get

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "get": {"operationId": "getPet", "responses": {"200": {"description": "ok"}}},
            "put": {
                "operationId": "putPet",
                "requestBody": {
                    "content": {"application/json": {"schema": {"type": "object", "required": ["name"]}}}
                },
                "responses": {"204": {"description": "stored"}},
            },
        }
    },
}
POLICIES: dict[str, dict[str, Any]] = {
    "rate-limit": {"rate-limit": {"requests": 5, "per": "second"}},
    "cache": {"cache": "30s"},
    "cors": {"cors": {"origins": ["https://shop.example.com"]}},
    "health-check": {"health-check": {"path": "/healthz", "healthy": 2, "unhealthy": 3}},
    "circuit-breaker": {"circuit-breaker": {"max-connections": 50}},
    "max-body": {"max-body": "1k"},
    "retries": {"retries": {"attempts": 2, "backoff": "100ms"}},
    "load-balancing": {"load-balancing": "least-request"},
    "dns": {"dns": True},
    "validate-request": {"validate-request": True},
}
WARNED = "warned"
# target -> policy -> a text the rendered config holds, or WARNED (a warning names it)
MATRIX: dict[str, dict[str, str]] = {
    "nginx": {
        "rate-limit": "limit_req zone=",
        "cache": "proxy_cache apigov_cache;",
        "cors": "add_header Access-Control-Allow-Origin $apigov_cors_0 always;",
        "health-check": WARNED,
        "circuit-breaker": "max_conns=50",
        "max-body": "client_max_body_size 1024;",
        "retries": WARNED,  # no backoff (retries themselves: proxy_next_upstream_tries)
        "load-balancing": "least_conn;",
        "dns": WARNED,
        "validate-request": WARNED,
    },
    "envoy": {
        "rate-limit": "tokens_per_fill: 5",  # rendered, and warned: one bucket for all clients
        "cache": "name: envoy.filters.http.cache",
        "cors": "exact: https://shop.example.com",
        "health-check": "http_health_check",
        "circuit-breaker": "max_connections: 50",
        "max-body": "max_request_bytes: 1024",
        "retries": "base_interval: 0.1s",
        "load-balancing": "lb_policy: LEAST_REQUEST",
        "dns": "type: STRICT_DNS",
        "validate-request": WARNED,
    },
    "haproxy": {
        "rate-limit": "sc_http_req_rate(0,rate_0) gt 5",
        "cache": "http-request cache-use cache_0",
        "cors": "acl cors_0 req.hdr(origin) -m str 'https://shop.example.com'",
        "health-check": "option httpchk GET /healthz",
        "circuit-breaker": "maxconn 50",
        "max-body": "req.hdr_val(content-length) gt 1024",
        "retries": WARNED,
        "load-balancing": "balance leastconn",
        "dns": "resolvers apigov init-addr last,libc,none",
        "validate-request": WARNED,
    },
    "caddy": {
        "rate-limit": WARNED,
        "cache": WARNED,
        "cors": "header Origin `https://shop.example.com`",
        "health-check": "health_uri `/healthz`",  # rendered; the thresholds warned
        "circuit-breaker": WARNED,
        "max-body": "max_size 1024",
        "retries": "lb_try_interval 100ms",
        "load-balancing": "lb_policy least_conn",
        "dns": "127.0.0.1:9001",  # Caddy resolves on every dial: nothing to render
        "validate-request": WARNED,
    },
    "traefik": {
        "rate-limit": "average: 5",
        "cache": WARNED,
        "cors": "accessControlAllowOriginList:",
        "health-check": "path: /healthz",
        "circuit-breaker": WARNED,
        "max-body": "maxRequestBodyBytes: 1024",
        "retries": "initialInterval: 100ms",
        "load-balancing": WARNED,
        "dns": "url: http://127.0.0.1:9001",
        "validate-request": WARNED,
    },
    "kong": {
        "rate-limit": "name: rate-limiting",
        "cache": "name: proxy-cache",
        "cors": "name: cors",
        "health-check": "http_path: /healthz",
        "circuit-breaker": WARNED,
        "max-body": "name: request-size-limiting",
        "retries": WARNED,
        "load-balancing": "algorithm: least-connections",
        "dns": "target: 127.0.0.1:9001",
        "validate-request": "name: request-validator",
    },
    "httproute": {
        "rate-limit": WARNED,
        "cache": WARNED,
        "cors": WARNED,
        "health-check": WARNED,
        "circuit-breaker": WARNED,
        "max-body": WARNED,
        "retries": "backoff: 100ms",
        "load-balancing": WARNED,
        "dns": "port: 9001",
        "validate-request": WARNED,
    },
}
SUBJECTS = {"health-check", "circuit-breaker", "load-balancing", "dns"}  # service-level warnings


def generate(target: str, policy: dict[str, Any], spec: dict[str, Any] = SPEC) -> tuple[str, list[str]]:
    service = {"contract": "pets-api", "upstreams": ["127.0.0.1:9001", "127.0.0.1:9002"], **policy}
    request = GenerateRequest(
        contracts=(Contract("pets.yaml", "openapi-3.1", spec, subject="pets-api"),),
        settings={"services": {"pets": service}},
    )
    output = get(target, "gateway").generate(request)
    return "\n".join(f.content for f in output.files), [str(w) for w in output.warnings]


@pytest.mark.parametrize("target", sorted(MATRIX))
@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_policy_is_rendered_or_warned(target: str, policy: str) -> None:
    config, warnings = generate(target, POLICIES[policy])
    expected = MATRIX[target][policy]
    subject = "service pets" if policy in SUBJECTS else "GET /pets/{id}"
    if policy == "validate-request":  # only an operation with a request body has something to validate
        subject = "PUT /pets/{id}"
    named = [w for w in warnings if w.startswith(f"{target}: {subject}: {policy}:")]
    if expected == WARNED:
        assert named, (target, policy, warnings)
    else:
        assert expected in config, (target, policy)
    baseline, _ = generate(target, {})
    if expected != WARNED and policy != "dns":
        assert expected not in baseline  # the marker comes from the policy, not from the defaults


def test_every_target_is_in_the_matrix() -> None:
    from generators.base import discover

    assert set(discover("gateway")) >= set(MATRIX)


@pytest.fixture(scope="module")
def shop() -> tuple[Any, dict[str, Any]]:
    from pathlib import Path

    import yaml

    from generators.contracts import load_contracts

    root = Path(__file__).resolve().parents[3] / "examples" / "shop"
    config = yaml.safe_load((root / "apigov.yaml").read_text())
    entries = [c for c in config["contracts"] if c["path"].endswith("openapi.yaml")]
    contracts = load_contracts(
        [c["path"] for c in entries],
        lambda: None,
        cwd=root,
        subjects={c["path"]: c["subject"] for c in entries},
    )
    return contracts, config["gateway"]


@pytest.mark.parametrize("target", sorted(MATRIX))
def test_output_is_deterministic_whatever_the_order_of_the_contracts(target: str, shop: Any) -> None:
    contracts, settings = shop
    generator = get(target, "gateway")
    first = generator.generate(GenerateRequest(contracts=contracts, settings=settings))
    again = generator.generate(GenerateRequest(contracts=tuple(reversed(contracts)), settings=settings))
    assert [(f.path, f.content) for f in first.files] == [(f.path, f.content) for f in again.files]
    assert sorted(map(str, first.warnings)) == sorted(map(str, again.warnings))


@pytest.mark.parametrize("target", sorted(MATRIX))
def test_cache_of_a_secured_operation_is_warned_never_rendered(target: str) -> None:
    """The matrix's response cache is for public operations: one that requires credentials is
    warned on every target (cached nowhere; tests/unit/generators/test_gateway_cache_secured.py)."""
    import copy

    spec = copy.deepcopy(SPEC)
    spec["components"] = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    spec["security"] = [{"bearer": []}]
    config, warnings = generate(target, POLICIES["cache"], spec)
    assert [w for w in warnings if w.startswith(f"{target}: GET /pets/{{id}}: cache:")], warnings
    if MATRIX[target]["cache"] != WARNED:
        assert MATRIX[target]["cache"] not in config
