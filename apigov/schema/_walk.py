"""The recursion of the comparison: one pair of subschemas, coinduction over recursive schemas,
remembered results, and the dispatch to the keyword families (see :mod:`apigov.schema.compat`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from apigov.core._types import JSONValue
from apigov.schema import _containers, _unions
from apigov.schema._base import (
    _FREE,
    _LIMITS,
    MAX_DEPTH,
    MAX_REASONS,
    MAX_REPEATS,
    STEP_WORK,
    Reason,
    Status,
    _accepts_everything,
    _Ctx,
    _Exhausted,
    _found,
    _Frame,
    _Key,
    _reason,
    _unknown,
)
from apigov.schema._scalars import _CONTENT, _a_enum, _b_enum, _content, _numeric, _string, _types
from apigov.schema.instances import candidates
from apigov.schema.model import ALL_TYPES, ModelError, Norm, evolve, normalise, type_allowed


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
        cut = done[3]
        return [
            _reason(r.kind, path + r.path[cut:], r.status, r.counter_example, r.detail, r.change)
            for r in done[2]
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
            r = _reason(r.kind, r.path, r.status, r.counter_example, r.detail, change)
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
    """Keep a pair's final result: its reasons as they are, with the length of the pair's own
    path (their paths relative to the pair are what follows it; not copied: a copy of every
    path for every pair of a large API's diff is most of its memory)."""
    done = ctx.session._done
    if key in done:  # the first result stays
        return
    kept = tuple(result)
    for reason in kept:
        if not reason.path.startswith(path) or reason.kind in _LIMITS:
            return
    done[key] = (node_a, node_b, kept, len(path))


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
        return _unions._a_all_of(na, nb, path, ctx, depth)
    if na.is_union:
        return _unions._a_union(na, nb, path, ctx, depth)
    if nb.never:
        return [_found("schema-became-false", path, na, nb, candidates(na, ctx.resolve_a), ctx)]
    if _accepts_everything(nb):
        return []
    if na.enum is not None:
        return list(_a_enum(na, nb, path, ctx))
    reasons = _unions._b_composition(na, nb, path, ctx, depth)
    nb = nb.plain()
    unsure = nb.unknown - _implied(na, nb, ctx) if nb.unknown else nb.unknown
    if unsure:
        reasons.append(_unknown("keyword-unsupported", path, ", ".join(sorted(unsure))))
    reasons += _types(na, nb, path, ctx)
    a_types = na.types if na.types is not None else ALL_TYPES
    shared = {t for t in a_types if type_allowed(t, nb.types)}
    if nb.enum is not None:
        reasons += _b_enum(na, nb, path, ctx)
    if shared & {"integer", "number"}:
        reasons += _numeric(na, nb, path, ctx, integral="number" not in shared)
    if "string" in shared:
        reasons += _string(na, nb, path, ctx)
        if na.node is not None and nb.node is not None and not _CONTENT.isdisjoint({*na.node, *nb.node}):
            reasons += _content(na, nb, path, ctx, depth)
    if "array" in shared:
        reasons += _containers._array(na, nb, path, ctx, depth)
    if "object" in shared:
        reasons += _containers._object(na, nb, path, ctx, depth)
    return reasons


_CONTEXT: Final[dict[str, tuple[str, ...]]] = {
    "unevaluatedProperties": (
        "properties", "patternProperties", "additionalProperties", "dependentSchemas", "dependencies",
    ),
    "unevaluatedItems": ("prefixItems", "items", "additionalItems", "contains"),
}  # fmt: skip
"""The keywords (beside the in-place applicators) whose annotations an unmodelled keyword reads."""
_IN_PLACE: Final = ("$ref", "allOf", "anyOf", "oneOf", "if", "then", "else")


def _implied(na: Norm, nb: Norm, ctx: _Ctx) -> frozenset[str]:
    """B's unmodelled keywords that every instance of A meets: A has the same keyword, written
    the same, beside the same keywords whose results it reads (its meaning is then the same)."""
    a, b = na.node, nb.node
    if a is None or b is None:
        return frozenset()
    implied = set()
    for keyword in nb.unknown:
        context = _CONTEXT.get(keyword)
        if context is None or keyword not in a:
            continue
        keys = (keyword, *context, *_IN_PLACE)
        if ctx.session.same({k: a[k] for k in keys if k in a}, {k: b[k] for k in keys if k in b}):
            implied.add(keyword)
    return frozenset(implied)
