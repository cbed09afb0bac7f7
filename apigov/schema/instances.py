"""Instances against schemas: a three-valued validator and a builder of valid example instances.

:func:`accepts` answers ``True``/``False`` for the keywords :mod:`apigov.schema.model` understands and
``None`` (unknown) as soon as an unmodelled keyword could decide; the compatibility engine uses it to
confirm every counter-example before it claims one. :func:`example` builds a small instance a schema
accepts (or :data:`NONE` when it cannot). Both are pure and bounded in depth.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from fractions import Fraction
from functools import lru_cache
from typing import Final, cast

from apigov.core._types import JSONValue
from apigov.schema import patterns
from apigov.schema.model import (
    NUMERIC_FORMATS,
    MemoResolver,
    ModelError,
    Norm,
    Resolver,
    WorkExceeded,
    json_key,
    json_type,
    normalise,
    type_allowed,
)

MAX_DEPTH: Final = 64
MAX_VALIDATION_WORK: Final = 100_000
"""Units of work (see :class:`apigov.schema.model.Meter`) one validation or example outside a
comparison may do before it answers ``None`` (:data:`NONE`): ``allOf`` of two ``$ref`` in a
loop of 100 components branches into 2^64 routes before the depth limit ends them."""


class _None:
    """Sentinel type of :data:`NONE`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NONE"


NONE: Final = _None()
"""No instance could be built."""

FORMAT_EXAMPLES: Final[dict[str, str]] = {
    "date": "2024-01-31",
    "date-time": "2024-01-31T12:00:00Z",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "uri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri": "https://example.com/",
    "iri-reference": "https://example.com/",
    "url": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "YWJjZA==",
    "binary": "abcd",
    "password": "secret",
    "json-pointer": "/a",
    "relative-json-pointer": "0",
    "regex": "^a$",
}
"""A fixed valid value for each known string ``format`` (tried first: validators may assert formats)."""

SAMPLE_KEYWORDS: Final = ("example", "examples", "default")
"""Annotations whose values are tried as instances (checked, never trusted)."""

_TYPE_ORDER: Final = ("null", "boolean", "integer", "number", "string", "object", "array")


def accepts(schema: JSONValue, value: JSONValue, resolve: Resolver, depth: int = 0) -> bool | None:
    """Whether ``schema`` accepts ``value``; ``None`` when the engine cannot tell."""
    if schema is True:  # the usual schema of an undeclared property: no need to walk the value
        return True
    if depth > MAX_DEPTH:
        if type(resolve) is MemoResolver:
            resolve.deep += 1
        return None
    if type(resolve) is MemoResolver and type(schema) is dict:
        meter = resolve.meter
        if meter.limit == sys.maxsize:  # not inside a comparison, which budgets its own work
            meter.limit = meter.spent + MAX_VALIDATION_WORK
            try:
                return accepts(schema, value, resolve, depth)
            except WorkExceeded:
                return None
            finally:
                meter.limit = sys.maxsize
        key = (id(schema), id(value))
        known = resolve.accepted.get(key)
        if known is not None:
            return known[2]
        if key in resolve.validating:  # a cycle that never descends into the instance
            return None
        resolve.validating.add(key)
        deep = resolve.deep
        try:
            verdict = _accepts(schema, value, resolve, depth)
        finally:
            resolve.validating.discard(key)
        if resolve.deep == deep:  # decided without reaching the depth limit: the same at any depth
            resolve.accepted[key] = (schema, value, verdict)
        return verdict
    return _accepts(schema, value, resolve, depth)


def _accepts(schema: JSONValue, value: JSONValue, resolve: Resolver, depth: int) -> bool | None:
    try:
        norm = normalise(schema, resolve)
    except ModelError:
        return None
    return accepts_norm(norm, value, resolve, depth)


def accepts_norm(norm: Norm, value: JSONValue, resolve: Resolver, depth: int = 0) -> bool | None:
    """:func:`accepts` for a schema already in canonical form."""
    if norm.never:
        return False
    if type(resolve) is MemoResolver:
        resolve.meter.spend()  # a hostile schema can ask for millions of validations
    verdict = _own(norm, value, resolve, depth)
    if verdict is False:
        return False
    if norm.unknown:
        if not norm.unknown <= _UNEVALUATED or norm.node is None:
            return None
        verdict = _both(verdict, _composed(norm, value, resolve, depth))
        return verdict and _unevaluated(norm.node, value, resolve, depth)
    return _both(verdict, _composed(norm, value, resolve, depth))


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _all(results: Iterable[bool | None]) -> bool | None:
    verdict: bool | None = True
    for result in results:
        verdict = _both(verdict, result)
        if verdict is False:
            return False
    return verdict


def _own(norm: Norm, value: JSONValue, resolve: Resolver, depth: int) -> bool | None:
    kind = json_type(value)
    if not type_allowed(kind, norm.types):
        return False
    if norm.enum is not None and json_key(value) not in norm.enum_keys:
        return False
    if kind in ("integer", "number"):
        assert isinstance(value, int | float)
        return _number_ok(norm, value)
    if isinstance(value, str):
        return _string_ok(norm, value)
    if isinstance(value, list):
        return _array_ok(norm, value, resolve, depth)
    if isinstance(value, dict):
        return _object_ok(norm, value, resolve, depth)
    return True


def _number_ok(norm: Norm, value: float) -> bool:
    if norm.format is not None and norm.format in NUMERIC_FORMATS:
        low, high = NUMERIC_FORMATS[norm.format]
        if not low <= value <= high:
            return False
    if norm.lower is not None and (value < norm.lower[0] or (norm.lower[1] and value == norm.lower[0])):
        return False
    if norm.upper is not None and (value > norm.upper[0] or (norm.upper[1] and value == norm.upper[0])):
        return False
    if norm.multiple_of is not None and norm.multiple_of > 0:
        quotient = Fraction(str(value)) / Fraction(str(norm.multiple_of))
        return quotient.denominator == 1
    return True


def _string_ok(norm: Norm, value: str) -> bool | None:
    if len(value) < norm.min_length or (norm.max_length is not None and len(value) > norm.max_length):
        return False
    if norm.pattern is None:
        return True
    return patterns.search(norm.pattern, value)


def _array_ok(norm: Norm, value: list[JSONValue], resolve: Resolver, depth: int) -> bool | None:
    if len(value) < norm.min_items or (norm.max_items is not None and len(value) > norm.max_items):
        return False
    if norm.unique_items and len({json_key(v) for v in value}) != len(value):
        return False
    if type(resolve) is MemoResolver:
        resolve.meter.spend(len(value) // 16)  # items whose verdicts are remembered cost too
    prefix = norm.prefix_items
    verdict = _all(
        accepts(prefix[index] if index < len(prefix) else norm.items, item, resolve, depth + 1)
        for index, item in enumerate(value)
    )
    if verdict is False or norm.contains is None:
        return verdict
    matches, unsure = 0, 0
    for item in value:
        found = accepts(norm.contains, item, resolve, depth + 1)
        matches += found is True
        unsure += found is None
    if matches + unsure < norm.min_contains:
        return False
    if norm.max_contains is not None and matches > norm.max_contains:
        return False
    if unsure and (matches < norm.min_contains or norm.max_contains is not None):
        return None
    return verdict


def property_schemas(norm: Norm, name: str) -> list[JSONValue] | None:
    """The schemas an object's property ``name`` must satisfy under ``norm`` (its ``properties``
    entry and every matching ``patternProperties`` entry, else ``additionalProperties``);
    ``None`` when whether a pattern matches the name cannot be decided."""
    found: list[JSONValue] = []
    if name in norm.properties:
        found.append(norm.properties[name])
    for pattern, schema in norm.pattern_properties:
        matched = patterns.search(pattern, name)
        if matched is None:
            return None
        if matched:
            found.append(schema)
    if not found:
        found.append(norm.additional)
    return found


def _object_ok(norm: Norm, value: dict[str, JSONValue], resolve: Resolver, depth: int) -> bool | None:
    if not norm.required <= value.keys():
        return False
    if len(value) < norm.min_properties or (
        norm.max_properties is not None and len(value) > norm.max_properties
    ):
        return False
    for name, needs in norm.dependent_required.items():
        if name in value and not needs <= value.keys():
            return False
    if type(resolve) is MemoResolver:
        resolve.meter.spend(len(value) // 16)
    verdict: bool | None = True
    if not norm.pattern_properties and norm.property_names is True:  # the common case, fast
        properties, additional = norm.properties, norm.additional
        for name, item in value.items():
            verdict = _both(verdict, accepts(properties.get(name, additional), item, resolve, depth + 1))
            if verdict is False:
                return False
        names: Iterable[tuple[str, JSONValue]] = ()
    else:
        names = value.items()
    for name, item in names:
        schemas = property_schemas(norm, name)
        if schemas is None:
            verdict = _both(verdict, None)
            continue
        verdict = _both(verdict, _all(accepts(s, item, resolve, depth + 1) for s in schemas))
        if norm.property_names is not True:
            verdict = _both(verdict, accepts(norm.property_names, name, resolve, depth + 1))
        if verdict is False:
            return False
    for name, schema in norm.dependent_schemas.items():
        if name in value:
            verdict = _both(verdict, accepts(schema, value, resolve, depth + 1))
    return verdict


def _composed(norm: Norm, value: JSONValue, resolve: Resolver, depth: int) -> bool | None:
    verdict: bool | None = True
    if norm.all_of is not None:
        verdict = _all(accepts(s, value, resolve, depth + 1) for s in norm.all_of)
    if norm.any_of is not None and verdict is not False:
        found: bool | None = False
        for branch in norm.any_of:
            result = accepts(branch, value, resolve, depth + 1)
            if result is True:
                found = True
                break
            if result is None:
                found = None
        verdict = _both(verdict, found)
    if norm.one_of is not None and verdict is not False:
        results = [accepts(s, value, resolve, depth + 1) for s in norm.one_of]
        verdict = _both(verdict, None if None in results else results.count(True) == 1)
    if norm.not_ is not None and verdict is not False:
        inner = accepts(norm.not_, value, resolve, depth + 1)
        verdict = _both(verdict, None if inner is None else not inner)
    if norm.if_ is not None and verdict is not False:
        condition = accepts(norm.if_, value, resolve, depth + 1)
        if condition is None:
            then = accepts(norm.then, value, resolve, depth + 1)
            other = accepts(norm.else_, value, resolve, depth + 1)
            verdict = _both(verdict, then if then == other else None)
        else:
            verdict = _both(
                verdict, accepts(norm.then if condition else norm.else_, value, resolve, depth + 1)
            )
    return verdict


_UNEVALUATED: Final = frozenset({"unevaluatedProperties", "unevaluatedItems"})
_EVERY: Final = -1
"""What :func:`_evaluated` answers when every member of the instance is evaluated."""


def _unevaluated(node: dict[str, JSONValue], value: JSONValue, resolve: Resolver, depth: int) -> bool | None:
    """``unevaluatedProperties`` / ``unevaluatedItems`` of ``node`` on an instance every other
    keyword of ``node`` accepts: the members no keyword evaluated must be valid under them."""
    if isinstance(value, dict) and "unevaluatedProperties" in node:
        seen = _evaluated(node, value, resolve, depth, top=True)
        if seen is None:
            return None
        rest = [] if seen == _EVERY else [v for k, v in value.items() if k not in cast(set[str], seen)]
        return _all(accepts(node["unevaluatedProperties"], v, resolve, depth + 1) for v in rest)
    if isinstance(value, list) and "unevaluatedItems" in node:
        seen = _evaluated(node, value, resolve, depth, top=True)
        if seen is None:
            return None
        left = [] if seen == _EVERY else [v for i, v in enumerate(value) if i not in cast(set[int], seen)]
        return _all(accepts(node["unevaluatedItems"], v, resolve, depth + 1) for v in left)
    return True


def _evaluated(
    schema: JSONValue,
    value: dict[str, JSONValue] | list[JSONValue],
    resolve: Resolver,
    depth: int,
    *,
    top: bool = False,
) -> set[str] | set[int] | int | None:
    """The property names (or item indices) of ``value`` that ``schema``, which accepts
    ``value``, evaluates (JSON Schema 2020-12 annotations): :data:`_EVERY` for all of them,
    ``None`` when it cannot be told (an undecided branch, a dynamic reference)."""
    if depth > MAX_DEPTH:
        return None
    if not isinstance(schema, dict):
        return set()
    if "$dynamicRef" in schema or "$recursiveRef" in schema:
        return None
    found: set[str] | set[int] = set()
    own = {"unevaluatedProperties", "unevaluatedItems"} if top else set()
    if isinstance(value, dict):
        if any(k in schema and k not in own for k in ("additionalProperties", "unevaluatedProperties")):
            return _EVERY
        names = cast(set[str], found)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            names |= value.keys() & properties.keys()
        pattern_map = schema.get("patternProperties")
        if isinstance(pattern_map, dict):
            for name in value:
                for pattern in pattern_map:
                    matched = patterns.search(pattern, name)
                    if matched is None:
                        return None
                    if matched:
                        names.add(name)
    else:
        if any(k in schema and k not in own for k in ("additionalItems", "unevaluatedItems")):
            return _EVERY
        items, prefix = schema.get("items"), schema.get("prefixItems")
        if isinstance(items, list):
            prefix = items
        elif "items" in schema:
            return _EVERY
        indices = cast(set[int], found)
        if isinstance(prefix, list):
            indices |= set(range(min(len(prefix), len(value))))
        if "contains" in schema:
            for index, item in enumerate(value):
                matched_item = accepts(schema["contains"], item, resolve, depth + 1)
                if matched_item is None:
                    return None
                if matched_item:
                    indices.add(index)
    applied: list[JSONValue] = []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        try:
            applied.append(resolve(ref))
        except LookupError:
            return None
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        applied += all_of
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        for branch in branches if isinstance(branches, list) else ():
            valid = accepts(branch, value, resolve, depth + 1)
            if valid is None:
                return None
            if valid:
                applied.append(branch)
    if "if" in schema:
        condition = accepts(schema["if"], value, resolve, depth + 1)
        if condition is None:
            return None
        applied += [schema["if"], schema.get("then", True)] if condition else [schema.get("else", True)]
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict) and isinstance(value, dict):
        applied += [s for name, s in dependent.items() if name in value]
    for sub in applied:
        more = _evaluated(sub, value, resolve, depth + 1)
        if more is None or more == _EVERY:
            return more
        found |= more  # type: ignore[operator]
    return found


def example(
    schema: JSONValue, resolve: Resolver, kind: str | None = None, depth: int = 0
) -> JSONValue | _None:
    """A small instance ``schema`` accepts (of type ``kind`` when given), or :data:`NONE`."""
    if depth > MAX_DEPTH:
        if type(resolve) is MemoResolver:
            resolve.cuts += 1
        return NONE
    if type(resolve) is not MemoResolver or type(schema) is not dict:
        return _example(schema, resolve, kind, depth)
    meter = resolve.meter
    if meter.limit == sys.maxsize:  # not inside a comparison, which budgets its own work
        meter.limit = meter.spent + MAX_VALIDATION_WORK
        try:
            return example(schema, resolve, kind, depth)
        except WorkExceeded:
            return NONE
        finally:
            meter.limit = sys.maxsize
    meter.spend()  # a recursive schema whose routes keep giving up is built again along each
    key = (id(schema), kind)
    known = resolve.examples.get(key)
    if known is not None:
        return cast("JSONValue | _None", known[1])
    if key in resolve.building:  # this route leads back to itself: another one must end
        resolve.cuts += 1
        return NONE
    resolve.building.add(key)
    cuts = resolve.cuts
    try:
        found = _example(schema, resolve, kind, depth)
    finally:
        resolve.building.discard(key)
    if not isinstance(found, _None) or resolve.cuts == cuts:  # an instance is checked: always valid
        resolve.examples[key] = (schema, found)
    return found


def _example(schema: JSONValue, resolve: Resolver, kind: str | None, depth: int) -> JSONValue | _None:
    try:
        norm = normalise(schema, resolve)
    except ModelError:
        return NONE
    for candidate in candidates(norm, resolve, kind, depth):
        if accepts(schema, candidate, resolve) is True:
            return candidate
    return NONE


def candidates(norm: Norm, resolve: Resolver, kind: str | None = None, depth: int = 0) -> Iterator[JSONValue]:
    """Plausible instances of ``norm`` (not checked): enum values first, then one per type."""
    if norm.never:
        return
    yield from (v for v in samples(norm) if kind is None or json_type(v) == kind)
    if norm.enum is not None:
        yield from (v for v in norm.enum if kind is None or json_type(v) == kind)
        return
    for branch in (norm.any_of or ()) + (norm.one_of or ()) + (norm.all_of or ()):
        found = example(branch, resolve, kind, depth + 1)
        if not isinstance(found, _None):
            yield found
    for name in _TYPE_ORDER if kind is None else (kind,):
        if type_allowed(name, norm.types):
            yield from _typed(norm, name, resolve, depth)


def _arrays(norm: Norm, resolve: Resolver, depth: int) -> Iterator[JSONValue]:
    if max(norm.min_items, norm.min_contains) > LARGEST_COLLECTION:
        return
    prefix = norm.prefix_items
    built: list[JSONValue] = []
    for index in range(norm.min_items):
        item = example(prefix[index] if index < len(prefix) else norm.items, resolve, None, depth + 1)
        if isinstance(item, _None):
            break
        built.append(item)
    else:
        yield built
    if norm.contains is not None and norm.min_contains > 0:
        item = example(norm.contains, resolve, None, depth + 1)
        if not isinstance(item, _None):
            yield [item] * max(norm.min_contains, norm.min_items)  # both bounded above


def samples(norm: Norm) -> Iterator[JSONValue]:
    """The values a schema object gives as ``example``, ``examples`` (a list; OpenAPI 3.0 media
    examples are not schemas) and ``default``, in that order: realistic, but not checked here."""
    node = norm.node
    if not node:
        return
    for keyword in SAMPLE_KEYWORDS:
        if keyword not in node:
            continue
        value = node[keyword]
        if keyword == "examples":
            if isinstance(value, list):
                yield from value
        else:
            yield value


def _typed(norm: Norm, kind: str, resolve: Resolver, depth: int) -> Iterator[JSONValue]:
    if kind == "null":
        yield None
    elif kind == "boolean":
        yield from (True, False)
    elif kind in ("integer", "number"):
        yield from numbers(norm, integral=kind == "integer")
    elif kind == "string":
        yield from strings(norm)
    elif kind == "array":
        yield from _arrays(norm, resolve, depth)
    elif kind == "object":
        built = required_object(norm, resolve, depth)
        if not isinstance(built, _None):
            yield built


def required_object(norm: Norm, resolve: Resolver, depth: int = 0) -> dict[str, JSONValue] | _None:
    """An object holding an example of every required property of ``norm`` (and of the properties
    those depend on), with optional ones added up to ``minProperties``."""
    if norm.min_properties > LARGEST_COLLECTION or len(norm.required) > LARGEST_COLLECTION:
        return NONE
    names = set(norm.required)
    for _ in range(8):  # ``dependentRequired`` closure (bounded)
        more = set().union(*(norm.dependent_required.get(n, frozenset()) for n in names)) - names
        if not more:
            break
        names |= more
    built: dict[str, JSONValue] = {}
    for name in sorted(names):
        value = property_example(norm, name, resolve, depth)
        if isinstance(value, _None):
            return NONE
        built[name] = value
    if len(built) < norm.min_properties:
        for name in optional_names(norm):
            if len(built) >= norm.min_properties:
                break
            if name in built:
                continue
            value = property_example(norm, name, resolve, depth)
            if not isinstance(value, _None):
                built[name] = value
    return built


def property_example(norm: Norm, name: str, resolve: Resolver, depth: int) -> JSONValue | _None:
    schemas = property_schemas(norm, name)
    if schemas is None:
        return NONE
    if len(schemas) == 1:
        return example(schemas[0], resolve, None, depth + 1)
    conjunction: JSONValue = {"allOf": schemas}
    return example(conjunction, resolve, None, depth + 1)


def optional_names(norm: Norm) -> Iterator[str]:
    """Names an object may add beyond its required ones: declared ones first, then made-up ones."""
    yield from sorted(norm.properties)
    for pattern, _ in norm.pattern_properties:
        name = patterns.matching(pattern, 1)
        if name is not None:
            yield name
    if norm.additional is not False:
        yield from (f"extra{n}" if n else "extra" for n in range(max(norm.min_properties, 1)))


def numbers(norm: Norm, *, integral: bool, hints: Iterable[float] = ()) -> Iterator[float]:
    """Numbers near the bounds of ``norm`` and near ``hints`` (the other schema's bounds)."""
    step = norm.multiple_of if norm.multiple_of and norm.multiple_of > 0 else 1
    anchors = [b[0] for b in (norm.lower, norm.upper) if b is not None]
    anchors += [*hints, 0]
    for anchor in anchors:
        quotient = anchor / step
        if not math.isfinite(quotient):
            continue  # a step of 1e-320 near 1e308: no counter-example here
        base = round(quotient) * step
        for delta in (0, 1, -1, 2, -2):
            value = base + delta * step
            if not math.isfinite(value):
                continue
            if integral:
                if float(value).is_integer():
                    yield int(value)
            else:
                yield value
                if norm.multiple_of is None:
                    yield anchor + delta * 0.5


LONGEST_STRING: Final = 1 << 20
"""The longest string built as a counter-example, 1 MiB (real specs write ``maxLength`` up to
262,144; a ``minLength`` of a billion would take a gigabyte): a change that only longer strings
prove stays undecided, a warning, never a pass."""
LARGEST_COLLECTION: Final = 1 << 14
"""The most items or properties a built counter-example holds (``minItems``, ``minContains``,
``minProperties`` beyond it leave the change undecided, as :data:`LONGEST_STRING`)."""


def repeated(item: JSONValue, count: int) -> list[JSONValue] | None:
    """``count`` times ``item``, or ``None`` beyond :data:`LARGEST_COLLECTION`."""
    return [item] * count if count <= LARGEST_COLLECTION else None


def _filled(char: str, length: int) -> str:
    """``char`` repeated: one string per length (up to 64 KiB), however many counter-examples hold it."""
    return _short_filled(char, length) if length <= 1 << 16 else char * length


@lru_cache(maxsize=64)
def _short_filled(char: str, length: int) -> str:
    return char * length


def strings(
    norm: Norm,
    *,
    lengths: Iterable[int] = (),
    shorter_than: int | None = None,
    longer_than: int | None = None,
    avoid: str = "",
) -> Iterator[str]:
    """Strings of interesting lengths; format examples first; then, for a ``pattern``, strings it
    matches (shorter than / longer than the given lengths, or rejected by the pattern ``avoid``)."""
    if norm.format in FORMAT_EXAMPLES:
        yield FORMAT_EXAMPLES[norm.format]
    lengths = tuple(lengths)
    for length in (norm.min_length, *lengths, norm.max_length or norm.min_length, max(norm.min_length, 1)):
        if 0 <= length <= LONGEST_STRING:
            yield from (_filled(char, length) for char in "az0")
    if norm.pattern is None:
        return
    low, high = norm.min_length, norm.max_length
    if longer_than is not None:
        low = max(low, longer_than + 1)
    if shorter_than is not None:
        high = shorter_than - 1 if high is None else min(high, shorter_than - 1)
    found = patterns.matching(norm.pattern, low, high, avoid)
    if found is not None:
        yield found
