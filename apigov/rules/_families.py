"""The schema-change families: one row per kind of schema change, named both ways.

A row gives the id suffix for the change when it *narrows* what the schema accepts and when it
*widens* it, the keywords it is about, and a small example pair (base, revision) that narrows.
The catalogue crosses every row with every schema context (request parameter, request body,
request property, response body, response property, response header); the level follows from
the direction: a narrowing breaks what clients send, a widening breaks what clients receive.
The same example pairs feed the rule documentation and the catalogue's tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from apigov.core._types import JSONValue


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    narrow: str
    widen: str
    keywords: tuple[str, ...]
    narrow_text: str
    widen_text: str
    base: JSONValue
    revision: JSONValue
    """A change that narrows (the revision accepts less); swapped, it widens."""
    decidable: bool = True
    """False for changes the engine cannot prove either way (two different patterns)."""

    @property
    def symmetric(self) -> bool:
        return self.narrow == self.widen


def _f(
    key: str,
    narrow: str,
    widen: str,
    keywords: tuple[str, ...],
    narrow_text: str,
    widen_text: str,
    base: JSONValue,
    revision: JSONValue,
    *,
    decidable: bool = True,
) -> Family:
    return Family(key, narrow, widen, keywords, narrow_text, widen_text, base, revision, decidable)


S: Final = "string"
FAMILIES: Final[tuple[Family, ...]] = (
    _f(
        "type-changed",
        "type-changed",
        "type-changed",
        ("type",),
        "type changed",
        "type changed",
        {"type": "string"},
        {"type": "integer"},
    ),
    _f(
        "type-narrowed",
        "type-specialized",
        "type-generalized",
        ("type",),
        "type narrowed",
        "type widened",
        {"type": "number"},
        {"type": "integer"},
    ),
    _f(
        "nullable",
        "became-not-nullable",
        "became-nullable",
        ("nullable", "type"),
        "no longer accepts null",
        "now accepts null",
        {"type": "string", "nullable": True},
        {"type": "string"},
    ),
    _f(
        "enum-value",
        "enum-value-removed",
        "enum-value-added",
        ("enum",),
        "enum value removed",
        "enum value added",
        {"type": S, "enum": ["a", "b"]},
        {"type": S, "enum": ["a"]},
    ),
    _f(
        "enum",
        "became-enum",
        "became-not-enum",
        ("enum",),
        "restricted to an enum",
        "no longer restricted to an enum",
        {"type": S},
        {"type": S, "enum": ["a"]},
    ),
    _f(
        "const",
        "const-changed",
        "const-changed",
        ("const", "enum"),
        "constant value replaced",
        "constant value replaced",
        {"type": S, "enum": ["a"]},  # an enum of one value is a constant (3.0 has no const)
        {"type": S, "enum": ["b"]},
    ),
    _f(
        "min-set",
        "min-set",
        "min-unset",
        ("minimum", "exclusiveMinimum"),
        "minimum set",
        "minimum removed",
        {"type": "integer"},
        {"type": "integer", "minimum": 1},
    ),
    _f(
        "min",
        "min-increased",
        "min-decreased",
        ("minimum", "exclusiveMinimum"),
        "minimum increased",
        "minimum decreased",
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 5},
    ),
    _f(
        "max-set",
        "max-set",
        "max-unset",
        ("maximum", "exclusiveMaximum"),
        "maximum set",
        "maximum removed",
        {"type": "integer"},
        {"type": "integer", "maximum": 100},
    ),
    _f(
        "max",
        "max-decreased",
        "max-increased",
        ("maximum", "exclusiveMaximum"),
        "maximum decreased",
        "maximum increased",
        {"type": "integer", "maximum": 100},
        {"type": "integer", "maximum": 10},
    ),
    _f(
        "multiple-of-set",
        "multiple-of-set",
        "multiple-of-unset",
        ("multipleOf",),
        "multipleOf set",
        "multipleOf removed",
        {"type": "integer"},
        {"type": "integer", "multipleOf": 5},
    ),
    _f(
        "multiple-of",
        "multiple-of-changed",
        "multiple-of-changed",
        ("multipleOf",),
        "multipleOf changed",
        "multipleOf changed",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
    ),
    _f(
        "min-length",
        "min-length-increased",
        "min-length-decreased",
        ("minLength",),
        "minimum length increased",
        "minimum length decreased",
        {"type": S, "minLength": 1},
        {"type": S, "minLength": 3},
    ),
    _f(
        "max-length-set",
        "max-length-set",
        "max-length-unset",
        ("maxLength",),
        "maximum length set",
        "maximum length removed",
        {"type": S},
        {"type": S, "maxLength": 10},
    ),
    _f(
        "max-length",
        "max-length-decreased",
        "max-length-increased",
        ("maxLength",),
        "maximum length decreased",
        "maximum length increased",
        {"type": S, "maxLength": 50},
        {"type": S, "maxLength": 10},
    ),
    _f(
        "pattern-added",
        "pattern-added",
        "pattern-removed",
        ("pattern",),
        "pattern added",
        "pattern removed",
        {"type": S},
        {"type": S, "pattern": "^[a-z]+$"},
    ),
    _f(
        "pattern",
        "pattern-changed",
        "pattern-changed",
        ("pattern",),
        "pattern changed",
        "pattern changed",
        {"type": S, "pattern": "^[a-z]+$"},
        {"type": S, "pattern": "^[a-z0-9]+$"},
        decidable=False,
    ),
    _f(
        "format-added",
        "format-added",
        "format-removed",
        ("format",),
        "format added",
        "format removed",
        {"type": S},
        {"type": S, "format": "uuid"},
        decidable=False,
    ),
    _f(
        "format",
        "format-changed",
        "format-changed",
        ("format",),
        "format changed",
        "format changed",
        {"type": S, "format": "date-time"},
        {"type": S, "format": "date"},
        decidable=False,
    ),
    _f(
        "min-items",
        "min-items-increased",
        "min-items-decreased",
        ("minItems",),
        "minimum number of items increased",
        "minimum number of items decreased",
        {"type": "array", "items": {"type": S}},
        {"type": "array", "items": {"type": S}, "minItems": 2},
    ),
    _f(
        "max-items-set",
        "max-items-set",
        "max-items-unset",
        ("maxItems",),
        "maximum number of items set",
        "maximum number of items removed",
        {"type": "array", "items": {"type": S}},
        {"type": "array", "items": {"type": S}, "maxItems": 5},
    ),
    _f(
        "max-items",
        "max-items-decreased",
        "max-items-increased",
        ("maxItems",),
        "maximum number of items decreased",
        "maximum number of items increased",
        {"type": "array", "items": {"type": S}, "maxItems": 10},
        {"type": "array", "items": {"type": S}, "maxItems": 2},
    ),
    _f(
        "unique-items",
        "unique-items-added",
        "unique-items-removed",
        ("uniqueItems",),
        "items must now be unique",
        "items no longer need to be unique",
        {"type": "array", "items": {"type": S}},
        {"type": "array", "items": {"type": S}, "uniqueItems": True},
    ),
    _f(
        "closed",
        "additional-properties-closed",
        "additional-properties-opened",
        ("additionalProperties",),
        "no longer accepts additional properties",
        "now accepts additional properties",
        {"type": "object"},
        {"type": "object", "additionalProperties": False},
    ),
    _f(
        "schema",
        "schema-narrowed",
        "schema-widened",
        (),
        "accepts less",
        "accepts more",
        {"enum": ["a", "bb"]},
        {"type": S, "maxLength": 1},
    ),
    _f(
        "undecided",
        "schema-undecided",
        "schema-undecided",
        (),
        "changed in a way apigov cannot decide",
        "changed in a way apigov cannot decide",
        {"type": "array"},
        {"type": "array", "unevaluatedItems": {"type": S}},
        decidable=False,
    ),
    _f(
        "required",
        "became-required",
        "became-optional",
        ("required",),
        "became required",
        "became optional",
        {"type": "object", "properties": {"q": {"type": S}}},
        {"type": "object", "properties": {"q": {"type": S}}, "required": ["q"]},
    ),
)
BY_KEY: Final[Mapping[str, Family]] = MappingProxyType({f.key: f for f in FAMILIES})

#: engine reason kind -> family key (``type-narrowed`` is split into changed / narrowed by types).
ENGINE_KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "type-narrowed": "type-narrowed",
        "nullable-removed": "nullable",
        "enum-value-removed": "enum-value",
        "enum-added": "enum",
        "minimum-added": "min-set",
        "minimum-increased": "min",
        "maximum-added": "max-set",
        "maximum-decreased": "max",
        "multiple-of-added": "multiple-of-set",
        "multiple-of-changed": "multiple-of",
        "min-length-increased": "min-length",
        "max-length-added": "max-length-set",
        "max-length-decreased": "max-length",
        "pattern-added": "pattern-added",
        "pattern-changed": "pattern",
        "format-added": "format-added",
        "format-changed": "format",
        "min-items-increased": "min-items",
        "max-items-added": "max-items-set",
        "max-items-decreased": "max-items",
        "unique-items-added": "unique-items",
        "items-narrowed": "schema",
        "additional-properties-closed": "closed",
        "one-of-unmatched": "schema",
        "any-of-unmatched": "schema",
        "property-became-required": "required",
        "schema-became-false": "schema",
        "value-rejected": "schema",
        "not-subset": "schema",
        "property-removed": "schema",
        "property-added-to-open-model": "schema",
        "property-names-narrowed": "schema",
        "min-properties-added": "schema",
        "min-properties-increased": "schema",
        "max-properties-added": "schema",
        "max-properties-decreased": "schema",
        "dependent-required-added": "schema",
        "dependent-schema-added": "schema",
        "contains-added": "schema",
        "contains-changed": "schema",
        "max-contains-decreased": "schema",
        "conditional-unmatched": "schema",
    }
)
"""Every other engine kind (``pattern`` pairs, ``not``, budgets...) is ``undecided``."""


@dataclass(frozen=True, slots=True)
class Context:
    """Where a schema sits: the id prefix for its root and for the properties inside it."""

    key: str
    direction: str
    root_prefix: str
    property_prefix: str
    noun: str


CONTEXTS: Final[tuple[Context, ...]] = (
    Context("request-parameter", "request", "request-parameter", "request-parameter", "request parameter"),
    Context("request-body", "request", "request-body", "request-property", "request body"),
    Context("response-body", "response", "response-body", "response-property", "response body"),
    Context("response-header", "response", "response-header", "response-header", "response header"),
)
PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("request-parameter", "request"),
    ("request-body", "request"),
    ("request-property", "request"),
    ("response-body", "response"),
    ("response-property", "response"),
    ("response-header", "response"),
)

TOLERATED: Final[frozenset[str]] = frozenset(
    f"{prefix}-enum-value-added" for prefix, direction in PREFIXES if direction == "response"
)
"""Harmful by the engine, yet only a warning even when proven (BREAKING_RULES.md, oasdiff's
level): API guidelines ask clients to tolerate unknown enum values in responses, and an API that
grows an enum is the common case. The counter-example is still attached."""


_NUMERIC_TYPES: Final = frozenset({"integer", "number"})


def _declared_types(node: JSONValue) -> set[str] | None:
    raw = node.get("type") if isinstance(node, dict) else None
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {t for t in raw if isinstance(t, str)}
    return None


def single_value(node: JSONValue) -> tuple[bool, JSONValue]:
    """Whether a schema admits one value only (``const``, or an ``enum`` of one), and that value."""
    if not isinstance(node, dict):
        return False, None
    if "const" in node:
        return True, node["const"]
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return True, enum[0]
    return False, None


def disjoint_types(a: JSONValue, b: JSONValue) -> bool:
    """Whether two schemas declare types no value shares (``null`` aside; integer and number
    overlap): a narrowed type is then a changed type (``type-changed``, not ``type-narrowed``)."""
    ta, tb = _declared_types(a), _declared_types(b)
    if ta is None or tb is None:
        return False
    ta, tb = ta - {"null"}, tb - {"null"}
    if not ta or not tb:
        return False
    return not (ta & tb or (ta & _NUMERIC_TYPES and tb & _NUMERIC_TYPES))
