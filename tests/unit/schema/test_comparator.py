"""Comparator: one session over many comparisons gives the verdicts fresh is_subset calls give."""

from __future__ import annotations

import random

import pytest
from jsonschema import Draft202012Validator

from apigov.core._types import JSONValue
from apigov.schema.compat import Comparator, Status, Verdict, is_subset
from apigov.schema.model import local_resolver

from ._pairs import assert_counter_examples, obj
from .test_compat import ALL_PAIRS, DEFS, ONE_OF_SUBSET
from .test_soundness import POOL, draw

S = {"type": "string"}
INT = {"type": "integer"}


def ref(name: str) -> dict[str, JSONValue]:
    return {"$ref": f"#/components/schemas/{name}"}


def doc(defs: dict[str, JSONValue]) -> JSONValue:
    return {"components": {"schemas": defs}}


def shape(verdict: Verdict) -> tuple[Status, list[tuple[str, str, Status]]]:
    return verdict.status, sorted((r.kind, r.path, r.status) for r in verdict.reasons)


TABLE = [(a, b) for a, b, *_ in ALL_PAIRS] + [(a, b) for _, a, b in ONE_OF_SUBSET]


def test_a_session_over_the_table_agrees_with_fresh_calls() -> None:
    resolve = local_resolver(doc(DEFS))
    forward, backward = Comparator(resolve, resolve), Comparator(resolve, resolve)
    order = [*TABLE, *TABLE]  # the second round is answered from the session's memory
    random.Random(7).shuffle(order)
    for a, b in order:
        for session, first, second in ((forward, a, b), (backward, b, a)):
            expected = is_subset(first, second, resolve_a=resolve, resolve_b=resolve)
            assert shape(session.is_subset(first, second)) == shape(expected), (first, second)


SIDE_A: dict[str, JSONValue] = {
    "X": S,
    "Same": obj({"x": ref("X")}, required=["x"]),
    "Node": obj({"value": ref("X"), "next": {"anyOf": [ref("Node"), {"type": "null"}]}}),
    "Pet": obj({"name": S, "friend": ref("Pet")}, required=["name"]),
    "Y": INT,
}
SIDE_B: dict[str, JSONValue] = {
    "X": INT,  # the same name, another target
    "Same": obj({"x": ref("X")}, required=["x"]),
    "Node": obj({"value": ref("X"), "next": {"anyOf": [ref("Node"), {"type": "null"}]}}),
    "Pet": obj({"name": S, "friend": ref("Pet")}, required=["name"]),
    "Y": INT,
}
NAMED: list[tuple[JSONValue, JSONValue, Status]] = [
    (ref("X"), ref("X"), Status.NOT_SUBSET),
    (ref("Same"), ref("Same"), Status.NOT_SUBSET),  # written the same, but X differs underneath
    (obj({"s": ref("Same")}), obj({"s": ref("Same")}), Status.NOT_SUBSET),
    (ref("Node"), ref("Node"), Status.NOT_SUBSET),  # recursive, X differs inside the cycle
    (ref("Pet"), ref("Pet"), Status.SUBSET),  # recursive and the same on both sides
    (obj({"p": ref("Pet")}), obj({"p": ref("Pet")}), Status.SUBSET),
    (ref("Y"), ref("Y"), Status.SUBSET),
    (ref("Y"), ref("X"), Status.SUBSET),
    (ref("X"), ref("Y"), Status.NOT_SUBSET),
]


@pytest.mark.parametrize("rounds", [1, 3])
def test_references_with_the_same_name_follow_their_own_side(rounds: int) -> None:
    resolve_a, resolve_b = local_resolver(doc(SIDE_A)), local_resolver(doc(SIDE_B))
    session = Comparator(resolve_a, resolve_b)
    for _ in range(rounds):
        for a, b, status in [*NAMED, *reversed(NAMED)]:
            verdict = session.is_subset(a, b)
            assert verdict.status is status, (a, b, verdict)
            fresh = is_subset(a, b, resolve_a=resolve_a, resolve_b=resolve_b)
            assert shape(verdict) == shape(fresh)
            assert_counter_examples(verdict, a, b, SIDE_A, SIDE_B)


def test_written_the_same_is_recognised_through_references_and_annotations() -> None:
    a_defs: dict[str, JSONValue] = {"T": obj({"t": ref("T"), "n": S}, description="old")}
    b_defs: dict[str, JSONValue] = {"T": obj({"t": ref("T"), "n": S}, description="new", example={"n": "x"})}
    session = Comparator(local_resolver(doc(a_defs)), local_resolver(doc(b_defs)))
    assert session.same(ref("T"), ref("T"))
    assert session.same({"$ref": "#/components/schemas/T", "description": "x"}, a_defs["T"])
    assert not session.same({"enum": [True]}, {"enum": [1]})  # JSON: true is not 1
    assert not session.same({"minimum": 1}, {"minimum": 2})
    b_defs["T"] = obj({"t": ref("T"), "n": INT})
    other = Comparator(local_resolver(doc(a_defs)), local_resolver(doc(b_defs)))
    assert not other.same(ref("T"), ref("T"))
    assert other.is_subset(ref("T"), ref("T")).status is Status.NOT_SUBSET


def test_the_step_budget_is_per_call() -> None:
    def chain(leaf: str) -> dict[str, JSONValue]:
        links: dict[str, JSONValue] = {
            f"N{i}": obj({"v": {"type": leaf}, "n": ref(f"N{i + 1}")}) for i in range(30)
        }
        return {**links, "N30": {"type": leaf}}

    narrow, wider = chain("integer"), chain("number")
    resolve_a, resolve_b = local_resolver(doc(narrow)), local_resolver(doc(wider))
    needed = is_subset(ref("N0"), ref("N0"), resolve_a=resolve_a, resolve_b=resolve_b)
    assert needed.status is Status.SUBSET
    tight = Comparator(resolve_a, resolve_b, max_steps=10)
    assert tight.is_subset(ref("N0"), ref("N0")).status is Status.UNKNOWN
    assert [r.kind for r in tight.is_subset(ref("N0"), ref("N0")).reasons] == ["budget-exceeded"]
    roomy = Comparator(resolve_a, resolve_b, max_steps=200)
    for start in range(30):  # each call has the whole budget, and earlier calls' work is reused
        assert roomy.is_subset(ref(f"N{start}"), ref(f"N{start}")).status is Status.SUBSET


def test_a_session_over_random_pairs_is_sound_and_agrees_with_fresh_calls() -> None:
    rng = random.Random(20261122)
    resolve = local_resolver({})
    session = Comparator(resolve, resolve)
    drawn = [(draw(rng), draw(rng)) for _ in range(300)]
    for a, b in [*drawn, *drawn]:
        verdict = session.is_subset(a, b)
        assert shape(verdict) == shape(is_subset(a, b, resolve_a=resolve, resolve_b=resolve)), (a, b)
        valid_a, valid_b = Draft202012Validator(a), Draft202012Validator(b)
        if verdict.status is Status.SUBSET:
            for instance in POOL:
                assert not (valid_a.is_valid(instance) and not valid_b.is_valid(instance)), (a, b, instance)
        for reason in verdict.reasons:
            if reason.status is Status.NOT_SUBSET:
                assert valid_a.is_valid(reason.counter_example), (a, b, reason)
                assert not valid_b.is_valid(reason.counter_example), (a, b, reason)
