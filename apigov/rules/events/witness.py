"""Counter-examples for the schema changes the engine could not prove: a bounded search.

When :mod:`apigov.schema.compat` answers ``UNKNOWN`` for a difference (it builds no instance
for a ``pattern``, for example), this module looks for an instance the *writer* schema accepts
and the *reader* schema rejects, starting from instances the writer side documents (its
``examples``, ``default``, ``const``, ``enum``, an AsyncAPI message's example payloads, the
engine's own example) and changing the value at the instance path of the difference (removing
it, or putting the writer's documented values and a few probes of each JSON type there).
Every candidate is validated with the ``jsonschema`` package against both whole schemas
(regular expressions on RE2, formats not asserted), so a counter-example found here is checked
by a validator independent of the engine. The search is bounded by :data:`MAX_CANDIDATES`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any, Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.rules.context import Side
from apigov.schema.compat import NoExample
from apigov.schema.instances import example
from apigov.schema.model import MemoResolver

MAX_CANDIDATES: Final = 400
_BASE: Final = "urn:apigov:event-document"
_PROBES: Final[tuple[JSONValue, ...]] = (
    None,
    True,
    0,
    -1,
    1,
    0.5,
    2**31,
    -(2**53),
    "",
    "x",
    "x" * 300,
    [],
    [None],
    {},
)


class Oracle:
    """Validates instances against the schema at a pointer of one side's document."""

    def __init__(self, side: Side) -> None:
        self._side = side
        self._validators: dict[str, Any] = {}

    def _validator(self, pointer: str) -> Any:
        found = self._validators.get(pointer)
        if found is not None:
            return found
        from jsonschema import validators
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7, DRAFT202012

        from apigov.lint._regex import safe_validator_class
        from apigov.lint._schema_walk import validator_class

        data = self._side.data
        if self._side.kind.family == "jsonschema" and pointer == "":
            cls = validator_class(self._side.kind)  # the draft $schema names, or the one assumed
            made = cls(data, registry=Registry())  # never fetches
        else:
            spec = DRAFT202012 if self._side.kind is Kind.JSONSCHEMA_2020 else DRAFT7
            resource = Resource.from_contents(data, default_specification=spec)
            registry: Any = Registry().with_resource(_BASE, resource).crawl()  # embedded $id too
            cls = validators.Draft7Validator if spec is DRAFT7 else validators.Draft202012Validator
            made = safe_validator_class(cls)(
                {"$ref": _BASE + jsonptr.to_fragment(pointer)}, registry=registry
            )
        self._validators[pointer] = made
        return made

    def valid(self, pointer: str, instance: JSONValue) -> bool | None:
        """Whether the schema at ``pointer`` accepts ``instance``; ``None`` when it cannot tell."""
        import re

        from jsonschema.exceptions import SchemaError
        from referencing.exceptions import Unresolvable

        try:
            return bool(self._validator(pointer).is_valid(instance))
        except (Unresolvable, SchemaError, re.error, RecursionError, TypeError, ValueError, KeyError):
            return None


def _documented(node: JSONValue) -> Iterator[JSONValue]:
    if not isinstance(node, dict):
        return
    examples = node.get("examples")
    if isinstance(examples, list):
        yield from examples[:20]
    for keyword in ("default", "const", "example"):
        if keyword in node:
            yield node[keyword]
    values = node.get("enum")
    if isinstance(values, list):
        yield from values[:50]


def _subschema(side: Side, pointer: str, path: str) -> JSONValue:
    """The writer's schema at instance ``path`` (properties / items, following local $ref)."""
    node = _deref(side, _at(side.data, pointer))
    for token in jsonptr.split(path):
        if not isinstance(node, dict):
            return None
        props = node.get("properties")
        if isinstance(props, dict) and token in props:
            node = _deref(side, props[token])
        elif token.isdigit() and isinstance(node.get("items"), dict):
            node = _deref(side, node["items"])
        else:
            return None
    return node


def _deref(side: Side, node: JSONValue) -> JSONValue:
    for _ in range(16):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        assert isinstance(ref, str)
        if not ref.startswith("#"):
            return node
        node = _at(side.data, jsonptr.from_fragment(ref[1:]))
    return node


def _at(data: JSONValue, pointer: str) -> JSONValue:
    try:
        return jsonptr.resolve(data, pointer)
    except (KeyError, IndexError, ValueError, LookupError):
        return None


def _set(instance: JSONValue, path: str, value: JSONValue | NoExample) -> JSONValue | NoExample:
    """A copy of ``instance`` with ``value`` at ``path`` (removed when ``value`` is NoExample)."""
    tokens = jsonptr.split(path)
    if not tokens:
        return value
    copied = copy.deepcopy(instance)
    holder = copied
    for token in tokens[:-1]:
        if isinstance(holder, dict):
            if not isinstance(holder.get(token), (dict, list)):
                holder[token] = {}
            holder = holder[token]
        elif isinstance(holder, list) and token.isdigit() and int(token) < len(holder):
            holder = holder[int(token)]
        else:
            return NoExample()
    last = tokens[-1]
    if isinstance(holder, dict):
        if isinstance(value, NoExample):
            if last not in holder:
                return NoExample()
            del holder[last]
        else:
            holder[last] = value
        return copied
    if (
        isinstance(holder, list)
        and last.isdigit()
        and int(last) < len(holder)
        and not isinstance(value, NoExample)
    ):
        holder[int(last)] = value
        return copied
    return NoExample()


def find(
    writer: Side,
    writer_pointer: str,
    reader: Side,
    reader_pointer: str,
    paths: Sequence[str],
    *,
    seeds: Sequence[JSONValue] = (),
    writer_oracle: Oracle,
    reader_oracle: Oracle,
) -> JSONValue | NoExample:
    """An instance the writer's schema accepts and the reader's rejects, changed at one of
    ``paths`` (instance pointers) from a documented instance; :class:`NoExample` when none is found."""
    root = _at(writer.data, writer_pointer)
    starts: list[JSONValue] = [*seeds, *_documented(_deref(writer, root))]
    built = example(root, MemoResolver(writer.resolve))  # remembers, and budgets its validations
    if not isinstance(built, NoExample):
        starts.append(built)
    budget = MAX_CANDIDATES
    tried: set[str] = set()
    for start in starts:
        if writer_oracle.valid(writer_pointer, start) is not True:
            continue
        for candidate in _variants(writer, writer_pointer, start, paths):
            key = repr(candidate)
            if key in tried:
                continue
            tried.add(key)
            budget -= 1
            if budget < 0:
                return NoExample()
            if (
                writer_oracle.valid(writer_pointer, candidate) is True
                and reader_oracle.valid(reader_pointer, candidate) is False
            ):
                return candidate
    return NoExample()


def _variants(writer: Side, pointer: str, start: JSONValue, paths: Sequence[str]) -> Iterator[JSONValue]:
    yield start
    for path in paths:
        sub = _subschema(writer, pointer, path)
        values = [*_documented(sub), *_PROBES]
        removed = _set(start, path, NoExample())
        if not isinstance(removed, NoExample):
            yield removed
        for value in values:
            changed = _set(start, path, value)
            if not isinstance(changed, NoExample):
                yield changed
