"""Which JSON Schema draft a document without ``$schema`` is read as.

A JSON Schema that does not declare ``$schema`` is read as the *default draft*: draft-07, as
Confluent Schema Registry reads event schemas, unless ``jsonschema.default-draft`` in apigov.yaml
(or a contract entry's ``default-draft``) says otherwise. When the keywords it uses exist only in
other drafts, the nearest draft that has them is assumed instead, and :func:`assumed_draft` says
why: boolean ``exclusiveMinimum``/``exclusiveMaximum`` exist only in draft-04; ``items`` as an
array and ``additionalItems`` up to 2019-09; ``dependencies`` up to draft-07; ``prefixItems``,
``$defs``, ``dependentRequired``... only from 2019-09 or 2020-12.

The walk visits schema positions only (not ``enum``, ``examples`` or ``default`` data) and at
most :data:`MAX_NODES` of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from apigov.core._types import JSONValue

D4, D6, D7, D2019, D2020 = "draft-04", "draft-06", "draft-07", "2019-09", "2020-12"
ORDER: Final = (D4, D6, D7, D2019, D2020)
"""The drafts by name, oldest first (a kind's value is ``jsonschema-`` and the name)."""
DEFAULT_DRAFT: Final = D7
"""The draft of a JSON Schema without ``$schema`` (Confluent Schema Registry's choice)."""
MAX_NODES: Final = 100_000

_SINGLE: Final = ("items", "additionalItems", "additionalProperties", "not", "if", "then", "else", "contains")
_SINGLE_MORE: Final = ("propertyNames", "unevaluatedProperties", "unevaluatedItems", "contentSchema")
_LISTS: Final = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAPS: Final = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies")

_NEWER: Final[tuple[tuple[str, str], ...]] = (
    ("prefixItems", D2020),
    ("$dynamicRef", D2020),
    ("$dynamicAnchor", D2020),
    ("$defs", D2019),
    ("dependentRequired", D2019),
    ("dependentSchemas", D2019),
    ("unevaluatedProperties", D2019),
    ("unevaluatedItems", D2019),
    ("minContains", D2019),
    ("maxContains", D2019),
    ("$anchor", D2019),
    ("if", D7),
    ("const", D6),
    ("contains", D6),
    ("propertyNames", D6),
)
"""Keywords that exist only from a draft on (the oldest draft that has them)."""


@dataclass(frozen=True, slots=True)
class Assumed:
    """The draft a document without ``$schema`` is read as; ``because`` names the keyword that
    moved it away from the default (``None``: the default fits)."""

    name: str
    because: str | None = None

    def note(self) -> str:
        """One sentence: ``the document has no $schema, so it is read as draft-07 (...)``."""
        text = f"the document has no $schema, so it is read as {_shown(self.name)}"
        if self.because is not None:
            text += f" ({self.because})"
        return text


def _shown(name: str) -> str:
    return name if name.startswith("draft") else f"draft {name}"


def parse_draft(text: str) -> str | None:
    """``draft-07``, ``draft7``, ``7``, ``2020-12``... as a draft name; ``None`` when it names none."""
    cleaned = text.strip().lower().removeprefix("draft").lstrip("-_ ")
    for name in ORDER:
        short = name.removeprefix("draft-")
        if cleaned in (name, short, short.lstrip("0")):
            return name
    return None


def _subschemas(data: JSONValue) -> Iterator[dict[str, JSONValue]]:
    stack: list[JSONValue] = [data]
    seen = 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        seen += 1
        yield node
        for key in (*_SINGLE, *_SINGLE_MORE):
            child = node.get(key)
            if isinstance(child, dict):
                stack.append(child)
        for key in _LISTS:
            children = node.get(key)
            if isinstance(children, list):
                stack.extend(children)
        for key in _MAPS:
            children = node.get(key)
            if isinstance(children, dict):
                stack.extend(children.values())


_ABSENT: Final = object()


def _schema(value: object) -> bool:
    return isinstance(value, (dict, bool))


def _well_formed(keyword: str, value: object) -> bool:
    """Whether ``value`` is what ``keyword`` takes in the draft that has it (a keyword of another
    shape is an unknown keyword of an older draft, not a sign of the newer one)."""
    if value is _ABSENT:
        return False
    if keyword == "prefixItems":
        return isinstance(value, list) and bool(value) and all(_schema(item) for item in value)
    if keyword in ("$defs", "dependentSchemas"):
        return isinstance(value, dict) and all(_schema(item) for item in value.values())
    if keyword == "dependentRequired":
        return isinstance(value, dict) and all(isinstance(item, list) for item in value.values())
    if keyword in ("minContains", "maxContains"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if keyword in ("$anchor", "$dynamicRef", "$dynamicAnchor"):
        return isinstance(value, str)
    if keyword == "const":
        return True
    return _schema(value)  # unevaluated*, if, contains, propertyNames


def _older_only(node: dict[str, JSONValue]) -> Iterator[tuple[str, str]]:
    """The newest draft each older-only idiom of ``node`` exists in, with a description."""
    for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(node.get(keyword), bool):
            yield D4, f"a boolean {keyword}"
    if isinstance(node.get("items"), list):
        yield D2019, "items as an array"
    if "additionalItems" in node:
        yield D2019, "additionalItems"
    if isinstance(node.get("dependencies"), dict):
        yield D7, "dependencies"


def assumed_draft(data: JSONValue, default: str = DEFAULT_DRAFT) -> Assumed:
    """The draft to read ``data`` (a JSON Schema without ``$schema``) as (see the module)."""
    rank = {kind: index for index, kind in enumerate(ORDER)}
    newest: tuple[str, str] | None = None  # the newest draft every older-only idiom exists in
    oldest: tuple[str, str] | None = None  # the oldest draft every newer-only keyword exists in
    for node in _subschemas(data):
        for kind, why in _older_only(node):
            if newest is None or rank[kind] < rank[newest[0]]:
                newest = (kind, why)
        for keyword, kind in _NEWER:
            if _well_formed(keyword, node.get(keyword, _ABSENT)) and (
                oldest is None or rank[kind] > rank[oldest[0]]
            ):
                oldest = (kind, keyword)
    if newest is not None and rank[default] > rank[newest[0]]:
        if oldest is not None and rank[oldest[0]] > rank[newest[0]]:
            return Assumed(default)  # idioms of several drafts: the default, validation says what is wrong
        return Assumed(
            newest[0], f"it uses {newest[1]}, which {_shown(newest[0])} has and later drafts do not"
        )
    if oldest is not None and rank[default] < rank[oldest[0]]:
        if newest is not None:
            return Assumed(default)
        return Assumed(oldest[0], f"it uses {oldest[1]}, which {_shown(default)} does not have")
    return Assumed(default)


def uses_older_idioms(data: JSONValue) -> str | None:
    """The first keyword of ``data`` that only makes sense before 2020-12, else ``None``."""
    for node in _subschemas(data):
        for _draft, why in _older_only(node):
            return why
    return None
