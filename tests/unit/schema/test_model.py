"""Normalisation into the canonical form."""

from __future__ import annotations

import pytest

from apigov.core._types import JSONValue
from apigov.schema.conjunction import merge
from apigov.schema.model import ModelError, Norm, json_key, local_resolver, normalise

DOC: JSONValue = {
    "components": {
        "schemas": {
            "Pet": {"type": "object", "required": ["name"]},
            "Alias": {"$ref": "#/components/schemas/Pet"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "a/b": {"type": "string"},
        }
    }
}
resolve = local_resolver(DOC)


def norm(schema: JSONValue) -> Norm:
    return normalise(schema, resolve)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "nullable": True},
        {"type": ["string", "null"]},
        {"oneOf": [{"type": "string"}, {"type": "null"}]},
        {"anyOf": [{"type": "null"}, {"type": "string"}], "description": "annotations do not matter"},
    ],
)
def test_three_nullable_spellings_are_one_type_set(schema: JSONValue) -> None:
    assert norm(schema).types == frozenset({"string", "null"})
    assert norm(schema).any_of is None
    assert norm(schema).one_of is None


def test_nullable_enum_gains_null() -> None:
    assert norm({"type": "string", "enum": ["a"], "nullable": True}).enum == ("a", None)


def test_one_of_null_around_a_nullable_branch_stays_a_union() -> None:
    schema = {"oneOf": [{"type": ["string", "null"]}, {"type": "null"}]}
    assert norm(schema).one_of is not None


def test_type_forms() -> None:
    assert norm({"type": "integer"}).types == frozenset({"integer"})
    assert norm({"type": ["integer", "number"]}).types == frozenset({"number"})
    assert norm({}).types is None


@pytest.mark.parametrize(
    ("schema", "lower", "upper"),
    [
        ({"minimum": 1, "exclusiveMinimum": True}, (1, True), None),
        ({"exclusiveMinimum": 1}, (1, True), None),
        ({"minimum": 1, "exclusiveMinimum": False}, (1, False), None),
        ({"minimum": 2, "exclusiveMinimum": 1}, (2, False), None),
        ({"minimum": 1, "exclusiveMinimum": 1}, (1, True), None),
        ({"maximum": 5, "exclusiveMaximum": True}, None, (5, True)),
        ({"maximum": 5, "exclusiveMaximum": 4}, None, (4, True)),
    ],
)
def test_exclusive_bounds(schema: JSONValue, lower: object, upper: object) -> None:
    assert (norm(schema).lower, norm(schema).upper) == (lower, upper)


def test_const_is_a_one_value_enum() -> None:
    assert norm({"const": 3}).enum == (3,)
    assert norm({"const": 3, "enum": [1, 3.0]}).enum == (3,)
    assert norm({"const": 3, "enum": [1]}).enum == ()


def test_refs_are_followed_and_remembered() -> None:
    alias = norm({"$ref": "#/components/schemas/Alias"})
    assert alias.ref == "#/components/schemas/Pet"
    assert alias.required == frozenset({"name"})
    assert norm({"$ref": "#/components/schemas/a~1b"}).types == frozenset({"string"})


def test_ref_with_siblings_is_a_conjunction() -> None:
    schema = norm({"$ref": "#/components/schemas/Pet", "maxProperties": 3, "description": "x"})
    assert schema.all_of == ({"$ref": "#/components/schemas/Pet"}, {"maxProperties": 3})


@pytest.mark.parametrize("ref", ["#/components/schemas/Loop", "#/nowhere", "other.yaml#/Pet"])
def test_refs_that_cannot_be_followed(ref: str) -> None:
    with pytest.raises(ModelError):
        norm({"$ref": ref})


def test_unmodelled_keywords_are_listed_and_annotations_are_not() -> None:
    schema = norm({"type": "array", "unevaluatedItems": False, "x-internal": True, "readOnly": True})
    assert schema.unknown == frozenset({"unevaluatedItems"})


def test_boolean_schemas() -> None:
    assert norm(True) == Norm()
    assert norm(False).never


def test_json_equality() -> None:
    assert json_key(1) == json_key(1.0)
    assert json_key(True) != json_key(1)
    assert json_key({"a": [1, None]}) == json_key({"a": [1.0, None]})


def test_merge_of_simple_schemas() -> None:
    merged = merge(norm({"type": "number", "minimum": 0, "properties": {"a": {}}}), norm({"type": "integer"}))
    assert merged is not None
    assert merged.types == frozenset({"integer"})
    assert merged.lower == (0, False)
    closed = merge(norm({"additionalProperties": False}), norm({"properties": {"a": {"type": "string"}}}))
    assert closed is not None and closed.additional is False
    assert closed.properties["a"] == {"allOf": [False, {"type": "string"}]}  # closed to "a" as well
    assert merge(norm({"additionalProperties": False, "patternProperties": {"^a": {}}}), norm({})) is None
    assert merge(norm({"pattern": "a"}), norm({"pattern": "b"})) is None
