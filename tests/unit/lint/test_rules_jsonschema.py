"""JSON Schema governance rules: one triggering and one safe document per rule."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Final

import pytest

from apigov.core._types import JSONValue
from apigov.lint.rules_jsonschema import RULES
from tests.unit.lint._family_lint import hits, lint

DRAFT4: Final = "http://json-schema.org/draft-04/schema#"
DRAFT7: Final = "http://json-schema.org/draft-07/schema#"
DRAFT2020: Final = "https://json-schema.org/draft/2020-12/schema"

CLEAN: Final[JSONValue] = {
    "$schema": DRAFT2020,
    "title": "Order",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "x-trace"],
    "patternProperties": {"^x-": {"type": "string"}},
    "$defs": {"money": {"type": "number", "minimum": 0, "examples": [0, 12.5]}},
    "properties": {
        "id": {"type": "string", "examples": ["o-1"]},
        "status": {"type": "string", "enum": ["open", "paid"], "default": "open"},
        "total": {"$ref": "#/$defs/money", "default": 1},
        "count": {"type": ["integer", "null"], "enum": [1, 2.0, None], "const": 1},
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"sku": {"type": "string"}},
                "unevaluatedProperties": False,
            },
            "default": [{"sku": "A"}],
        },
    },
    "examples": [{"id": "o-1", "x-trace": "t"}],
}


def _hits(tmp_path: Path, schema: object, rule_id: str) -> list[tuple[str, str]]:
    return hits(lint(tmp_path, schema, RULES, name="schema.json"), rule_id)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_a_careful_schema_is_clean(tmp_path: Path, rule_id: str) -> None:
    assert _hits(tmp_path, CLEAN, rule_id) == []


def test_schema_keyword_missing(tmp_path: Path) -> None:
    schema = {"title": "T", "type": "object", "additionalProperties": True, "properties": {}}
    assert _hits(tmp_path, schema, "jsonschema-schema-keyword-missing") == [("", "info")]


def test_title_missing(tmp_path: Path) -> None:
    assert _hits(tmp_path, {"$schema": DRAFT7, "type": "string"}, "jsonschema-title-missing") == [
        ("", "info")
    ]
    assert _hits(tmp_path, {"$schema": DRAFT7, "title": " "}, "jsonschema-title-missing") == [("", "info")]


def test_example_invalid_points_inside_the_example(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT7,
        "definitions": {"money": {"type": "number", "minimum": 0, "default": -1}},
        "properties": {
            "total": {"$ref": "#/definitions/money", "examples": [1]},
            "nested": {
                "type": "object",
                "properties": {"x": {"type": "integer"}},
                "examples": [{"x": 1}, {"x": "no"}],
            },
            "list": {"type": "array", "items": {"type": "string"}, "default": ["a", 2]},
        },
    }
    assert _hits(tmp_path, schema, "jsonschema-example-invalid") == [
        ("/definitions/money/default", "error"),
        ("/properties/list/default/1", "error"),
        ("/properties/nested/examples/1/x", "error"),
    ]


def test_example_invalid_follows_refs_into_the_definitions(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT2020,
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}},
            }
        },
        "$ref": "#/$defs/node",
        "examples": [{"v": 1, "next": {"v": 2, "next": {"v": "three"}}}],
    }
    assert _hits(tmp_path, schema, "jsonschema-example-invalid") == [("/examples/0/next/next/v", "error")]


def test_example_validation_never_uses_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    schema = {
        "$schema": DRAFT2020,
        "properties": {"a": {"$dynamicRef": "https://example.invalid/schema.json", "examples": [1]}},
    }
    assert _hits(tmp_path, schema, "jsonschema-example-invalid") == []  # unverifiable, not fetched


def test_enum_type_mismatch(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT7,
        "properties": {
            "kind": {"type": "string", "enum": ["a", 1, None]},
            "flag": {"type": "boolean", "const": "true"},
            "n": {"type": "integer", "enum": [1, 1.0, 1.5, True]},
        },
    }
    assert _hits(tmp_path, schema, "jsonschema-enum-type-mismatch") == [
        ("/properties/flag/const", "error"),
        ("/properties/kind/enum/1", "error"),
        ("/properties/kind/enum/2", "error"),
        ("/properties/n/enum/2", "error"),
        ("/properties/n/enum/3", "error"),
    ]


def test_draft4_integers_are_not_floats(tmp_path: Path) -> None:
    schema = {"$schema": DRAFT4, "type": "integer", "enum": [1, 2.0]}
    assert _hits(tmp_path, schema, "jsonschema-enum-type-mismatch") == [("/enum/1", "error")]


def test_additional_properties_unspecified(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT2020,
        "type": "object",
        "properties": {"inner": {"type": "object", "properties": {"a": {}}, "additionalProperties": True}},
        "$defs": {"open": {"properties": {"b": {}}}},
    }
    assert _hits(tmp_path, schema, "jsonschema-additional-properties-unspecified") == [
        ("", "info"),
        ("/$defs/open", "info"),
    ]


def test_required_property_undefined(tmp_path: Path) -> None:
    schema = {
        "$schema": DRAFT7,
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "totl", "x-trace"],
        "properties": {"id": {}, "total": {}},
        "patternProperties": {"^x-": {}, "[": {}},
        "definitions": {"open": {"required": ["anything"], "properties": {}}},
    }
    assert _hits(tmp_path, schema, "jsonschema-required-property-undefined") == [("/required/1", "warning")]


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert lint(tmp_path, {"type": "record", "name": "R", "fields": []}, RULES, name="r.avsc") == []
