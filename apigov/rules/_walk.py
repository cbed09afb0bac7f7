"""Walking the DiffTree: every operation (paths, webhooks, callbacks) with the direction its
messages travel. In a callback the API is the client: it sends the request and reads the response."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.diff.tree import Matches, OperationDiff, OperationSide, ValueChange


@dataclass(frozen=True, slots=True)
class Op:
    """A matched operation and whether its directions are inverted (callbacks)."""

    diff: OperationDiff
    inverted: bool

    def direction(self, part: str) -> str:
        """``request`` or ``response`` as seen by the API's clients for ``part``."""
        if not self.inverted:
            return part
        return "response" if part == "request" else "request"


def operation_matches(
    matches: Matches[OperationSide, OperationDiff], inverted: bool = False
) -> Iterator[tuple[Matches[OperationSide, OperationDiff], bool]]:
    """``matches`` and, recursively, the callbacks of each changed operation."""
    yield matches, inverted
    for diff in matches.changed:
        if diff.callbacks:
            yield from operation_matches(diff.callbacks, not inverted)


def changed_operations(tree_ops: Matches[OperationSide, OperationDiff]) -> Iterator[Op]:
    for matches, inverted in operation_matches(tree_ops):
        for diff in matches.changed:
            yield Op(diff, inverted)


def change(changes: tuple[ValueChange, ...], name: str) -> ValueChange | None:
    return next((c for c in changes if c.field == name), None)


def parse_date(value: JSONValue) -> date | None:
    """An RFC 3339 date or date-time (``x-sunset``), else ``None``."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def node_at(data: JSONValue, pointer: str) -> JSONValue:
    """The node at ``pointer`` (``None`` when there is none)."""
    try:
        return jsonptr.resolve(data, pointer)
    except (KeyError, IndexError, ValueError, LookupError):
        return None


def first_object(data: JSONValue, pointers: tuple[str, ...]) -> tuple[str, JSONObject]:
    """The first of ``pointers`` that holds an object (3.x and 2.0 keep sections in other places)."""
    for pointer in pointers:
        node = node_at(data, pointer)
        if isinstance(node, dict):
            return pointer, node
    return pointers[0], {}
