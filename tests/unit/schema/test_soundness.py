"""Randomised soundness: a SUBSET verdict never meets an instance A accepts and B rejects (jsonschema).

Schemas are drawn from a small grammar with a fixed seed; instances from a pool that hits the
bounds the grammar uses. Every NOT_SUBSET counter-example is re-proven too.
"""

from __future__ import annotations

import random

from jsonschema import Draft202012Validator

from apigov.core._types import JSONValue
from apigov.schema.compat import Status, is_subset
from apigov.schema.model import local_resolver

POOL: list[JSONValue] = [
    None, True, False, 0, 1, 2, 3, 4, -1, 0.5, 2.5, 10, "", "a", "ab", "abc", "abcd", "1", [], [1], [1, 1],
    ["a"], ["a", "b"], [None], {}, {"a": 1}, {"a": "x"}, {"b": 1}, {"a": None}, {"a": 1, "b": "x"},
    {"a": [1]}, {"c": True},
]  # fmt: skip


def draw(rng: random.Random, depth: int = 0) -> JSONValue:
    choice = rng.randrange(12 if depth < 2 else 7)
    if choice == 0:
        return {"type": rng.choice(["integer", "number", "string", "null", "boolean", ["string", "null"]])}
    if choice == 1:
        return {"enum": rng.sample([0, 1, "a", "ab", None, True], rng.randint(1, 3))}
    if choice == 2:
        return {
            "type": rng.choice(["integer", "number"]),
            rng.choice(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]): rng.choice(
                [0, 1, 2.5]
            ),
        }
    if choice == 3:
        return {"type": rng.choice(["integer", "number"]), "multipleOf": rng.choice([1, 2, 0.5])}
    if choice == 4:
        return {"type": "string", rng.choice(["minLength", "maxLength"]): rng.randint(0, 3)}
    if choice == 5:
        return rng.choice([True, False, {}, {"const": 1}])
    if choice == 6:
        return {"type": "string", "pattern": rng.choice(["^a", "b$", "^[0-9]+$"])}
    if choice == 7:
        props = {name: draw(rng, depth + 1) for name in rng.sample(["a", "b"], rng.randint(0, 2))}
        schema: dict[str, JSONValue] = {"type": "object", "properties": props}
        if props and rng.random() < 0.5:
            schema["required"] = [rng.choice(sorted(props))]
        if rng.random() < 0.4:
            schema["additionalProperties"] = rng.choice([False, draw(rng, depth + 1)])
        return schema
    if choice == 8:
        schema = {"type": "array", "items": draw(rng, depth + 1)}
        keyword = rng.choice(["minItems", "maxItems", "uniqueItems"])
        schema[keyword] = True if keyword == "uniqueItems" else rng.choice([1, 2])
        return schema
    keyword = ["anyOf", "oneOf", "allOf"][choice - 9]
    return {keyword: [draw(rng, depth + 1) for _ in range(rng.randint(1, 3))]}


def test_random_pairs_are_sound() -> None:
    rng = random.Random(20261121)
    resolve = local_resolver({})
    counts = dict.fromkeys(Status, 0)
    for _ in range(600):
        a, b = draw(rng), draw(rng)
        if rng.random() < 0.3:
            b = a  # identical pairs must never be NOT_SUBSET
        verdict = is_subset(a, b, resolve_a=resolve, resolve_b=resolve)
        counts[verdict.status] += 1
        valid_a, valid_b = Draft202012Validator(a), Draft202012Validator(b)
        if verdict.status is Status.SUBSET:
            for instance in POOL:
                assert not (valid_a.is_valid(instance) and not valid_b.is_valid(instance)), (a, b, instance)
        for reason in verdict.reasons:
            if reason.status is Status.NOT_SUBSET:
                assert valid_a.is_valid(reason.counter_example), (a, b, reason)
                assert not valid_b.is_valid(reason.counter_example), (a, b, reason)
        if b is a:
            assert verdict.status is not Status.NOT_SUBSET, (a, verdict)
    assert min(counts.values()) > 10, counts


# --- the keywords modelled later: patterns of names, counts of properties, dependencies,
# conditionals, tuples, contains, unevaluatedProperties --------------------------------------------

POOL2: list[JSONValue] = [
    *POOL, {"x_a": "s"}, {"x_a": 1}, {"x_a": 1, "b": 2}, {"a": "x", "x_b": 2}, {"abcd": 1}, {"A": 1},
    {"a": 1, "b": 2, "c": 3}, {"kind": "a"}, {"kind": "a", "x": 1}, {"kind": "b"}, {"b": "x"},
    [1, "a"], ["a", 1], [1, 2, 3], [1.5], [1, 1.5], ["a", "b", "c"], [None, 1], [[1]], [{}],
]  # fmt: skip

LEAVES: list[JSONValue] = [
    {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "string", "maxLength": 1},
    {"const": 1}, {"enum": ["a", 1]}, True, False, {"type": "integer", "minimum": 2},
]  # fmt: skip


def leaf(rng: random.Random) -> JSONValue:
    return rng.choice(LEAVES)


def draw_object(rng: random.Random) -> dict[str, JSONValue]:
    schema: dict[str, JSONValue] = {"type": "object"}
    if rng.random() < 0.6:
        schema["properties"] = {n: leaf(rng) for n in rng.sample(["a", "b", "x_a"], rng.randint(1, 2))}
    if rng.random() < 0.4:
        schema["patternProperties"] = {rng.choice(["^x_", "^[a-z]+$", "b"]): leaf(rng)}
    if rng.random() < 0.3:
        schema["additionalProperties"] = rng.choice([False, True, leaf(rng)])
    if rng.random() < 0.25:
        schema["unevaluatedProperties"] = rng.choice([False, leaf(rng)])
    if rng.random() < 0.3:
        schema["required"] = rng.sample(["a", "b", "kind"], rng.randint(1, 2))
    if rng.random() < 0.3:
        schema[rng.choice(["minProperties", "maxProperties"])] = rng.randint(0, 2)
    if rng.random() < 0.25:
        schema["propertyNames"] = rng.choice(
            [{"maxLength": 1}, {"pattern": "^[a-z]+$"}, {"enum": ["a", "b"]}]
        )
    if rng.random() < 0.25:
        schema["dependentRequired"] = {rng.choice(["a", "kind"]): [rng.choice(["b", "x"])]}
    if rng.random() < 0.2:
        schema["dependentSchemas"] = {"a": {"required": [rng.choice(["b", "x"])]}}
    if rng.random() < 0.2:
        branch: dict[str, JSONValue] = {"properties": {"b": leaf(rng)}}
        if rng.random() < 0.3:
            branch[rng.choice(["additionalProperties", "unevaluatedProperties"])] = rng.choice(
                [True, leaf(rng)]
            )
        schema["allOf"] = [branch]
    return schema


def draw_array(rng: random.Random) -> dict[str, JSONValue]:
    schema: dict[str, JSONValue] = {"type": "array"}
    if rng.random() < 0.5:
        schema["prefixItems"] = [leaf(rng) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        schema["items"] = leaf(rng)
    if rng.random() < 0.4:
        schema["contains"] = leaf(rng)
        if rng.random() < 0.5:
            schema[rng.choice(["minContains", "maxContains"])] = rng.randint(0, 2)
    if rng.random() < 0.3:
        schema[rng.choice(["minItems", "maxItems"])] = rng.randint(0, 2)
    return schema


def draw2(rng: random.Random) -> JSONValue:
    choice = rng.randrange(5)
    if choice == 0:
        return leaf(rng)
    if choice == 1:
        return {
            "if": rng.choice([{"type": "integer"}, {"required": ["kind"]}, {"minimum": 2}]),
            "then": draw2(rng) if rng.random() < 0.3 else leaf(rng),
            "else": leaf(rng),
        }
    if choice == 2:
        return draw_array(rng)
    return draw_object(rng)


def test_random_pairs_with_newer_keywords_are_sound() -> None:
    rng = random.Random(20261122)
    resolve = local_resolver({})
    counts = dict.fromkeys(Status, 0)
    for _ in range(1500):
        a = draw2(rng)
        b = draw2(rng) if rng.random() < 0.6 else _mutate(rng, a)
        verdict = is_subset(a, b, resolve_a=resolve, resolve_b=resolve)
        counts[verdict.status] += 1
        valid_a, valid_b = Draft202012Validator(a), Draft202012Validator(b)
        if verdict.status is Status.SUBSET:
            for instance in POOL2:
                assert not (valid_a.is_valid(instance) and not valid_b.is_valid(instance)), (a, b, instance)
        for reason in verdict.reasons:
            if reason.status is Status.NOT_SUBSET:
                assert valid_a.is_valid(reason.counter_example), (a, b, reason)
                assert not valid_b.is_valid(reason.counter_example), (a, b, reason)
    assert min(counts.values()) > 30, counts


def _mutate(rng: random.Random, schema: JSONValue) -> JSONValue:
    """A near copy: one keyword dropped, or one added."""
    if not isinstance(schema, dict) or not schema:
        return draw2(rng)
    changed = dict(schema)
    if rng.random() < 0.5 and len(changed) > 1:
        del changed[rng.choice(sorted(k for k in changed if k != "type") or ["type"])]
    else:
        extra = draw_object(rng) if schema.get("type") == "object" else draw_array(rng)
        key = rng.choice(sorted(extra))
        changed[key] = extra[key]
    return changed
