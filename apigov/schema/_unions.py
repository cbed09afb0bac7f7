"""Composition in the comparison: ``allOf``, ``anyOf``, ``oneOf``, ``not`` and ``if`` on either side."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Final

from apigov.core._types import JSONValue
from apigov.schema import _walk
from apigov.schema._base import MAX_DEPTH, Reason, Status, _Ctx, _found, _real, _unknown
from apigov.schema._containers import _may_have, _most_properties
from apigov.schema._scalars import _integer_bound
from apigov.schema.conjunction import merge
from apigov.schema.instances import _None as NoExample
from apigov.schema.instances import accepts_norm, candidates, numbers, strings
from apigov.schema.model import (
    ALL_TYPES,
    NUMERIC_FORMATS,
    Bound,
    MemoResolver,
    ModelError,
    Norm,
    Resolver,
    evolve,
    normalise,
    type_allowed,
)


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
        return _walk._compare_norms(merged, nb, path, ctx, depth + 1)
    if any(not _walk._compare_norms(c, nb, path, ctx, depth + 1) for c in conjuncts):
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
            reasons += _walk._compare_norms(norm, nb, path, ctx, depth + 1)
        return reasons
    finally:
        if saved is None:
            ctx.a_siblings.pop(path, None)
        else:
            ctx.a_siblings[path] = saved


def _b_composition(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    reasons: list[Reason] = []
    if nb.not_ is not None:
        reasons += _b_not(na, nb, path, ctx, depth)
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
    if na.if_ is not None and all(
        ctx.session.same(x, y) for x, y in ((na.if_, nb.if_), (na.then, nb.then), (na.else_, nb.else_))
    ):
        return []  # every instance of A meets the same conditional
    try:
        then, other, condition = (normalise(s, ctx.resolve_b) for s in (nb.then, nb.else_, nb.if_))
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    then_reasons = _walk._compare_norms(na, then, path, ctx, depth + 1)
    else_reasons = _walk._compare_norms(na, other, path, ctx, depth + 1)
    if not then_reasons and not else_reasons:
        return []
    if not _walk._compare_norms(na, condition, path, ctx, depth + 1):
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


def _b_not(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    """A ⊆ not N: no instance of A is valid under N. Proven apart, or ``not X`` on A with N ⊆ X;
    else an instance of A that N accepts (built from their conjunction, N's own instances and
    values near N's bounds) proves the difference."""
    try:
        inner = normalise(nb.not_, ctx.resolve_b)
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    if _disjoint(na, ctx.resolve_a, inner, ctx.resolve_b, 0):
        return []
    if na.not_ is not None:  # not X ⊆ not N when N ⊆ X
        try:
            excluded = normalise(na.not_, ctx.resolve_a)
        except ModelError:
            excluded = None
        if excluded is not None:
            swapped = _Ctx(ctx.session.swapped(), steps=ctx.steps)
            found = _walk._compare_norms(inner, excluded, path, swapped, depth + 1)
            ctx.steps = swapped.steps
            ctx.limited += swapped.limited
            if not found:
                return []
    pool = chain(
        _meeting(na, [inner], ctx),
        candidates(inner, ctx.resolve_b),
        _near(na, inner),
        candidates(na, ctx.resolve_a),
    )
    reason = _found("not-matched", path, na, nb, pool, ctx)
    return [reason if reason.status is Status.NOT_SUBSET else _unknown("not-unsupported", path)]


def _near(na: Norm, other: Norm) -> Iterator[JSONValue]:
    """Numbers and strings of A near ``other``'s bounds and lengths."""
    a_types = na.types if na.types is not None else ALL_TYPES
    if a_types & {"integer", "number"}:
        hints = [b[0] for b in (other.lower, other.upper) if b is not None]
        yield from numbers(na, integral="number" not in a_types, hints=hints)
    if "string" in a_types:
        lengths = [other.min_length] + ([other.max_length] if other.max_length is not None else [])
        yield from strings(na.only(frozenset({"string"})), lengths=lengths)


def _b_union(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    raw = nb.any_of if nb.any_of is not None else nb.one_of
    assert raw is not None
    try:
        branches = [normalise(s, ctx.resolve_b) for s in raw]
    except ModelError as exc:
        return [_unknown("schema-unmodelled", path, str(exc))]
    if nb.one_of is not None and not _type_disjoint(branches):
        return _b_one_of(na, nb, branches, path, ctx, depth)
    if any(not _walk._compare_norms(na, br, path, ctx, depth + 1) for br in _plausible(na, branches, ctx)):
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
    failed: list[Reason] = []
    for j, branch in enumerate(branches):
        if id(branch) not in plausible:
            continue
        failed = _walk._compare_norms(na, branch, path, ctx, depth + 1)
        if failed:
            continue
        kind = "one-of-overlap"
        others = [b for k, b in enumerate(branches) if k != j]
        if all(_excluded(na, other, path, ctx, depth) for other in others):
            return []
    if len(plausible) == 1 and kind == "one-of-unmatched":  # the one branch A may meet: its reasons
        (j,) = [k for k, b in enumerate(branches) if id(b) in plausible]
        if all(_excluded(na, other, path, ctx, depth) for k, other in enumerate(branches) if k != j):
            return failed
    overlaps = [b for b in branches[: MAX_APART_PARTS * 4] if not _apart(na, b, ctx)][:MAX_APART_PARTS]
    return [_proven_or_unknown(kind, path, na, nb, ctx, overlaps)]


def _excluded(na: Norm, other: Norm, path: str, ctx: _Ctx, depth: int) -> bool:
    """No instance of A (valid under A's whole ``oneOf``) is in ``other``."""
    if _disjoint(na, ctx.resolve_a, other, ctx.resolve_b, 0):
        return True
    norms, current = ctx.a_siblings.get(path, ((), -1))
    siblings = [s for index, s in enumerate(norms) if index != current]
    if not siblings:
        return False
    swapped = _Ctx(ctx.session.swapped(), steps=ctx.steps)
    found = any(not _walk._compare_norms(other, s, path, swapped, depth + 1) for s in siblings)
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
    if _kinds_apart(x, y):
        return True
    if x.all_of is not None and any(_disjoint(c, rx, y, ry, depth + 1) for c in _parts(x, rx)):
        return True  # x lies within each of its conjuncts
    if y.all_of is not None and any(_disjoint(x, rx, c, ry, depth + 1) for c in _parts(y, ry)):
        return True
    return _required_apart(x, rx, y, ry, depth) or _required_apart(y, ry, x, rx, depth)


def _kinds_apart(x: Norm, y: Norm) -> bool:
    """Whether, for each type both may hold, the keywords on values of that type (bounds,
    lengths, sizes, required names) leave no value to both. Each keyword constrains only its
    type's values, so the other keywords of either side (composition) only narrow it further."""
    shared = []
    for kind in x.types or ALL_TYPES | {"integer"}:
        if kind == "number" and (y.types is None or "number" in y.types):
            shared.append("number")
        elif _may_hold(kind, y):
            shared.append("integer" if kind == "number" else kind)
    for kind in dict.fromkeys(shared):
        if kind in ("integer", "number"):
            apart = _ranges_apart(x, y, integral=kind == "integer")
        elif kind == "string":
            apart = _sizes_apart((x.min_length, x.max_length), (y.min_length, y.max_length))
        elif kind == "array":
            apart = _sizes_apart((x.min_items, x.max_items), (y.min_items, y.max_items))
        elif kind == "object":
            apart = _objects_apart(x, y) or _objects_apart(y, x)
        else:
            apart = False
        if not apart:
            return False
    return True


def _ranges_apart(x: Norm, y: Norm, *, integral: bool) -> bool:
    lower = [_format_bound(n, 0) if n.lower is None else n.lower for n in (x, y)]
    upper = [_format_bound(n, 1) if n.upper is None else n.upper for n in (x, y)]
    lows = [b for b in lower if b is not None]
    highs = [b for b in upper if b is not None]
    if not lows or not highs:
        return False
    if integral:
        lows, highs = [_integer_bound(b, 1) for b in lows], [_integer_bound(b, -1) for b in highs]
    return any(a[0] > b[0] or (a[0] == b[0] and (a[1] or b[1])) for a in lows for b in highs)


def _format_bound(n: Norm, side: int) -> Bound | None:
    edges = NUMERIC_FORMATS.get(n.format or "")
    return None if edges is None else (edges[side], False)


def _sizes_apart(x: tuple[int, int | None], y: tuple[int, int | None]) -> bool:
    return (y[1] is not None and x[0] > y[1]) or (x[1] is not None and y[0] > x[1])


def _objects_apart(x: Norm, y: Norm) -> bool:
    """Every object of ``x`` holds a name no object of ``y`` may hold, or more properties."""
    if any(not _may_have(y, name) for name in x.required):
        return True
    most = _most_properties(y)
    return most is not None and max(x.min_properties, len(x.required)) > most


MAX_APART_PARTS: Final = 16
"""The conjuncts of an ``allOf`` each tried for disjointness (the first ones)."""


def _parts(n: Norm, resolve: Resolver) -> list[Norm]:
    """The conjuncts of ``n``'s ``allOf`` that can be modelled (the first :data:`MAX_APART_PARTS`)."""
    assert n.all_of is not None
    parts = []
    for schema in n.all_of[:MAX_APART_PARTS]:
        try:
            parts.append(normalise(schema, resolve))
        except ModelError:
            continue
    return parts


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


def _proven_or_unknown(
    kind: str, path: str, na: Norm, nb: Norm, ctx: _Ctx, overlaps: Iterable[Norm] = ()
) -> Reason:
    """NOT_SUBSET when a candidate of A is rejected by the whole of B, else UNKNOWN. ``overlaps``:
    branches of B that may share instances with A: an instance of A in one of them too may be
    valid under two branches of a ``oneOf`` (so under none)."""
    pool = chain(candidates(na, ctx.resolve_a), _meeting(na, overlaps, ctx))
    reason = _found(kind, path, na, nb, pool, ctx)
    return reason if reason.status is Status.NOT_SUBSET else _unknown(kind, path)


def _meeting(na: Norm, others: Iterable[Norm], ctx: _Ctx) -> Iterator[JSONValue]:
    """Instances meant to be valid under A and under one of ``others`` (their conjunction's
    candidates; built lazily, checked by the caller)."""
    plain = na.plain()
    for other in others:
        both = merge(plain, other.plain())
        if both is not None and not both.never:
            yield from candidates(both, ctx.resolve_a)


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
    results = [_walk._compare_norms(na, br, path, ctx, depth + 1) for br in matching]
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
