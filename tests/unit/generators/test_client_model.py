"""The client model: stable names across regeneration, collisions reported, Swagger 2 read."""

from __future__ import annotations

import copy
from pathlib import Path

from generators.base import Contract
from generators.client.model import TRef, TUnion, build_api
from generators.contracts import load_contracts

SHOP = Path(__file__).resolve().parents[3] / "examples" / "shop"


def _orders() -> Contract:
    return load_contracts([str(SHOP / "orders" / "v2" / "openapi.yaml")], backend=lambda: None)[0]  # type: ignore[arg-type,return-value]


def test_adding_an_operation_and_a_schema_renames_nothing() -> None:
    base = _orders()
    before = build_api(base)
    doc = copy.deepcopy(dict(base.document))
    doc["paths"]["/aaa/{id}"] = {
        "get": {
            "operationId": "aaaGetOrder",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "x",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "lines": {
                                        "type": "array",
                                        "items": {"type": "object", "properties": {"a": {"type": "string"}}},
                                    }
                                },
                            }
                        }
                    },
                }
            },
        }
    }
    doc["components"]["schemas"]["AaaOrder"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    after = build_api(Contract(base.name, base.kind, doc))
    assert set(before.types) <= set(after.types)
    keys_before = {(o.method, o.path): o.key for o in before.operations}
    keys_after = {(o.method, o.path): o.key for o in after.operations}
    assert {k: keys_after[k] for k in keys_before} == keys_before
    for name, t in before.types.items():
        assert type(after.types[name]) is type(t)


def test_collisions_are_disambiguated_in_source_order_and_reported() -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "list-items", "responses": {"204": {"description": "x"}}}},
            "/b": {"get": {"operationId": "list_items", "responses": {"204": {"description": "x"}}}},
        },
        "components": {"schemas": {"Foo-Bar": {"type": "string"}, "FooBar": {"type": "integer"}}},
    }
    api = build_api(Contract("t.yaml", "openapi-3.0", doc))
    assert [o.key for o in api.operations] == ["list_items", "list_items_2"]
    assert sorted(api.types) == ["FooBar", "FooBar2"]
    messages = [m for f, _, m in api.warnings if f == "name-collision"]
    assert any("#/paths/~1a/get" in m and "#/paths/~1b/get" in m for m in messages)
    assert any("#/components/schemas/Foo-Bar" in m and "#/components/schemas/FooBar" in m for m in messages)


def test_swagger2_is_read_with_bodies_forms_and_definitions() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "s", "version": "1"},
        "host": "api.example.com",
        "basePath": "/v1",
        "paths": {
            "/pets": {
                "post": {
                    "operationId": "addPet",
                    "parameters": [
                        {
                            "in": "body",
                            "name": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/Pet"},
                        }
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}},
                },
                "put": {
                    "operationId": "upload",
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"in": "formData", "name": "file", "type": "file", "required": True}],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        },
        "definitions": {
            "Pet": {"type": "object", "properties": {"kind": {"type": "string", "x-nullable": True}}}
        },
    }
    api = build_api(Contract("s.json", "swagger-2.0", doc))
    assert api.server == "https://api.example.com/v1"
    add = next(o for o in api.operations if o.key == "add_pet")
    assert add.body is not None and add.body.type == TRef("Pet") and add.responses[0].type == TRef("Pet")
    upload = next(o for o in api.operations if o.key == "upload")
    assert upload.body is not None and upload.body.kind == "multipart"
    assert not isinstance(api.types["Pet"], TUnion)
