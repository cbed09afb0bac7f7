"""Classes of wrong verdicts (issue 12), each with positive cases and safe twins, in both directions.

A case is ``(old, new, direction, breaking)``: ``request`` asks old ⊆ new (a request must not
narrow), ``response`` asks new ⊆ old (a response must not widen). A breaking case must be proven
(``NOT_SUBSET`` with a counter-example, checked by jsonschema where its semantics are JSON
Schema's); a safe twin must be ``SUBSET``.
"""

from __future__ import annotations

from typing import Any

import pytest

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
