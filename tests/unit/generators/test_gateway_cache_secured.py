"""Shared gateway caches never mix clients' answers: an operation that requires credentials is not
cached by any target (its cache key would not hold the credentials), and a warning names the
target, the ``cache`` policy and the route; public operations keep their cache directives."""

from __future__ import annotations

from typing import Any

import pytest

from generators.base import Contract, GenerateRequest, get

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "x-apigov-cache": "30s",
                "security": [],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/owners/{id}": {
            "get": {
                "operationId": "getOwner",
                "x-apigov-cache": "20s",
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}
# target -> (a text that marks a cached location/route/backend, what carries the TTL of the public one)
CACHES: dict[str, tuple[str, str]] = {
    "nginx": ("proxy_cache apigov_cache;", "proxy_cache_valid 200 30s;"),
    "haproxy": ("http-request cache-use", "max-age 30"),
    "kong": ("name: proxy-cache", "cache_ttl: 30"),
    "envoy": ("cache-30s/cached", "max-age=30"),
}


def generate(target: str, spec: dict[str, Any]) -> tuple[str, list[str]]:
    service = {"contract": "pets-api", "upstreams": ["127.0.0.1:9001"]}
    request = GenerateRequest(
        contracts=(Contract("pets.yaml", "openapi-3.1", spec, subject="pets-api"),),
        settings={"services": {"pets": service}},
    )
    output = get(target, "gateway").generate(request)
    return "\n".join(f.content for f in output.files), [str(w) for w in output.warnings]


@pytest.mark.parametrize("target", sorted(CACHES))
def test_a_secured_operation_is_warned_and_not_cached(target: str) -> None:
    config, warnings = generate(target, SPEC)
    marker, public_ttl = CACHES[target]
    assert public_ttl in config  # the public operation keeps its cache
    if target != "envoy":  # Envoy names the cached cluster in the cluster and in the route
        assert config.count(marker) == 1, config  # ... and only it
    else:
        assert marker in config
    ttls = {"nginx": "200 20s", "haproxy": "max-age 20", "kong": "cache_ttl: 20", "envoy": "cache-20s"}
    assert ttls[target] not in config  # the secured operation's TTL is nowhere
    secured = [w for w in warnings if w.startswith(f"{target}: GET /owners/{{id}}: cache: not cached")]
    assert secured, warnings
    assert not [w for w in warnings if "GET /pets/{id}: cache" in w]


@pytest.mark.parametrize("target", ["nginx", "haproxy", "kong"])
def test_the_warning_says_why(target: str) -> None:
    _, warnings = generate(target, SPEC)
    (warning,) = [w for w in warnings if ": cache:" in w]
    assert "secured responses are not cached" in warning and "another" in warning


@pytest.mark.parametrize("target", sorted(CACHES))
def test_with_no_secured_operation_nothing_is_warned(target: str) -> None:
    public = {**SPEC, "security": []}
    config, warnings = generate(target, public)
    assert not [w for w in warnings if ": cache:" in w]
    assert CACHES[target][1] in config
