"""The compatibility engine: one pair per reason kind, equivalent refactors, recursion, directions."""

from __future__ import annotations

import pytest

from apigov.core._types import JSONValue
from apigov.schema.compat import Status, request_compatible, response_compatible
from apigov.schema.instances import NONE
from apigov.schema.model import local_resolver

from ._pairs import OBJ, assert_counter_examples, compare, obj

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
N = {"type": "number"}
ARR = {"type": "array", "items": S}

CAT = obj({"kind": {"const": "cat"}, "name": S}, required=["kind"])
DOG = obj({"kind": {"const": "dog"}, "bark": {"type": "boolean"}}, required=["kind"])
BIRD = obj({"kind": {"const": "bird"}}, required=["kind"])
PETS: dict[str, JSONValue] = {"Cat": CAT, "Dog": DOG}
CAT_REF = {"$ref": "#/components/schemas/Cat"}
DOG_REF = {"$ref": "#/components/schemas/Dog"}

NOT_SUBSET: list[tuple[str, JSONValue, JSONValue, str, str]] = [
    ("not", S, {"not": {"type": "string", "maxLength": 1}}, "not-matched", ""),
    (
        "one-of-overlap",
        obj({"a": S}, required=["a"]),
        {"oneOf": [obj({"a": S}, required=["a"]), obj({"b": S}, required=["b"])]},
        "one-of-overlap",
        "",
    ),
    ("type", {"type": ["string", "integer"]}, S, "type-narrowed", ""),
    ("number-to-integer", N, I, "type-narrowed", ""),
    ("untyped-to-typed", {}, S, "type-narrowed", ""),
    ("nullable", {"type": ["string", "null"]}, S, "nullable-removed", ""),
    ("enum-removed", {"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}, "enum-value-removed", ""),
    ("const-changed", {"const": 1}, {"const": 2}, "enum-value-removed", ""),
    ("enum-rejected", {"enum": ["abc"]}, {"type": "string", "maxLength": 2}, "value-rejected", ""),
    ("enum-added", S, {"type": "string", "enum": ["a"]}, "enum-added", ""),
    (
        "all-of-closed",
        {"allOf": [obj({"a": S}, additionalProperties=False), obj({"a": S}, required=["a"])]},
        obj({"a": I}),
        "type-narrowed",
        "/a",
    ),
    ("min-properties-added", OBJ, {"type": "object", "minProperties": 1}, "min-properties-added", ""),
    (
        "pattern-changed",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-c]+$"},
        "pattern-changed",
        "",
    ),
    ("bool-enum", {"type": "boolean"}, {"enum": [True]}, "enum-value-removed", ""),
    ("required", obj({"a": S}), obj({"a": S}, required=["a"]), "property-became-required", "/a"),
    (
        "property-removed",
        obj({"a": S, "b": S}, additionalProperties=False),
        obj({"a": S}, additionalProperties=False),
        "property-removed",
        "/b",
    ),
    (
        "closed",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=False),
        "additional-properties-closed",
        "/extra",
    ),
    ("additional-narrowed", OBJ, {"type": "object", "additionalProperties": S}, "type-narrowed", "/extra"),
    ("open-model", OBJ, obj({"age": I}), "property-added-to-open-model", "/age"),
    (
        "nested",
        obj({"address": obj({"zip": S})}),
        obj({"address": obj({"zip": {"type": "string", "maxLength": 5}})}),
        "max-length-added",
        "/address/zip",
    ),
    (
        "minimum-increased",
        {"type": "number", "minimum": 0},
        {"type": "number", "minimum": 1},
        "minimum-increased",
        "",
    ),
    ("minimum-added", N, {"type": "number", "minimum": 1}, "minimum-added", ""),
    (
        "minimum-exclusive",
        {"type": "number", "minimum": 0},
        {"type": "number", "exclusiveMinimum": 0},
        "minimum-increased",
        "",
    ),
    (
        "maximum-decreased",
        {"type": "integer", "maximum": 10},
        {"type": "integer", "maximum": 9},
        "maximum-decreased",
        "",
    ),
    ("maximum-added", I, {"type": "integer", "maximum": 9}, "maximum-added", ""),
    ("multiple-of-added", I, {"type": "integer", "multipleOf": 2}, "multiple-of-added", ""),
    (
        "multiple-of-changed",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
        "multiple-of-changed",
        "",
    ),
    (
        "min-length",
        {"type": "string", "minLength": 1},
        {"type": "string", "minLength": 3},
        "min-length-increased",
        "",
    ),
    (
        "max-length",
        {"type": "string", "maxLength": 10},
        {"type": "string", "maxLength": 5},
        "max-length-decreased",
        "",
    ),
    ("pattern-added", S, {"type": "string", "pattern": "^[0-9]+$"}, "pattern-added", ""),
    ("items-type", {"type": "array", "items": {"type": ["string", "integer"]}}, ARR, "type-narrowed", "/0"),
    ("items-false", ARR, {"type": "array", "items": False}, "items-narrowed", "/0"),
    ("min-items", ARR, {**ARR, "minItems": 2}, "min-items-increased", ""),
    ("max-items", {**ARR, "maxItems": 5}, {**ARR, "maxItems": 1}, "max-items-decreased", ""),
    ("max-items-added", ARR, {**ARR, "maxItems": 1}, "max-items-added", ""),
    ("unique", ARR, {**ARR, "uniqueItems": True}, "unique-items-added", ""),
    ("false", S, False, "schema-became-false", ""),
    ("a-any-of", {"anyOf": [S, I]}, S, "type-narrowed", ""),
    ("one-of-branch-added", {"oneOf": [S, I, {"type": "boolean"}]}, {"oneOf": [S, I]}, "type-narrowed", ""),
    ("b-any-of-branch", I, {"anyOf": [S, {"type": "integer", "maximum": 5}]}, "maximum-added", ""),
    ("b-all-of", S, {"allOf": [S, {"maxLength": 3}]}, "max-length-added", ""),
    ("one-of-both-match", obj({"a": S}), {"oneOf": [obj({"a": S}), obj({"b": S})]}, "one-of-overlap", ""),
    (
        "one-of-object-branch-added",
        {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}, BIRD]},
        {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
        "one-of-unmatched",
        "",
    ),
    (
        "any-of-unmatched",
        obj({"a": S}, required=["a"]),
        {"anyOf": [obj({"a": I}), obj({"a": N})]},
        "any-of-unmatched",
        "",
    ),
    ("a-all-of", {"allOf": [obj({"a": S}), obj({"b": I})]}, obj({"a": S, "b": S}), "type-narrowed", "/b"),
]


@pytest.mark.parametrize(
    ("a", "b", "kind", "path"), [p[1:] for p in NOT_SUBSET], ids=[p[0] for p in NOT_SUBSET]
)
def test_not_subset_with_proven_counter_example(a: JSONValue, b: JSONValue, kind: str, path: str) -> None:
    verdict = compare(a, b, PETS, PETS)
    assert verdict.status is Status.NOT_SUBSET, verdict
    assert (kind, path) in {(r.kind, r.path) for r in verdict.reasons if r.status is Status.NOT_SUBSET}
    assert_counter_examples(verdict, a, b, PETS, PETS)


ONE_OF_SUBSET: list[tuple[str, JSONValue, JSONValue]] = [
    ("discriminated-branch", CAT_REF, {"oneOf": [CAT_REF, DOG_REF]}),
    ("same-one-of", {"oneOf": [CAT_REF, DOG_REF]}, {"oneOf": [DOG_REF, CAT_REF]}),
    (
        "undiscriminated-same-one-of",
        {"oneOf": [obj({"a": S}), obj({"b": S})]},
        {"oneOf": [obj({"a": S}), obj({"b": S})]},
    ),
    ("branch-removed-response", {"oneOf": [CAT_REF]}, {"oneOf": [CAT_REF, DOG_REF]}),
]


@pytest.mark.parametrize(("a", "b"), [p[1:] for p in ONE_OF_SUBSET], ids=[p[0] for p in ONE_OF_SUBSET])
def test_one_of_subset(a: JSONValue, b: JSONValue) -> None:
    assert compare(a, b, PETS, PETS).status is Status.SUBSET


UNKNOWN: list[tuple[str, JSONValue, JSONValue, str]] = [
    (
        "pattern-widened",
        {"type": "string", "pattern": "^[a-c]+$"},
        {"type": "string", "pattern": "^[a-z]+$"},
        "pattern-changed",
    ),
    ("format-added", S, {"type": "string", "format": "date"}, "format-added"),
    (
        "format-changed",
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date-time"},
        "format-changed",
    ),
    ("keyword", {"type": "array"}, {"type": "array", "unevaluatedItems": False}, "keyword-unsupported"),
    ("unresolved", S, {"$ref": "#/nowhere"}, "schema-unmodelled"),
    (
        "all-of-unmerged",
        {
            "allOf": [
                {"type": "object", "patternProperties": {"^a": S}, "additionalProperties": False},
                obj({"ab": {"maxLength": 2}}),
            ]
        },
        obj({"ab": {"maxLength": 1}}),
        "all-of-unmerged",
    ),
]


@pytest.mark.parametrize(("a", "b", "kind"), [p[1:] for p in UNKNOWN], ids=[p[0] for p in UNKNOWN])
def test_unknown_never_passes(a: JSONValue, b: JSONValue, kind: str) -> None:
    verdict = compare(a, b)
    assert verdict.status is Status.UNKNOWN, verdict
    assert kind in {r.kind for r in verdict.reasons}


def test_pattern_equal_is_fine() -> None:
    schema = {"type": "string", "pattern": "^[a-z]+$"}
    assert compare(schema, dict(schema)).status is Status.SUBSET


NODE = obj({"value": I, "next": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}})
DEFS: dict[str, JSONValue] = {"Node": NODE, "Pet": obj({"name": S}, required=["name"])}
REF_NODE = {"$ref": "#/components/schemas/Node"}

SUBSET: list[tuple[str, JSONValue, JSONValue]] = [
    ("identical", obj({"a": S}, required=["a"]), obj({"a": S}, required=["a"])),
    ("inline-vs-ref", obj({"name": S}, required=["name"]), {"$ref": "#/components/schemas/Pet"}),
    ("ref-vs-inline", {"$ref": "#/components/schemas/Pet"}, obj({"name": S}, required=["name"])),
    ("nullable-30-vs-31", {"type": "string", "nullable": True}, {"type": ["string", "null"]}),
    ("nullable-31-vs-30", {"type": ["string", "null"]}, {"type": "string", "nullable": True}),
    (
        "nullable-one-of",
        {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}]},
        {**DEFS["Pet"], "nullable": True},
    ),  # type: ignore[dict-item]
    ("nullable-any-of", {"type": ["object", "null"]}, {"anyOf": [OBJ, {"type": "null"}]}),
    ("integer-to-number", I, N),
    ("relaxed-max-length", {"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 10}),
    (
        "exclusive-30-vs-31",
        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
        {"type": "number", "exclusiveMinimum": 0},
    ),
    (
        "exclusive-31-vs-30",
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
    ),
    ("integer-exclusive", {"type": "integer", "minimum": 1}, {"type": "integer", "exclusiveMinimum": 0}),
    ("const-vs-enum", {"const": "a"}, {"enum": ["a"]}),
    ("enum-widened", {"enum": ["a"]}, {"enum": ["a", "b"]}),
    ("required-dropped", obj({"a": S}, required=["a"]), obj({"a": S})),
    ("opened", obj({"a": S}, additionalProperties=False), obj({"a": S})),
    ("multiple-of", {"type": "integer", "multipleOf": 4}, {"type": "integer", "multipleOf": 2}),
    ("integer-multiple-of-one", I, {"type": "number", "multipleOf": 1}),
    ("b-any-of", S, {"anyOf": [S, I]}),
    ("one-of-disjoint", {"oneOf": [S, I]}, {"oneOf": [I, S]}),
    (
        "all-of-flattened",
        {"allOf": [{"$ref": "#/components/schemas/Pet"}, obj({"age": I}, required=["age"])]},
        obj({"name": S, "age": N}, required=["name", "age"]),
    ),
    (
        "flattened-to-all-of",
        obj({"name": S, "age": I}, required=["name", "age"]),
        {"allOf": [{"$ref": "#/components/schemas/Pet"}, obj({"age": I})]},
    ),
    ("false-is-subset", False, S),
    ("not-disjoint", S, {"not": {"type": "integer"}}),
    ("enum-in-type", {"enum": ["a", "b"]}, {"type": "string", "maxLength": 1}),
    ("unique-kept", {**ARR, "uniqueItems": True, "maxItems": 3}, {**ARR, "maxItems": 4}),
    ("recursive", REF_NODE, REF_NODE),
    ("int32-to-int64", {"type": "integer", "format": "int32"}, {"type": "integer", "format": "int64"}),
    ("format-dropped", {"type": "string", "format": "date"}, S),
]


@pytest.mark.parametrize(("a", "b"), [p[1:] for p in SUBSET], ids=[p[0] for p in SUBSET])
def test_subset(a: JSONValue, b: JSONValue) -> None:
    verdict = compare(a, b, DEFS, DEFS)
    assert verdict.status is Status.SUBSET, verdict
    assert verdict.compatible


def test_recursive_schemas_with_different_names_terminate() -> None:
    tree = obj({"value": I, "next": {"oneOf": [{"$ref": "#/components/schemas/Tree"}, {"type": "null"}]}})
    verdict = compare(REF_NODE, {"$ref": "#/components/schemas/Tree"}, DEFS, {"Tree": tree})
    assert verdict.status is Status.SUBSET


def test_recursive_change_is_found_with_a_proven_counter_example() -> None:
    tree = obj({"value": S, "next": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}})
    b_defs: dict[str, JSONValue] = {"Node": tree}
    verdict = compare(REF_NODE, REF_NODE, DEFS, b_defs)
    assert verdict.status is Status.NOT_SUBSET
    assert ("type-narrowed", "/value") in {(r.kind, r.path) for r in verdict.reasons}
    assert_counter_examples(verdict, REF_NODE, REF_NODE, DEFS, b_defs)


def test_depth_is_bounded() -> None:
    deep: JSONValue = S
    for _ in range(80):
        deep = obj({"x": deep}, required=["x"])
    verdict = compare(deep, OBJ | {"additionalProperties": False})
    assert verdict.status is not Status.SUBSET


def test_unbounded_nesting_is_unknown() -> None:
    a: JSONValue = I
    b: JSONValue = N
    for _ in range(80):
        a, b = obj({"x": a}), obj({"x": b})
    verdict = compare(a, b)
    assert verdict.status is Status.UNKNOWN
    assert {r.kind for r in verdict.reasons} == {"depth-exceeded"}


def test_directions() -> None:
    old = {"type": "string", "maxLength": 10}
    new = {"type": "string", "maxLength": 5}
    resolve = local_resolver({})
    narrowed = request_compatible(old, new, resolve_old=resolve, resolve_new=resolve)
    assert narrowed.status is Status.NOT_SUBSET
    assert response_compatible(old, new, resolve_old=resolve, resolve_new=resolve).status is Status.SUBSET
    widened = response_compatible(new, old, resolve_old=resolve, resolve_new=resolve)
    assert [r.kind for r in widened.reasons] == ["max-length-decreased"]


ALL_PAIRS = [p[1:3] for p in NOT_SUBSET] + [p[1:3] for p in UNKNOWN] + [p[1:] for p in SUBSET]


@pytest.mark.parametrize(("a", "b"), ALL_PAIRS)
def test_every_counter_example_in_both_directions_is_proven(a: JSONValue, b: JSONValue) -> None:
    for first, second in ((a, b), (b, a)):
        verdict = compare(first, second, DEFS, DEFS)
        assert_counter_examples(verdict, first, second, DEFS, DEFS)
        if verdict.status is Status.SUBSET:
            assert verdict.reasons == ()


def test_draft7_dependencies_are_dependent_required_or_dependent_schemas() -> None:
    from jsonschema import Draft7Validator

    old: JSONValue = {"type": "object", "properties": {"a": I, "b": I}}
    for new in (
        {**old, "dependencies": {"a": ["b"]}},
        {**old, "dependencies": {"a": {"required": ["b"]}}},
    ):
        verdict = compare(old, new)
        assert verdict.status is Status.NOT_SUBSET, verdict
        for reason in verdict.reasons:
            if reason.status is Status.NOT_SUBSET:
                assert Draft7Validator(old).is_valid(reason.counter_example)
                assert not Draft7Validator(new).is_valid(reason.counter_example)
    widened = compare({**old, "dependencies": {"a": ["b"]}}, old)
    assert widened.status is Status.SUBSET


def test_ref_with_unevaluated_properties_sees_the_targets_properties() -> None:
    defs: dict[str, JSONValue] = {"Base": obj({"a": S})}
    a = {"$ref": "#/components/schemas/Base", "properties": {"b": S}, "unevaluatedProperties": False}
    closed = obj({"a": S, "b": S}, additionalProperties=False)
    assert compare(a, closed, defs, None).status is Status.SUBSET
    assert compare(closed, a, None, defs).status is Status.SUBSET
    narrowed = compare(OBJ, a, None, defs)
    assert narrowed.status is Status.NOT_SUBSET
    assert_counter_examples(narrowed, OBJ, a, None, defs)


HUGE = 10**9
HOSTILE_SIZES = [
    (
        "min-length",
        {"type": "string", "minLength": HUGE},
        {"type": "string", "minLength": HUGE, "maxLength": HUGE},
    ),
    ("min-items", {"type": "array", "minItems": HUGE}, {"type": "array", "minItems": HUGE, "maxItems": HUGE}),
    (
        "min-contains",
        {"type": "array", "contains": {"type": "string"}, "minContains": HUGE},
        {"type": "array", "maxItems": HUGE},
    ),
    (
        "max-contains",
        {"type": "array", "contains": {"type": "string"}},
        {"type": "array", "contains": {"type": "string"}, "maxContains": HUGE},
    ),
    (
        "min-properties",
        {"type": "object", "minProperties": HUGE},
        {"type": "object", "minProperties": HUGE, "maxProperties": HUGE},
    ),
    (
        "items-in-long-array",
        {"type": "array", "minItems": HUGE, "items": {"type": "string"}},
        {"type": "array", "items": {"type": "string", "maxLength": 1}},
    ),
]


@pytest.mark.parametrize(("a", "b"), [p[1:] for p in HOSTILE_SIZES], ids=[p[0] for p in HOSTILE_SIZES])
def test_counter_examples_too_large_to_build_leave_the_change_undecided(a: JSONValue, b: JSONValue) -> None:
    """A hostile spec's ``minLength: 1e9`` must not make the engine build a gigabyte (it used to
    take all memory or hang): the change is undecided, which the rules report as a warning."""
    verdict = compare(a, b)
    assert verdict.status is Status.UNKNOWN, verdict
    assert all(r.counter_example is NONE for r in verdict.reasons)
