"""Classes of wrong verdicts (issue 12), each with positive cases and safe twins, in both directions.

A case is ``(old, new, direction, breaking)``: ``request`` asks old ⊆ new (a request must not
narrow), ``response`` asks new ⊆ old (a response must not widen). A breaking case must be proven
(``NOT_SUBSET`` with a counter-example, checked by jsonschema where its semantics are JSON
Schema's); a safe twin must be ``SUBSET``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigov.core._types import JSONValue
from apigov.schema.compat import Status, Verdict

from ._pairs import assert_counter_examples, compare

S: dict[str, Any] = {"type": "string"}
I: dict[str, Any] = {"type": "integer"}  # noqa: E741

Case = tuple[str, JSONValue, JSONValue, str, bool]


def judge(
    old: JSONValue,
    new: JSONValue,
    direction: str,
    defs_old: dict[str, JSONValue] | None = None,
    defs_new: dict[str, JSONValue] | None = None,
    *,
    checked: bool = True,
) -> Verdict:
    if direction == "request":
        a, b, defs_a, defs_b = old, new, defs_old, defs_new
    else:
        a, b, defs_a, defs_b = new, old, defs_new, defs_old
    verdict = compare(a, b, defs_a, defs_b)
    if checked:
        assert_counter_examples(verdict, a, b, defs_a, defs_b)
    return verdict


def expect(verdict: Verdict, breaking: bool) -> None:
    if breaking:
        assert verdict.status is Status.NOT_SUBSET, verdict
    else:
        assert verdict.status is Status.SUBSET, verdict


def both_ways(name: str, narrow: JSONValue, wide: JSONValue) -> list[Case]:
    """``wide`` → ``narrow`` breaks a request and is safe in a response; the reverse likewise."""
    return [
        (f"{name}: request narrowed", wide, narrow, "request", True),
        (f"{name}: request widened", narrow, wide, "request", False),
        (f"{name}: response widened", narrow, wide, "response", True),
        (f"{name}: response narrowed", wide, narrow, "response", False),
    ]


# --- class 8: a keyword the engine does not model beside ones it does --------------------------------

TYPO = {"maxItems:": 3}
CONDITIONAL = {
    "type": "object",
    "properties": {"kind": S, "a": S, "b": S, "c": S},
    "if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
    "then": {"required": ["a"]},
    "unevaluatedProperties": False,
}
UNMODELLED: list[Case] = [
    *both_ways(
        "unknown keyword beside minItems",
        {"type": "array", "minItems": 5, **TYPO},
        {"type": "array", "minItems": 1, **TYPO},
    ),
    *both_ways(
        "unknown keyword on one side only",
        {"type": "array", "minItems": 5, **TYPO},
        {"type": "array", "minItems": 1},
    ),
    *both_ways(
        "contentSchema beside minLength",
        {"type": "string", "minLength": 5, "contentSchema": {"type": "object"}},
        {"type": "string", "minLength": 1, "contentSchema": {"type": "object"}},
    ),
    *both_ways(
        "unevaluatedProperties beside if/then/else",
        {**CONDITIONAL, "minProperties": 3},
        {**CONDITIONAL, "minProperties": 1},
    ),
    *both_ways(
        "unevaluatedItems beside prefixItems",
        {"type": "array", "prefixItems": [S], "unevaluatedItems": False, "maxItems": 0},
        {"type": "array", "prefixItems": [S], "unevaluatedItems": False},
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "direction", "breaking"), UNMODELLED, ids=lambda v: v)
def test_unmodelled_keywords_leave_the_rest_judged(
    name: str, old: JSONValue, new: JSONValue, direction: str, breaking: bool
) -> None:
    expect(judge(old, new, direction), breaking)


def test_an_unmodelled_keyword_that_changed_stays_undecided() -> None:
    old = {**CONDITIONAL, "unevaluatedProperties": False}
    new = {**CONDITIONAL, "unevaluatedProperties": {"type": "string"}}
    verdict = judge(old, new, "response")
    assert verdict.status is Status.UNKNOWN
    assert [r.kind for r in verdict.reasons] == ["keyword-unsupported"]


# --- class 6: numeric formats bound the values ----------------------------------------------------------


def fmt(name: str, kind: str = "integer", **more: JSONValue) -> dict[str, JSONValue]:
    return {"type": kind, "format": name, **more}


FORMATS: list[Case] = [
    *both_ways("int64 to int32", fmt("int32"), fmt("int64")),
    *both_ways("no format to int32", fmt("int32"), I),
    *both_ways("uint32 to uint8", fmt("uint8"), fmt("uint32")),
    *both_ways("double to float", fmt("float", "number"), fmt("double", "number")),
    ("int64 within float", fmt("int64", "number"), fmt("float", "number"), "request", False),
    ("bounds within int32", fmt("int64", minimum=0, maximum=1000), fmt("int32"), "request", False),
    ("bounds beyond int32", fmt("int64", maximum=2**40), fmt("int32", maximum=2**40), "request", True),
    ("int32 under a wide maximum", fmt("int32"), fmt("int64", maximum=2**31), "request", False),
    ("same format", fmt("int32"), fmt("int32", description="x"), "request", False),
]


@pytest.mark.parametrize(("name", "old", "new", "direction", "breaking"), FORMATS, ids=lambda v: v)
def test_numeric_formats_bound_values(
    name: str, old: JSONValue, new: JSONValue, direction: str, breaking: bool
) -> None:
    verdict = judge(old, new, direction)
    expect(verdict, breaking)
    if breaking:
        value = verdict.reasons[0].counter_example
        assert isinstance(value, int | float)
        assert verdict.reasons[0].kind in ("format-changed", "format-added", "maximum-added")


# --- class 2: a discriminator over allOf-composed, overlapping variants ----------------------------------


def ref(name: str) -> dict[str, JSONValue]:
    return {"$ref": f"#/components/schemas/{name}"}


def pets(name: JSONValue = S, cat: dict[str, JSONValue] | None = None) -> dict[str, JSONValue]:
    """Cat and Dog both extend Pet with ``allOf``: any Pet payload is valid under both."""
    pet = {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": S, "name": name},
        "discriminator": {"propertyName": "petType"},
    }
    cat_part: dict[str, JSONValue] = {
        "type": "object",
        "properties": {"meow": {"type": "boolean"}},
        **(cat or {}),
    }
    return {
        "Pet": pet,
        "Cat": {"allOf": [ref("Pet"), cat_part]},
        "Dog": {"allOf": [ref("Pet"), {"type": "object", "properties": {"bark": S}}]},
    }


MAPPING = {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
ONE_OF: dict[str, JSONValue] = {
    "oneOf": [ref("Cat"), ref("Dog")],
    "discriminator": {"propertyName": "petType", "mapping": MAPPING},
}
ANY_OF: dict[str, JSONValue] = {
    "anyOf": [ref("Cat"), ref("Dog")],
    "discriminator": {"propertyName": "petType"},
}

DISPATCHED: list[tuple[str, JSONValue, dict[str, JSONValue], dict[str, JSONValue], str, bool]] = [
    ("type change", ONE_OF, pets(), pets(name=I), "request", True),
    ("type change", ONE_OF, pets(), pets(name=I), "response", True),
    ("type change under anyOf", ANY_OF, pets(), pets(name=I), "response", True),
    ("minProperties added", ONE_OF, pets(), pets(cat={"minProperties": 3}), "request", True),
    ("minProperties added", ONE_OF, pets(), pets(cat={"minProperties": 3}), "response", False),
    ("maxProperties added", ONE_OF, pets(), pets(cat={"maxProperties": 1}), "request", True),
    (
        "pattern added",
        ONE_OF,
        pets(),
        pets(
            cat={
                "properties": {"meow": {"type": "boolean"}, "name": {"type": "string", "pattern": "^[a-z]+$"}}
            }
        ),
        "request",
        True,
    ),
    (
        "pattern added",
        ONE_OF,
        pets(),
        pets(
            cat={
                "properties": {"meow": {"type": "boolean"}, "name": {"type": "string", "pattern": "^[a-z]+$"}}
            }
        ),
        "response",
        False,
    ),
    ("property made untyped", ONE_OF, pets(), pets(name={}), "response", True),
    ("property made untyped", ONE_OF, pets(), pets(name={}), "request", False),
    ("unchanged", ONE_OF, pets(), pets(), "request", False),
    ("mapping value renamed", ONE_OF, pets(), pets(), "request", False),
]


def selected(schema: JSONValue, defs: dict[str, JSONValue], payload: JSONValue) -> JSONValue:
    """The branch a payload dispatches to (by mapping, else by the schema's name)."""
    assert isinstance(schema, dict) and isinstance(payload, dict)
    discriminator = schema["discriminator"]
    assert isinstance(discriminator, dict)
    mapping = discriminator.get("mapping") or {}
    assert isinstance(mapping, dict)
    value = payload[str(discriminator["propertyName"])]
    target = mapping.get(value, f"#/components/schemas/{value}")
    return {**ref(str(target).rsplit("/", 1)[-1]), "components": {"schemas": defs}}


@pytest.mark.parametrize(
    ("name", "body", "old", "new", "direction", "breaking"),
    DISPATCHED,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_discriminated_unions_of_overlapping_variants(
    name: str,
    body: JSONValue,
    old: dict[str, JSONValue],
    new: dict[str, JSONValue],
    direction: str,
    breaking: bool,
) -> None:
    verdict = judge(body, body, direction, old, new, checked=False)  # jsonschema ignores the discriminator
    expect(verdict, breaking)
    a, b = (old, new) if direction == "request" else (new, old)
    for reason in verdict.reasons:
        payload = reason.counter_example
        assert Draft202012Validator(selected(body, a, payload)).is_valid(payload)
        assert not Draft202012Validator(selected(body, b, payload)).is_valid(payload)


def test_a_discriminator_value_no_longer_mapped_breaks_requests() -> None:
    renamed = {
        **ONE_OF,
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"kitty": MAPPING["cat"], "dog": MAPPING["dog"]},
        },
    }
    assert judge(ONE_OF, renamed, "request", pets(), pets(), checked=False).status is Status.NOT_SUBSET
    assert judge(ONE_OF, ONE_OF, "request", pets(), pets(), checked=False).status is Status.SUBSET


# --- class 3: recursive models through allOf / oneOf / anyOf ----------------------------------------------


def hierarchy(required: list[str]) -> dict[str, JSONValue]:
    """Cat extends Pet and holds Pets and a Cat: recursion through ``allOf`` and a discriminator."""
    return {
        "Pet": {
            "type": "object",
            "required": ["petType", *required],
            "properties": {"petType": S, "name": S},
            "discriminator": {"propertyName": "petType"},
        },
        "Cat": {
            "allOf": [
                ref("Pet"),
                {
                    "type": "object",
                    "properties": {"friends": {"type": "array", "items": ref("Pet")}, "mother": ref("Cat")},
                },
            ]
        },
        "Dog": {"allOf": [ref("Pet"), {"type": "object", "properties": {"bark": S}}]},
        "Body": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "petType"}},
    }


def expression(required: list[str], keyword: str = "oneOf") -> dict[str, JSONValue]:
    """An expression is a literal or an operation on two expressions."""
    return {
        "Expr": {keyword: [ref("Literal"), ref("Operation")]},
        "Literal": {
            "type": "object",
            "required": ["value"],
            "properties": {"value": {"type": "number"}},
            "additionalProperties": False,
        },
        "Operation": {
            "type": "object",
            "required": required,
            "properties": {"op": S, "left": ref("Expr"), "right": ref("Expr")},
            "additionalProperties": False,
        },
    }


def tree(required: list[str]) -> dict[str, JSONValue]:
    return {
        "Node": {
            "allOf": [
                ref("Base"),
                {"type": "object", "properties": {"children": {"type": "array", "items": ref("Node")}}},
            ]
        },
        "Base": {"type": "object", "required": required, "properties": {"id": S, "name": S}},
    }


RECURSIVE: list[tuple[str, JSONValue, dict[str, JSONValue], dict[str, JSONValue], bool]] = [
    ("hierarchy", ref("Body"), hierarchy(["name"]), hierarchy([]), False),
    (
        "operation under oneOf",
        ref("Expr"),
        expression(["op", "left", "right"]),
        expression(["left", "right"]),
        True,
    ),
    (
        "operation under anyOf",
        ref("Expr"),
        expression(["op", "left", "right"], "anyOf"),
        expression(["left", "right"], "anyOf"),
        True,
    ),
    ("tree through allOf", ref("Node"), tree(["id", "name"]), tree(["name"]), True),
]


@pytest.mark.parametrize(
    ("name", "body", "old", "new", "checked"), RECURSIVE, ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_required_property_removed_from_a_recursive_response(
    name: str, body: JSONValue, old: dict[str, JSONValue], new: dict[str, JSONValue], checked: bool
) -> None:
    verdict = judge(body, body, "response", old, new, checked=checked)
    assert verdict.status is Status.NOT_SUBSET
    assert any(
        r.kind == "property-became-required" and r.status is Status.NOT_SUBSET for r in verdict.reasons
    )
    expect(
        judge(body, body, "request", old, new, checked=checked), False
    )  # safe twin: a request accepts more
    expect(judge(body, body, "response", new, old, checked=checked), False)  # and a response sends less


# --- class 4: overlapping oneOf branches ----------------------------------------------------------------

NAMED = {"type": "object", "required": ["a"], "properties": {"a": S}}
COUNTED = {"type": "object", "required": ["c"], "properties": {"c": I}}  # overlaps NAMED: {"a": "", "c": 0}
NAMED_AND_SHORT = {**NAMED, "properties": {"a": {"type": "string", "maxLength": 3}}}  # within NAMED

OVERLAPS: list[Case] = [
    (
        "request: an overlapping branch added",
        {"oneOf": [NAMED]},
        {"oneOf": [NAMED, COUNTED]},
        "request",
        True,
    ),
    ("request: a branch added to anyOf", {"anyOf": [NAMED]}, {"anyOf": [NAMED, COUNTED]}, "request", False),
    (
        "request: an overlapping branch removed",
        {"oneOf": [NAMED, COUNTED]},
        {"oneOf": [NAMED]},
        "request",
        True,
    ),
    (
        "request: a branch within another removed",
        {"oneOf": [NAMED, NAMED_AND_SHORT]},
        {"oneOf": [NAMED]},
        "request",
        False,
    ),
    (
        "response: an overlapping branch added",
        {"oneOf": [NAMED]},
        {"oneOf": [NAMED, COUNTED]},
        "response",
        True,
    ),
    (
        "response: a branch within another added",
        {"oneOf": [NAMED]},
        {"oneOf": [NAMED, NAMED_AND_SHORT]},
        "response",
        False,
    ),
    (
        "response: an overlapping branch removed",
        {"oneOf": [NAMED, COUNTED]},
        {"oneOf": [NAMED]},
        "response",
        True,
    ),
    (
        "strings: overlapping branch added",
        {"oneOf": [{"type": "string", "minLength": 1}]},
        {"oneOf": [{"type": "string", "minLength": 1}, {"type": "string", "maxLength": 5}]},
        "request",
        True,
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "direction", "breaking"), OVERLAPS, ids=lambda v: v)
def test_overlapping_one_of_branches(
    name: str, old: JSONValue, new: JSONValue, direction: str, breaking: bool
) -> None:
    expect(judge(old, new, direction), breaking)


# --- class 9: not with a real counter-example -------------------------------------------------------------

NEGATIONS: list[Case] = [
    ("not enum added", S, {"type": "string", "not": {"enum": ["a", "b"]}}, "request", True),
    ("not enum outside the values", {"enum": ["c", "d"]}, {"not": {"enum": ["a", "b"]}}, "request", False),
    ("not const added", I, {"type": "integer", "not": {"const": 0}}, "request", True),
    (
        "not const on a disjoint range",
        {"type": "integer", "minimum": 1},
        {"not": {"const": 0}},
        "request",
        False,
    ),
    (
        "not required added",
        {"type": "object"},
        {"type": "object", "not": {"required": ["a"]}},
        "request",
        True,
    ),
    (
        "not required on a closed object",
        {"type": "object", "properties": {"b": S}, "additionalProperties": False},
        {"not": {"required": ["a"]}},
        "request",
        False,
    ),
    (
        "not required on a forbidden property",
        {"type": "object", "properties": {"a": False}},
        {"type": "object", "not": {"required": ["a"]}},
        "request",
        False,
    ),
    ("not type added", {}, {"not": {"type": "string"}}, "request", True),
    ("not type of another type", I, {"not": {"type": "string"}}, "request", False),
    ("not type integer on numbers", {"type": "number"}, {"not": {"type": "integer"}}, "request", True),
    ("not minimum", I, {"type": "integer", "not": {"minimum": 10}}, "request", True),
    ("not minimum below it", {"type": "integer", "maximum": 9}, {"not": {"minimum": 10}}, "request", False),
    ("not maxLength", S, {"not": {"type": "string", "maxLength": 2}}, "request", True),
    (
        "not maxLength beyond it",
        {"type": "string", "minLength": 3},
        {"not": {"type": "string", "maxLength": 2}},
        "request",
        False,
    ),
    ("not widened", {"not": {"type": ["string", "null"]}}, {"not": {"type": "string"}}, "request", False),
    ("not narrowed", {"not": {"type": "string"}}, {"not": {"type": ["string", "null"]}}, "request", True),
    ("not enum in a response", {"type": "string", "not": {"enum": ["a"]}}, S, "response", True),
    ("not enum removed from a request", {"type": "string", "not": {"enum": ["a"]}}, S, "request", False),
]


@pytest.mark.parametrize(("name", "old", "new", "direction", "breaking"), NEGATIONS, ids=lambda v: v)
def test_not_is_judged(name: str, old: JSONValue, new: JSONValue, direction: str, breaking: bool) -> None:
    expect(judge(old, new, direction), breaking)


# --- class 7: what a string holds (contentEncoding, contentMediaType, contentSchema) ---------------------


def text(**content: JSONValue) -> dict[str, JSONValue]:
    return {"type": "string", **content}


JSON_TEXT = {"contentMediaType": "application/json"}
BASE64_JSON = {"contentEncoding": "base64", "contentMediaType": "application/json"}
WITH_A = {"type": "object", "required": ["a"], "properties": {"a": S}}
ANY_OBJECT = {"type": "object", "properties": {"a": S}}

CONTENT: list[Case] = [
    ("encoding added", text(), text(contentEncoding="base64"), "request", True),
    ("encoding added", text(), text(contentEncoding="base64"), "response", True),
    ("encoding removed", text(contentEncoding="base64"), text(), "request", True),
    ("encoding respelled", text(contentEncoding="base64"), text(contentEncoding="BASE64"), "request", False),
    ("media type changed", text(**JSON_TEXT), text(contentMediaType="application/xml"), "response", True),
    ("media type unchanged", text(**JSON_TEXT), text(**JSON_TEXT, description="x"), "response", False),
    *both_ways(
        "contentSchema", text(**JSON_TEXT, contentSchema=WITH_A), text(**JSON_TEXT, contentSchema=ANY_OBJECT)
    ),
    *both_ways(
        "contentSchema in base64",
        text(**BASE64_JSON, contentSchema=WITH_A),
        text(**BASE64_JSON, contentSchema=ANY_OBJECT),
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "direction", "breaking"), CONTENT, ids=lambda v: v)
def test_content_keywords_are_judged(
    name: str, old: JSONValue, new: JSONValue, direction: str, breaking: bool
) -> None:
    verdict = judge(old, new, direction, checked=False)  # both may accept the string: it is read differently
    expect(verdict, breaking)
    a, b = (old, new) if direction == "request" else (new, old)
    assert isinstance(a, dict) and isinstance(b, dict)
    for reason in verdict.reasons:
        written = reason.counter_example
        assert isinstance(written, str)
        assert Draft202012Validator(a).is_valid(written)
        if reason.kind == "content-schema-changed":
            raw = base64.b64decode(written) if a.get("contentEncoding") == "base64" else written.encode()
            document = json.loads(raw)
            assert Draft202012Validator(a["contentSchema"]).is_valid(document)
            assert not Draft202012Validator(b["contentSchema"]).is_valid(document)
        else:
            assert reason.kind in ("content-encoding-changed", "content-media-type-changed")
