"""Labelled pairs: realistic evolutions of one API, each with the verdict a careful reviewer gives.

The held-out corpus the issue will be scored on is of this kind: no false breaking verdict on a
pair that only adds optional things or refactors equivalently; no breaking change missed. Each
case mutates a copy of one shop API; ``breaking`` is the expected overall verdict, ``must`` ids
that have to be reported, ``must_not`` ids that must not.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from apigov.core.findings import Level
from tests.unit.rules._support import diff_documents, ids

# Any: the cases edit plain nested dicts; typing each path would hide what they do.
Doc = dict[str, Any]

BASE: Doc = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1.0.0"},
    "paths": {
        "/orders": {
            "get": {
                "operationId": "listOrders",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createOrder",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    },
                    "400": {
                        "description": "bad",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            },
        },
        "/orders/{orderId}": {
            "parameters": [
                {
                    "name": "orderId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                }
            ],
            "get": {
                "operationId": "getOrder",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    },
                    "404": {"description": "missing"},
                },
            },
            "delete": {"operationId": "cancelOrder", "responses": {"204": {"description": "cancelled"}}},
        },
    },
    "components": {
        "schemas": {
            "Status": {"type": "string", "enum": ["pending", "paid", "shipped"]},
            "Money": {
                "type": "object",
                "required": ["amount", "currency"],
                "properties": {
                    "amount": {"type": "integer", "minimum": 0},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                },
            },
            "Line": {
                "type": "object",
                "required": ["sku", "quantity"],
                "properties": {
                    "sku": {"type": "string", "maxLength": 32},
                    "quantity": {"type": "integer", "minimum": 1},
                },
            },
            "NewOrder": {
                "type": "object",
                "required": ["customerId", "lines"],
                "properties": {
                    "customerId": {"type": "string", "format": "uuid"},
                    "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Line"}},
                    "note": {"type": "string", "maxLength": 200},
                },
            },
            "Order": {
                "type": "object",
                "required": ["id", "status", "total"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "total": {"$ref": "#/components/schemas/Money"},
                    "note": {"type": "string", "nullable": True},
                },
            },
            "Error": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}},
            },
        }
    },
}


def _schemas(doc: Doc) -> Doc:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


def _op(doc: Doc, path: str, method: str) -> Doc:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Doc], object]
    breaking: bool
    must: frozenset[str] = field(default_factory=frozenset)
    must_not: frozenset[str] = field(default_factory=frozenset)


def _inline_order(doc: Doc) -> None:
    order = copy.deepcopy(_schemas(doc)["Order"])
    order["properties"]["status"] = copy.deepcopy(_schemas(doc)["Status"])
    order["properties"]["total"] = copy.deepcopy(_schemas(doc)["Money"])
    _op(doc, "/orders/{orderId}", "get")["responses"]["200"]["content"]["application/json"]["schema"] = order


def _all_of_money(doc: Doc) -> None:
    money = _schemas(doc)["Money"]
    _schemas(doc)["Money"] = {
        "allOf": [
            {
                "type": "object",
                "required": ["amount"],
                "properties": {"amount": money["properties"]["amount"]},
            },
            {
                "type": "object",
                "required": ["currency"],
                "properties": {"currency": money["properties"]["currency"]},
            },
        ]
    }


def _rename_path_param(doc: Doc) -> None:
    item = doc["paths"].pop("/orders/{orderId}")
    item["parameters"][0]["name"] = "id"
    doc["paths"]["/orders/{id}"] = item


def _to_31(doc: Doc) -> None:
    doc["openapi"] = "3.1.0"
    note = _schemas(doc)["Order"]["properties"]["note"]
    note.pop("nullable")
    note["type"] = ["string", "null"]


def _nullable_one_of(doc: Doc) -> None:
    doc["openapi"] = "3.1.0"
    _schemas(doc)["Order"]["properties"]["note"] = {"oneOf": [{"type": "string"}, {"type": "null"}]}


def _set(path: list[str | int], value: object) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(path: list[str | int]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


def _append(path: list[str | int], value: object) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        node: Any = doc
        for key in path:
            node = node[key]
        node.append(value)

    return change


def _both(*changes: Callable[[Doc], object]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        for one in changes:
            one(doc)

    return change


S = ["components", "schemas"]
LIST = ["paths", "/orders", "get"]
CREATE = ["paths", "/orders", "post"]
BUMP = _set(["info", "version"], "2.0.0")
MINOR = _set(["info", "version"], "1.1.0")

CASES: tuple[Case, ...] = (
    # --- nothing breaks -------------------------------------------------------------------------
    Case("identical", lambda doc: None, False),
    Case("inline-schema-moved-out-of-components", _inline_order, False),
    Case("all-of-composition-of-the-same-object", _all_of_money, False),
    Case(
        "path-parameter-renamed",
        _rename_path_param,
        False,
        must_not=frozenset({"api-path-removed-without-deprecation", "api-removed-without-deprecation"}),
    ),
    Case("nullable-spelled-as-3-1-type-array", _to_31, False),
    Case("nullable-spelled-as-one-of-null", _nullable_one_of, False),
    Case(
        "new-optional-query-parameter",
        _both(
            MINOR, _append([*LIST, "parameters"], {"name": "q", "in": "query", "schema": {"type": "string"}})
        ),
        False,
        must=frozenset({"new-optional-request-parameter"}),
    ),
    Case(
        "new-optional-request-property",
        _both(MINOR, _set([*S, "NewOrder", "properties", "coupon"], {"type": "string"})),
        False,
        must=frozenset({"new-optional-request-property"}),
    ),
    Case(
        "new-response-property",
        _both(
            MINOR, _set([*S, "Order", "properties", "createdAt"], {"type": "string", "format": "date-time"})
        ),
        False,
        must=frozenset({"response-optional-property-added"}),
    ),
    Case(
        "new-endpoint",
        _both(MINOR, _set(["paths", "/customers"], {"get": {"responses": {"200": {"description": "ok"}}}})),
        False,
        must=frozenset({"endpoint-added"}),
    ),
    Case(
        "request-enum-widened",
        _both(
            MINOR,
            _set(
                [*LIST, "parameters", 1, "schema"],
                {"type": "string", "enum": ["pending", "paid", "shipped", "refunded"]},
            ),
        ),
        False,
    ),
    Case(
        "request-limit-relaxed",
        _both(MINOR, _set([*LIST, "parameters", 0, "schema", "maximum"], 500)),
        False,
        must=frozenset({"request-parameter-max-increased"}),
    ),
    Case(
        "request-property-became-optional",
        _both(MINOR, _set([*S, "NewOrder", "required"], ["customerId"])),
        False,
    ),
    Case(
        "response-narrowed-max-length",
        _both(MINOR, _set([*S, "Error", "properties", "message", "maxLength"], 500)),
        False,
    ),
    Case(
        "response-property-became-required",
        _both(MINOR, _set([*S, "Order", "required"], ["id", "status", "total", "note"])),
        False,
    ),
    Case(
        "descriptions-and-examples-only",
        _both(
            _set([*S, "Order", "description"], "An order."),
            _set(
                [*S, "Order", "example"],
                {"id": "x", "status": "paid", "total": {"amount": 1, "currency": "EUR"}},
            ),
            _set(["paths", "/orders", "get", "summary"], "List orders"),
        ),
        False,
    ),
    Case(
        "new-non-success-response",
        _both(MINOR, _set([*LIST, "responses", "429"], {"description": "slow down"})),
        False,
    ),
    Case(
        "deprecated-operation",
        _both(MINOR, _set([*LIST, "deprecated"], True)),
        False,
        must=frozenset({"endpoint-deprecated"}),
    ),
    # --- breaking -------------------------------------------------------------------------------
    Case(
        "operation-removed-path-stays",
        _both(BUMP, _delete(["paths", "/orders/{orderId}", "delete"])),
        True,
        must=frozenset({"api-removed-without-deprecation"}),
        must_not=frozenset({"api-path-removed-without-deprecation"}),
    ),
    Case(
        "path-removed",
        _both(BUMP, _delete(["paths", "/orders/{orderId}"])),
        True,
        must=frozenset({"api-path-removed-without-deprecation"}),
    ),
    Case(
        "new-required-query-parameter",
        _both(
            BUMP,
            _append(
                [*LIST, "parameters"],
                {"name": "shop", "in": "query", "required": True, "schema": {"type": "string"}},
            ),
        ),
        True,
        must=frozenset({"new-required-request-parameter"}),
    ),
    Case(
        "query-parameter-became-required",
        _both(BUMP, _set([*LIST, "parameters", 0, "required"], True)),
        True,
        must=frozenset({"request-parameter-became-required"}),
    ),
    Case(
        "request-enum-value-removed",
        _both(BUMP, _set([*S, "Status", "enum"], ["pending", "paid"])),
        True,
        must=frozenset({"request-parameter-enum-value-removed"}),
    ),
    Case(
        "new-required-request-property",
        _both(BUMP, _set([*S, "NewOrder", "required"], ["customerId", "lines", "note"])),
        True,
        must=frozenset({"request-property-became-required"}),
    ),
    Case(
        "request-property-type-changed",
        _both(BUMP, _set([*S, "Line", "properties", "quantity"], {"type": "string"})),
        True,
        must=frozenset({"request-property-type-changed"}),
    ),
    Case(
        "request-max-length-decreased",
        _both(BUMP, _set([*S, "Line", "properties", "sku", "maxLength"], 16)),
        True,
        must=frozenset({"request-property-max-length-decreased"}),
    ),
    Case(
        "required-response-property-removed",
        _both(
            BUMP,
            _delete([*S, "Order", "properties", "total"]),
            _set([*S, "Order", "required"], ["id", "status"]),
        ),
        True,
        must=frozenset({"response-required-property-removed"}),
    ),
    Case(
        "response-property-became-optional",
        _both(BUMP, _set([*S, "Order", "required"], ["id", "status"])),
        True,
        must=frozenset({"response-property-became-optional"}),
    ),
    Case(
        "response-type-changed",
        _both(BUMP, _set([*S, "Money", "properties", "amount"], {"type": "string"})),
        True,
    ),
    Case(
        "response-became-nullable",
        _both(BUMP, _set([*S, "Money", "properties", "amount", "nullable"], True)),
        True,
        must=frozenset({"response-property-became-nullable"}),
    ),
    Case(
        "success-response-removed",
        _both(BUMP, _delete(["paths", "/orders/{orderId}", "get", "responses", "200"])),
        True,
        must=frozenset({"response-success-status-removed"}),
    ),
    Case(
        "request-body-media-type-removed",
        _both(
            BUMP,
            _set(
                [*CREATE, "requestBody", "content"],
                {"application/xml": {"schema": {"$ref": "#/components/schemas/NewOrder"}}},
            ),
        ),
        True,
        must=frozenset({"request-body-media-type-removed"}),
    ),
    Case(
        "path-parameter-format-tightened",
        _both(
            BUMP,
            _set(["paths", "/orders/{orderId}", "parameters", 0, "schema", "pattern"], "^[0-9a-f-]{36}$"),
        ),
        True,
    ),
    Case(
        "security-added",
        _both(
            BUMP,
            _set(
                ["components", "securitySchemes"],
                {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            ),
            _set(["security"], [{"key": []}]),
        ),
        True,
        must=frozenset({"api-global-security-added"}),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_pair(tmp_path: Path, case: Case) -> None:
    revision = copy.deepcopy(BASE)
    case.change(revision)
    report = diff_documents(tmp_path, BASE, revision)
    breaking = [f for f in report.findings if f.level is Level.BREAKING]
    found = ids(report)
    assert bool(breaking) == case.breaking, [(f.rule_id, f.level.value, f.message) for f in report.findings]
    assert case.must <= found, (case.must - found, sorted(found))
    assert not (case.must_not & found), sorted(found)
