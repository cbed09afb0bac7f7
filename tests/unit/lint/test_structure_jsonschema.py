"""jsonschema-structure-invalid: the draft's meta-schema, at exact pointers, and local $ref."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Final

import pytest

from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint import rules_jsonschema
from apigov.lint.structure.jsonschema import RULES
from tests.unit.lint._family_lint import hits, lint, memory_context, mutations, nested, run

RULE: Final = "jsonschema-structure-invalid"
DRAFT4: Final = "http://json-schema.org/draft-04/schema#"
DRAFT6: Final = "http://json-schema.org/draft-06/schema#"
DRAFT7: Final = "http://json-schema.org/draft-07/schema#"
DRAFT2019: Final = "https://json-schema.org/draft/2019-09/schema"
DRAFT2020: Final = "https://json-schema.org/draft/2020-12/schema"

VALID_DRAFT7: Final[dict[str, JSONValue]] = {
    "$schema": DRAFT7,
    "$id": "https://example.com/schemas/order.json",
    "title": "Order",
    "type": "object",
    "required": ["id", "lines"],
    "additionalProperties": False,
    "definitions": {
        "money": {"type": "number", "minimum": 0, "multipleOf": 0.01},
        "line": {
            "type": "object",
            "properties": {
                "sku": {"type": "string", "pattern": "^[A-Z]+$"},
                "total": {"$ref": "#/definitions/money"},
            },
            "required": ["sku"],
        },
    },
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "lines": {"type": "array", "items": {"$ref": "#/definitions/line"}, "minItems": 1},
        "status": {"enum": ["open", "paid"], "default": "open"},
        "tags": {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
        "meta": {
            "type": "object",
            "propertyNames": {"maxLength": 20},
            "patternProperties": {"^x-": {}},
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
        },
        "shipping": {"if": {"required": ["express"]}, "then": {"required": ["carrier"]}, "else": True},
        "contact": {"oneOf": [{"type": "string"}, {"type": "null"}], "contains": {"const": 1}},
    },
}

VALID_2020: Final[JSONValue] = {
    "$schema": DRAFT2020,
    "$id": "https://example.com/schemas/tree.json",
    "title": "Tree",
    "$defs": {
        "node": {
            "$anchor": "node",
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#node"}},
                "parent": {"$ref": "#/$defs/node"},
            },
            "unevaluatedProperties": False,
        },
        "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": False},
        "embedded": {
            "$id": "https://example.com/schemas/embedded.json",
            "$defs": {"inner": {"type": "string"}},
            "properties": {"x": {"$ref": "#/$defs/inner"}},
        },
    },
    "$ref": "#/$defs/node",
    "dependentSchemas": {"a": {"required": ["b"]}},
    "dependentRequired": {"c": ["d"]},
    "contentMediaType": "application/json",
    "contentSchema": {"type": "object"},
}


def _hits(tmp_path: Path, schema: object, name: str = "schema.json") -> list[tuple[str, str]]:
    return hits(lint(tmp_path, schema, RULES, name=name), RULE)


@pytest.mark.parametrize("schema", [VALID_DRAFT7, VALID_2020], ids=["draft-07", "2020-12"])
def test_realistic_schemas_are_valid(tmp_path: Path, schema: JSONValue) -> None:
    assert _hits(tmp_path, schema) == []


@pytest.mark.parametrize(
    "schema",
    [
        {
            "$schema": DRAFT4,
            "type": "object",
            "properties": {"a": {"type": "integer", "exclusiveMinimum": True, "minimum": 0}},
        },
        {"$schema": DRAFT6, "type": "object", "properties": {"a": True}, "examples": [{}], "const": {}},
        {"$schema": DRAFT2019, "type": "array", "items": [{"type": "string"}], "$recursiveAnchor": True},
        {"type": "object", "properties": {"a": {"type": "string"}}},  # no $schema: read as 2020-12
    ],
    ids=["draft-04", "draft-06", "2019-09", "default"],
)
def test_each_draft_is_validated_with_its_meta_schema(tmp_path: Path, schema: JSONValue) -> None:
    assert _hits(tmp_path, schema) == []


BAD: Final[list[tuple[str, JSONValue, list[str]]]] = [
    ("unknown-type", {"$schema": DRAFT7, "properties": {"id": {"type": "strng"}}}, ["/properties/id/type"]),
    (
        "negative-length",
        {"$schema": DRAFT2020, "properties": {"a": {"minLength": -1}}},
        ["/properties/a/minLength"],
    ),
    ("required-not-list", {"$schema": DRAFT7, "required": "id"}, ["/required"]),
    ("draft4-boolean-subschema", {"$schema": DRAFT4, "properties": {"a": True}}, ["/properties/a"]),
    (
        "draft4-exclusive-number",
        {"$schema": DRAFT4, "exclusiveMinimum": 3},
        ["", "/exclusiveMinimum"],
    ),  # "" lacks "minimum"
    ("2020-items-array", {"$schema": DRAFT2020, "items": [{"type": "string"}]}, ["/items"]),
    (
        "deep-error",
        {"$schema": DRAFT7, "allOf": [{"not": {"items": {"maxItems": "2"}}}]},
        ["/allOf/0/not/items/maxItems"],
    ),
    (
        "two-errors",
        {"$schema": DRAFT2019, "minimum": "0", "$defs": {"a": {"enum": 1}}},
        ["/$defs/a/enum", "/minimum"],
    ),
    (
        "dangling-pointer",
        {"$schema": DRAFT7, "properties": {"a": {"$ref": "#/definitions/nope"}}},
        ["/properties/a/$ref"],
    ),
    ("dangling-anchor", {"$schema": DRAFT2020, "items": {"$ref": "#nope"}}, ["/items/$ref"]),
]


@pytest.mark.parametrize(("case", "schema", "expected"), BAD, ids=[c for c, _, _ in BAD])
def test_errors_are_reported_at_their_pointer(
    tmp_path: Path, case: str, schema: JSONValue, expected: list[str]
) -> None:
    assert _hits(tmp_path, schema) == [(pointer, "error") for pointer in expected], case


def test_anchors_and_fragment_ids_resolve(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT7,
        "definitions": {"a": {"$id": "#a", "type": "string"}},
        "properties": {"x": {"$ref": "#a"}, "y": {"$ref": "#"}, "z": {"$ref": "#/definitions/a%20b"}},
    }
    assert _hits(tmp_path, schema) == [("/properties/z/$ref", "error")]


def test_a_property_named_like_a_keyword_is_not_data(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT2020,
        "properties": {"default": {"$ref": "#/$defs/missing"}, "$ref": {"type": "string"}},
    }
    assert _hits(tmp_path, schema) == [("/properties/default/$ref", "error")]


def test_deep_nesting_terminates(tmp_path: Path) -> None:
    deep_not = {"$schema": DRAFT2020, **nested(62, {"type": "string"}, "not")}  # 2020-12 recurses the most
    assert _hits(tmp_path, deep_not) == []
    deep_properties: dict[str, JSONValue] = {"type": "string", "minLength": -1}
    for _ in range(30):  # the loader refuses documents deeper than 64 levels
        deep_properties = {"type": "object", "properties": {"p": deep_properties}}
    findings = _hits(tmp_path, {"$schema": DRAFT2020, **deep_properties}, name="props.json")
    assert len(findings) == 1 and findings[0][0].endswith("/p/minLength")


def test_a_recursive_schema_terminates(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT7,
        "definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}},
        "$ref": "#/definitions/node",
    }
    assert _hits(tmp_path, schema) == []


def test_hostile_values_anywhere_never_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    document: JSONValue = {**VALID_DRAFT7, "examples": [{"id": "x", "lines": [{"sku": "A"}]}]}
    for mutated in mutations(document, limit=25):
        run(memory_context(mutated, Kind.JSONSCHEMA_7), RULES + rules_jsonschema.RULES)


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert lint(tmp_path, "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n", RULES) == []
