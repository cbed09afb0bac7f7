"""The engine's fast copies of reasons and its remembered results stay what the plain code gives."""

from __future__ import annotations

import dataclasses

import pytest

from apigov.core._types import JSONValue
from apigov.schema._base import NO_EXAMPLE, Reason, Status, _reason
from apigov.schema.compat import Comparator
from apigov.schema.model import local_resolver


def test_a_fast_copy_is_the_reason_the_constructor_builds() -> None:
    example: JSONValue = {"a": {"b": 1}}
    built = Reason("kind", "/a/b", Status.NOT_SUBSET, example, "detail", 7)
    fast = _reason("kind", "/a/b", Status.NOT_SUBSET, example, "detail", 7)
    assert type(fast) is Reason
    fields = [f.name for f in dataclasses.fields(Reason)]
    assert [getattr(fast, name) for name in fields] == [getattr(built, name) for name in fields]
    assert fast == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.path = "/c"  # type: ignore[misc]


def test_a_fast_copy_sets_every_field() -> None:
    """A field added to Reason must be set by ``_reason`` too (its signature lists them all)."""
    names = [f.name for f in dataclasses.fields(Reason)]
    assert list(_reason.__code__.co_varnames[: _reason.__code__.co_argcount]) == names


def test_a_remembered_result_replays_at_another_path() -> None:
    """A shared component's differences, found once, are reported at every place reaching it."""
    old: JSONValue = {
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"tag": {"type": "string"}}}}},
    }
    new: JSONValue = {
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"tag": {"type": "integer"}}}}},
    }
    ref: JSONValue = {"$ref": "#/components/schemas/Pet"}
    session = Comparator(local_resolver(old), local_resolver(new))
    schema: JSONValue = {
        "type": "object",
        "properties": {"first": ref, "second": {"type": "array", "items": ref}},
    }
    verdict = session.is_subset(schema, schema)
    paths = sorted(r.path for r in verdict.reasons)
    assert paths == ["/first/tag", "/second/0/tag"]
    assert all(r.status is Status.NOT_SUBSET and r.counter_example is not NO_EXAMPLE for r in verdict.reasons)
