"""Arrays and objects in the comparison."""

from __future__ import annotations

from typing import Final, cast

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.schema import _walk, patterns
from apigov.schema._base import NO_EXAMPLE, Reason, Status, _Ctx, _found, _Patched, _real, _reason, _unknown
from apigov.schema.instances import (
    LARGEST_COLLECTION,
    accepts,
    candidates,
    example,
    optional_names,
    property_example,
    property_schemas,
    repeated,
    required_object,
)
from apigov.schema.instances import _None as NoExample
from apigov.schema.model import MemoResolver, ModelError, Norm, Resolver, evolve, normalise


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
        for reason in _walk._compare(a_item, b_item, jsonptr.join(path, index), ctx, depth + 1):
            ce = _real(reason.counter_example)
            wrapped: JSONValue | NoExample = NO_EXAMPLE
            if not isinstance(ce, NoExample):
                run = fill.run(max(na.min_items, index + 1), index, ce)
                wrapped = NO_EXAMPLE if run is None else run
            kind = "items-narrowed" if reason.kind == "schema-became-false" else reason.kind
            reasons.append(_reason(kind, reason.path, reason.status, wrapped, reason.detail, reason.change))
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
            and not _walk._compare(na.contains, nb.contains, at, ctx, depth + 1)
        )
        every = na.min_items >= nb.min_contains and all(
            not _walk._compare(_item_schema(na, i), nb.contains, at, ctx, depth + 1)
            for i in range(len(na.prefix_items) + 1)
        )
        if not same and not every:
            kind = "contains-added" if na.contains is None else "contains-changed"
            pool: list[JSONValue] = [
                r for r in (fill.run(na.min_items), fill.run(max(na.min_items, 1))) if r is not None
            ]
            if na.contains is not None:  # items A's contains accepts and B's rejects
                size = max(na.min_contains, na.min_items, 1)
                for reason in _walk._compare(na.contains, nb.contains, at, ctx, depth + 1):
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
        if _walk._compare_norms(objects, dependent, path, ctx, depth + 1):
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
            reasons += _wrap(_walk._compare(a_one, b_one, at, ctx, depth + 1), base, name, kind, ctx)
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
        reasons += _wrap(_walk._compare(a_schema, b_schema, at, ctx, depth + 1), base, name, kind, ctx)
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
        inner = _walk._compare(na.additional, nb.additional, jsonptr.join(path, extra), ctx, depth + 1)
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
        found = _walk._compare(a_schema, b_schema, jsonptr.join(path, name or label), ctx, depth + 1)
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
    for reason in _walk._compare(names, nb.property_names, path, ctx, depth + 1):
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
    no_base = isinstance(base, NoExample)
    for reason in reasons:
        ce = reason.counter_example
        instance: JSONValue | NoExample = NO_EXAMPLE
        if not no_base and not isinstance(ce, NoExample):
            # built when settled, if reported: the base is shared, not copied per reason
            instance = cast(JSONValue, _Patched(cast(dict[str, JSONValue], base), name, ce))
        wrapped.append(
            _reason(kind or reason.kind, reason.path, reason.status, instance, reason.detail, reason.change)
        )
    return wrapped


def _free_name(na: Norm, nb: Norm) -> str:
    name, n = "extra", 0
    while name in na.properties or name in nb.properties:
        n += 1
        name = f"extra{n}"
    return name
