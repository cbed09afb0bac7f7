"""Canonical form of a JSON Schema / OpenAPI schema object, built before two schemas are compared.

:func:`normalise` turns one schema object into a :class:`Norm`:

- the three nullable spellings (OpenAPI 3.0 ``nullable: true``, 3.1 ``type: [T, "null"]`` and
  ``oneOf``/``anyOf`` with a ``{type: "null"}`` branch) become a type set containing ``"null"``;
- ``type`` (string or list) becomes a frozenset, ``integer`` is dropped when ``number`` is present;
- 3.0 boolean ``exclusiveMinimum``/``exclusiveMaximum`` and 3.1 numeric ones become one bound
  ``(value, exclusive)`` per side;
- ``const`` becomes a one-value enum;
- ``$ref`` is followed through a caller-given :data:`Resolver`; the last reference followed is kept
  in :attr:`Norm.ref` so the comparison can treat recursive schemas coinductively.
- drafts 4-7 spellings join their 2019-09 / 2020-12 forms: ``items`` as a list (+ ``additionalItems``)
  is ``prefixItems`` (+ ``items``), ``dependencies`` is ``dependentRequired`` / ``dependentSchemas``;
- a ``oneOf``/``anyOf`` of references beside an OpenAPI ``discriminator`` becomes the union it
  dispatches, each branch guarded by its discriminator values (:func:`_dispatched`);
- the numeric ``format``s of OpenAPI's registry bound values (:data:`NUMERIC_FORMATS`); a keyword
  no draft defines is an annotation (:data:`UNMODELLED` lists the known ones not modelled);
- ``unevaluatedProperties`` is lowered to ``properties`` / ``patternProperties`` /
  ``additionalProperties`` where only the object's own keywords and its ``allOf`` branches evaluate
  properties; elsewhere it stays unmodelled (:attr:`Norm.unknown`).

Subschemas (properties, items, branches) stay raw and are normalised lazily by the caller, so
recursive schemas never unfold here. Pure: no I/O, no state.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields
from typing import Final, TypeAlias
from urllib.parse import unquote

from apigov.core import jsonptr
from apigov.core._types import JSONValue

Resolver: TypeAlias = Callable[[str], JSONValue]
"""Return the schema a ``$ref`` string points at; raise :class:`LookupError` when it points nowhere."""

Bound: TypeAlias = tuple[float, bool]
"""A numeric bound: ``(value, exclusive)``."""

ALL_TYPES: Final = frozenset({"null", "boolean", "number", "string", "array", "object"})

MODELLED: Final = frozenset(
    {
        "$ref", "type", "enum", "const", "nullable",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "format",
        "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
        "minProperties", "maxProperties", "dependentRequired", "dependentSchemas", "dependencies",
        "items", "minItems", "maxItems", "uniqueItems", "prefixItems", "additionalItems",
        "contains", "minContains", "maxContains",
        "anyOf", "oneOf", "allOf", "not", "if", "then", "else",
    }
)  # fmt: skip
"""Keywords the engine understands."""

ANNOTATIONS: Final = frozenset(
    {
        "title", "description", "default", "examples", "example", "deprecated", "readOnly",
        "writeOnly", "$comment", "discriminator", "xml", "externalDocs", "$id", "$schema",
        "$anchor", "$dynamicAnchor", "$defs", "definitions", "$vocabulary",
        "contentMediaType", "contentEncoding", "contentSchema", "$recursiveAnchor", "id",
    }
)  # fmt: skip
"""Keywords that never reject an instance (``discriminator`` beside a union says how it
dispatches: :func:`_dispatched`; the content keywords are annotations in JSON Schema 2019-09 and
later, compared apart by the engine)."""

UNMODELLED: Final = frozenset(
    {
        "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef",
        "disallow", "extends", "divisibleBy",
    }
)  # fmt: skip
"""Keywords of a JSON Schema draft that may reject an instance and that the comparison does not
model (``unevaluatedProperties`` is lowered where it can be: :func:`_lower_unevaluated`). Every
other keyword, neither in :data:`MODELLED` nor here, is an annotation: JSON Schema ignores
unknown keywords (a typo such as ``"maxItems:"`` asserts nothing)."""


def asserts(keyword: str) -> bool:
    """Whether ``keyword`` may reject an instance (modelled or not)."""
    return keyword in MODELLED or keyword in UNMODELLED


_FLOAT32: Final = 3.4028234663852886e38
NUMERIC_FORMATS: Final[Mapping[str, tuple[float, float]]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
    "float": (-_FLOAT32, _FLOAT32),
}
"""The range of each numeric ``format`` of the OpenAPI format registry that bounds a value
(``double`` bounds nothing a JSON parser reads into a float). A number beyond it is rejected: the
format says what the other side stores the value in. Precision is not modelled."""


_TRUE: Final[dict[str, JSONValue]] = {}
"""The node of the ``true`` schema, so recursion through it is tracked like any schema object."""


class ModelError(ValueError):
    """A schema the engine cannot model: not an object, a ``$ref`` loop or an unresolvable ``$ref``."""


@dataclass(frozen=True, slots=True)
class Norm:
    """One schema object in canonical form. Subschemas stay raw (normalised on demand)."""

    types: frozenset[str] | None = None  # None: every type
    enum: tuple[JSONValue, ...] | None = None
    lower: Bound | None = None
    upper: Bound | None = None
    multiple_of: float | None = None
    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    properties: Mapping[str, JSONValue] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: JSONValue = True
    items: JSONValue = True
    min_items: int = 0
    max_items: int | None = None
    unique_items: bool = False
    prefix_items: tuple[JSONValue, ...] = ()
    """Schemas of the first items (``prefixItems``; ``items`` as a list in drafts 4-2019-09);
    :attr:`items` applies to the items after them."""
    contains: JSONValue | None = None
    min_contains: int = 1
    max_contains: int | None = None
    pattern_properties: tuple[tuple[str, JSONValue], ...] = ()
    property_names: JSONValue = True
    min_properties: int = 0
    max_properties: int | None = None
    dependent_required: Mapping[str, frozenset[str]] = field(default_factory=dict)
    dependent_schemas: Mapping[str, JSONValue] = field(default_factory=dict)
    if_: JSONValue | None = None
    then: JSONValue = True
    else_: JSONValue = True
    any_of: tuple[JSONValue, ...] | None = None
    one_of: tuple[JSONValue, ...] | None = None
    all_of: tuple[JSONValue, ...] | None = None
    not_: JSONValue | None = None
    never: bool = False  # the ``false`` schema
    ref: str | None = None
    unknown: frozenset[str] = frozenset()  # assertion keywords the engine does not model
    node: dict[str, JSONValue] | None = field(default=None, compare=False, repr=False)
    """The schema object this form was built from (its identity tracks recursion); None when synthetic."""
    _enum_keys: frozenset[Hashable] | None = field(default=None, init=False, compare=False, repr=False)
    _derived: dict[object, Norm] | None = field(default=None, init=False, compare=False, repr=False)

    def only(self, types: frozenset[str]) -> Norm:
        """This form restricted to ``types`` (remembered: forms are compared many times)."""
        return self._derive(types, lambda: evolve(self, types=types))

    def plain(self) -> Norm:
        """This form without ``allOf``, ``anyOf``, ``oneOf``, ``not`` and ``if`` (remembered)."""
        return self._derive(
            "plain", lambda: evolve(self, all_of=None, any_of=None, one_of=None, not_=None, if_=None)
        )

    @property
    def has_extras(self) -> bool:
        """Whether a keyword beyond the first model's is set (``merge`` and the union shortcuts
        treat such forms with care)."""
        return bool(
            self.prefix_items
            or self.contains is not None
            or self.pattern_properties
            or self.property_names is not True
            or self.min_properties
            or self.max_properties is not None
            or self.dependent_required
            or self.dependent_schemas
            or self.if_ is not None
        )

    def _derive(self, key: object, build: Callable[[], Norm]) -> Norm:
        derived = self._derived
        if derived is None:
            derived = {}
            object.__setattr__(self, "_derived", derived)
        found = derived.get(key)
        if found is None:
            found = derived[key] = build()
        return found

    @property
    def enum_keys(self) -> frozenset[Hashable]:
        """The :func:`json_key` of every ``enum`` value (computed once)."""
        keys = self._enum_keys
        if keys is None:
            keys = frozenset(json_key(v) for v in self.enum or ())
            object.__setattr__(self, "_enum_keys", keys)
        return keys

    @property
    def is_union(self) -> bool:
        return self.any_of is not None or self.one_of is not None


_INIT_FIELDS: Final = tuple(f.name for f in fields(Norm) if f.init)


def evolve(norm: Norm, **changes: object) -> Norm:
    """``dataclasses.replace`` for :class:`Norm`, several times faster (forms are derived often)."""
    new = object.__new__(Norm)
    for name in _INIT_FIELDS:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(norm, name))
    keys = norm._enum_keys if new.enum is norm.enum else None  # 200,000 values are keyed once
    object.__setattr__(new, "_enum_keys", keys)
    object.__setattr__(new, "_derived", None)
    return new


def local_resolver(document: JSONValue) -> Resolver:
    """A resolver for local ``#/...`` pointers into one document."""

    def resolve(ref: str) -> JSONValue:
        if not ref.startswith("#"):
            raise LookupError(f"only local references are resolved here: {ref!r}")
        try:
            return jsonptr.resolve(document, unquote(ref[1:]))
        except ValueError as exc:  # not a JSON pointer ('#bad'): a reference that leads nowhere
            raise LookupError(f"{ref!r} is not a JSON pointer: {exc}") from None

    return resolve


def json_type(value: JSONValue) -> str:
    """The JSON Schema type of an instance (``integer`` for integral numbers, 1.0 included)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def type_allowed(instance_type: str, types: frozenset[str] | None) -> bool:
    """Whether an instance (or schema) type is inside a type set; ``integer`` is inside ``number``."""
    if types is None:
        return True
    return instance_type in types or (instance_type == "integer" and "number" in types)


def json_key(value: JSONValue) -> Hashable:
    """A hashable key with JSON equality: ``1 == 1.0`` but ``true != 1``."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("n", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, list):
        return ("l", tuple(json_key(v) for v in value))
    return ("o", frozenset((k, json_key(v)) for k, v in value.items()))


class WorkExceeded(Exception):
    """The work a :class:`Meter` allows ran out (the comparison asking answers UNKNOWN)."""


class Meter:
    """Work done for one comparison session: validations, disjointness checks and comparison
    steps, one unit each. :attr:`limit` (an absolute count of :attr:`spent`) is set by the
    question being answered; spending beyond it raises :class:`WorkExceeded`."""

    __slots__ = ("limit", "spent")

    def __init__(self) -> None:
        self.spent = 0
        self.limit = sys.maxsize

    def spend(self, units: int = 1) -> None:
        self.spent += units
        if self.spent > self.limit:
            raise WorkExceeded


class MemoResolver:
    """A :data:`Resolver` that remembers, for one comparison session over documents that do not
    change meanwhile: the target of each ``$ref``, the canonical form of each schema object (by
    identity; the objects are kept alive, so identities stay unique) and, for
    :mod:`apigov.schema.instances`, the example instance built for each schema object and whether
    a schema object accepts an instance (by identity too: instances must not be changed either).

    :func:`normalise` and the instance builders use the memory when they are given one."""

    __slots__ = (
        "_norms",
        "_targets",
        "accepted",
        "building",
        "cuts",
        "deep",
        "dispatched",
        "examples",
        "meter",
        "resolve",
        "validating",
    )

    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve
        self._targets: dict[str, JSONValue | LookupError] = {}
        self._norms: dict[int, tuple[JSONValue, Norm | ModelError]] = {}
        self.examples: dict[tuple[int, str | None], tuple[JSONValue, object]] = {}
        """(id of a schema object, kind) -> (the object, its example or ``NONE``)."""
        self.building: set[tuple[int, str | None]] = set()
        """Examples being built (a recursive schema reaching itself gives up on that route)."""
        self.cuts = 0
        """How often a build gave up on a route (a ``NONE`` built meanwhile is not remembered)."""
        self.accepted: dict[tuple[int, int], tuple[JSONValue, JSONValue, bool | None]] = {}
        """(id of a schema object, id of an instance) -> (both, verdict)."""
        self.deep = 0
        """How often validation reached its depth limit (a verdict found meanwhile is not remembered)."""
        self.validating: set[tuple[int, int]] = set()
        """(id of a schema object, id of an instance) being validated: met again, it is a cycle
        that never descends into the instance (``allOf`` through ``$ref`` back to itself)."""
        self.meter = Meter()
        """The work done with this resolver (shared by both sides of a comparison session)."""
        self.dispatched: dict[int, tuple[JSONValue, dict[str, JSONValue]]] = {}
        """(id of a union beside a ``discriminator``) -> (it, its dispatched form)."""

    def __call__(self, ref: str) -> JSONValue:
        try:
            target = self._targets[ref]
        except KeyError:
            try:
                target = self.resolve(ref)
            except LookupError as exc:
                target = exc
            except ValueError as exc:  # a malformed pointer from another resolver
                target = LookupError(f"{ref!r} is not a JSON pointer: {exc}")
            self._targets[ref] = target
        if isinstance(target, LookupError):
            raise LookupError(str(target))
        return target

    def normalise(self, schema: dict[str, JSONValue]) -> Norm:
        known = self._norms.get(id(schema))
        if known is None:
            try:
                result: Norm | ModelError = _normalise(schema, self)
            except ModelError as exc:
                result = exc
            known = self._norms[id(schema)] = (schema, result)
        if isinstance(known[1], ModelError):
            raise ModelError(str(known[1]))
        return known[1]


def normalise(schema: JSONValue, resolve: Resolver) -> Norm:
    """Return the canonical form of ``schema``; raise :class:`ModelError` when it cannot be modelled."""
    if type(schema) is dict:
        return resolve.normalise(schema) if type(resolve) is MemoResolver else _normalise(schema, resolve)
    if schema is True:
        return _TRUE_NORM
    if schema is False:
        return _FALSE_NORM
    return _normalise(schema, resolve)


_TRUE_NORM: Final = Norm(node=_TRUE)
_FALSE_NORM: Final = Norm(never=True)


def _normalise(schema: JSONValue, resolve: Resolver) -> Norm:
    schema, ref = _follow(schema, resolve)
    if schema is True:
        return Norm(ref=ref, node=_TRUE)
    if schema is False:
        return Norm(never=True, ref=ref)
    if not isinstance(schema, dict):
        raise ModelError(f"a schema must be an object or a boolean, not {json_type(schema)}")
    nullable = _nullable_union(schema, resolve)
    if nullable is not None:
        return nullable
    if "discriminator" in schema and ("oneOf" in schema or "anyOf" in schema):
        schema = _dispatched(schema, resolve)
    if "unevaluatedProperties" in schema:
        schema = _lower_unevaluated(schema, resolve)
    return _build(schema, ref)


def _dispatched(schema: dict[str, JSONValue], resolve: Resolver) -> dict[str, JSONValue]:
    """A ``oneOf``/``anyOf`` of references beside an OpenAPI ``discriminator``, as the union it
    dispatches: the payload names its branch in the discriminator property (a ``mapping`` key,
    else the referenced schema's name) and must be valid under that branch. Each branch is
    written with that guard (an object requiring the property with one of its values), so the
    branches are apart even where their schemas overlap. Left as written when a branch is not a
    reference or a mapping entry points elsewhere (remembered per schema object)."""
    if type(resolve) is MemoResolver:
        known = resolve.dispatched.get(id(schema))
        if known is None:
            known = resolve.dispatched[id(schema)] = (schema, _dispatch(schema, resolve))
        return known[1]
    return _dispatch(schema, resolve)


def _dispatch(schema: dict[str, JSONValue], resolve: Resolver) -> dict[str, JSONValue]:
    discriminator = schema["discriminator"]
    keyword = "oneOf" if "oneOf" in schema else "anyOf"
    branches = schema[keyword]
    if not isinstance(discriminator, dict) or not isinstance(branches, list) or not branches:
        return schema
    name, mapping = discriminator.get("propertyName"), discriminator.get("mapping", {})
    if (
        not isinstance(name, str)
        or not isinstance(mapping, dict)
        or ("oneOf" in schema and "anyOf" in schema)
    ):
        return schema
    targets: list[int] = []
    try:
        for branch in branches:
            if not isinstance(branch, dict) or not isinstance(branch.get("$ref"), str):
                return schema
            ref = branch["$ref"]
            assert isinstance(ref, str)
            targets.append(id(resolve(ref)))
        values: list[list[str]] = [[] for _ in branches]
        for key, ref in mapping.items():
            if not isinstance(ref, str):
                return schema
            target = id(resolve(ref if "/" in ref or "#" in ref else f"#/components/schemas/{ref}"))
            if target not in targets:
                return schema
            values[targets.index(target)].append(key)
    except LookupError:
        return schema
    guarded: list[JSONValue] = []
    for branch, keys in zip(branches, values, strict=True):
        assert isinstance(branch, dict)
        ref = branch["$ref"]
        assert isinstance(ref, str)
        names: list[JSONValue] = list(keys) if keys else [unquote(ref.rsplit("/", 1)[-1])]
        guard: dict[str, JSONValue] = {
            "type": "object",
            "required": [name],
            "properties": {name: {"enum": names}},
        }
        guarded.append({"allOf": [branch, guard]})
    rewritten = {k: v for k, v in schema.items() if k not in ("discriminator", "oneOf", "anyOf")}
    rewritten[keyword] = guarded
    return rewritten


def _follow(schema: JSONValue, resolve: Resolver) -> tuple[JSONValue, str | None]:
    ref: str | None = None
    seen: set[str] = set()
    while isinstance(schema, dict) and "$ref" in schema:
        target = schema["$ref"]
        if not isinstance(target, str) or target in seen:
            raise ModelError(f"cannot follow $ref {target!r}")
        siblings = {k: v for k, v in schema.items() if k != "$ref" and asserts(k)}
        if siblings:  # 3.1: siblings of $ref apply too; keep the ref inside for cycle tracking
            if "allOf" not in siblings and any(k.startswith("unevaluated") for k in siblings):
                # what the target evaluates counts for ``unevaluated*`` at this level
                return {**siblings, "allOf": [{"$ref": target}]}, ref
            return {"allOf": [{"$ref": target}, siblings]}, ref
        seen.add(target)
        ref = target
        try:
            schema = resolve(target)
        except LookupError as exc:
            raise ModelError(f"unresolved $ref {target!r}") from exc
    return schema, ref


def _nullable_union(schema: dict[str, JSONValue], resolve: Resolver) -> Norm | None:
    """``oneOf``/``anyOf: [S, {type: null}]`` with nothing else asserting -> S with ``null`` added."""
    for keyword in ("oneOf", "anyOf"):
        branches = schema.get(keyword)
        if not isinstance(branches, list) or len(branches) != 2:
            continue
        if any(asserts(k) for k in schema if k != keyword):
            return None
        nulls = [b for b in branches if _is_null_schema(b)]
        if len(nulls) != 1:
            return None
        other = branches[0] if nulls[0] is branches[1] else branches[1]
        inner = normalise(other, resolve)
        if inner.types is None or "null" in inner.types or inner.is_union or inner.unknown:
            return None  # ``null`` would match twice (oneOf) or nothing changes
        return _with_null(inner)
    return None


def _is_null_schema(schema: JSONValue) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    asserting = [k for k in schema if asserts(k)]
    return asserting == ["type"] and kind in ("null", ["null"])


def _with_null(norm: Norm) -> Norm:
    types = None if norm.types is None else norm.types | {"null"}
    enum = norm.enum
    if enum is not None and not any(v is None for v in enum):
        enum = (*enum, None)
    return evolve(norm, types=types, enum=enum)


_IN_PLACE: Final = ("anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies", "$ref")
"""In-place applicators whose evaluated properties :func:`_lower_unevaluated` does not follow."""


def _lower_unevaluated(schema: dict[str, JSONValue], resolve: Resolver) -> dict[str, JSONValue]:
    """``unevaluatedProperties`` in the simple cases, as the keywords it then means: the names the
    object's own ``properties``/``patternProperties`` and those of its ``allOf`` branches (every
    one of which must validate) evaluate are written as ``true`` properties/patterns, and
    ``unevaluatedProperties`` becomes ``additionalProperties``. Elsewhere (``anyOf``, ``if``, ...:
    which branch validated matters) the schema is returned unchanged and stays unmodelled."""
    names: dict[str, JSONValue] = {}
    patterns: dict[str, JSONValue] = {}
    everything = [False]

    def collect(node: dict[str, JSONValue], depth: int, top: bool) -> bool:
        if depth > 16 or any(k in node for k in _IN_PLACE if not (top and k == "$ref")):
            return False
        if not top and ("additionalProperties" in node or "unevaluatedProperties" in node):
            everything[0] = True  # even ``true`` evaluates every remaining name
        for name in _dict(node.get("properties")):
            names.setdefault(name, True)
        for pattern in _dict(node.get("patternProperties")):
            patterns.setdefault(pattern, True)
        for branch in _list(node.get("allOf")) or ():
            target = branch
            try:
                target, _ = _follow(branch, resolve)
            except ModelError:
                return False
            if target is True:
                continue
            if not isinstance(target, dict) or not collect(target, depth + 1, top=False):
                return False
        return True

    if not collect(schema, 0, top=True) or "$ref" in schema:
        return schema
    lowered = dict(schema)
    unevaluated = lowered.pop("unevaluatedProperties")
    if everything[0] or "additionalProperties" in lowered:
        return lowered  # every property is evaluated already (even by ``true``): a no-op
    own = _dict(schema.get("properties"))
    own_patterns = _dict(schema.get("patternProperties"))
    lowered["properties"] = {**names, **own}
    lowered["patternProperties"] = {**patterns, **own_patterns}
    lowered["additionalProperties"] = unevaluated
    return lowered


_EXTRAS: Final = frozenset(
    {
        "prefixItems", "additionalItems", "contains", "minContains", "maxContains",
        "patternProperties", "propertyNames", "minProperties", "maxProperties",
        "dependentRequired", "dependentSchemas", "dependencies", "if",
    }
)  # fmt: skip
"""Keywords beyond the first model's (read only when a schema has one: most have none)."""


_NUMERIC: Final[tuple[str, ...]] = (
    "minimum", "maximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
    "minContains", "maxContains", "minProperties", "maxProperties",
)  # fmt: skip
"""Keywords whose value must be a number."""


def _unusable(schema: dict[str, JSONValue]) -> frozenset[str]:
    """Numeric keywords whose value the engine cannot use: not a number, beyond the range of a
    float (an integer of 4,000 digits), or a ``multipleOf`` that is not positive. They are
    treated as unmodelled (a change is undecided, never passed), not dropped or crashed on."""
    bad: list[str] = [k for k in _NUMERIC if k in schema and _number(schema[k]) is None]
    for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        value = schema.get(keyword, False)
        if not isinstance(value, bool) and _number(value) is None:
            bad.append(keyword)
    step = _number(schema.get("multipleOf"))
    if step is not None and step <= 0:
        bad.append("multipleOf")
    return frozenset(bad)


def _build(schema: dict[str, JSONValue], ref: str | None) -> Norm:
    unknown = frozenset(k for k in schema if k in UNMODELLED)
    if not _NUMERIC_SET.isdisjoint(schema):
        unknown |= _unusable(schema)
    get = schema.get
    items = get("items", True)
    norm = Norm(
        types=_types(get("type")),
        enum=_enum(schema) if "enum" in schema or "const" in schema else None,
        lower=_bound(schema, "minimum", "exclusiveMinimum", max),
        upper=_bound(schema, "maximum", "exclusiveMaximum", min),
        multiple_of=_step(get("multipleOf")),
        min_length=_int(get("minLength")) or 0,
        max_length=_int(get("maxLength")),
        pattern=_str(get("pattern")),
        format=_str(get("format")),
        properties=_dict(get("properties")),
        required=frozenset(r for r in _list(get("required")) or () if isinstance(r, str)),
        additional=get("additionalProperties", True),
        items=items,
        min_items=_int(get("minItems")) or 0,
        max_items=_int(get("maxItems")),
        unique_items=get("uniqueItems") is True,
        any_of=_list(get("anyOf")),
        one_of=_list(get("oneOf")),
        all_of=_list(get("allOf")),
        not_=get("not"),
        ref=ref,
        unknown=unknown,
        node=schema,
    )
    if isinstance(items, list) or not _EXTRAS.isdisjoint(schema):
        norm = _with_extras(norm, schema)
    return _with_null(norm) if schema.get("nullable") is True and norm.types is not None else norm


def _with_extras(norm: Norm, schema: dict[str, JSONValue]) -> Norm:
    get = schema.get
    items = norm.items
    prefix = _list(get("prefixItems")) or ()
    if isinstance(items, list):  # drafts 4 - 2019-09: a tuple, then ``additionalItems``
        prefix, items = tuple(items), get("additionalItems", True)
    dependent_required: dict[str, frozenset[str]] = {}
    dependent_schemas: dict[str, JSONValue] = {}
    for keyword in ("dependencies", "dependentRequired", "dependentSchemas"):
        if keyword not in schema:
            continue
        for name, value in _dict(schema[keyword]).items():
            if isinstance(value, list):
                names = frozenset(v for v in value if isinstance(v, str))
                dependent_required[name] = dependent_required.get(name, frozenset()) | names
            elif keyword != "dependentRequired":
                old = dependent_schemas.get(name)
                dependent_schemas[name] = value if old is None else _conjoin(old, value)
    conditional = "if" in schema
    return evolve(
        norm,
        items=items,
        prefix_items=prefix,
        contains=get("contains"),
        min_contains=_fallback(_int(get("minContains")), 1),
        max_contains=_int(get("maxContains")),
        pattern_properties=tuple(_dict(get("patternProperties")).items()),
        property_names=get("propertyNames", True),
        min_properties=_int(get("minProperties")) or 0,
        max_properties=_int(get("maxProperties")),
        dependent_required=dependent_required,
        dependent_schemas=dependent_schemas,
        if_=get("if"),
        then=get("then", True) if conditional else True,
        else_=get("else", True) if conditional else True,
    )


def _types(value: JSONValue) -> frozenset[str] | None:
    if isinstance(value, str):
        names = frozenset({value})
    elif isinstance(value, list):
        names = frozenset(v for v in value if isinstance(v, str))
    else:
        return None
    return names - {"integer"} if "number" in names else names


def _enum(schema: dict[str, JSONValue]) -> tuple[JSONValue, ...] | None:
    values = _list(schema.get("enum"))
    if "const" not in schema:
        return values
    const = schema["const"]
    if values is None or any(json_key(v) == json_key(const) for v in values):
        return (const,)
    return ()


def _bound(
    schema: dict[str, JSONValue], inclusive: str, exclusive: str, tighter: Callable[[float, float], float]
) -> Bound | None:
    value = _number(schema.get(inclusive))
    flag = schema.get(exclusive)
    if flag is True and value is not None:  # OpenAPI 3.0 / draft 4
        return (value, True)
    strict = _number(flag)
    if strict is None:
        return None if value is None else (value, False)
    if value is None or tighter(value, strict) == strict:
        return (strict, True)
    return (value, False)


def _number(value: JSONValue) -> float | None:
    """A finite number within the range of a float, else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value if -_LARGEST <= value <= _LARGEST else None
    return value if math.isfinite(value) else None


_LARGEST: Final = int(sys.float_info.max)
_NUMERIC_SET: Final = frozenset((*_NUMERIC, "exclusiveMinimum", "exclusiveMaximum"))


def _step(value: JSONValue) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _int(value: JSONValue) -> int | None:
    number = _number(value)
    return None if number is None else math.ceil(number)


def _fallback(value: int | None, default: int) -> int:
    return default if value is None else max(value, 0)


def _str(value: JSONValue) -> str | None:
    return value if isinstance(value, str) else None


def _dict(value: JSONValue) -> dict[str, JSONValue]:
    return value if isinstance(value, dict) else {}


def _list(value: JSONValue) -> tuple[JSONValue, ...] | None:
    return tuple(value) if isinstance(value, list) else None


def _conjoin(first: JSONValue, second: JSONValue) -> JSONValue:
    if first is True or second is True:
        return second if first is True else first
    return {"allOf": [first, second]}
