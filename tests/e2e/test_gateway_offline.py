"""Targets with no gateway to start here: Kong (decK's JSON Schema) and Gateway API HTTPRoutes
(@kubernetes-models/gateway-api, offline). Their configs are validated and read back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e import _gateways as gw
from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

KONG_SCHEMA = gw.ROOT / ".." / "shared" / "gateway-schemas" / "kong-declarative.schema.json"
NODE_DIR = Path(__file__).with_name("gateways-node")
GATEWAY = """\
gateway:
  listen: 127.0.0.1:8080
  services:
    pets:
      contract: pets.json
      upstreams: [127.0.0.1:9001, 127.0.0.1:9002]
      timeout: 2s
      retries: {attempts: 2, backoff: 100ms}
      rate-limit: {requests: 10, per: minute}
"""


def kong_schema() -> dict[str, object]:
    if not KONG_SCHEMA.is_file():
        pytest.skip(f"decK's schema is not there: {KONG_SCHEMA} (../shared is absent)")
    return json.loads(KONG_SCHEMA.read_text())


def kong_errors(config: object) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft4Validator(kong_schema())
    return [f"{list(e.path)}: {e.message[:200]}" for e in validator.iter_errors(config)]


def validate_httproutes(objects: list[object]) -> None:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@kubernetes-models" / "gateway-api").is_dir():
        reason = "node and @kubernetes-models/gateway-api (npm ci in tests/e2e/gateways-node) are needed"
        if gw.in_ci():
            pytest.fail(f"{reason}; required under CI=true", pytrace=False)
        pytest.skip(reason)
    result = subprocess.run(
        [node, "validate.mjs"],
        input=json.dumps(objects),
        capture_output=True,
        text=True,
        cwd=NODE_DIR,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"ok {len(objects)}"


def project(tmp: Path, paths: dict[str, object], schemes: dict[str, object] | None = None) -> Path:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": paths,
        "components": {"securitySchemes": schemes or {}},
    }
    (tmp / "pets.json").write_text(json.dumps(doc))
    (tmp / "apigov.yaml").write_text("contracts: [pets.json]\n" + GATEWAY)
    return tmp


def op(op_id: str, **more: object) -> dict[str, object]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}, **more}


AND_OR = {
    "/pets/{id}": {
        "get": op("getPet", security=[{"a": [], "b": []}, {"c": []}]),
        "delete": op("deletePet", deprecated=True, **{"x-sunset": "2030-01-31"}),
    },
    "/pets": {"get": op("listPets")},
}
SCHEMES = {
    "a": {"type": "apiKey", "in": "header", "name": "X-Key-A"},
    "b": {"type": "http", "scheme": "bearer"},
    "c": {"type": "apiKey", "in": "header", "name": "X-Key-C"},
}


def test_kong_shop_config_matches_decks_schema(tmp_path: Path) -> None:
    kong_schema()
    result = apigov("generate", "gateway", "-t", "kong", "-o", str(tmp_path), cwd=gw.SHOP)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "kong.yaml").read_text())
    assert kong_errors(config) == []
    assert kong_errors({**config, "services": [{"name": 1, "bogus": True}]}) != []  # the check is live
    routes = {r["name"]: r for s in config["services"] for r in s["routes"]}
    label = next(
        r
        for r in routes.values()
        if r["paths"] == ["~^/shipping/shipments/[0-9A-Fa-f-]{36}/label$"]
        and r.get("methods") == ["GET"]
        and "headers" in r
    )
    transformer = next(p for p in label["plugins"] if p["name"] == "response-transformer")
    assert "Sunset:Wed, 30 Jun 2027 00:00:00 GMT" in transformer["config"]["add"]["headers"]
    limited = [r for r in routes.values() if any(p["name"] == "rate-limiting" for p in r.get("plugins", []))]
    assert [r["paths"] for r in limited] == [["~^/orders/orders$"]]
    assert routes["apigov-404"]["plugins"][0]["config"]["status_code"] == 404
    upstreams = {u["name"]: u for u in config["upstreams"]}
    assert upstreams["orders.upstream"]["algorithm"] == "least-connections"
    assert upstreams["orders.upstream"]["healthchecks"]["active"]["http_path"] == "/healthz"
    assert [t["target"] for t in upstreams["orders.upstream"]["targets"]] == [
        "127.0.0.1:9101",
        "127.0.0.1:9102",
    ]


def test_kong_keeps_and_or_of_security_requirements(tmp_path: Path) -> None:
    root = project(tmp_path, AND_OR, SCHEMES)
    assert apigov("generate", "gateway", "-t", "kong", "-o", "out", cwd=root).returncode == 0
    config = yaml.safe_load((root / "out" / "kong.yaml").read_text())
    assert kong_errors(config) == []
    routes = {r["name"]: r for s in config["services"] for r in s["routes"]}
    getpet = [
        r for name, r in routes.items() if r.get("methods") == ["GET"] and "{" not in name and "headers" in r
    ]
    assert sorted(sorted(r["headers"]) for r in getpet) == [["authorization", "x-key-a"], ["x-key-c"]]
    unauthorized = [r for name, r in routes.items() if name.endswith("-unauthorized")]
    assert [p["config"]["status_code"] for r in unauthorized for p in r["plugins"][:1]] == [401]


def test_httproutes_of_the_shop_validate(tmp_path: Path) -> None:
    result = apigov("generate", "gateway", "-t", "httproute", "-o", str(tmp_path), cwd=gw.SHOP)
    assert result.returncode == 0, result.stderr
    assert "httproute: GET /orders/orders: rate-limit: HTTPRoute has no rate-limit" in result.stderr
    objects = list(yaml.safe_load_all((tmp_path / "httproutes.yaml").read_text()))
    validate_httproutes(objects)
    assert [o["metadata"]["name"] for o in objects] == [
        "inventory-1",
        "notifications-1",
        "orders-1",
        "payments-1",
        "shipping-1",
    ]


def test_httproutes_split_at_the_api_limits_and_keep_and_or(tmp_path: Path) -> None:
    paths: dict[str, object] = {f"/items{i:02d}": {"get": op(f"get{i:02d}")} for i in range(40)}
    schemes = {f"k{i}": {"type": "apiKey", "in": "header", "name": f"X-K{i}"} for i in range(70)}
    paths["/many"] = {"get": op("many", security=[{f"k{i}": []} for i in range(70)])}
    paths.update(AND_OR)
    root = project(tmp_path, paths, {**schemes, **SCHEMES})
    assert apigov("generate", "gateway", "-t", "httproute", "-o", "out", cwd=root).returncode == 0
    text = (root / "out" / "httproutes.yaml").read_text()
    objects = list(yaml.safe_load_all(text))
    validate_httproutes(objects)
    rules = [rule for o in objects for rule in o["spec"]["rules"]]
    assert all(len(o["spec"]["rules"]) <= 16 for o in objects)
    assert all(len(rule["matches"]) <= 64 for rule in rules)
    assert [o["metadata"]["name"] for o in objects] == ["pets-1", "pets-2", "pets-3"]
    assert len(rules) == 40 + 2 + 3  # /many split in two rules (64 + 6 matches)
    many = [rule for rule in rules if rule["matches"][0]["path"]["value"] == "/many"]
    assert [len(rule["matches"]) for rule in many] == [64, 6]
    getpet = next(
        r
        for r in rules
        if r["matches"][0]["method"] == "GET"
        and "pets" in r["matches"][0]["path"]["value"]
        and "headers" in r["matches"][0]
    )
    assert sorted(len(m["headers"]) for m in getpet["matches"]) == [1, 2]  # (a AND b) OR c
    assert getpet["retry"] == {"attempts": 2, "codes": [502, 503, 504], "backoff": "100ms"}
    again = apigov("generate", "gateway", "-t", "httproute", "-o", "out", "--check", cwd=root)
    assert again.returncode == 0, again.stdout


HOSTILE = 'x"}\n{{ $ref }}; \\u0000 `'
VALIDATED = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "x-apigov-validate-request": True,
    "paths": {
        "/pets": {
            "post": op(
                "addPet",
                requestBody={"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
            ),
            "get": op("listPets"),
        },
        "/trees": {
            "post": op("addTree", requestBody={"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}}}),
        },
        "/photos": {
            "post": op("addPhoto", requestBody={"content": {"image/png": {"schema": {"type": "string"}}}}),
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "description": HOSTILE,
                "required": ["id", "name", HOSTILE],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string", "pattern": "^[a-z$]+$", "maxLength": 20, "example": HOSTILE},
                    "tag": {"type": "string", "nullable": True, "x-evil": HOSTILE},
                    "age": {"type": "integer", "minimum": 0, "exclusiveMaximum": True, "maximum": 100},
                    HOSTILE: {"$ref": "#/components/schemas/Kind"},
                },
                "additionalProperties": False,
            },
            "Kind": {"type": "string", "enum": ["cat", "dog"]},
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
        }
    },
}


def test_kong_validates_json_request_bodies_with_the_schema_inlined(tmp_path: Path) -> None:
    import jsonschema

    (tmp_path / "pets.json").write_text(json.dumps(VALIDATED))
    (tmp_path / "apigov.yaml").write_text("contracts: [pets.json]\n" + GATEWAY)
    result = apigov("generate", "gateway", "-t", "kong", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "out" / "kong.yaml").read_text())
    assert kong_errors(config) == []
    routes = {r["name"]: r for s in config["services"] for r in s["routes"]}
    plugins = {
        name: p["config"] for name, r in routes.items() for p in r.get("plugins", []) if p["name"] == "request-validator"
    }
    assert len(plugins) == 1  # /pets POST only: GET has no body, /trees and /photos are warned
    (found,) = plugins.values()
    assert found["version"] == "draft4" and "application/json" in found["allowed_content_types"]
    schema = json.loads(found["body_schema"])
    jsonschema.Draft4Validator.check_schema(schema)
    assert HOSTILE not in json.dumps({k: v for k, v in schema.items() if k != "properties" and k != "required"})
    check = jsonschema.Draft4Validator(schema)
    good = {"name": "rex", "tag": None, "age": 99, HOSTILE: "dog"}
    assert not list(check.iter_errors(good))
    for bad in ({**good, "name": "REX"}, {**good, HOSTILE: "cow"}, {**good, "age": 100}, {**good, "extra": 1}, {"tag": "x"}):
        assert list(check.iter_errors(bad)), bad
    assert "x-evil" not in found["body_schema"] and "example" not in found["body_schema"]
    warnings = result.stderr
    assert "POST /trees: validate-request:" in warnings and "cycle" in warnings
    assert "POST /photos: validate-request:" in warnings and "image/png" in warnings
    # another target warns once per operation that asked for it
    nginx = apigov("generate", "gateway", "-t", "nginx", "-o", "nginx", cwd=tmp_path)
    assert nginx.returncode == 0 and "POST /pets: validate-request:" in nginx.stderr
