"""A JSON Schema of draft-04, -06, -07 or 2019-09 in the reading the engine has.

The engine (:mod:`apigov.schema.model`, :mod:`apigov.schema.compat`) reads schemas as 2020-12
does, and also understands the older spellings that mean the same there (``items`` as an array
with ``additionalItems``, ``dependencies``, boolean ``exclusiveMinimum``/``exclusiveMaximum``,
``definitions``). What differs in meaning is rewritten here, before the engine sees a document:

- up to draft-07, ``$ref`` replaces the whole schema it stands in: its sibling keywords are
  ignored by validators, so they are dropped (annotations and ``definitions`` stay);
- a keyword a draft does not have is an annotation there (it asserts nothing), so it is dropped:
  ``prefixItems`` and ``$dynamicRef`` before 2020-12; ``dependentRequired``, ``dependentSchemas``,
  ``unevaluated*`` and ``min/maxContains`` before 2019-09; ``if``/``then``/``else`` before
  draft-07; ``const``, ``contains`` and ``propertyNames`` in draft-04.

Only schema positions are rewritten (never ``enum``, ``const``, ``default`` or ``examples``
data), and only by removing keys, so every JSON pointer into the result is a pointer into the
original. A 2020-12 document is returned as it is. Pure: no I/O.
"""

from __future__ import annotations

from typing import Final

from apigov.core._types import JSONValue
from apigov.schema.model import ANNOTATIONS

_ORDER: Final = ("draft-04", "draft-06", "draft-07", "2019-09", "2020-12")
_ADDED: Final[dict[str, frozenset[str]]] = {
    "draft-06": frozenset({"const", "contains", "propertyNames"}),
    "draft-07": frozenset({"if", "then", "else"}),
    "2019-09": frozenset(
        {
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "unevaluatedItems",
            "minContains",
            "maxContains",
            "$anchor",
            "$recursiveRef",
            "$recursiveAnchor",
        }
    ),
    "2020-12": frozenset({"prefixItems", "$dynamicRef", "$dynamicAnchor"}),
}
"""Keywords each draft added (they are unknown, hence annotations, in the drafts before it)."""
_SINGLE: Final = (
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
)
_LISTS: Final = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAPS: Final = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies")


def unknown_keywords(draft: str) -> frozenset[str]:
    """The keywords of later drafts that ``draft`` does not have."""
    index = _ORDER.index(draft)
    found: set[str] = set()
    for later in _ORDER[index + 1 :]:
        found |= _ADDED.get(later, frozenset())
    return frozenset(found)


def for_engine(data: JSONValue, draft: str) -> JSONValue:
    """``data`` (a JSON Schema document of ``draft``) as the engine must read it (see the module)."""
    if draft not in _ORDER or draft == "2020-12":
        return data
    return _rewrite(data, unknown_keywords(draft), _ORDER.index(draft) <= _ORDER.index("draft-07"))


def _rewrite(node: JSONValue, dropped: frozenset[str], ref_alone: bool) -> JSONValue:
    if not isinstance(node, dict):
        return node
    alone = ref_alone and isinstance(node.get("$ref"), str)
    out: dict[str, JSONValue] = {}
    for key, value in node.items():
        if key in dropped or (alone and key != "$ref" and key not in ANNOTATIONS):
            continue
        if key in _SINGLE and isinstance(value, dict):
            value = _rewrite(value, dropped, ref_alone)
        elif key in _LISTS and isinstance(value, list):
            value = [_rewrite(item, dropped, ref_alone) for item in value]
        elif key in _MAPS and isinstance(value, dict):
            value = {name: _rewrite(item, dropped, ref_alone) for name, item in value.items()}
        out[key] = value
    return out
