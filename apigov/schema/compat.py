"""Schema inclusion: does every instance schema A accepts also validate under schema B (A ⊆ B)?

:func:`is_subset` answers with a :class:`Verdict`: ``SUBSET``, ``NOT_SUBSET`` or ``UNKNOWN``, and one
:class:`Reason` per difference, each with a stable kebab ``kind``, the JSON pointer into the
*instance* where it applies, and a counter-example instance that A accepts and B rejects.

Soundness rules:

- ``SUBSET`` only when every modelled keyword proves inclusion; anything the engine cannot decide
  (two different patterns, ``not``, unmodelled keywords on B, overlapping ``oneOf`` ...) is ``UNKNOWN``.
- ``NOT_SUBSET`` only with a counter-example that :func:`apigov.schema.instances.accepts` confirms
  against both whole schemas; an unconfirmed difference is downgraded to ``UNKNOWN``.
- a pair of schema objects being compared is assumed compatible while its comparison is in
  progress (coinduction), so recursive schemas terminate; a cycle that does not descend into the
  instance is ``UNKNOWN``; depth is bounded by :data:`MAX_DEPTH` and work
  by :data:`MAX_STEPS`, :data:`MAX_WORK` per question and :data:`MAX_SESSION_WORK` per session
  (each answers ``UNKNOWN`` when reached: a spec is untrusted, and a union of thousands of
  branches would otherwise take hours).

Sessions: a :class:`Comparator` answers many :meth:`Comparator.is_subset` calls between the same
two documents (one per direction, e.g. every schema pair of an OpenAPI diff) and does the work on
shared components once; :func:`is_subset` is one call of a fresh session. A comparison that runs
out of its step budget answers ``UNKNOWN`` with the single reason ``budget-exceeded``; one pair of
schema objects reports every distinct difference it finds; past :data:`MAX_REASONS` reasons, only
:data:`MAX_REPEATS` instance path of each (a shared or recursive schema reached along many paths would otherwise repeat
each difference once per path, exponentially): a cap never drops a difference, only repeats of
one already reported. Counter-examples are built lazily: a property's reason shares the base
instance of its object until the verdict is settled, and the counter-examples one question
materialises are bounded by :data:`MAX_EXAMPLE_VALUES`; past it a difference is reported
``UNKNOWN`` (with the reason in its detail), never dropped.

Direction helpers: :func:`request_compatible` (requests must not narrow: old ⊆ new) and
:func:`response_compatible` (responses must not widen: new ⊆ old).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Final, TypeAlias, cast

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.schema import patterns
from apigov.schema.instances import (
    LARGEST_COLLECTION,
    NONE,
    accepts,
    accepts_norm,
    candidates,
    example,
    numbers,
    optional_names,
    property_example,
    property_schemas,
    repeated,
    required_object,
    strings,
)
from apigov.schema.instances import _None as NoExample
from apigov.schema.model import (
    ALL_TYPES,
    ANNOTATIONS,
    Bound,
    MemoResolver,
    ModelError,
    Norm,
    Resolver,
    WorkExceeded,
    evolve,
    json_key,
    json_type,
    merge,
    normalise,
    type_allowed,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_EXAMPLE_VALUES",
    "MAX_REASONS",
    "MAX_REPEATS",
    "MAX_SESSION_WORK",
    "MAX_STEPS",
    "MAX_WORK",
    "NO_EXAMPLE",
    "UNCONFIRMED",
    "WIDER_FORMATS",
    "Comparator",
    "NoExample",
    "Reason",
    "Status",
    "Verdict",
    "is_subset",
    "request_compatible",
    "response_compatible",
]

MAX_DEPTH: Final = 64
MAX_STEPS: Final = 50_000
"""Comparisons of two subschemas one :func:`is_subset` call may make before it answers UNKNOWN."""
MAX_WORK: Final = 150_000
"""Units of work (validations of an instance, disjointness checks, comparison steps) one
:func:`is_subset` call may do before it answers UNKNOWN: a step can be costly (a ``oneOf`` of
5,000 branches checks each against each), so steps alone do not bound the time."""
STEP_WORK: Final = 2
"""Units of work one comparison step costs (a step normalises both schemas and checks every
keyword: several validations' worth)."""
MAX_SESSION_WORK: Final = 300_000
"""Units of work one :class:`Comparator` session (both directions) may do in all; the questions
asked after it is spent answer UNKNOWN at once. Measured on diffs of two large real APIs
(Stripe's, 4 MB each): at most 106,000 in a session, 88,000 in one question."""
MAX_REASONS: Final = 32
"""Reasons one pair of schema objects reports before repeats are cut: past it, each distinct
difference keeps :data:`MAX_REPEATS` instance paths (proven ones first); none is dropped."""
MAX_REPEATS: Final = 1
"""Instance paths kept per difference once a pair has more than :data:`MAX_REASONS` reasons."""
MAX_EXAMPLE_VALUES: Final = 2_000_000
"""Object members one :meth:`Comparator.is_subset` call copies at most to build the
counter-examples it reports; the reasons past it are reported ``UNKNOWN`` with why."""
UNCONFIRMED: Final = "counter-example not confirmed within this schema's budget"
"""Said in the detail of a reason whose counter-example was found but could not be built or
checked within the question's budgets (:data:`MAX_EXAMPLE_VALUES`, :data:`MAX_WORK`): reported
``UNKNOWN``; searching for another counter-example would run out the same way."""
NO_EXAMPLE: Final = NONE
"""The counter-example of a reason that has none."""
WIDER_FORMATS: Final = frozenset({("int32", "int64"), ("float", "double")})
"""``(a, b)`` pairs of formats where every value of format ``a`` is a value of format ``b``."""


class Status(StrEnum):
    SUBSET = "subset"
    NOT_SUBSET = "not-subset"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Reason:
    """One difference: ``kind`` (stable kebab id), ``path`` (pointer into the instance), status."""

    kind: str
    path: str
    status: Status
    counter_example: JSONValue | NoExample = NO_EXAMPLE
    detail: str = ""
    change: int = field(default=0, compare=False, repr=False)
    """The session's number of the difference this reason is one instance path of (0: not yet
    numbered); the engine's own bookkeeping."""


class _Patched:
    """A counter-example not built yet: ``base`` with property ``name`` set to ``inner`` (itself
    possibly a :class:`_Patched`). Shared by the reasons of one object until they are settled."""

    __slots__ = ("base", "inner", "name")

    def __init__(self, base: dict[str, JSONValue], name: str, inner: JSONValue) -> None:
        self.base, self.name, self.inner = base, name, inner


def _cost(value: object) -> int:
    """Object members :func:`_real` copies to build ``value``."""
    cost = 0
    while isinstance(value, _Patched):
        cost += len(value.base) + 1
        value = value.inner
    return cost


def _real(value: object) -> JSONValue | NoExample:
    """``value`` with every :class:`_Patched` built."""
    if not isinstance(value, _Patched):
        return cast("JSONValue | NoExample", value)
    inner = _real(value.inner)
    assert not isinstance(inner, NoExample)
    return {**value.base, value.name: inner}


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    reasons: tuple[Reason, ...] = ()

    @property
    def compatible(self) -> bool:
        return self.status is Status.SUBSET


_Key: TypeAlias = tuple[int, int, frozenset[str] | None, frozenset[str] | None]
_FREE: Final = 1 << 30
"""The dependency mark of a result that rests on no assumption of a comparison in progress."""
_LIMITS: Final = frozenset({"depth-exceeded"})


class Comparator:
    """A comparison session: many :meth:`is_subset` calls between the same two documents, in one
    direction (A's schemas are resolved with ``resolve_a``, B's with ``resolve_b``).

    Work on shared components is done once per session: canonical forms and example instances
    per schema object, whether two subschemas are written the same (following ``$ref`` on both
    sides, so a same-named reference to different targets is not the same), and the final
    result of each pair of schema objects whose comparison completed without resting on an
    assumption of a comparison still in progress and without reaching a limit. The documents must
    not change while the session is used. :data:`MAX_STEPS` bounds each call, not the session.
    """

    __slots__ = (
        "_apart",
        "_changes",
        "_conjunctions",
        "_done",
        "_resolve_a",
        "_resolve_b",
        "_same",
        "_swapped",
        "_verdicts",
        "max_steps",
    )

    def __init__(self, resolve_a: Resolver, resolve_b: Resolver, *, max_steps: int = MAX_STEPS) -> None:
        self._resolve_a = resolve_a if isinstance(resolve_a, MemoResolver) else MemoResolver(resolve_a)
        if resolve_b is resolve_a:
            self._resolve_b = self._resolve_a
        else:
            self._resolve_b = resolve_b if isinstance(resolve_b, MemoResolver) else MemoResolver(resolve_b)
        self._resolve_b.meter = self._resolve_a.meter  # one account of the work for both sides
        self.max_steps = max_steps
        self._done: dict[_Key, tuple[JSONValue, JSONValue, tuple[Reason, ...]]] = {}
        """Final results by pair of schema objects; reason paths relative to the pair's path."""
        self._same: dict[tuple[int, int], tuple[JSONValue, JSONValue, bool]] = {}
        self._verdicts: dict[tuple[int, int], tuple[JSONValue, JSONValue, Verdict]] = {}
        self._swapped: Comparator | None = None
        self._apart: dict[_Key, bool] = {}
        self._conjunctions: dict[tuple[int, ...], tuple[list[JSONValue], JSONValue]] = {}
        """Synthetic ``allOf`` nodes of several schemas (kept, so their identities stay unique)."""
        self._changes: dict[tuple[_Key, str, str], int] = {}
        """The number of each distinct difference: (pair of schema objects, kind, path in it)."""

    def is_subset(self, a: JSONValue, b: JSONValue) -> Verdict:
        """Does every instance valid under ``a`` validate under ``b``? (See :func:`is_subset`.)"""
        a, b = _target(a, self._resolve_a), _target(b, self._resolve_b)  # many ``$ref`` to one
        known = self._verdicts.get((id(a), id(b)))
        if known is not None and known[0] is a and known[1] is b:
            return known[2]
        ctx = _Ctx(self)
        meter = self._resolve_a.meter
        outer = meter.limit
        meter.limit = min(outer, meter.spent + MAX_WORK, MAX_SESSION_WORK)
        try:
            found = _compare(a, b, "", ctx, 0)
            reasons = _settle(found, a, b, ctx)
        except _Exhausted as exc:  # partial findings of an unfinished comparison are not reported
            return Verdict(
                Status.UNKNOWN, (_unknown("budget-exceeded", exc.path, f"{self.max_steps} steps"),)
            )
        except WorkExceeded:
            spent = "this session's" if meter.limit >= MAX_SESSION_WORK else "this comparison's"
            return Verdict(
                Status.UNKNOWN, (_unknown("budget-exceeded", "", f"{spent} units of work ran out"),)
            )
        finally:
            meter.limit = outer
        if any(r.status is Status.NOT_SUBSET for r in reasons):
            verdict = Verdict(Status.NOT_SUBSET, reasons)
        else:
            verdict = Verdict(Status.UNKNOWN if reasons else Status.SUBSET, reasons)
        if not ctx.limited:
            self._verdicts[(id(a), id(b))] = (a, b, verdict)
        return verdict

    def swapped(self) -> Comparator:
        """The session of the other direction (B's schemas in A's), sharing the memories."""
        if self._swapped is None:
            self._swapped = Comparator(self._resolve_b, self._resolve_a, max_steps=self.max_steps)
            self._swapped._swapped = self
        return self._swapped

    def same(self, a: JSONValue, b: JSONValue) -> bool:
        """Whether two schemas are written the same, ignoring annotations and following ``$ref``
        on both sides (a pair of references being compared is assumed the same: coinduction).
        Its work is budgeted (:data:`MAX_WORK`): 40 schemas referencing each other are otherwise
        judged again along every route; out of budget, they are not known the same."""
        meter = self._resolve_a.meter
        if meter.limit != sys.maxsize:  # inside a comparison: its budget applies
            return _Sameness(self).schemas(a, b)
        meter.limit = meter.spent + MAX_WORK
        try:
            return _Sameness(self).schemas(a, b)
        except WorkExceeded:
            return False  # the caller compares them in full
        finally:
            meter.limit = sys.maxsize


class _Exhausted(Exception):
    """The step budget of one :meth:`Comparator.is_subset` call ran out (at ``path``)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass(slots=True)
class _Frame:
    path: str
    index: int
    node_a: JSONValue
    node_b: JSONValue


@dataclass(slots=True)
class _Ctx:
    session: Comparator
    steps: int = 0
    limited: int = 0
    """How often the depth limit was reached; a result computed meanwhile is not final."""
    low: int = _FREE
    """The outermost comparison in progress the current one rests on (its assumption)."""
    in_progress: dict[_Key, _Frame] = field(default_factory=dict)
    cut: int = _FREE
    """The outermost comparison in progress the current one found again at the same path."""
    proven: dict[_Key, int] = field(default_factory=dict)
    """Pairs shown compatible while resting on an assumption (the mark of the outermost one);
    forgotten when an assumption they rest on fails."""
    order: list[_Key] = field(default_factory=list)
    """The keys of :attr:`proven` in the order they were proven."""
    a_siblings: dict[str, tuple[tuple[Norm, ...], int]] = field(default_factory=dict)
    """By path: A's ``oneOf`` branches and the index of the one being compared."""

    @property
    def resolve_a(self) -> MemoResolver:
        return self.session._resolve_a

    @property
    def resolve_b(self) -> MemoResolver:
        return self.session._resolve_b


def is_subset(a: JSONValue, b: JSONValue, *, resolve_a: Resolver, resolve_b: Resolver) -> Verdict:
    """Does every instance valid under ``a`` validate under ``b``? One call, no shared session."""
    return Comparator(resolve_a, resolve_b).is_subset(a, b)


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
        keys = [k for k in a if _asserts(k)]
        if len(keys) != sum(1 for k in b if _asserts(k)):
            return False
        for keyword in keys:
            if keyword not in b or not self._keyword(keyword, a[keyword], b[keyword]):
                return False
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
_CONTEXTUAL: Final = frozenset({"$dynamicRef", "$recursiveRef", "dependencies"})
"""Keywords whose meaning depends on more than their written value: never the same."""


def _asserts(keyword: str) -> bool:
    return keyword not in ANNOTATIONS and not keyword.startswith("x-")


def _deref(schema: JSONValue, resolve: Resolver) -> JSONValue:
    """Follow ``$ref`` that has no asserting sibling; ``None`` when it leads nowhere or loops."""
    seen: set[str] = set()
    while type(schema) is dict and "$ref" in schema:
        target = schema["$ref"]
        if not isinstance(target, str) or target in seen:
            return None
        if any(_asserts(k) for k in schema if k != "$ref"):
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


def request_compatible(
    old: JSONValue, new: JSONValue, *, resolve_old: Resolver, resolve_new: Resolver
) -> Verdict:
    """Requests must not narrow: every request the old schema accepted stays valid (old ⊆ new)."""
    return is_subset(old, new, resolve_a=resolve_old, resolve_b=resolve_new)


def response_compatible(
    old: JSONValue, new: JSONValue, *, resolve_old: Resolver, resolve_new: Resolver
) -> Verdict:
    """Responses must not widen: every new response is one old clients understand (new ⊆ old)."""
    return is_subset(new, old, resolve_a=resolve_new, resolve_b=resolve_old)


def _dedupe(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """One reason per (kind, path): a proven one wins, details are joined."""
    kept: dict[tuple[str, str], Reason] = {}
    for reason in reasons:
        key = (reason.kind, reason.path)
        old = kept.get(key)
        if old is None:
            kept[key] = reason
            continue
        best = reason if old.status is Status.UNKNOWN and reason.status is Status.NOT_SUBSET else old
        details = ", ".join(d for d in dict.fromkeys((old.detail, reason.detail)) if d)
        kept[key] = Reason(best.kind, best.path, best.status, best.counter_example, details)
    return tuple(kept.values())


def _settle(found: Iterable[Reason], a: JSONValue, b: JSONValue, ctx: _Ctx) -> tuple[Reason, ...]:
    """:func:`_dedupe` of the confirmed reasons, confirming only until one per (kind, path) holds."""
    groups: dict[tuple[str, str], list[Reason]] = {}
    for reason in found:
        groups.setdefault((reason.kind, reason.path), []).append(reason)
    settled: list[Reason] = []
    budget = [MAX_EXAMPLE_VALUES]
    for group in groups.values():
        best = None
        for reason in group:
            if reason.status is Status.NOT_SUBSET:
                checked = _confirm(reason, a, b, ctx, budget)
                if checked.status is Status.NOT_SUBSET:
                    best = checked
                    break
        if best is None:
            best = _confirm(group[0], a, b, ctx, budget)
        details = group[0].detail
        for reason in (*group[1:], best):  # best: why it is unconfirmed, when it is
            details = ", ".join(d for d in dict.fromkeys((details, reason.detail)) if d)
        settled.append(Reason(best.kind, best.path, best.status, best.counter_example, details))
    return tuple(settled)


def _confirm(reason: Reason, a: JSONValue, b: JSONValue, ctx: _Ctx, budget: list[int]) -> Reason:
    if reason.status is not Status.NOT_SUBSET:
        if isinstance(cast(object, reason.counter_example), _Patched):  # no proof: not built
            return Reason(reason.kind, reason.path, reason.status, NO_EXAMPLE, reason.detail)
        return reason
    example_ = reason.counter_example
    cost = 0 if isinstance(example_, NoExample) else _cost(example_)
    if cost > budget[0]:
        detail = f"{UNCONFIRMED} (its counter-examples exceed {MAX_EXAMPLE_VALUES:,} values)"
        detail = ", ".join(d for d in (reason.detail, detail) if d)
        return Reason(reason.kind, reason.path, Status.UNKNOWN, NO_EXAMPLE, detail)
    budget[0] -= cost
    example_ = _real(example_)
    try:
        holds = (
            not isinstance(example_, NoExample)
            and accepts(a, example_, ctx.resolve_a) is True
            and accepts(b, example_, ctx.resolve_b) is False
        )
    except WorkExceeded:  # the comparison is done: what is left unconfirmed stays, undecided
        detail = ", ".join(d for d in (reason.detail, f"{UNCONFIRMED} (units of work)") if d)
        return Reason(reason.kind, reason.path, Status.UNKNOWN, NO_EXAMPLE, detail)
    if holds:
        return Reason(reason.kind, reason.path, reason.status, example_, reason.detail)
    return Reason(reason.kind, reason.path, Status.UNKNOWN, NO_EXAMPLE, reason.detail)


def _unknown(kind: str, path: str, detail: str = "") -> Reason:
    return Reason(kind, path, Status.UNKNOWN, NO_EXAMPLE, detail)


def _compare(a: JSONValue, b: JSONValue, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    if depth > MAX_DEPTH:
        ctx.limited += 1
        return [_unknown("depth-exceeded", path)]
    if a is b and ctx.resolve_a is ctx.resolve_b:
        return []
    if type(a) is dict and type(b) is dict and ctx.session.same(a, b):
        return []
    try:
        na, nb = normalise(a, ctx.resolve_a), normalise(b, ctx.resolve_b)
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    return _compare_norms(na, nb, path, ctx, depth)


def _compare_norms(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    """Compare two canonical forms; a pair of schema objects in progress is assumed compatible."""
    if depth > MAX_DEPTH:
        ctx.limited += 1
        return [_unknown("depth-exceeded", path)]
    ctx.steps += 1
    if ctx.steps > ctx.session.max_steps:
        raise _Exhausted(path)
    ctx.session._resolve_a.meter.spend(STEP_WORK)
    if na.node is None or nb.node is None:
        return _compare_plain(na, nb, path, ctx, depth)
    key = (id(na.node), id(nb.node), na.types, nb.types)  # types: a branch may be restricted to one
    done = ctx.session._done.get(key)
    if done is not None and (not done[2] or path not in ctx.a_siblings):
        return [
            Reason(r.kind, path + r.path, r.status, r.counter_example, r.detail, r.change) for r in done[2]
        ]
    mark = ctx.proven.get(key)
    if mark is not None:
        ctx.low = min(ctx.low, mark)
        return []
    frame = ctx.in_progress.get(key)
    if frame is not None:
        if frame.path == path:  # a cycle that never descends into the instance
            ctx.cut = min(ctx.cut, frame.index)
            return [_unknown("cycle-unguarded", path, f"{na.ref} / {nb.ref}")]
        ctx.low = min(ctx.low, frame.index)
        return []  # coinduction: assumed compatible while being compared
    index = len(ctx.in_progress)
    ctx.in_progress[key] = _Frame(path, index, na.node, nb.node)  # keeps the nodes (and ids) alive
    outer_low, outer_cut, ctx.low, ctx.cut = ctx.low, ctx.cut, _FREE, _FREE
    start, limited = len(ctx.order), ctx.limited
    try:
        result = _trim(_number(_compare_plain(na, nb, path, ctx, depth), key, path, ctx))
    finally:
        del ctx.in_progress[key]
        low, cut, ctx.low, ctx.cut = ctx.low, ctx.cut, outer_low, outer_cut
    free = low >= index  # rests on no assumption of a comparison around this one
    if not free:
        ctx.low = min(ctx.low, low)
    if cut < index:
        ctx.cut = min(ctx.cut, cut)
    if result:  # what was proven meanwhile may rest on this pair's (failed) assumption: forget it
        for stale in ctx.order[start:]:
            del ctx.proven[stale]
        del ctx.order[start:]
    elif free:  # every assumption made meanwhile held: those proofs are final
        for settled in ctx.order[start:]:
            del ctx.proven[settled]
            _remember(ctx, settled, (), "")
        del ctx.order[start:]
    else:
        for pending in ctx.order[start:]:
            ctx.proven[pending] = low
    if path in ctx.a_siblings:  # a result that used A's oneOf context holds only there
        return result
    if result:
        # Failing rests on no assumption (assuming fewer pairs proves less), only on a cycle
        # found unguarded around this pair, or on the depth limit.
        if cut >= index and ctx.limited == limited:
            _remember(ctx, key, result, path, na.node, nb.node)
    elif free:
        _remember(ctx, key, result, path, na.node, nb.node)
    else:
        ctx.proven[key] = low
        ctx.order.append(key)
    return result


def _number(reasons: list[Reason], key: _Key, path: str, ctx: _Ctx) -> list[Reason]:
    """Number the differences found at this pair of schema objects itself (the ones found
    deeper were numbered there): the same difference reached again along another instance path
    keeps its number."""
    changes = ctx.session._changes
    numbered = []
    for r in reasons:
        if not r.change:
            relative = r.path[len(path) :] if r.path.startswith(path) else r.path
            change = changes.setdefault((key, r.kind, relative), len(changes) + 1)
            r = Reason(r.kind, r.path, r.status, r.counter_example, r.detail, change)
        numbered.append(r)
    return numbered


def _trim(reasons: list[Reason]) -> list[Reason]:
    """Every distinct difference, with at most :data:`MAX_REPEATS` instance paths each, proven
    ones first (a shared or recursive schema reached along many paths would otherwise repeat
    each difference once per path). No difference is dropped: only its repeats."""
    if len(reasons) <= MAX_REASONS:
        return reasons
    seen: dict[int, int] = {}
    kept = []
    for proven in (True, False):
        for r in reasons:
            if (r.status is Status.NOT_SUBSET) is proven:
                count = seen.get(r.change, 0)
                if count < MAX_REPEATS:
                    seen[r.change] = count + 1
                    kept.append(r)
    return kept


def _remember(
    ctx: _Ctx,
    key: _Key,
    result: Iterable[Reason],
    path: str,
    node_a: JSONValue = None,
    node_b: JSONValue = None,
) -> None:
    relative = []
    for reason in result:
        if not reason.path.startswith(path) or reason.kind in _LIMITS:
            return
        relative.append(
            Reason(
                reason.kind,
                reason.path[len(path) :],
                reason.status,
                reason.counter_example,
                reason.detail,
                reason.change,
            )
        )
    old = ctx.session._done.get(key)
    if old is None:
        ctx.session._done[key] = (node_a, node_b, tuple(relative))


def _compare_plain(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    if na.never:
        return []
    if nb.all_of is not None:  # A ⊆ B1 ∩ B2 iff A ⊆ B1 and A ⊆ B2: exact, so decompose B first
        reasons = []
        for conjunct in (*nb.all_of, evolve(nb, all_of=None, ref=None, node=None)):
            try:
                other = conjunct if isinstance(conjunct, Norm) else normalise(conjunct, ctx.resolve_b)
            except ModelError as exc:
                reasons.append(_unknown("schema-unmodelled", path, str(exc)))
                continue
            reasons += _compare_norms(na, other, path, ctx, depth + 1)
        return reasons
    if na.all_of is not None:
        return _a_all_of(na, nb, path, ctx, depth)
    if na.is_union:
        return _a_union(na, nb, path, ctx, depth)
    if nb.never:
        return [_found("schema-became-false", path, na, nb, candidates(na, ctx.resolve_a), ctx)]
    if _accepts_everything(nb):
        return []
    if na.enum is not None:
        return list(_a_enum(na, nb, path, ctx))
    reasons = _b_composition(na, nb, path, ctx, depth)
    nb = nb.plain()
    if nb.unknown:
        reasons.append(_unknown("keyword-unsupported", path, ", ".join(sorted(nb.unknown))))
    reasons += _types(na, nb, path, ctx)
    a_types = na.types if na.types is not None else ALL_TYPES
    shared = {t for t in a_types if type_allowed(t, nb.types)}
    if nb.enum is not None:
        reasons += _b_enum(na, nb, path, ctx)
    if shared & {"integer", "number"}:
        reasons += _numeric(na, nb, path, ctx, integral="number" not in shared)
    if "string" in shared:
        reasons += _string(na, nb, path, ctx)
    if "array" in shared:
        reasons += _array(na, nb, path, ctx, depth)
    if "object" in shared:
        reasons += _object(na, nb, path, ctx, depth)
    return reasons


def _accepts_everything(n: Norm) -> bool:
    """Whether ``n`` is the ``true`` schema (``Norm()`` up to its reference and node)."""
    return (
        n.types is None
        and n.enum is None
        and n.lower is None
        and n.upper is None
        and n.multiple_of is None
        and n.min_length == 0
        and n.max_length is None
        and n.pattern is None
        and n.format is None
        and not n.properties
        and not n.required
        and n.additional is True
        and n.items is True
        and n.min_items == 0
        and n.max_items is None
        and not n.unique_items
        and n.any_of is None
        and n.one_of is None
        and n.all_of is None
        and n.not_ is None
        and not n.never
        and not n.unknown
        and not n.has_extras
    )


# --- composition -----------------------------------------------------------------------------------


def _a_all_of(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    assert na.all_of is not None
    merged: Norm | None = evolve(na, all_of=None, ref=None, node=None)
    conjuncts: list[Norm] = []
    try:
        conjuncts = _conjuncts(na.all_of, ctx.resolve_a, 0)
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    if len(conjuncts) > MAX_CONJUNCTS:
        merged = None  # merging thousands, each copying what the others declare, is quadratic
    ctx.session._resolve_a.meter.spend(len(conjuncts))
    for conjunct in conjuncts:
        merged = None if merged is None else merge(merged, conjunct)
    if merged is not None:
        return _compare_norms(merged, nb, path, ctx, depth + 1)
    if any(not _compare_norms(c, nb, path, ctx, depth + 1) for c in conjuncts):
        return []  # A ⊆ that conjunct ⊆ B
    return [_unknown("all-of-unmerged", path)]


MAX_CONJUNCTS: Final = 256
"""The most conjuncts nested ``allOf`` are flattened into (beyond it they stay nested)."""


def _conjuncts(
    schemas: Iterable[JSONValue], resolve: Resolver, depth: int, seen: set[int] | None = None
) -> list[Norm]:
    """The conjuncts of an ``allOf``, nested ``allOf`` flattened (bounded). A schema object met
    again is left out (X and X is X): recursive ``allOf`` through ``$ref`` used to be flattened
    into 2^64 conjuncts."""
    seen = set() if seen is None else seen
    flat: list[Norm] = []
    for schema in schemas:
        norm = normalise(schema, resolve)
        if norm.node is not None:
            if id(norm.node) in seen:
                continue
            seen.add(id(norm.node))
        if norm.all_of is not None and depth < MAX_DEPTH and len(seen) < MAX_CONJUNCTS:
            flat += [
                evolve(norm, all_of=None, ref=None, node=None),
                *_conjuncts(norm.all_of, resolve, depth + 1, seen),
            ]
        else:
            flat.append(norm)
    return flat


def _a_union(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    if na.any_of is not None and na.one_of is not None:
        return [_unknown("union-unmodelled", path, "anyOf and oneOf together")]
    branches = na.any_of if na.any_of is not None else na.one_of
    assert branches is not None
    rest = evolve(na, any_of=None, one_of=None, ref=None, node=None)
    norms: list[Norm] = []
    for branch in branches:
        try:
            norm = normalise(branch, ctx.resolve_a)
        except ModelError as exc:
            return [_unknown("schema-unmodelled", path, str(exc))]
        if rest != Norm():
            merged = merge(norm, rest)
            if merged is None:
                return [_unknown("union-unmodelled", path, "a union with sibling keywords")]
            norm = merged
        norms.append(norm)
    saved = ctx.a_siblings.get(path)
    reasons: list[Reason] = []
    try:
        for index, norm in enumerate(norms):
            if na.one_of is not None:  # an instance of A matches exactly one branch, not the others
                ctx.a_siblings[path] = (tuple(norms), index)
            reasons += _compare_norms(norm, nb, path, ctx, depth + 1)
        return reasons
    finally:
        if saved is None:
            ctx.a_siblings.pop(path, None)
        else:
            ctx.a_siblings[path] = saved


def _b_composition(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    reasons: list[Reason] = []
    if nb.not_ is not None:
        reasons += _b_not(na, nb.not_, path, ctx)
    if nb.any_of is not None and nb.one_of is not None:
        reasons.append(_unknown("union-unmodelled", path, "anyOf and oneOf together"))
    elif nb.is_union:
        reasons += _b_union(na, nb, path, ctx, depth)
    if nb.if_ is not None:
        reasons += _b_conditional(na, nb, path, ctx, depth)
    return reasons


def _b_conditional(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    """A ⊆ (if I then T else E): A ⊆ T and A ⊆ E; or A ⊆ I and A ⊆ T; or A apart from I and A ⊆ E."""
    assert nb.if_ is not None
    try:
        then, other, condition = (normalise(s, ctx.resolve_b) for s in (nb.then, nb.else_, nb.if_))
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    then_reasons = _compare_norms(na, then, path, ctx, depth + 1)
    else_reasons = _compare_norms(na, other, path, ctx, depth + 1)
    if not then_reasons and not else_reasons:
        return []
    if not _compare_norms(na, condition, path, ctx, depth + 1):
        return then_reasons  # every instance of A meets the condition
    if _apart(na, condition, ctx):
        return else_reasons  # no instance of A meets it
    built = [_real(r.counter_example) for r in then_reasons + else_reasons]
    pool: list[JSONValue] = [ce for ce in built if not isinstance(ce, NoExample)]
    both = merge(na.plain(), condition.plain())  # instances of A meeting the condition
    if both is not None:
        pool += candidates(both, ctx.resolve_a)
    pool += candidates(na, ctx.resolve_a)
    a_types = na.types if na.types is not None else ALL_TYPES
    if a_types & {"integer", "number"}:
        hints = [b[0] for n in (condition, then, other) for b in (n.lower, n.upper) if b is not None]
        pool += numbers(na, integral="number" not in a_types, hints=hints)
    return [_found("conditional-unmatched", path, na, nb, pool, ctx)]


def _b_not(na: Norm, negated: JSONValue, path: str, ctx: _Ctx) -> list[Reason]:
    try:
        inner = normalise(negated, ctx.resolve_b)
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    a_types = na.types if na.types is not None else ALL_TYPES
    if inner.types is not None and not any(type_allowed(t, inner.types) for t in a_types):
        return []  # A's types and the negated schema's types are disjoint
    return [_unknown("not-unsupported", path)]


def _b_union(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    raw = nb.any_of if nb.any_of is not None else nb.one_of
    assert raw is not None
    try:
        branches = [normalise(s, ctx.resolve_b) for s in raw]
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    if nb.one_of is not None and not _type_disjoint(branches):
        return _b_one_of(na, nb, branches, path, ctx, depth)
    if any(not _compare_norms(na, br, path, ctx, depth + 1) for br in _plausible(na, branches, ctx)):
        return []
    reasons: list[Reason] = []
    a_types = na.types if na.types is not None else ALL_TYPES
    for kind in sorted(a_types):
        only = na.only(frozenset({kind}))
        reasons += _b_union_type(only, nb, kind, branches, path, ctx, depth)
    return reasons


def _b_one_of(na: Norm, nb: Norm, branches: list[Norm], path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    """A ⊆ oneOf(B…) when A fits one branch and is provably outside every other one."""
    kind = "one-of-unmatched"
    plausible = {id(p) for p in _plausible(na, branches, ctx)}  # a set: 5,000 branches are not squared
    for j, branch in enumerate(branches):
        if id(branch) not in plausible or _compare_norms(na, branch, path, ctx, depth + 1):
            continue
        kind = "one-of-overlap"
        others = [b for k, b in enumerate(branches) if k != j]
        if all(_excluded(na, other, path, ctx, depth) for other in others):
            return []
    return [_proven_or_unknown(kind, path, na, nb, ctx)]


def _excluded(na: Norm, other: Norm, path: str, ctx: _Ctx, depth: int) -> bool:
    """No instance of A (valid under A's whole ``oneOf``) is in ``other``."""
    if _disjoint(na, ctx.resolve_a, other, ctx.resolve_b, 0):
        return True
    norms, current = ctx.a_siblings.get(path, ((), -1))
    siblings = [s for index, s in enumerate(norms) if index != current]
    if not siblings:
        return False
    swapped = _Ctx(ctx.session.swapped(), steps=ctx.steps)
    found = any(not _compare_norms(other, s, path, swapped, depth + 1) for s in siblings)
    ctx.steps = swapped.steps
    ctx.limited += swapped.limited
    return found


def _disjoint(x: Norm, rx: Resolver, y: Norm, ry: Resolver, depth: int) -> bool:
    """Whether no instance is valid under both (``False`` when unsure)."""
    if x.never or y.never:
        return True
    if type(rx) is MemoResolver:
        rx.meter.spend()  # a union of thousands of branches asks this of each pair
    if depth > 8:
        return False
    tx, ty = x.types or ALL_TYPES, y.types or ALL_TYPES
    if not any(_may_hold(t, y) for t in tx) or not any(_may_hold(t, x) for t in ty):
        return True
    if _enum_outside(x, rx, y, ry) or _enum_outside(y, ry, x, rx):
        return True
    return _required_apart(x, rx, y, ry, depth) or _required_apart(y, ry, x, rx, depth)


def _enum_outside(x: Norm, rx: Resolver, y: Norm, ry: Resolver) -> bool:
    if x.enum is None:
        return False
    return all(accepts_norm(y, v, ry) is False for v in x.enum if accepts_norm(x, v, rx) is not False)


def _required_apart(x: Norm, rx: Resolver, y: Norm, ry: Resolver, depth: int) -> bool:
    """``x`` holds only objects that need a property whose values ``y`` never accepts."""
    if x.types != frozenset({"object"}) or x.is_union or x.all_of is not None:
        return False
    if x.pattern_properties or y.pattern_properties:
        return False  # a name's schema then depends on the patterns it matches
    for name in sorted(x.required):
        try:
            px = normalise(x.properties.get(name, x.additional), rx)
            py = normalise(y.properties.get(name, y.additional), ry)
        except ModelError:
            continue
        if _disjoint(px, rx, py, ry, depth + 1):
            return True
    return False


def _proven_or_unknown(kind: str, path: str, na: Norm, nb: Norm, ctx: _Ctx) -> Reason:
    """NOT_SUBSET when a candidate of A is rejected by the whole of B, else UNKNOWN."""
    reason = _found(kind, path, na, nb, candidates(na, ctx.resolve_a), ctx)
    return reason if reason.status is Status.NOT_SUBSET else _unknown(kind, path)


def _b_union_type(
    na: Norm, nb: Norm, kind: str, branches: list[Norm], path: str, ctx: _Ctx, depth: int
) -> list[Reason]:
    typed = [br for br in branches if _may_hold(kind, br)]
    if not typed:
        union = Norm(never=True)
        return [_found("type-narrowed", path, na, union, candidates(na, ctx.resolve_a, kind), ctx)]
    matching = [br for br in typed if not _apart(na, br, ctx)]
    if not matching:
        return [_proven_or_unknown("any-of-unmatched", path, na, nb, ctx)]
    results = [_compare_norms(na, br, path, ctx, depth + 1) for br in matching]
    if any(not r for r in results):
        return []
    if len(matching) == 1:
        return results[0]
    return [_proven_or_unknown("any-of-unmatched", path, na, nb, ctx)]


def _plausible(na: Norm, branches: list[Norm], ctx: _Ctx) -> list[Norm]:
    """The branches that could contain A: by type, and not provably apart from A (the others
    fail, so they are not tried: a costly search). The one written as A is, or reached through the
    same reference, first."""
    a_types = na.types if na.types is not None else ALL_TYPES
    typed = [br for br in branches if all(_may_hold(t, br) for t in a_types)]
    likely = [br for br in typed if na.ref is not None and br.ref == na.ref]
    return likely + [br for br in typed if not any(br is x for x in likely) and not _apart(na, br, ctx)]


def _apart(na: Norm, nb: Norm, ctx: _Ctx) -> bool:
    """No instance is valid under both (``False`` when unsure); remembered per pair of objects."""
    if na.node is None or nb.node is None:
        return _disjoint(na, ctx.resolve_a, nb, ctx.resolve_b, 0)
    key = (id(na.node), id(nb.node), na.types, nb.types)
    known = ctx.session._apart.get(key)
    if known is None:
        known = ctx.session._apart[key] = _disjoint(na, ctx.resolve_a, nb, ctx.resolve_b, 0)
    return known


def _may_hold(kind: str, branch: Norm) -> bool:
    if branch.types is None:
        return True
    return type_allowed(kind, branch.types) or (kind == "number" and "integer" in branch.types)


def _type_disjoint(branches: list[Norm]) -> bool:
    seen: set[str] = set()
    for branch in branches:
        if branch.types is None or branch.is_union or branch.all_of is not None:
            return False
        names = set(branch.types) | ({"integer"} if "number" in branch.types else set())
        if names & seen:
            return False
        seen |= names
    return True


# --- values and types ------------------------------------------------------------------------------


def _found(kind: str, path: str, na: Norm, nb: Norm, pool: Iterable[JSONValue], ctx: _Ctx) -> Reason:
    """A difference; its counter-example is the first candidate A accepts and B rejects."""
    for candidate in pool:
        if (
            accepts_norm(na, candidate, ctx.resolve_a) is True
            and accepts_norm(nb, candidate, ctx.resolve_b) is False
        ):
            return Reason(kind, path, Status.NOT_SUBSET, candidate)
    return _unknown(kind, path, "no counter-example found")


def _a_enum(na: Norm, nb: Norm, path: str, ctx: _Ctx) -> Iterator[Reason]:
    assert na.enum is not None
    b_keys = None if nb.enum is None else nb.enum_keys
    simple_a, simple_b = _enum_only(na), _enum_only(nb)  # decided by type and membership alone
    for value in na.enum:
        if simple_a:
            if not type_allowed(json_type(value), na.types):
                continue
        elif accepts_norm(na, value, ctx.resolve_a) is not True:
            continue
        if simple_b and b_keys is not None:
            verdict: bool | None = type_allowed(json_type(value), nb.types) and json_key(value) in b_keys
        else:
            verdict = accepts_norm(nb, value, ctx.resolve_b)
        if verdict is None:
            yield _unknown("enum-value-undecided", path, repr(value))
        elif verdict is False:
            kind = (
                "enum-value-removed"
                if b_keys is not None and json_key(value) not in b_keys
                else "value-rejected"
            )
            yield Reason(kind, path, Status.NOT_SUBSET, value)


def _enum_only(n: Norm) -> bool:
    """Whether only ``type`` and ``enum`` (and formats, which validation ignores) constrain ``n``."""
    return n.enum is not None and _accepts_everything(evolve(n, types=None, enum=None, format=None))


def _types(na: Norm, nb: Norm, path: str, ctx: _Ctx) -> list[Reason]:
    reasons = []
    for kind in sorted(na.types if na.types is not None else ALL_TYPES):
        if not type_allowed(kind, nb.types):
            name = "nullable-removed" if kind == "null" else "type-narrowed"
            only = na.only(frozenset({kind}))
            found = _found(name, path, only, nb, candidates(only, ctx.resolve_a, kind), ctx)
            reasons.append(Reason(found.kind, found.path, found.status, found.counter_example, kind))
    return reasons


def _b_enum(na: Norm, nb: Norm, path: str, ctx: _Ctx) -> list[Reason]:
    a_types = na.types if na.types is not None else ALL_TYPES
    if a_types <= {"null", "boolean"}:
        finite = evolve(na, enum=tuple(v for v in (None, True, False) if type_allowed(_kind(v), a_types)))
        return list(_a_enum(finite, nb, path, ctx))
    return [_found("enum-added", path, na, nb, candidates(na, ctx.resolve_a), ctx)]


def _kind(value: JSONValue) -> str:
    return "null" if value is None else "boolean"


# --- numbers and strings ---------------------------------------------------------------------------


def _numeric(na: Norm, nb: Norm, path: str, ctx: _Ctx, *, integral: bool) -> list[Reason]:
    reasons: list[Reason] = []
    sides = (("minimum", na.lower, nb.lower, 1), ("maximum", na.upper, nb.upper, -1))
    for name, a_bound, b_bound, sign in sides:
        if b_bound is not None and not _within(a_bound, b_bound, sign, integral):
            kind = (
                f"{name}-added" if a_bound is None else f"{name}-{'increased' if sign > 0 else 'decreased'}"
            )
            pool = numbers(na, integral=integral, hints=[b_bound[0]])
            reasons.append(_found(kind, path, _numbers_only(na), nb, pool, ctx))
    if nb.multiple_of is not None and not _divides(nb.multiple_of, na.multiple_of, integral):
        kind = "multiple-of-added" if na.multiple_of is None else "multiple-of-changed"
        pool = numbers(na, integral=integral, hints=[nb.multiple_of, na.multiple_of or 1])
        reasons.append(_found(kind, path, _numbers_only(na), nb, pool, ctx))
    return reasons


def _numbers_only(na: Norm) -> Norm:
    types = na.types if na.types is not None else ALL_TYPES
    return na.only(frozenset(t for t in types if t in ("integer", "number")))


def _within(a: Bound | None, b: Bound, sign: int, integral: bool) -> bool:
    """Whether bound ``a`` is at least as tight as ``b`` (sign 1: lower bounds, -1: upper bounds)."""
    if a is None:
        return False
    if integral:
        a, b = _integer_bound(a, sign), _integer_bound(b, sign)
    if a[0] != b[0]:
        return (a[0] - b[0]) * sign > 0
    return a[1] or not b[1]


def _integer_bound(bound: Bound, sign: int) -> Bound:
    """The inclusive integer form of a bound on integers (``> 0`` is ``>= 1``)."""
    value, exclusive = bound
    if sign > 0:
        edge = int(value) + 1 if exclusive and float(value).is_integer() else -int(-value // 1)
    else:
        edge = int(value) - 1 if exclusive and float(value).is_integer() else int(value // 1)
    return (edge, False)


def _divides(b: float, a: float | None, integral: bool) -> bool:
    step = Fraction(str(a)) if a is not None else (Fraction(1) if integral else None)
    return step is not None and (step / Fraction(str(b))).denominator == 1


def _string(na: Norm, nb: Norm, path: str, ctx: _Ctx) -> list[Reason]:
    text = na.only(frozenset({"string"}))
    reasons: list[Reason] = []
    if nb.min_length > na.min_length:
        pool = strings(text, lengths=[nb.min_length - 1], shorter_than=nb.min_length)
        reasons.append(_found("min-length-increased", path, text, nb, pool, ctx))
    if nb.max_length is not None and (na.max_length is None or na.max_length > nb.max_length):
        kind = "max-length-added" if na.max_length is None else "max-length-decreased"
        reasons.append(
            _found(
                kind,
                path,
                text,
                nb,
                strings(text, lengths=[nb.max_length + 1], longer_than=nb.max_length),
                ctx,
            )
        )
    if nb.pattern is not None and nb.pattern != na.pattern:
        if na.pattern is None:
            reasons.append(_found("pattern-added", path, text, nb, strings(text), ctx))
        else:  # inclusion of regular languages is not decided here; a string A's pattern
            # matches and B's rejects proves a difference
            pool = strings(text, avoid=nb.pattern)
            found = _found("pattern-changed", path, text, nb, pool, ctx)
            detail = f"{na.pattern!r} -> {nb.pattern!r}"
            reasons.append(Reason(found.kind, found.path, found.status, found.counter_example, detail))
    if nb.format is not None and nb.format != na.format and (na.format, nb.format) not in WIDER_FORMATS:
        kind = "format-added" if na.format is None else "format-changed"
        reasons.append(_unknown(kind, path, f"{na.format} -> {nb.format}"))
    return reasons


# --- arrays and objects ----------------------------------------------------------------------------


def _item_schema(n: Norm, index: int) -> JSONValue:
    return n.prefix_items[index] if index < len(n.prefix_items) else n.items


def _never(schema: JSONValue, resolve: Resolver) -> bool:
    """Whether ``schema`` provably accepts nothing (``false``, an empty ``enum``)."""
    if schema is False:
        return True
    try:
        norm = normalise(schema, resolve)
    except ModelError:
        return False
    return norm.never or norm.enum == ()


def _longest(n: Norm, resolve: Resolver) -> int | None:
    """The most items an array of ``n`` can hold (``None``: unbounded)."""
    most = n.max_items
    if _never(n.items, resolve):
        most = len(n.prefix_items) if most is None else min(most, len(n.prefix_items))
    return most


class _Fillers:
    """Example items of A, position by position (``None`` where none is found)."""

    __slots__ = ("known", "na", "resolve")

    def __init__(self, na: Norm, resolve: Resolver) -> None:
        self.na, self.resolve, self.known = na, resolve, dict[int, JSONValue | NoExample]()

    def at(self, index: int) -> JSONValue | NoExample:
        key = min(index, len(self.na.prefix_items))  # every position after the prefix is alike
        if key not in self.known:
            self.known[key] = example(_item_schema(self.na, key), self.resolve)
        return self.known[key]

    def run(self, count: int, at: int = -1, item: JSONValue = None) -> list[JSONValue] | None:
        """``count`` items (``item`` at position ``at``), or ``None`` when an example is missing."""
        if count > LARGEST_COLLECTION:
            return None
        if type(self.resolve) is MemoResolver:
            self.resolve.meter.spend(1 + count // 4)  # one per position of a 10,000-item tuple
        built: list[JSONValue] = []
        for index in range(count):
            value = item if index == at else self.at(index)
            if isinstance(value, NoExample):
                return None
            built.append(value)
        return built


def _array(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    arrays = na.only(frozenset({"array"}))
    fill = _Fillers(na, ctx.resolve_a)
    longest = _longest(na, ctx.resolve_a)
    reasons: list[Reason] = []
    width = max(len(na.prefix_items), len(nb.prefix_items))
    for index in range(width + 1):  # each position of either prefix, then all the others alike
        if longest is not None and index >= longest:
            break
        a_item, b_item = _item_schema(na, index), _item_schema(nb, index)
        if index == width and a_item is True and b_item is True:
            break
        for reason in _compare(a_item, b_item, jsonptr.join(path, index), ctx, depth + 1):
            ce = _real(reason.counter_example)
            wrapped: JSONValue | NoExample = NO_EXAMPLE
            if not isinstance(ce, NoExample):
                run = fill.run(max(na.min_items, index + 1), index, ce)
                wrapped = NO_EXAMPLE if run is None else run
            kind = "items-narrowed" if reason.kind == "schema-became-false" else reason.kind
            reasons.append(Reason(kind, reason.path, reason.status, wrapped, reason.detail, reason.change))
    if nb.min_items > na.min_items:
        pool = [r for r in (fill.run(nb.min_items - 1),) if r is not None]
        reasons.append(_found("min-items-increased", path, arrays, nb, pool, ctx))
    if nb.max_items is not None and (longest is None or longest > nb.max_items):
        kind = "max-items-added" if na.max_items is None else "max-items-decreased"
        pool = [r for r in (fill.run(nb.max_items + 1),) if r is not None]
        reasons.append(_found(kind, path, arrays, nb, pool, ctx))
    if nb.unique_items and not na.unique_items and (longest is None or longest > 1):
        pool = [r for r in (fill.run(max(2, na.min_items)),) if r is not None]
        reasons.append(_found("unique-items-added", path, arrays, nb, pool, ctx))
    if nb.contains is not None:
        reasons += _contains(na, nb, arrays, fill, longest, path, ctx, depth)
    return reasons


def _contains(
    na: Norm, nb: Norm, arrays: Norm, fill: _Fillers, longest: int | None, path: str, ctx: _Ctx, depth: int
) -> list[Reason]:
    """B's ``contains``: every array of A holds at least ``minContains`` (at most ``maxContains``)
    items valid under B's ``contains``."""
    assert nb.contains is not None
    reasons: list[Reason] = []
    at = jsonptr.join(path, 0)
    if nb.min_contains > 0:
        same = (
            na.contains is not None
            and na.min_contains >= nb.min_contains
            and not _compare(na.contains, nb.contains, at, ctx, depth + 1)
        )
        every = na.min_items >= nb.min_contains and all(
            not _compare(_item_schema(na, i), nb.contains, at, ctx, depth + 1)
            for i in range(len(na.prefix_items) + 1)
        )
        if not same and not every:
            kind = "contains-added" if na.contains is None else "contains-changed"
            pool: list[JSONValue] = [
                r for r in (fill.run(na.min_items), fill.run(max(na.min_items, 1))) if r is not None
            ]
            if na.contains is not None:  # items A's contains accepts and B's rejects
                size = max(na.min_contains, na.min_items, 1)
                for reason in _compare(na.contains, nb.contains, at, ctx, depth + 1):
                    ce = _real(reason.counter_example)
                    if not isinstance(ce, NoExample):
                        pool.extend(r for r in (repeated(ce, size),) if r is not None)
            reasons.append(_found(kind, path, arrays, nb, [*pool, *candidates(arrays, ctx.resolve_a)], ctx))
    if nb.max_contains is not None and (longest is None or longest > nb.max_contains):
        pool = []
        for item in (fill.at(0), example(nb.contains, ctx.resolve_b)):
            if not isinstance(item, NoExample):
                pool.extend(
                    r for r in (repeated(item, max(nb.max_contains + 1, na.min_items)),) if r is not None
                )
        reasons.append(_found("max-contains-decreased", path, arrays, nb, pool, ctx))
    return reasons


def _object(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    objects = na.only(frozenset({"object"}))
    base = required_object(na, ctx.resolve_a)
    reasons: list[Reason] = []
    most = _most_properties(na)
    if most is None or most > 0:  # an object of A may hold properties at all
        reasons += _declared(na, nb, base, path, ctx, depth)
        reasons += _undeclared(na, nb, base, path, ctx, depth)
        if nb.property_names is not True:
            reasons += _property_names(na, nb, base, path, ctx, depth)
    forced = _forced(na, frozenset())
    for name in sorted(nb.required - forced):
        pool = [] if isinstance(base, NoExample) else [{k: v for k, v in base.items() if k != name}]
        reasons.append(_found("property-became-required", jsonptr.join(path, name), objects, nb, pool, ctx))
    least = max(na.min_properties, len(forced))
    if nb.min_properties > least:
        kind = "min-properties-added" if not na.min_properties else "min-properties-increased"
        pool = [] if isinstance(base, NoExample) else [base]
        reasons.append(_found(kind, path, objects, nb, pool, ctx))
    if nb.max_properties is not None and (most is None or most > nb.max_properties):
        kind = "max-properties-added" if na.max_properties is None else "max-properties-decreased"
        reasons.append(_found(kind, path, objects, nb, _grown(na, base, nb.max_properties + 1, ctx), ctx))
    for name, needs in sorted(nb.dependent_required.items()):
        if not _may_have(na, name):
            continue
        ctx.session._resolve_a.meter.spend(len(na.dependent_required) + 1)  # what _forced walks
        missing = needs - _forced(na, frozenset({name}))
        if missing:
            pool = []
            built = required_object(evolve(na, required=na.required | {name}), ctx.resolve_a)
            if not isinstance(built, NoExample):
                pool.append({k: v for k, v in built.items() if k not in missing})
            at = jsonptr.join(path, min(missing))
            reasons.append(_found("dependent-required-added", at, objects, nb, pool, ctx))
    for name, schema in sorted(nb.dependent_schemas.items()):
        if not _may_have(na, name):
            continue
        try:
            dependent = normalise(schema, ctx.resolve_b)
        except ModelError as exc:
            reasons.append(_unknown("schema-unmodelled", path, str(exc)))
            continue
        if _compare_norms(objects, dependent, path, ctx, depth + 1):
            built = required_object(evolve(na, required=na.required | {name}), ctx.resolve_a)
            pool = [] if isinstance(built, NoExample) else [built]
            reasons.append(_found("dependent-schema-added", jsonptr.join(path, name), objects, nb, pool, ctx))
    return reasons


def _conjunction(parts: list[JSONValue], ctx: _Ctx) -> JSONValue:
    """One schema for several that all apply (a property and the patterns its name matches)."""
    if len(parts) == 1:
        return parts[0]
    key = tuple(id(p) for p in parts)
    known = ctx.session._conjunctions.get(key)
    if known is None:
        known = ctx.session._conjunctions[key] = (parts, {"allOf": list(parts)})
    return known[1]


def _declared(
    na: Norm, nb: Norm, base: dict[str, JSONValue] | NoExample, path: str, ctx: _Ctx, depth: int
) -> list[Reason]:
    """The properties either side declares by name, each against the schemas it meets on the other."""
    reasons: list[Reason] = []
    plain = not na.pattern_properties and not nb.pattern_properties
    for name in sorted(na.properties.keys() | nb.properties.keys()):
        at = jsonptr.join(path, name)
        if plain:  # the common case, without lists
            a_one, b_one = na.properties.get(name, na.additional), nb.properties.get(name, nb.additional)
            kind = None
            if name not in nb.properties and nb.additional is False:
                kind = "property-removed"
            elif name not in na.properties and na.additional is True:
                kind = "property-added-to-open-model"
            reasons += _wrap(_compare(a_one, b_one, at, ctx, depth + 1), base, name, kind, ctx)
            continue
        a_parts, b_parts = property_schemas(na, name), property_schemas(nb, name)
        if a_parts is None or b_parts is None:
            reasons.append(_unknown("property-pattern-undecided", at, name))
            continue
        kind = None
        if name not in nb.properties and b_parts == [False]:
            kind = "property-removed"
        elif name not in na.properties and len(a_parts) == 1 and a_parts[0] is True:
            kind = "property-added-to-open-model"
        a_schema, b_schema = _conjunction(a_parts, ctx), _conjunction(b_parts, ctx)
        reasons += _wrap(_compare(a_schema, b_schema, at, ctx, depth + 1), base, name, kind, ctx)
    return reasons


def _undeclared(
    na: Norm, nb: Norm, base: dict[str, JSONValue] | NoExample, path: str, ctx: _Ctx, depth: int
) -> list[Reason]:
    """Names neither side declares: for each part of B that may apply to such a name (a pattern,
    ``additionalProperties``), every part of A that may apply to the same name must fit in it.
    (A name's value meets every part of A that applies, so fitting one of them is enough; a
    pair of parts that never apply together fails only unproven.)"""
    if not na.pattern_properties and not nb.pattern_properties:  # the common case
        if nb.additional is True:
            return []
        extra = _free_name(na, nb)
        kind = "additional-properties-closed" if nb.additional is False else None
        inner = _compare(na.additional, nb.additional, jsonptr.join(path, extra), ctx, depth + 1)
        return _wrap(inner, base, extra, kind, ctx)
    a_patterns, b_patterns = dict(na.pattern_properties), dict(nb.pattern_properties)
    declared = set(na.properties) | set(nb.properties)
    meter = ctx.session._resolve_a.meter

    def named(pattern: str, avoid: list[str], also: str = "") -> str | None:
        meter.spend(4 + len(avoid))  # regex searches; thousands of patterns a side pair up quadratically
        return _name(declared, pattern, avoid, also=also)

    pairs: list[tuple[JSONValue, JSONValue, str | None, str | None, str]] = []
    for q, b_schema in b_patterns.items():
        if q in a_patterns:  # a name matching q meets A's q too: that one is enough
            pairs.append((a_patterns[q], b_schema, named(q, []), None, q))
            continue
        if na.additional is not False:
            pairs.append((na.additional, b_schema, named(q, list(a_patterns)), None, q))
        for p, a_schema in a_patterns.items():
            pairs.append((a_schema, b_schema, named(p, [], also=q), None, q))
    if nb.additional is not True:
        closed = "additional-properties-closed" if nb.additional is False else None
        for p, a_schema in a_patterns.items():
            if p not in b_patterns:
                pairs.append((a_schema, nb.additional, named(p, list(b_patterns)), closed, p))
        others = [*a_patterns, *b_patterns]
        name = _free_name(na, nb) if not others else named("", others)
        pairs.append((na.additional, nb.additional, name, closed, name or "extra"))
    reasons: list[Reason] = []
    for a_schema, b_schema, name, kind, label in pairs:
        found = _compare(a_schema, b_schema, jsonptr.join(path, name or label), ctx, depth + 1)
        if name is None:
            reasons += [_unknown(r.kind, r.path, r.detail) for r in found]
        else:
            reasons += _wrap(found, base, name, kind, ctx)
    return reasons


def _name(declared: set[str], pattern: str, avoid: list[str], *, also: str = "") -> str | None:
    """A property name that ``pattern`` (and ``also``) matches and no pattern of ``avoid`` does,
    declared by neither side; ``None`` when none is found."""
    for candidate in ("extra", "x", "a", "extra1"):
        if _fits(candidate, declared, pattern, avoid, also):
            return candidate
    joined = "|".join(f"(?:{p})" for p in avoid)
    for low in (1, 3):
        built = patterns.matching(pattern or ".", low, None, joined) if pattern or avoid else None
        if built is not None and _fits(built, declared, pattern, avoid, also):
            return built
    return None


def _fits(name: str, declared: set[str], pattern: str, avoid: list[str], also: str) -> bool:
    if name in declared:
        return False
    if pattern and patterns.search(pattern, name) is not True:
        return False
    if also and patterns.search(also, name) is not True:
        return False
    return all(patterns.search(p, name) is False for p in avoid)


def _property_names(
    na: Norm, nb: Norm, base: dict[str, JSONValue] | NoExample, path: str, ctx: _Ctx, depth: int
) -> list[Reason]:
    """B's ``propertyNames``: every name an object of A may hold must be valid under it."""
    objects = na.only(frozenset({"object"}))
    reasons: list[Reason] = []
    if na.additional is False and not na.pattern_properties:  # only the declared names
        for name in sorted(na.properties):
            if na.properties[name] is False:
                continue
            verdict = accepts(nb.property_names, name, ctx.resolve_b)
            if verdict is None:
                reasons.append(_unknown("property-names-narrowed", path, name))
            elif verdict is False:
                pool = _with_property(na, base, name, ctx)
                reasons.append(_found("property-names-narrowed", path, objects, nb, pool, ctx))
        return reasons
    names: JSONValue = (
        _STRING if na.property_names is True else _conjunction([na.property_names, _STRING], ctx)
    )
    for reason in _compare(names, nb.property_names, path, ctx, depth + 1):
        ce = _real(reason.counter_example)
        if reason.status is Status.NOT_SUBSET and isinstance(ce, str):
            pool = _with_property(na, base, ce, ctx)
            reasons.append(_found("property-names-narrowed", path, objects, nb, pool, ctx))
        else:
            reasons.append(_unknown("property-names-narrowed", path, reason.kind))
    return reasons


_STRING: Final[JSONValue] = {"type": "string"}


def _with_property(na: Norm, base: dict[str, JSONValue] | NoExample, name: str, ctx: _Ctx) -> list[JSONValue]:
    if isinstance(base, NoExample):
        return []
    value = property_example(na, name, ctx.resolve_a, 0)
    return [] if isinstance(value, NoExample) else [{**base, name: value}]


def _grown(na: Norm, base: dict[str, JSONValue] | NoExample, size: int, ctx: _Ctx) -> list[JSONValue]:
    """``base`` with optional properties of A added until it holds ``size`` of them."""
    if isinstance(base, NoExample):
        return []
    grown = dict(base)
    for name in optional_names(evolve(na, min_properties=size)):
        if len(grown) >= size:
            break
        if name not in grown:
            value = property_example(na, name, ctx.resolve_a, 0)
            if not isinstance(value, NoExample):
                grown[name] = value
    return [grown] if len(grown) >= size else []


def _closed(n: Norm) -> bool:
    """Whether only the declared properties may appear."""
    return n.additional is False and not n.pattern_properties


def _may_have(n: Norm, name: str) -> bool:
    """Whether an object of ``n`` may hold property ``name`` (``True`` when unsure)."""
    if n.max_properties == 0 or (_closed(n) and name not in n.properties):
        return False
    return n.properties.get(name) is not False


def _most_properties(n: Norm) -> int | None:
    """The most properties an object of ``n`` can hold (``None``: unbounded)."""
    most = n.max_properties
    if _closed(n):
        possible = sum(1 for schema in n.properties.values() if schema is not False)
        most = possible if most is None else min(most, possible)
    return most


def _forced(n: Norm, present: frozenset[str]) -> frozenset[str]:
    """The properties every object of ``n`` holding ``present`` holds: ``required``, what those
    depend on (``dependentRequired``), and all possible ones when ``minProperties`` needs them."""
    names = set(n.required | present)
    todo = list(names)
    while todo:  # each name is expanded once: a chain of 5,000 dependencies is linear, not squared
        for needed in n.dependent_required.get(todo.pop(), ()):
            if needed not in names:
                names.add(needed)
                todo.append(needed)
    if _closed(n):
        possible = {k for k, schema in n.properties.items() if schema is not False}
        if n.min_properties >= len(possible):
            names |= possible
    return frozenset(names)


def _wrap(
    reasons: list[Reason], base: dict[str, JSONValue] | NoExample, name: str, kind: str | None, ctx: _Ctx
) -> list[Reason]:
    ctx.session._resolve_a.meter.spend(len(reasons) // 8)  # each level of a recursive schema wraps them
    wrapped = []
    for reason in reasons:
        ce = reason.counter_example
        instance: JSONValue | NoExample = NO_EXAMPLE
        if not isinstance(ce, NoExample) and not isinstance(base, NoExample):
            # built when settled, if reported: the base is shared, not copied per reason
            instance = cast(JSONValue, _Patched(base, name, ce))
        wrapped.append(
            Reason(kind or reason.kind, reason.path, reason.status, instance, reason.detail, reason.change)
        )
    return wrapped


def _free_name(na: Norm, nb: Norm) -> str:
    name, n = "extra", 0
    while name in na.properties or name in nb.properties:
        n += 1
        name = f"extra{n}"
    return name
