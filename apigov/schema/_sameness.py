"""Whether two schemas are written the same: one checker of two questions.

:class:`Written` (the diff's filter): every written keyword counts, annotations too, over two
whole documents; a bare ``$ref`` is followed by its pointer, so ``#/definitions/X`` (Swagger
2.0) and ``#/components/schemas/X`` (3.x) are the same when what they lead to is the same.
:class:`_Sameness` (:meth:`apigov.schema.compat.Comparator.same`, a shortcut of the engine):
only asserting keywords count, references are followed by the session's resolvers.
Both judge pairs of references by :class:`_Coinduction`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.schema._base import _FREE, MAX_DEPTH
from apigov.schema.model import Resolver, asserts

if TYPE_CHECKING:
    from apigov.schema.compat import Comparator

_K = TypeVar("_K")
_V = TypeVar("_V")


class _Coinduction(Generic[_K, _V]):
    """Judges pairs that may lead back to themselves. A pair being compared is assumed the same
    (coinduction); a pair found different is remembered at once (no assumption made it so).
    ``per_route``: an assumption holds while its pair is open, so a pair is judged again along
    every route, and a pair found the same is remembered as soon as no assumption of a pair
    around it was used. Otherwise an assumption holds for the whole question (each pair is
    judged once) and what was found the same is remembered by :meth:`settle` if the question
    was answered yes. ``max_open``: pairs open at once; past it a pair is not known the same."""

    __slots__ = ("assumed", "low", "max_open", "per_route", "tentative")

    def __init__(self, *, per_route: bool, max_open: int) -> None:
        self.per_route = per_route
        self.max_open = max_open
        self.assumed: dict[_K, int] = {}
        self.low = _FREE
        self.tentative: list[tuple[_K, _V]] = []
        """Pairs found the same while resting on an assumption around them, in order."""

    def _remember(self, key: _K, kept: _V, verdict: bool) -> None:
        raise NotImplementedError

    def _visit(self) -> None:
        """Called once per pair judged (a budget may be spent here)."""

    def _judge(self, key: _K, kept: _V, compare: Callable[[], bool]) -> bool:
        """The verdict on a pair (``compare`` judges it; ``kept`` is remembered with it)."""
        index = self.assumed.get(key)
        if index is not None:
            self.low = min(self.low, index)
            return True
        if len(self.assumed) >= self.max_open:  # a chain of distinct pairs (40 schemas
            return False  # referencing each other): "not known the same" only skips a shortcut
        self._visit()
        index = self.assumed[key] = len(self.assumed)
        outer_low, self.low = self.low, _FREE
        start = len(self.tentative)
        try:
            verdict = compare()
        finally:
            if self.per_route:
                del self.assumed[key]
            low, self.low = self.low, outer_low
        if not verdict:  # different does not depend on assumptions; what rested on this one fails
            del self.tentative[start:]
            self._remember(key, kept, False)
        elif self.per_route and low >= index:  # every assumption made meanwhile held
            for settled, other in self.tentative[start:]:
                self._remember(settled, other, True)
            del self.tentative[start:]
            self._remember(key, kept, True)
        else:
            self.low = min(self.low, low)
            self.tentative.append((key, kept))
        return verdict

    def settle(self) -> None:
        """Remember every pair found the same (the question they rested on was answered yes)."""
        for key, kept in self.tentative:
            self._remember(key, kept, True)
        self.tentative.clear()

    def reset(self) -> None:
        """Forget the assumptions of the last question."""
        self.assumed.clear()
        self.tentative.clear()
        self.low = _FREE


class _Sameness(_Coinduction[tuple[int, int], tuple[JSONValue, JSONValue]]):
    """One question of :meth:`Comparator.same`: pairs of schema objects, judged again along every
    route, at most :data:`MAX_DEPTH` open; remembered by the session."""

    __slots__ = ("session", "visits")

    def __init__(self, session: Comparator) -> None:
        super().__init__(per_route=True, max_open=MAX_DEPTH)
        self.session = session
        self.visits = 0

    def _remember(self, key: tuple[int, int], kept: tuple[JSONValue, JSONValue], verdict: bool) -> None:
        self.session._same[key] = (*kept, verdict)

    def _visit(self) -> None:
        self.visits += 1
        if not self.visits % 8:  # a unit per 8 pairs (cheap ones); judged again along every route
            self.session._resolve_a.meter.spend()

    def schemas(self, a: JSONValue, b: JSONValue) -> bool:
        a, b = _deref(a, self.session._resolve_a), _deref(b, self.session._resolve_b)
        if type(a) is not dict or type(b) is not dict:
            return type(a) is bool and a is b
        key = (id(a), id(b))
        known = self.session._same.get(key)
        if known is not None:
            return known[2]
        left, right = a, b
        return self._judge(key, (a, b), lambda: self._objects(left, right))

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


_MAX_NESTING: Final = 200
"""Values and references open at once in one comparison (a spec nests at most 64 levels)."""
_MAX_STEPS: Final = 50_000
"""Values compared for one question: schemas referencing each other may be equal only under
assumptions, which are judged again along every route; past this the answer is "not known the
same", and the schema engine (budgeted too) compares them in full."""


class _Exhausted(Exception):
    pass


class Written(_Coinduction[tuple[str, str], None]):
    """Compares values of a base and a revision document as written (every keyword counts),
    following internal ``$ref`` by pointer on each side. A pair of references is judged once per
    question (its assumption holds for the whole question); the verdicts are remembered by pairs
    of pointers (the caller's keys for its questions). Past :data:`_MAX_STEPS` values or
    :data:`_MAX_NESTING` open ones, a question is answered "not known the same", unremembered."""

    __slots__ = ("_nesting", "_steps", "base", "revision", "verdicts")

    def __init__(self, base: JSONValue, revision: JSONValue) -> None:
        super().__init__(per_route=False, max_open=sys.maxsize)
        self.base = base
        self.revision = revision
        self.verdicts: dict[tuple[str, str], bool] = {}
        self._steps = 0
        self._nesting = 0

    def _remember(self, key: tuple[str, str], kept: None, verdict: bool) -> None:
        self.verdicts[key] = verdict

    def question(self, key: tuple[str, str], left: JSONValue, right: JSONValue) -> bool:
        """Whether ``left`` (in the base) and ``right`` (in the revision) are written the same;
        a verdict is remembered under ``key``."""
        self.reset()
        self._steps = self._nesting = 0
        try:
            verdict = self._equal(left, right)
        except _Exhausted:
            return False  # not remembered: a later question may settle it within its budget
        self.verdicts[key] = verdict
        if verdict:
            self.settle()
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
        known = self.verdicts.get(pair)
        if known is not None:
            return known
        return self._judge(
            pair, None, lambda: self._equal(value_at(self.base, pair[0]), value_at(self.revision, pair[1]))
        )


def value_at(document: JSONValue, pointer: str) -> JSONValue:
    """The value at a JSON pointer, ``None`` where there is none."""
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
