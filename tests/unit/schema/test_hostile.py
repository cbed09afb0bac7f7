"""Hostile schemas: the engine answers in bounded time and memory, never crashes, and leaves what
it cannot decide undecided (a warning), never passed."""

from __future__ import annotations

import pytest

from apigov.core._types import JSONValue
from apigov.schema.compat import Status

from ._pairs import assert_counter_examples, compare

DIGITS_4000 = int("9" * 4000)
"""An integer JSON allows and no float holds."""

UNUSABLE_NUMBERS = [
    ("minimum-4000-digits", {"type": "integer"}, {"type": "integer", "minimum": DIGITS_4000}),
    ("maximum-4000-digits", {"type": "integer", "maximum": 5}, {"type": "integer", "maximum": -DIGITS_4000}),
    ("multiple-of-4000-digits", {"type": "integer"}, {"type": "integer", "multipleOf": DIGITS_4000}),
    ("exclusive-minimum-4000-digits", {"type": "number"}, {"type": "number", "exclusiveMinimum": DIGITS_4000}),
    ("min-length-4000-digits", {"type": "string"}, {"type": "string", "minLength": DIGITS_4000}),
    ("max-items-4000-digits", {"type": "array", "maxItems": 3}, {"type": "array", "maxItems": -DIGITS_4000}),
    ("min-contains-4000-digits", {"type": "array"}, {"type": "array", "contains": {}, "minContains": DIGITS_4000}),
    ("multiple-of-zero", {"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": 0}),
    ("multiple-of-negative", {"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": -3}),
    ("minimum-a-string", {"type": "number"}, {"type": "number", "minimum": "5"}),
    ("maximum-a-boolean", {"type": "number"}, {"type": "number", "maximum": True}),
    ("exclusive-maximum-a-string", {"type": "number"}, {"type": "number", "exclusiveMaximum": "x"}),
    ("max-length-a-list", {"type": "string"}, {"type": "string", "maxLength": [1]}),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in UNUSABLE_NUMBERS], ids=[c[0] for c in UNUSABLE_NUMBERS])
def test_numeric_keywords_the_engine_cannot_use_leave_the_change_undecided(a: JSONValue, b: JSONValue) -> None:
    """An integer beyond a float's range used to crash the diff (OverflowError), a ``multipleOf``
    of 0 too (ZeroDivisionError); a bound of the wrong JSON type was dropped, so the change
    passed. Each is now an unmodelled keyword on B: undecided."""
    verdict = compare(a, b)
    assert verdict.status is not Status.SUBSET, verdict
    assert any(r.kind == "keyword-unsupported" for r in verdict.reasons), verdict
    assert_counter_examples(verdict, {k: v for k, v in a.items() if k != "minContains"}, b)


def test_an_unusable_keyword_on_a_narrows_nothing_the_engine_relies_on() -> None:
    """On A an unusable keyword is ignored (A's real instances are fewer), so what the other
    keywords prove still holds."""
    a = {"type": "integer", "minimum": DIGITS_4000, "maximum": 3}
    assert compare(a, {"type": "integer", "maximum": 5}).status is Status.SUBSET
    assert compare(a, {"type": "integer", "maximum": 2}).status is Status.UNKNOWN  # not provable
    assert compare({"type": "integer", "multipleOf": 0}, {"type": "number"}).status is Status.SUBSET


TINY_STEPS = [
    ("step-1e-320", {"type": "number", "multipleOf": 0.1}, {"type": "number", "multipleOf": 1e-320}),
    ("step-5e-324", {"type": "number", "multipleOf": 5e-324}, {"type": "number", "multipleOf": 0.3}),
    ("step-near-1e308", {"type": "number", "minimum": 1e308, "multipleOf": 1e-300}, {"type": "number", "multipleOf": 3}),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in TINY_STEPS], ids=[c[0] for c in TINY_STEPS])
def test_steps_whose_quotients_overflow_do_not_crash(a: JSONValue, b: JSONValue) -> None:
    """Counter-examples near a bound divided by a denormal step used to crash (OverflowError:
    cannot convert float infinity to integer); such anchors are skipped."""
    for x, y in ((a, b), (b, a)):
        assert_counter_examples(compare(x, y), x, y)
