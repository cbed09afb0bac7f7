"""Decide cheaply whether two schemas are written the same, following internal ``$ref``.

Only a filter: schemas that are the same need no comparison by the schema engine, so the
DiffTree lists no schema pair for them. ``#/definitions/X`` in Swagger 2.0 and
``#/components/schemas/X`` in 3.x are the same when what they lead to is the same. Recursive
schemas terminate: a pair of references already being compared is assumed equal
(coinduction); the verdict of a whole comparison is then cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.diff.normalise import Schema, schema_view


@dataclass(slots=True)
class Sameness:
    """Compares schemas of a base and a revision document."""

    base: JSONValue
    revision: JSONValue
    _verdicts: dict[tuple[str, str], bool] = field(default_factory=dict)
    _assumed: set[tuple[str, str]] = field(default_factory=set)
    _tentative: list[tuple[str, str]] = field(default_factory=list)

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
        verdict = self._equal(left, right)
        self._verdicts[key] = verdict
        if verdict:
            for pair in self._tentative:
                self._verdicts[pair] = True
        return verdict

    def _equal(self, left: JSONValue, right: JSONValue) -> bool:
        if left == right and not _has_ref(left):
            return True
        if isinstance(left, dict) and isinstance(right, dict):
            return self._objects(left, right)
        if isinstance(left, list) and isinstance(right, list):
            return len(left) == len(right) and all(
                self._equal(a, b) for a, b in zip(left, right, strict=True)
            )
        return left == right

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
