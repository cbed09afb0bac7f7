"""The three-valued validator agrees with jsonschema wherever it answers; examples are valid."""

from __future__ import annotations

import itertools

import pytest
from jsonschema import Draft202012Validator

from apigov.core._types import JSONValue
from apigov.schema.instances import NONE, accepts, example
from apigov.schema.model import local_resolver

SCHEMAS: list[JSONValue] = [
    True,
    False,
    {},
    {"type": "string", "minLength": 1, "maxLength": 3},
    {"type": "string", "pattern": "^[a-z]+$"},
    {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": 10},
    {"type": "number", "multipleOf": 0.5},
    {"enum": [1, "1", True, None]},
    {"const": {"a": [1]}},
    {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
    {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "required": ["a"],
        "additionalProperties": False,
    },
    {"type": "object", "additionalProperties": {"type": "integer"}},
    {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 5}]},
    {"allOf": [{"type": "integer"}, {"maximum": 3}]},
    {"not": {"type": "string"}},
    {
        "$ref": "#/$defs/Tree",
        "$defs": {
            "Tree": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}},
            }
        },
    },
]
INSTANCES: list[JSONValue] = [
    None, True, False, 0, 1, 1.0, 2.5, 5, 7, 10, -1, "", "a", "abcd", "A1", [], [1], [1, 1], [1, 2, 3], ["x"],
    {}, {"a": "x"}, {"a": 1}, {"a": "x", "b": 1}, {"b": 2}, {"a": [1]}, {"a": [1.0]}, {"kids": [{"kids": []}]},
    {"kids": [1]},
]  # fmt: skip


@pytest.mark.parametrize("schema", SCHEMAS)
def test_accepts_agrees_with_jsonschema(schema: JSONValue) -> None:
    validator = Draft202012Validator(schema)
    resolve = local_resolver(schema)
    for instance in INSTANCES:
        verdict = accepts(schema, instance, resolve)
        if verdict is not None:
            assert verdict == validator.is_valid(instance), instance


@pytest.mark.parametrize("schema", SCHEMAS)
def test_examples_are_valid(schema: JSONValue) -> None:
    found = example(schema, local_resolver(schema))
    if schema is False:
        assert found is NONE
    else:
        assert found is not NONE
        assert Draft202012Validator(schema).is_valid(found)


def test_unmodelled_keywords_make_accepts_unsure() -> None:
    schema: JSONValue = {"type": "object", "$dynamicRef": "#node", "minProperties": 1}
    assert accepts(schema, {"a": 1}, local_resolver(schema)) is None
    assert accepts(schema, "x", local_resolver(schema)) is False
    assert accepts(schema, {}, local_resolver(schema)) is False


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"type": "object", "unevaluatedProperties": False, "anyOf": [{"required": ["a"]}]}, {"a": 1}),
        ({"type": "object", "unevaluatedProperties": False, "anyOf": [{"properties": {"a": {}}}]}, {"a": 1}),
        (
            {"unevaluatedProperties": False, "if": {"required": ["k"]}, "then": {"properties": {"k": {}}}},
            {"k": 1},
        ),
        (
            {"unevaluatedProperties": False, "if": {"required": ["k"]}, "then": {"properties": {"k": {}}}},
            {"j": 1},
        ),
        ({"unevaluatedProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": "x"}),
        ({"unevaluatedProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": 2}),
        ({"unevaluatedProperties": False, "patternProperties": {"^x": {}}}, {"xa": 1}),
        (
            {"unevaluatedProperties": False, "dependentSchemas": {"a": {"properties": {"b": {}}}}},
            {"a": 1, "b": 2},
        ),
        ({"unevaluatedItems": False, "prefixItems": [{}]}, [1]),
        ({"unevaluatedItems": False, "prefixItems": [{}]}, [1, 2]),
        ({"unevaluatedItems": False, "contains": {"type": "string"}}, ["a", "b"]),
        ({"unevaluatedItems": False, "contains": {"type": "string"}}, ["a", 1]),
        ({"unevaluatedItems": False, "allOf": [{"items": {}}]}, [1, 2]),
        ({"unevaluatedItems": False, "oneOf": [{"prefixItems": [{}]}, {"type": "string"}]}, [1, 2]),
    ],
)
def test_unevaluated_keywords_are_validated_on_instances(schema: JSONValue, instance: JSONValue) -> None:
    """An instance's evaluated members are known: ``unevaluated*`` is decided on it (2020-12)."""
    expected = Draft202012Validator(schema).is_valid(instance)
    assert accepts(schema, instance, local_resolver(schema)) is expected


def test_examples_of_recursive_required_schemas_are_small() -> None:
    node: JSONValue = {
        "$defs": {
            "N": {
                "type": "object",
                "required": ["next"],
                "properties": {"next": {"oneOf": [{"$ref": "#/$defs/N"}, {"type": "null"}]}},
            }
        },
        "$ref": "#/$defs/N",
    }
    assert example(node, local_resolver(node)) == {"next": None}


def test_every_pair_of_schemas_terminates_quickly() -> None:
    from apigov.schema.compat import is_subset

    for a, b in itertools.product(SCHEMAS, repeat=2):
        verdict = is_subset(a, b, resolve_a=local_resolver(a), resolve_b=local_resolver(b))
        for reason in verdict.reasons:
            if reason.status == "not-subset":
                assert Draft202012Validator(a).is_valid(reason.counter_example)
                assert not Draft202012Validator(b).is_valid(reason.counter_example)
