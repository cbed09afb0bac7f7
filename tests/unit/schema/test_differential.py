"""The engine against jsonschema on random schema pairs over a finite domain of instances.

Random small schemas (bounds, lengths, enums, types, required names, nested ``oneOf`` / ``anyOf`` /
``allOf`` / ``not``) are compared; a ``SUBSET`` verdict must hold on every instance of the domain
that jsonschema validates, and every counter-example must be one jsonschema confirms. Seeded: the
same pairs every run (seeds 3 and 12 caught an unsound ``not`` verdict of the engine before).
"""

from __future__ import annotations

import random

import pytest
from jsonschema import Draft202012Validator

from apigov.core._types import JSONValue
from apigov.schema.compat import Status

from ._pairs import assert_counter_examples, compare

DOMAIN: list[JSONValue] = [
    *range(-3, 13),
    0.5,
    2.5,
    *("", "a", "ab", "abc", "abcd", "abcde", "abcdef", "b", "zz"),
    None,
    True,
    [],
    [1],
    {},
    {"a": 1},
    {"a": "x"},
    {"b": 1},
    {"a": 1, "b": 2},
]


def leaf(rnd: random.Random) -> dict[str, JSONValue]:
    kind = rnd.choice(["integer", "string", "enum", "const", "type", "object"])
    schema: dict[str, JSONValue] = {}
    if kind == "integer":
        schema = {"type": "integer"}
        for keyword in ("minimum", "maximum"):
            if rnd.random() < 0.5:
                schema[keyword] = rnd.randint(-2, 10)
        if rnd.random() < 0.3:
            schema["multipleOf"] = rnd.randint(1, 4)
    elif kind == "string":
        schema = {"type": "string"}
        for keyword in ("minLength", "maxLength"):
            if rnd.random() < 0.6:
                schema[keyword] = rnd.randint(0, 6)
    elif kind == "enum":
        schema = {"enum": rnd.sample(DOMAIN[:25], rnd.randint(1, 4))}
    elif kind == "const":
        schema = {"const": rnd.choice(DOMAIN[:25])}
    elif kind == "object":
        schema = {"type": "object"}
        if rnd.random() < 0.5:
            schema["required"] = [rnd.choice("ab")]
        if rnd.random() < 0.5:
            schema["properties"] = {rnd.choice("ab"): {"type": rnd.choice(["integer", "string"])}}
        if rnd.random() < 0.2:
            schema["additionalProperties"] = False
    else:
        schema = {
            "type": rnd.sample(["integer", "string", "null", "boolean", "object", "array"], rnd.randint(1, 3))
        }
    return schema


def schema(rnd: random.Random, depth: int = 0) -> dict[str, JSONValue]:
    if depth < 2 and rnd.random() < 0.45:
        keyword = rnd.choice(["oneOf", "anyOf", "allOf", "not", "oneOf"])
        if keyword == "not":
            return {"not": schema(rnd, depth + 1)}
        return {keyword: [schema(rnd, depth + 1) for _ in range(rnd.randint(1, 3))]}
    return leaf(rnd)


@pytest.mark.parametrize("seed", [3, 12])
def test_verdicts_hold_on_every_instance_of_the_domain(seed: int) -> None:
    rnd = random.Random(seed)
    unsound: list[tuple[JSONValue, JSONValue, JSONValue]] = []
    for _ in range(300):
        a = schema(rnd)
        b: dict[str, JSONValue] = schema(rnd)
        if rnd.random() < 0.3:  # a branch added to a union, the change class 4 is about
            branches = a.get("oneOf")
            b = {"oneOf": [*(branches if isinstance(branches, list) else [a]), schema(rnd, 1)]}
        verdict = compare(a, b)
        assert_counter_examples(verdict, a, b)
        if verdict.status is Status.SUBSET:
            valid_a, valid_b = Draft202012Validator(a), Draft202012Validator(b)
            unsound += [(a, b, x) for x in DOMAIN if valid_a.is_valid(x) and not valid_b.is_valid(x)][:1]
    assert unsound == []
