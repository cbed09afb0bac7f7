"""The conjunction of two schemas in canonical form (``allOf``): :func:`merge`.

Used by the comparison to fold ``allOf`` conjuncts into one form and to build instances meant to
be valid under two schemas at once. Pure: no I/O, no state.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from apigov.core._types import JSONValue
from apigov.schema.model import Bound, Norm, _conjoin, evolve, json_key


def merge(first: Norm, second: Norm) -> Norm | None:
    """The conjunction of two plain schemas (``allOf``), or ``None`` when it is not simple to state."""
    if first.never or second.never:
        return Norm(never=True)
    for norm in (first, second):
        if norm.is_union or norm.all_of is not None or norm.not_ is not None or norm.unknown:
            return None
    properties = _merge_properties(first.properties, second.properties)
    additional = _conjoin(first.additional, second.additional)
    if first.additional is not True or second.additional is not True:
        if first.pattern_properties or second.pattern_properties:
            return None
        properties = {  # a side's additionalProperties applies to the names only the other declares
            name: _conjoin(
                first.properties.get(name, first.additional), second.properties.get(name, second.additional)
            )
            for name in {**first.properties, **second.properties}
        }
    if not _same_or_one(first.pattern, second.pattern) or not _same_or_one(first.format, second.format):
        return None
    multiple = _merge_multiple(first.multiple_of, second.multiple_of)
    if multiple is False:
        return None
    extras = _merge_extras(first, second)
    if extras is None:
        return None
    return evolve(
        extras,
        types=_merge_types(first.types, second.types),
        enum=_merge_enum(first.enum, second.enum),
        lower=_tighter(first.lower, second.lower, 1),
        upper=_tighter(first.upper, second.upper, -1),
        multiple_of=multiple,
        min_length=max(first.min_length, second.min_length),
        max_length=_min(first.max_length, second.max_length),
        pattern=first.pattern or second.pattern,
        format=first.format or second.format,
        properties=properties,
        additional=additional,
        required=first.required | second.required,
        items=_conjoin(first.items, second.items),
        min_items=max(first.min_items, second.min_items),
        max_items=_min(first.max_items, second.max_items),
        unique_items=first.unique_items or second.unique_items,
    )


def _merge_extras(first: Norm, second: Norm) -> Norm | None:
    """The keywords beyond the first model's of a conjunction: taken from the one side that has
    each; ``None`` when both have one that does not simply combine."""
    if (first.prefix_items and second.prefix_items) or (
        (first.prefix_items or second.prefix_items) and (first.items is not True or second.items is not True)
    ):
        return None  # prefixItems shifts where ``items`` applies
    if (first.contains is not None and second.contains is not None) or (
        first.if_ is not None and second.if_ is not None
    ):
        return None
    if first.pattern_properties and second.pattern_properties:
        return None
    dependent_required = dict(first.dependent_required)
    for name, names in second.dependent_required.items():
        dependent_required[name] = dependent_required.get(name, frozenset()) | names
    dependent_schemas = dict(first.dependent_schemas)
    for name, schema in second.dependent_schemas.items():
        dependent_schemas[name] = (
            _conjoin(dependent_schemas[name], schema) if name in dependent_schemas else schema
        )
    contains = first if first.contains is not None else second
    conditional = first if first.if_ is not None else second
    return Norm(
        prefix_items=first.prefix_items or second.prefix_items,
        contains=contains.contains,
        min_contains=contains.min_contains,
        max_contains=contains.max_contains,
        pattern_properties=first.pattern_properties or second.pattern_properties,
        property_names=_conjoin(first.property_names, second.property_names),
        min_properties=max(first.min_properties, second.min_properties),
        max_properties=_min(first.max_properties, second.max_properties),
        dependent_required=dependent_required,
        dependent_schemas=dependent_schemas,
        if_=conditional.if_,
        then=conditional.then,
        else_=conditional.else_,
    )


def _same_or_one(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second


def _merge_multiple(first: float | None, second: float | None) -> float | bool | None:
    if first is None or second is None:
        return first if second is None else second
    big, small = (first, second) if first >= second else (second, first)
    return big if (Fraction(str(big)) / Fraction(str(small))).denominator == 1 else False


def _merge_types(first: frozenset[str] | None, second: frozenset[str] | None) -> frozenset[str] | None:
    if first is None or second is None:
        return first if second is None else second
    both = first & second
    if ("integer" in first and "number" in second) or ("number" in first and "integer" in second):
        both |= {"integer"}
    return both - {"integer"} if "number" in both else both


def _merge_enum(
    first: tuple[JSONValue, ...] | None, second: tuple[JSONValue, ...] | None
) -> tuple[JSONValue, ...] | None:
    if first is None or second is None:
        return first if second is None else second
    keys = {json_key(v) for v in second}
    return tuple(v for v in first if json_key(v) in keys)


def _tighter(first: Bound | None, second: Bound | None, sign: int) -> Bound | None:
    if first is None or second is None:
        return first if second is None else second
    if first[0] == second[0]:
        return (first[0], first[1] or second[1])
    return first if (first[0] - second[0]) * sign > 0 else second


def _min(first: int | None, second: int | None) -> int | None:
    if first is None or second is None:
        return first if second is None else second
    return min(first, second)


def _merge_properties(
    first: Mapping[str, JSONValue], second: Mapping[str, JSONValue]
) -> dict[str, JSONValue]:
    merged = dict(first)
    for name, schema in second.items():
        merged[name] = _conjoin(merged[name], schema) if name in merged else schema
    return merged
