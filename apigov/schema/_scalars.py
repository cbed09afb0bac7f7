"""Types, enums, numbers and strings in the comparison."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from fractions import Fraction
from itertools import chain
from typing import Final

from apigov.core._types import JSONValue
from apigov.schema import _walk
from apigov.schema._base import (
    WIDER_FORMATS,
    Reason,
    Status,
    _accepts_everything,
    _Ctx,
    _found,
    _real,
    _unknown,
)
from apigov.schema.instances import _None as NoExample
from apigov.schema.instances import accepts_norm, candidates, numbers, strings
from apigov.schema.model import (
    ALL_TYPES,
    NUMERIC_FORMATS,
    Bound,
    Norm,
    evolve,
    json_key,
    json_type,
    type_allowed,
)


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
    """Whether only ``type`` and ``enum`` (and the formats validation ignores) constrain ``n``."""
    if n.format in NUMERIC_FORMATS:
        return False
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


def _numeric(na: Norm, nb: Norm, path: str, ctx: _Ctx, *, integral: bool) -> list[Reason]:
    reasons: list[Reason] = []
    a_low, a_high = NUMERIC_FORMATS.get(na.format or "", (None, None))  # A's format bounds A too
    sides = (("minimum", na.lower, nb.lower, 1, a_low), ("maximum", na.upper, nb.upper, -1, a_high))
    for name, a_bound, b_bound, sign, edge in sides:
        if b_bound is not None and not _within(_tighter(a_bound, edge, sign), b_bound, sign, integral):
            kind = (
                f"{name}-added" if a_bound is None else f"{name}-{'increased' if sign > 0 else 'decreased'}"
            )
            pool = numbers(na, integral=integral, hints=[b_bound[0]])
            reasons.append(_found(kind, path, _numbers_only(na), nb, pool, ctx))
    if nb.multiple_of is not None and not _divides(nb.multiple_of, na.multiple_of, integral):
        kind = "multiple-of-added" if na.multiple_of is None else "multiple-of-changed"
        pool = numbers(na, integral=integral, hints=[nb.multiple_of, na.multiple_of or 1])
        reasons.append(_found(kind, path, _numbers_only(na), nb, pool, ctx))
    if nb.format in NUMERIC_FORMATS and nb.format != na.format:
        reasons += _numeric_format(na, nb, path, ctx, integral=integral)
    return reasons


def _numeric_format(na: Norm, nb: Norm, path: str, ctx: _Ctx, *, integral: bool) -> list[Reason]:
    """B's numeric ``format`` bounds its values: A's values (within A's bounds and format) must fit."""
    assert nb.format is not None
    low, high = NUMERIC_FORMATS[nb.format]
    a_low, a_high = NUMERIC_FORMATS.get(na.format or "", (None, None))
    lower, upper = _tighter(na.lower, a_low, 1), _tighter(na.upper, a_high, -1)
    if _within(lower, (low, False), 1, integral) and _within(upper, (high, False), -1, integral):
        return []
    kind = "format-added" if na.format is None else "format-changed"
    beyond: list[float] = [high + 1, low - 1] if integral or abs(high) < 2**53 else [high * 2, low * 2]
    pool = [*beyond, *numbers(na, integral=integral, hints=[high, low])]
    found = _found(kind, path, _numbers_only(na), nb, pool, ctx)
    detail = f"{na.format} -> {nb.format}"
    return [Reason(found.kind, found.path, found.status, found.counter_example, detail)]


def _tighter(bound: Bound | None, edge: float | None, sign: int) -> Bound | None:
    """The tighter of a bound and a format's edge (sign 1: lower bounds, -1: upper bounds)."""
    if edge is None:
        return bound
    if bound is None or (bound[0] - edge) * sign < 0:
        return (edge, False)
    return bound


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


_CONTENT: Final = frozenset({"contentEncoding", "contentMediaType", "contentSchema"})
_ENCODERS: Final[dict[str | None, Callable[[bytes], str]]] = {
    None: lambda data: data.decode("utf-8"),
    "base64": lambda data: base64.b64encode(data).decode("ascii"),
    "base64url": lambda data: base64.urlsafe_b64encode(data).decode("ascii"),
    "base16": lambda data: base64.b16encode(data).decode("ascii"),
    "base32": lambda data: base64.b32encode(data).decode("ascii"),
}
"""How a document is written into a string for each ``contentEncoding`` apigov can build."""


def _content(na: Norm, nb: Norm, path: str, ctx: _Ctx, depth: int) -> list[Reason]:
    """What a string holds: a changed ``contentEncoding`` or ``contentMediaType`` makes the same
    string mean something else (breaking either way); with both unchanged, ``contentSchema`` is
    compared like any schema, and a document A's accepts and B's rejects, written into a string
    A accepts, proves the difference."""
    a, b = na.node, nb.node
    assert a is not None and b is not None
    text = na.only(frozenset({"string"}))
    reasons: list[Reason] = []
    for keyword, kind in (
        ("contentEncoding", "content-encoding-changed"),
        ("contentMediaType", "content-media-type-changed"),
    ):
        before, after = a.get(keyword), b.get(keyword)
        if not _same_text(before, after):
            pool = chain(["YWJjZA=="], strings(text))
            sample = next((s for s in pool if accepts_norm(text, s, ctx.resolve_a) is True), None)
            detail = f"{before} -> {after}"
            if sample is None:
                reasons.append(_unknown(kind, path, detail))
            else:
                reasons.append(Reason(kind, path, Status.NOT_SUBSET, sample, detail))
    if reasons or "contentSchema" not in b:
        return reasons
    encoding, media = b.get("contentEncoding"), b.get("contentMediaType")
    encode = _ENCODERS.get(encoding) if isinstance(encoding, str | None) else None
    inside = f"{path}/$content"  # the decoded document is not part of the instance
    found = _walk._compare(a.get("contentSchema", True), b["contentSchema"], inside, ctx, depth + 1)
    if not found:
        return []
    detail = ", ".join(dict.fromkeys(f"{r.kind} at {r.path[len(inside) :] or '/'}" for r in found))
    detail += " of the decoded document"
    json_media = media is None or (isinstance(media, str) and media.split(";")[0].strip().endswith("json"))
    for inner in found:
        document = _real(inner.counter_example)
        if inner.status is not Status.NOT_SUBSET or isinstance(document, NoExample):
            continue
        if encode is None or not json_media:
            break
        written = encode(json.dumps(document).encode("utf-8"))
        if accepts_norm(text, written, ctx.resolve_a) is True:
            return [Reason("content-schema-changed", path, Status.NOT_SUBSET, written, detail)]
    return [_unknown("content-schema-changed", path, detail)]


def _same_text(first: JSONValue, second: JSONValue) -> bool:
    """Content keywords name media types and encodings case-insensitively."""
    if isinstance(first, str) and isinstance(second, str):
        return first.lower() == second.lower()
    return first == second
