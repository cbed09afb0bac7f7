"""Hostile schemas: the engine answers in bounded time and memory, never crashes, and leaves what
it cannot decide undecided (a warning), never passed."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest

from apigov.core._types import JSONValue
from apigov.schema.compat import Comparator, Status, Verdict
from apigov.schema.instances import NONE, accepts, example
from apigov.schema.model import MemoResolver, local_resolver

from ._pairs import assert_counter_examples, compare

DIGITS_4000 = int("9" * 4000)
"""An integer JSON allows and no float holds."""

UNUSABLE_NUMBERS = [
    ("minimum-4000-digits", {"type": "integer"}, {"type": "integer", "minimum": DIGITS_4000}),
    ("maximum-4000-digits", {"type": "integer", "maximum": 5}, {"type": "integer", "maximum": -DIGITS_4000}),
    ("multiple-of-4000-digits", {"type": "integer"}, {"type": "integer", "multipleOf": DIGITS_4000}),
    (
        "exclusive-minimum-4000-digits",
        {"type": "number"},
        {"type": "number", "exclusiveMinimum": DIGITS_4000},
    ),
    ("min-length-4000-digits", {"type": "string"}, {"type": "string", "minLength": DIGITS_4000}),
    ("max-items-4000-digits", {"type": "array", "maxItems": 3}, {"type": "array", "maxItems": -DIGITS_4000}),
    (
        "min-contains-4000-digits",
        {"type": "array"},
        {"type": "array", "contains": {}, "minContains": DIGITS_4000},
    ),
    ("multiple-of-zero", {"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": 0}),
    ("multiple-of-negative", {"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": -3}),
    ("minimum-a-string", {"type": "number"}, {"type": "number", "minimum": "5"}),
    ("maximum-a-boolean", {"type": "number"}, {"type": "number", "maximum": True}),
    ("exclusive-maximum-a-string", {"type": "number"}, {"type": "number", "exclusiveMaximum": "x"}),
    ("max-length-a-list", {"type": "string"}, {"type": "string", "maxLength": [1]}),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in UNUSABLE_NUMBERS], ids=[c[0] for c in UNUSABLE_NUMBERS])
def test_numeric_keywords_the_engine_cannot_use_leave_the_change_undecided(
    a: JSONValue, b: JSONValue
) -> None:
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
    (
        "step-near-1e308",
        {"type": "number", "minimum": 1e308, "multipleOf": 1e-300},
        {"type": "number", "multipleOf": 3},
    ),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in TINY_STEPS], ids=[c[0] for c in TINY_STEPS])
def test_steps_whose_quotients_overflow_do_not_crash(a: JSONValue, b: JSONValue) -> None:
    """Counter-examples near a bound divided by a denormal step used to crash (OverflowError:
    cannot convert float infinity to integer); such anchors are skipped."""
    for x, y in ((a, b), (b, a)):
        assert_counter_examples(compare(x, y), x, y)


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Slow


HANG_CPU_SECONDS = 120.0
"""Past this much CPU time a comparison is taken to hang. These tests catch hangs (before the
budgets, minutes or hours), they do not measure speed (benchmarks do): each call takes under
17 s alone, and CPU time, unlike wall-clock time, does not grow when a loaded 2-core machine
runs other work beside the test."""


def _timed(a: JSONValue, b: JSONValue, defs: dict[str, JSONValue] | None = None) -> Verdict:
    """``compare(a, b)``, failing (instead of hanging for minutes or hours) past the CPU limit."""
    verdict = _within(lambda: compare(a, b, defs, defs))
    assert isinstance(verdict, Verdict)
    return verdict


def _ref(name: str) -> JSONValue:
    return {"$ref": f"#/components/schemas/{name}"}


def test_all_of_recursion_through_refs_is_flattened_once_per_schema() -> None:
    """Each component an ``allOf`` of two others (a cycle) used to be flattened into 2^64
    conjuncts: the comparison never ended. Now each schema object is one conjunct."""
    count = 12
    a_defs = {
        f"M{i}": {"type": "object", "allOf": [_ref(f"M{(i + 1) % count}"), _ref(f"M{(i + 5) % count}")]}
        for i in range(count)
    }
    b = {"type": "object", "required": ["x"]}
    verdict = _timed(_ref("M0"), b, a_defs)
    assert verdict.status is not Status.SUBSET


def test_a_long_chain_of_dependent_required_is_linear() -> None:
    """``dependentRequired`` a0 -> a1 -> ... -> a5000 was closed once per name, each time in
    rounds over every name (hundreds of millions of lookups: minutes)."""
    count = 5000
    a = {"type": "object", "dependentRequired": {f"a{i}": [f"a{i + 1}"] for i in range(count)}}
    b = {"type": "object", "dependentRequired": {f"a{i}": [f"a{i + 2}"] for i in range(count)}}
    verdict = _timed(a, b)
    assert verdict.status is not Status.SUBSET


WIDE_UNIONS = [
    (
        "one-of-consts",
        {"oneOf": [{"const": i} for i in range(3000)]},
        {"oneOf": [{"const": i} for i in range(1, 3001)]},
    ),
    (
        "any-of-objects",
        {
            "anyOf": [
                {"type": "object", "properties": {"k": {"const": i}}, "required": ["k"]} for i in range(3000)
            ]
        },
        {
            "anyOf": [
                {"type": "object", "properties": {"k": {"const": i}}, "required": ["k"]}
                for i in range(1, 3001)
            ]
        },
    ),
    (
        "one-of-patterns",
        {"oneOf": [{"type": "string", "pattern": f"^x{i}$"} for i in range(3000)]},
        {"oneOf": [{"type": "string", "pattern": f"^x{i}$"} for i in range(1, 3001)]},
    ),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in WIDE_UNIONS], ids=[c[0] for c in WIDE_UNIONS])
def test_unions_of_thousands_of_branches_stop_at_the_work_budget(a: JSONValue, b: JSONValue) -> None:
    """Each branch of A against each of B (and every instance validated against every branch)
    used to take minutes and gigabytes; the units of work are now counted, and running out of
    them leaves the change undecided."""
    verdict = _timed(a, b)
    assert verdict.status is not Status.SUBSET
    assert_counter_examples(verdict, a, b)


def _allof_loop(count: int) -> dict[str, JSONValue]:
    """``count`` components, each an object and ``allOf`` of two others, in a loop."""
    return {
        f"M{i}": {"type": "object", "allOf": [_ref(f"M{(i + 1) % count}"), _ref(f"M{(i + 7) % count}")]}
        for i in range(count)
    }


def _within(run: Callable[[], object]) -> object:
    """``run()``, failing once it has used :data:`HANG_CPU_SECONDS` of CPU time (``ITIMER_PROF``
    counts this process's CPU time, not the clock on the wall)."""
    previous = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, HANG_CPU_SECONDS)
    try:
        return run()
    except _Slow:
        pytest.fail(f"still running after {HANG_CPU_SECONDS} s of CPU time")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@pytest.mark.parametrize("count", [12, 100])
def test_validating_against_an_all_of_loop_ends(count: int) -> None:
    """Validation followed both ``$ref`` of every ``allOf`` until the depth limit, remembering
    nothing on the way (2^64 routes); a schema met again for the same instance is now a cycle
    (undecided), and one validation's work is budgeted."""
    document: JSONValue = {"components": {"schemas": _allof_loop(count)}}
    resolve = MemoResolver(local_resolver(document))
    verdict = _within(lambda: accepts(_ref("M0"), {"a": 1}, resolve))
    assert verdict is not True
    assert _within(lambda: accepts(_ref("M0"), "text", resolve)) is False  # not an object


def test_an_example_of_an_all_of_loop_is_looked_for_within_a_budget() -> None:
    document: JSONValue = {"components": {"schemas": _allof_loop(12)}}
    resolve = MemoResolver(local_resolver(document))
    found = _within(lambda: example(_ref("M0"), resolve))
    assert found is NONE or accepts(_ref("M0"), found, resolve) is not False


def _anyof_web(count: int, shift: int) -> dict[str, JSONValue]:
    """``count`` components, each ``anyOf`` two others and an object holding a third."""
    return {
        f"N{i}": {
            "anyOf": [
                _ref(f"N{(i + shift) % count}"),
                _ref(f"N{(i + 3) % count}"),
                {"type": "object", "properties": {"x": _ref(f"N{(i + 2) % count}")}},
            ]
        }
        for i in range(count)
    }


# shift 1 takes 16 s of CPU (40 s on a loaded machine): the slow stage
@pytest.mark.parametrize("shift", [pytest.param(1, marks=pytest.mark.slow), 2])
def test_telling_whether_a_web_of_references_is_the_same_neither_overflows_nor_hangs(shift: int) -> None:
    """Whether two webs of 40 schemas referencing each other are written the same recursed
    through every chain of distinct pairs (RecursionError) and judged pairs resting on an
    assumption again along every route (hours); its depth and its work are bounded now."""
    a_doc: JSONValue = {"components": {"schemas": _anyof_web(40, 1)}}
    b_doc: JSONValue = {"components": {"schemas": _anyof_web(40, shift)}}
    session = Comparator(local_resolver(a_doc), local_resolver(b_doc))
    same = _within(lambda: session.same(_ref("N0"), _ref("N0")))
    assert same is False or shift == 1
    verdict = _within(lambda: session.is_subset(_ref("N0"), _ref("N0")))
    assert isinstance(verdict, Verdict)


def _pattern_web(shift: int, closed: bool) -> dict[str, JSONValue]:
    """40 objects whose ``patternProperties`` lead to one another, names checked by a pattern."""
    webs: dict[str, JSONValue] = {
        f"N{i}": {
            "type": "object",
            "patternProperties": {f"^p{j}": _ref(f"N{(i + j + shift) % 40}") for j in range(8)},
            **({"additionalProperties": False} if closed else {"propertyNames": _ref("P")}),
        }
        for i in range(40)
    }
    return {**webs, "P": {"type": "string", "pattern": "^p"}}


def test_pattern_properties_leading_to_one_another_are_compared_within_the_budget() -> None:
    """Each pair of patterns looked for a name both match (regular-expression searches) at every
    level of the recursion, uncounted: minutes. Those searches are work units now."""
    a_defs, b_defs = _pattern_web(0, closed=False), _pattern_web(1, closed=True)
    a_doc: JSONValue = {"components": {"schemas": a_defs}}
    b_doc: JSONValue = {"components": {"schemas": b_defs}}
    session = Comparator(local_resolver(a_doc), local_resolver(b_doc))
    verdict = _within(lambda: session.is_subset(_ref("N0"), _ref("N0")))
    assert isinstance(verdict, Verdict) and verdict.status is not Status.SUBSET
