"""The gateway model: precedence, per-segment parameters, base paths, auth OR/AND, lifecycle,
policy layering, collisions and overlaps (pure, no gateway)."""

from __future__ import annotations

from typing import Any

import pytest

from apigov.core.errors import ConfigError, InputError
from generators.base import Contract
from generators.gateway.model import build_model
from generators.gateway.settings import parse_settings


def ok(op_id: str, **more: Any) -> dict[str, Any]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}, **more}


def model(paths: dict[str, Any], settings: dict[str, Any] | None = None, **doc: Any) -> Any:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **doc}
    service = {"contract": "pets-api", "upstreams": ["127.0.0.1:9001"], **(settings or {})}
    return build_model(
        [Contract("pets.yaml", "openapi-3.1", document, subject="pets-api")],
        parse_settings({"services": {"pets": service}}),
    )


def test_literal_before_templated_and_longer_before_shorter() -> None:
    routes = model(
        {
            "/a/{x}": {"get": ok("a1")},
            "/a/export": {"get": ok("a2")},
            "/a/{x}/b": {"get": ok("a3")},
            "/a": {"get": ok("a4")},
            "/a/{x}.json": {"get": ok("a5")},
            "/a/export/{y}": {"get": ok("a6")},
        }
    ).routes
    assert [r.template for r in routes] == [
        "/a/export/{y}",
        "/a/export",
        "/a/{x}.json",
        "/a/{x}/b",
        "/a/{x}",
        "/a",
    ]
    assert [r.index for r in routes] == list(range(6))


def test_parameters_per_segment_by_type_and_base_path() -> None:
    params = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
        {"name": "key", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
    ]
    (route,) = model(
        {"/pets/{id}/keys/{key}": {"parameters": params, "get": ok("g")}},
        servers=[
            {
                "url": "https://{env}.example.com/{base}/v1",
                "variables": {"base": {"default": "api"}, "env": {"default": "x"}},
            }
        ],
    ).routes
    assert route.template == "/api/v1/pets/{id}/keys/{key}"
    assert route.regex() == "^/api/v1/pets/-?[0-9]+/keys/[0-9A-Fa-f-]{36}$"


def test_security_alternatives_and_requirements_keep_or_and() -> None:
    schemes = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "query": {"type": "apiKey", "in": "query", "name": "k"},
        "jwt": {"type": "http", "scheme": "bearer"},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com"},
        "mtls": {"type": "mutualTLS"},
    }
    m = model(
        {
            "/a": {"get": ok("a", security=[{"key": [], "jwt": []}, {"query": []}])},
            "/b": {"get": ok("b", security=[])},
            "/c": {"get": ok("c", security=[{"jwt": []}, {}])},
            "/d": {"get": ok("d")},
            "/e": {"get": ok("e", security=[{"mtls": []}])},
            "/f": {"get": ok("f", security=[{"jwt": []}, {"oidc": []}])},
        },
        components={"securitySchemes": schemes},
        security=[{"jwt": []}],
    )
    auth = {r.template: r.operations[0].auth for r in m.routes}
    assert [[(c.where, c.name, c.prefix) for c in req] for req in auth["/a"]] == [
        [("header", "authorization", "Bearer "), ("header", "x-key", "")],
        [("query", "k", "")],
    ]
    assert auth["/b"] == () and auth["/c"] == () and auth["/e"] == ()  # public / optional / service's job
    assert len(auth["/d"]) == 1  # the document's security
    assert len(auth["/f"]) == 1  # two schemes asking the same credential: one alternative


def test_lifecycle_headers() -> None:
    (route,) = model(
        {
            "/old": {
                "get": ok(
                    "old",
                    deprecated=True,
                    **{
                        "x-sunset": "2027-06-30",
                        "x-deprecated-at": "2026-01-01T00:00:00Z",
                        "x-successor": "https://api.example.com/v2/new",
                    },
                )
            }
        }
    ).routes
    assert dict(route.operations[0].lifecycle.headers()) == {
        "Deprecation": "@1767225600",
        "Sunset": "Wed, 30 Jun 2027 00:00:00 GMT",
        "Link": '<https://api.example.com/v2/new>; rel="successor-version"',
    }


def test_policies_layer_and_retries_stay_on_idempotent_methods() -> None:
    m = model(
        {
            "/a": {
                "x-apigov-timeout": "3s",
                "get": ok("getA", **{"x-apigov-max-body": "2k"}),
                "post": ok("postA"),
            }
        },
        {"timeout": "9s", "retries": 2, "max-body": "1k", "operations": {"postA": {"timeout": "1s"}}},
        **{"x-apigov-cache": "5s"},
    )
    get, post = m.routes[0].operations
    assert (get.policy.timeout_ms, get.policy.max_body, get.policy.cache_ttl, get.retries) == (
        3000,
        2048,
        5,
        2,
    )
    assert (post.policy.timeout_ms, post.policy.max_body, post.retries) == (1000, 1024, 0)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"services": {"Pets!": {"upstreams": ["127.0.0.1:1"]}}}, "service name"),
        ({"services": {"pets": {"upstreams": ["localhost"]}}}, "HOST:PORT"),
        ({"services": {"pets": {"upstreams": ["127.0.0.1:1"], "timeout": "5 s"}}}, "duration"),
        (
            {"services": {"pets": {"upstreams": ["127.0.0.1:1"], "retries": {"backoff": "1s"}}}},
            "needs 'attempts'",
        ),
        (
            {"services": {"pets": {"upstreams": ["127.0.0.1:1"], "cors": {"origins": ["javascript:x"]}}}},
            "origins",
        ),
        (
            {"services": {"pets": {"upstreams": ["127.0.0.1:1"], "health-check": {"path": "/h\nx"}}}},
            "absolute path",
        ),
        ({"listen": "0.0.0.0:99999"}, "HOST:PORT"),
        ({"tls": {"certificate": "a b.pem", "key": "k"}}, "file path"),
    ],
)
def test_bad_settings_name_their_pointer(settings: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError, match=words) as caught:
        parse_settings(settings)
    assert caught.value.pointer and caught.value.pointer.startswith("/gateway")


def test_overlaps_across_services_are_reported() -> None:
    contracts = [
        Contract(
            "a.yaml",
            "openapi-3.1",
            {"openapi": "3.1.0", "paths": {"/x/{id}": {"get": ok("a")}}},
            subject="a-api",
        ),
        Contract(
            "b.yaml",
            "openapi-3.1",
            {"openapi": "3.1.0", "paths": {"/x/me": {"get": ok("b")}}},
            subject="b-api",
        ),
    ]
    settings = parse_settings(
        {"services": {"a": {"upstreams": ["127.0.0.1:1"]}, "b": {"upstreams": ["127.0.0.1:2"]}}}
    )
    m = build_model(contracts, settings)
    assert [(o.first, o.second) for o in m.overlaps] == [("/x/me", "/x/{id}")]
    assert [r.template for r in m.routes] == ["/x/me", "/x/{id}"]


def test_only_http_contracts_are_routed() -> None:
    with pytest.raises(InputError, match="no HTTP contract"):
        build_model([Contract("e.yaml", "asyncapi-3.0", {"asyncapi": "3.0.0"})], parse_settings({}))


def test_route_order_does_not_depend_on_the_order_of_the_spec() -> None:
    paths = {"/a/x{p}": {"get": ok("a")}, "/a/{p}x": {"get": ok("b")}, "/b": {"get": ok("c")}}
    forward = [r.template for r in model(paths).routes]
    backward = [r.template for r in model(dict(reversed(paths.items()))).routes]
    assert forward == backward == ["/a/x{p}", "/a/{p}x", "/b"]


def test_path_fragments_are_not_routed_and_said() -> None:
    m = model({"/token": {"post": ok("token")}, "/token#refresh": {"post": ok("refresh"), "get": ok("peek")}})
    (route,) = m.routes
    assert route.template == "/token"
    assert [(o.method, o.operation_id) for o in route.operations] == [("GET", "peek"), ("POST", "token")]
    assert [(f, s) for f, s, _ in m.notes] == [("path-fragment", "POST /token")]


@pytest.mark.parametrize(
    ("pattern", "regex", "sample"),
    [
        ("^ord_[0-9A-HJKMNP-TV-Z]{26}$", "ord_[0-9A-HJKMNP-TV-Z]{26}", "ord_" + "0" * 26),
        ("^[A-Z0-9][A-Z0-9-]{2,31}$", "[A-Z0-9][A-Z0-9\\x2d]{2,31}", "AAA"),
        ("^v\\.\\d+$", "v\\x2e[0-9]+", "v.0"),
        ("^a.b$", None, None),  # '.' would match '/': not rewritten
        ("^x/y$", None, None),
        ("^(a|b)$", None, None),
        ("^[a-z]*$", None, None),  # accepts the empty string
        ("abc", None, None),  # unanchored
        ("^[z-a]$", None, None),
    ],
)
def test_path_parameter_patterns(pattern: str, regex: str | None, sample: str | None) -> None:
    import re

    from generators.gateway.model import route_pattern

    found = route_pattern(pattern)
    if regex is None:
        assert found is None
        return
    assert found == (regex, sample)
    assert re.fullmatch(found[0], found[1])
    assert not re.search("/", found[0].replace("\\x2d", "").replace("\\x2e", ""))


def test_parameters_by_reference_carry_their_pattern() -> None:
    (route,) = model(
        {"/orders/{orderId}": {"parameters": [{"$ref": "#/components/parameters/OrderId"}], "get": ok("g")}},
        components={
            "parameters": {
                "OrderId": {
                    "name": "orderId",
                    "in": "path",
                    "required": True,
                    "schema": {"$ref": "#/components/schemas/Id"},
                }
            },
            "schemas": {"Id": {"type": "string", "pattern": "^ord_[0-9]{4}$"}},
        },
    ).routes
    assert route.regex() == "^/orders/ord_[0-9]{4}$"
