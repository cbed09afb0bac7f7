"""Decide cheaply whether two schemas are written the same, following internal ``$ref``.

Only a filter: schemas that are the same need no comparison by the schema engine, so the
DiffTree lists no schema pair for them. ``#/definitions/X`` in Swagger 2.0 and
``#/components/schemas/X`` in 3.x are the same when what they lead to is the same. Recursive
schemas terminate: a pair of references already being compared is assumed equal
(coinduction); the verdict of a whole comparison is then cached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.diff.normalise import Schema, schema_view

_MAX_NESTING: Final = 200
"""Values and references open at once in one comparison (a spec nests at most 64 levels)."""
_MAX_STEPS: Final = 50_000
"""Values compared for one question: schemas referencing each other may be equal only under
assumptions, which are judged again along every route; past this the answer is "not known the
same", and the schema engine (budgeted too) compares them in full."""


class _Exhausted(Exception):
    pass


@dataclass(slots=True)
class Sameness:
    """Compares schemas of a base and a revision document."""

    base: JSONValue
    revision: JSONValue
    _verdicts: dict[tuple[str, str], bool] = field(default_factory=dict)
    _assumed: set[tuple[str, str]] = field(default_factory=set)
    _tentative: list[tuple[str, str]] = field(default_factory=list)
    _steps: int = 0
    _nesting: int = 0

    def same(self, base: Schema, revision: Schema) -> bool:
        """Whether the schemas at two places are written the same."""
        key = (
            base.pointer + ("!" if base.legacy else ""),
            revision.pointer + ("!" if revision.legacy else ""),
        )
        known = self._verdicts.get(key)
        if known is not None:
            return known
        left = schema_view(_at(self.base, base.pointer), base)
        right = schema_view(_at(self.revision, revision.pointer), revision)
        self._assumed.clear()
        self._tentative.clear()
        self._steps = self._nesting = 0
        try:
            verdict = self._equal(left, right)
        except _Exhausted:
            return False  # not remembered: a later question may settle it within its budget
        self._verdicts[key] = verdict
        if verdict:
            for pair in self._tentative:
                self._verdicts[pair] = True
        return verdict

    def _equal(self, left: JSONValue, right: JSONValue) -> bool:
        if left == right and not _has_ref(left):
            return True
        self._steps += 1
        if self._steps > _MAX_STEPS or self._nesting >= _MAX_NESTING:
            raise _Exhausted
        self._nesting += 1
        try:
            if isinstance(left, dict) and isinstance(right, dict):
                return self._objects(left, right)
            if isinstance(left, list) and isinstance(right, list):
                return len(left) == len(right) and all(
                    self._equal(a, b) for a, b in zip(left, right, strict=True)
                )
            return left == right
        finally:
            self._nesting -= 1

    def _objects(self, left: dict[str, JSONValue], right: dict[str, JSONValue]) -> bool:
        left_ref, right_ref = left.get("$ref"), right.get("$ref")
        if isinstance(left_ref, str) and isinstance(right_ref, str) and len(left) == len(right) == 1:
            return self._refs(left_ref, right_ref)
        if left.keys() != right.keys():
            return False
        return all(self._equal(left[key], right[key]) for key in left)

    def _refs(self, left: str, right: str) -> bool:
        if left.partition("#")[0] or right.partition("#")[0]:
            return left == right  # external: bundling internalises them, so this is rare
        pair = (jsonptr.from_fragment(left.partition("#")[2]), jsonptr.from_fragment(right.partition("#")[2]))
        known = self._verdicts.get(pair)
        if known is not None:
            return known
        if pair in self._assumed:
            return True
        self._assumed.add(pair)
        verdict = self._equal(_at(self.base, pair[0]), _at(self.revision, pair[1]))
        if verdict:
            self._tentative.append(pair)
        else:
            self._verdicts[pair] = False
        return verdict


def _at(document: JSONValue, pointer: str) -> JSONValue:
    try:
        return jsonptr.resolve(document, pointer)
    except (jsonptr.PointerError, ValueError):
        return None


def _has_ref(value: JSONValue) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_has_ref(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_ref(item) for item in value)
    return False


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
            old, new = _at(self.base, pointer), _at(self.revision, pointer)
            if old != new or (old is None and pointer != ""):
                self._clean[pointer] = False
                return False
            pending.extend(_refs_in(old))
        for pointer in seen:  # every reference reached from each of them was reached here too
            self._clean[pointer] = True
        return True


def _refs_in(value: JSONValue) -> list[str]:
    return [jsonptr.from_fragment(ref) for ref in set(_REF_RE.findall(json.dumps(value)))]
