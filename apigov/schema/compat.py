"""Schema inclusion: does every instance schema A accepts also validate under schema B (A ⊆ B)?

:func:`is_subset` answers with a :class:`Verdict`: ``SUBSET``, ``NOT_SUBSET`` or ``UNKNOWN``, and one
:class:`Reason` per difference, each with a stable kebab ``kind``, the JSON pointer into the
*instance* where it applies, and a counter-example instance that A accepts and B rejects.

Soundness rules:

- ``SUBSET`` only when every modelled keyword proves inclusion; anything the engine cannot decide
  (two different patterns, a ``not`` it can neither prove apart nor match, unmodelled keywords
  on B ...) is ``UNKNOWN``, and only that part: the rest of the schema is still judged.
- ``NOT_SUBSET`` only with a counter-example that :func:`apigov.schema.instances.accepts` confirms
  against both whole schemas (for the kinds in ``_base.REINTERPRETED``, a string both accept but
  read differently: A accepts it, the difference was checked where it was found); an unconfirmed
  difference is downgraded to ``UNKNOWN``.
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
from collections.abc import Iterable
from typing import cast

from apigov.core._types import JSONValue
from apigov.schema._base import (
    MAX_DEPTH,
    MAX_EXAMPLE_VALUES,
    MAX_REASONS,
    MAX_REPEATS,
    MAX_SESSION_WORK,
    MAX_STEPS,
    MAX_WORK,
    NO_EXAMPLE,
    REINTERPRETED,
    UNCONFIRMED,
    WIDER_FORMATS,
    Reason,
    Status,
    Verdict,
    _cost,
    _Ctx,
    _Exhausted,
    _Key,
    _Patched,
    _real,
    _unknown,
)
from apigov.schema._sameness import _Sameness, _target
from apigov.schema._walk import _compare
from apigov.schema.instances import _None as NoExample
from apigov.schema.instances import accepts
from apigov.schema.model import MemoResolver, Resolver, WorkExceeded

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
        self._done: dict[_Key, tuple[JSONValue, JSONValue, tuple[Reason, ...], int]] = {}
        """Final results by pair of schema objects: the reasons and the length of the pair's path
        when they were found (what follows it is their path relative to the pair)."""
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


def is_subset(a: JSONValue, b: JSONValue, *, resolve_a: Resolver, resolve_b: Resolver) -> Verdict:
    """Does every instance valid under ``a`` validate under ``b``? One call, no shared session."""
    return Comparator(resolve_a, resolve_b).is_subset(a, b)


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
            and (reason.kind in REINTERPRETED or accepts(b, example_, ctx.resolve_b) is False)
        )
    except WorkExceeded:  # the comparison is done: what is left unconfirmed stays, undecided
        detail = ", ".join(d for d in (reason.detail, f"{UNCONFIRMED} (units of work)") if d)
        return Reason(reason.kind, reason.path, Status.UNKNOWN, NO_EXAMPLE, detail)
    if holds:
        return Reason(reason.kind, reason.path, reason.status, example_, reason.detail)
    return Reason(reason.kind, reason.path, Status.UNKNOWN, NO_EXAMPLE, reason.detail)
