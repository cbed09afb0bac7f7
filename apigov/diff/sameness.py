"""Decide cheaply whether two schemas are written the same, following internal ``$ref``.

Only a filter: schemas that are the same need no comparison by the schema engine, so the
DiffTree lists no schema pair for them. The checker is the schema layer's
(:class:`apigov.schema._sameness.Written`); here schemas are named by their place in a diff.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.diff.normalise import Schema, schema_view
from apigov.schema._sameness import Written, value_at


class Sameness(Written):
    """Compares schemas of a base and a revision document."""

    __slots__ = ()

    def same(self, base: Schema, revision: Schema) -> bool:
        """Whether the schemas at two places are written the same."""
        key = (
            base.pointer + ("!" if base.legacy else ""),
            revision.pointer + ("!" if revision.legacy else ""),
        )
        known = self.verdicts.get(key)
        if known is not None:
            return known
        left = schema_view(value_at(self.base, base.pointer), base)
        right = schema_view(value_at(self.revision, revision.pointer), revision)
        return self.question(key, left, right)


_REF_RE: Final = re.compile(r'"\$ref": "#([^"]*)"')
_CONTEXT: Final = ("security", "consumes", "produces")


def unchanged_paths(base: JSONValue, revision: JSONValue) -> frozenset[str]:
    """Path templates whose path item is written the same on both sides, as is everything it
    references (transitively) and the root context it inherits: nothing in them can differ.

    A fast path for large documents: equality of parsed data and ``json.dumps`` run in C."""
    if not isinstance(base, dict) or not isinstance(revision, dict):
        return frozenset()
    if any(base.get(key) != revision.get(key) for key in _CONTEXT):
        return frozenset()
    old, new = base.get("paths"), revision.get("paths")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return frozenset()
    clean = _Closure(base, revision)
    return frozenset(path for path, item in old.items() if new.get(path) == item and clean.value(item))


@dataclass(slots=True)
class _Closure:
    """Whether every internal reference reached from a value leads to equal values on both sides."""

    base: JSONObject
    revision: JSONObject
    _clean: dict[str, bool] = field(default_factory=dict)

    def value(self, value: JSONValue) -> bool:
        """Walked without recursion: a chain of thousands of schemas is no deeper here."""
        pending = _refs_in(value)
        seen: set[str] = set()
        while pending:
            pointer = pending.pop()
            known = self._clean.get(pointer)
            if known is False:
                return False
            if known or pointer in seen:
                continue
            seen.add(pointer)
            old, new = value_at(self.base, pointer), value_at(self.revision, pointer)
            if old != new or (old is None and pointer != ""):
                self._clean[pointer] = False
                return False
            pending.extend(_refs_in(old))
        for pointer in seen:  # every reference reached from each of them was reached here too
            self._clean[pointer] = True
        return True


def _refs_in(value: JSONValue) -> list[str]:
    return [jsonptr.from_fragment(ref) for ref in set(_REF_RE.findall(json.dumps(value)))]
