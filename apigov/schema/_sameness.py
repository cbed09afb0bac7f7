"""Whether two schemas are written the same (a shortcut of the comparison; see
:meth:`apigov.schema.compat.Comparator.same`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from apigov.core._types import JSONValue
from apigov.schema._base import _FREE, MAX_DEPTH
from apigov.schema.model import Resolver, asserts

if TYPE_CHECKING:
    from apigov.schema.compat import Comparator


class _Sameness:
    """One question of :meth:`Comparator.same`. A pair of schema objects being compared is assumed
    the same (coinduction); a pair found the same without resting on an assumption of a pair
    around it, or found different, is remembered by the session."""

    __slots__ = ("assumed", "low", "session", "tentative", "visits")

    def __init__(self, session: Comparator) -> None:
        self.session = session
        self.assumed: dict[tuple[int, int], int] = {}
        self.low = _FREE
        self.tentative: list[tuple[tuple[int, int], JSONValue, JSONValue]] = []
        """Pairs found the same while resting on an assumption around them, in order."""
        self.visits = 0

    def schemas(self, a: JSONValue, b: JSONValue) -> bool:
        a, b = _deref(a, self.session._resolve_a), _deref(b, self.session._resolve_b)
        if type(a) is not dict or type(b) is not dict:
            return type(a) is bool and a is b
        key = (id(a), id(b))
        known = self.session._same.get(key)
        if known is not None:
            return known[2]
        index = self.assumed.get(key)
        if index is not None:
            self.low = min(self.low, index)
            return True
        if len(self.assumed) >= MAX_DEPTH:  # a chain of distinct pairs (40 schemas referencing
            return False  # each other): "not known the same" only skips a shortcut; no overflow
        self.visits += 1
        if not self.visits % 8:  # a unit per 8 pairs (cheap ones); judged again along every route
            self.session._resolve_a.meter.spend()
        index = self.assumed[key] = len(self.assumed)
        outer_low, self.low = self.low, _FREE
        start = len(self.tentative)
        try:
            verdict = self._objects(a, b)
        finally:
            del self.assumed[key]
            low, self.low = self.low, outer_low
        if not verdict:  # different does not depend on assumptions; what rested on this one fails
            del self.tentative[start:]
            self.session._same[key] = (a, b, False)
        elif low >= index:  # every assumption made meanwhile held
            for settled, x, y in self.tentative[start:]:
                self.session._same[settled] = (x, y, True)
            del self.tentative[start:]
            self.session._same[key] = (a, b, True)
        else:
            self.low = min(self.low, low)
            self.tentative.append((key, a, b))
        return verdict

    def _objects(self, a: dict[str, JSONValue], b: dict[str, JSONValue]) -> bool:
        keys = [k for k in a if asserts(k)]
        if len(keys) != sum(1 for k in b if asserts(k)):
            return False
        for keyword in keys:
            if keyword not in b or not self._keyword(keyword, a[keyword], b[keyword]):
                return False
        for keyword in _CONTENT:  # annotations, yet what a string holds (compat judges them)
            if (keyword in a) != (keyword in b):
                return False
            if keyword in a:
                if keyword == "contentSchema":
                    if not self.schemas(a[keyword], b[keyword]):
                        return False
                elif not _same_data(a[keyword], b[keyword]):
                    return False
        if ("oneOf" in a or "anyOf" in a) and ("discriminator" in a or "discriminator" in b):
            # beside a union, it says which branch a payload is validated by (model._dispatched)
            return _same_data(a.get("discriminator"), b.get("discriminator"))
        return True

    def _keyword(self, keyword: str, a: JSONValue, b: JSONValue) -> bool:
        if keyword in _SUBSCHEMA:
            if type(a) is list:  # ``items`` in tuple form
                return type(b) is list and len(a) == len(b) and all(map(self.schemas, a, b))
            return self.schemas(a, b)
        if keyword in _SUBSCHEMA_LISTS:
            if type(a) is not list or type(b) is not list or len(a) != len(b):
                return False
            return all(map(self.schemas, a, b))
        if keyword in _SUBSCHEMA_MAPS:
            if type(a) is not dict or type(b) is not dict or a.keys() != b.keys():
                return False
            return all(self.schemas(value, b[name]) for name, value in a.items())
        if keyword == "$ref":  # with sibling keywords (3.1): both targets, as schemas
            return self.schemas({"$ref": a}, {"$ref": b})
        return keyword not in _CONTEXTUAL and _same_data(a, b)


_SUBSCHEMA: Final = frozenset(
    {
        "items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
        "additionalItems", "unevaluatedItems", "unevaluatedProperties",
    }
)  # fmt: skip
_SUBSCHEMA_LISTS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SUBSCHEMA_MAPS: Final = frozenset({"properties", "patternProperties", "dependentSchemas"})
_CONTENT: Final = ("contentEncoding", "contentMediaType", "contentSchema")
_CONTEXTUAL: Final = frozenset({"$dynamicRef", "$recursiveRef", "dependencies"})
"""Keywords whose meaning depends on more than their written value: never the same."""


def _deref(schema: JSONValue, resolve: Resolver) -> JSONValue:
    """Follow ``$ref`` that has no asserting sibling; ``None`` when it leads nowhere or loops."""
    seen: set[str] = set()
    while type(schema) is dict and "$ref" in schema:
        target = schema["$ref"]
        if not isinstance(target, str) or target in seen:
            return None
        if any(asserts(k) for k in schema if k != "$ref"):
            return schema
        seen.add(target)
        try:
            schema = resolve(target)
        except LookupError:
            return None
    return schema


def _target(schema: JSONValue, resolve: Resolver) -> JSONValue:
    """What a bare ``$ref`` leads to (accepting the same instances), else the schema itself."""
    target = _deref(schema, resolve)
    return schema if target is None else target


def _same_data(a: JSONValue, b: JSONValue) -> bool:
    """JSON equality that tells ``true`` from ``1``; a ``$ref`` in data is never taken as the same
    (it may be an unmodelled keyword's subschema, pointing elsewhere on each side)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        assert isinstance(b, dict)
        return "$ref" not in a and a.keys() == b.keys() and all(_same_data(v, b[k]) for k, v in a.items())
    if type(a) is list:
        assert isinstance(b, list)
        return len(a) == len(b) and all(map(_same_data, a, b))
    return a == b
