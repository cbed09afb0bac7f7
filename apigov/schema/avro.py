"""Avro schema resolution: can a reader schema read every datum written with a writer schema?

apigov's own reading of the Avro 1.11 specification's "Schema Resolution" section:

- primitives resolve to the same primitive or by promotion (``int`` to ``long``, ``float`` or
  ``double``; ``long`` to ``float`` or ``double``; ``float`` to ``double``; ``string`` to and
  from ``bytes``);
- records, enums and fixed match when their unqualified names are equal, or when a reader alias
  names the writer's type; a record's reader fields are matched to writer fields by name, else
  by a reader field alias; a reader field the writer lacks takes its default (valid for its
  type: a union's default is of its first branch) and without one the datum cannot be read; a
  writer field the reader lacks is skipped;
- an enum symbol the reader lacks is read as the reader's ``default`` symbol, and without one
  it cannot be read; fixed sizes must be equal; arrays and maps resolve their items or values;
- a writer union resolves when each of its branches does; a non-union writer resolves against
  the first branch of a reader union that matches it (same type or name, else a promotion);
- decimals match when their precision and scale do; other logical types are read through their
  underlying type.

:func:`can_read` lists every :class:`AvroIssue` (incompatible ones and compatible notes such as a
promotion) with a pointer into the reader schema, a dotted field path and, for an incompatible
one, a writer datum the reader cannot resolve where one exists (Avro's JSON encoding: a non-null
union value is ``{"branch type or fullname": value}``, bytes and fixed are strings of code points
0-255). :func:`is_datum` checks such a datum against a schema and :func:`readable` resolves one
datum (both are used to confirm counter-examples). :func:`avro_compatible` applies a
compatibility mode, as :func:`apigov.schema.modes.check` does for JSON Schema.

Schemas are parsed here (names, namespaces, aliases and references as the specification states
them, by the rules of :mod:`apigov.schema.avro_spec`, which the lint layer's validator shares);
a schema that cannot be parsed raises :class:`~apigov.core.errors.InputError`. Recursion is bounded
(:data:`MAX_DEPTH` nested definitions, :data:`MAX_STEPS` comparisons); recursive named types are
compared coinductively (a pair in progress is assumed to resolve), and a pair of records reached
again through another field is not compared again: its issues are listed once, with the field
path where it was first reached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeAlias

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import InputError
from apigov.documents.kinds import AVRO_PRIMITIVES
from apigov.schema.avro_parse import iter_structural
from apigov.schema.avro_spec import (
    INT_RANGE,
    LONG_RANGE,
    NAMED,
    in_range,
    is_bytes,
    is_number,
    max_decimal_digits,
    split_fullname,
)
from apigov.schema.modes import Mode

__all__ = [
    "MAX_DEPTH",
    "MAX_EXAMPLE_NODES",
    "MAX_STEPS",
    "PROMOTIONS",
    "AvroIssue",
    "avro_compatible",
    "can_read",
    "incompatible",
    "is_datum",
    "readable",
]

MAX_DEPTH: Final = 64
"""Nesting of schemas (definitions and comparisons) beyond which apigov gives up."""
MAX_STEPS: Final = 100_000
"""Type comparisons one :func:`can_read` call may make."""
MAX_EXAMPLE_NODES: Final = 10_000
"""Values a counter-example may hold (a datum of nested shared records can be exponential)."""
PROMOTIONS: Final[frozenset[tuple[str, str]]] = frozenset(
    {
        ("int", "long"),
        ("int", "float"),
        ("int", "double"),
        ("long", "float"),
        ("long", "double"),
        ("float", "double"),
        ("string", "bytes"),
        ("bytes", "string"),
    }
)
"""``(writer, reader)`` primitive pairs the specification promotes."""


@dataclass(frozen=True, slots=True)
class AvroIssue:
    """One finding of schema resolution.

    ``kind`` is a stable kebab id; ``path`` a JSON pointer into the reader schema (for a named
    type reached through a reference, where it is defined); ``field_path`` the dotted path of
    fields from the top-level type (``Order.customer.id``; ``[]`` marks array items and ``{}``
    map values); ``compatible`` is ``False`` when some writer datum cannot be read;
    ``counter_example`` is such a datum in Avro's JSON encoding; ``has_counter_example`` tells a
    null datum (``None``, e.g. of a ``"null"`` union branch) from no counter-example.
    """

    kind: str
    path: str
    field_path: str
    compatible: bool
    detail: str
    counter_example: JSONValue | None = None
    has_counter_example: bool = False


# ---------------------------------------------------------------------- parsed schemas


@dataclass(eq=False, slots=True)
class _Field:
    name: str
    aliases: tuple[str, ...]
    type: _Node
    pointer: str
    has_default: bool
    default: JSONValue


@dataclass(eq=False, slots=True)
class _Node:
    """One schema: ``type`` is a primitive name, ``record`` (errors too), ``enum``, ``fixed``,
    ``array``, ``map`` or ``union``. A named type is one node wherever it is referenced."""

    type: str
    pointer: str
    logical: str | None = None
    precision: int = 0
    scale: int = 0
    fullname: str = ""
    aliases: tuple[str, ...] = ()
    fields: list[_Field] = field(default_factory=list)
    symbols: tuple[str, ...] = ()
    enum_default: str | None = None
    size: int = 0
    child: _Node | None = None  # array items, map values
    branches: tuple[_Node, ...] = ()
    branch_index: dict[tuple[str, str], _Node] | None = None  # a union's, see _reader_branch

    @property
    def short(self) -> str:
        return self.fullname.rsplit(".", 1)[-1]

    @property
    def key(self) -> str:
        """The name of this schema as a union branch in the JSON encoding."""
        return self.fullname if self.type in ("record", "enum", "fixed") else self.type

    def label(self) -> str:
        return self.fullname if self.fullname else self.type


def _fail(message: str, pointer: str) -> InputError:
    return InputError(f"invalid Avro schema: {message}", pointer=pointer or "/", hint="fix the schema")


@dataclass(slots=True)
class _Parser:
    """Builds the resolution model of a schema :func:`~apigov.schema.avro_parse.analyse` found
    valid (so only what the model needs is read here; nesting is bounded by :data:`MAX_DEPTH`)."""

    names: dict[str, _Node] = field(default_factory=dict)

    def parse(self, schema: JSONValue, pointer: str, namespace: str, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise _fail(f"schemas nested more than {MAX_DEPTH} deep", pointer)
        if isinstance(schema, str):
            return self.reference(schema, pointer, namespace)
        if isinstance(schema, list):
            return _Node(
                "union",
                pointer,
                branches=tuple(
                    self.parse(branch, jsonptr.join(pointer, index), namespace, depth + 1)
                    for index, branch in enumerate(schema)
                ),
            )
        assert isinstance(schema, dict)
        type_name = schema.get("type")
        if isinstance(type_name, (dict, list)):  # {"type": {...}}: the schema inside
            return self.parse(type_name, jsonptr.join(pointer, "type"), namespace, depth + 1)
        assert isinstance(type_name, str)
        if type_name in AVRO_PRIMITIVES:
            node = _Node(type_name, pointer)
        elif type_name in NAMED:
            node = self.named(schema, type_name, pointer, namespace, depth)
        elif type_name in ("array", "map"):
            key = "items" if type_name == "array" else "values"
            child = self.parse(schema[key], jsonptr.join(pointer, key), namespace, depth + 1)
            node = _Node(type_name, pointer, child=child)
        else:
            return self.reference(type_name, jsonptr.join(pointer, "type"), namespace)
        _logical(node, schema)
        return node

    def reference(self, name: str, pointer: str, namespace: str) -> _Node:
        if name in AVRO_PRIMITIVES:
            return _Node(name, pointer)
        candidates = [name] if "." in name else ([f"{namespace}.{name}"] if namespace else []) + [name]
        return next(self.names[c] for c in candidates if c in self.names)

    def named(
        self, schema: dict[str, JSONValue], kind: str, pointer: str, namespace: str, depth: int
    ) -> _Node:
        names = split_fullname(schema, namespace)
        assert names is not None
        fullname, own_space = names
        raw_aliases = schema.get("aliases")
        node = _Node(
            "record" if kind == "error" else kind,
            pointer,
            fullname=fullname,
            aliases=_aliases(raw_aliases, own_space),
        )
        self.names[fullname] = node  # defined before its fields: a record may refer to itself
        if kind in ("record", "error"):
            self.record_fields(node, schema, own_space, depth)
        elif kind == "enum":
            symbols = schema.get("symbols")
            node.symbols = tuple(str(s) for s in symbols) if isinstance(symbols, list) else ()
            default = schema.get("default")
            node.enum_default = default if isinstance(default, str) else None
        else:
            size = schema.get("size")
            node.size = size if isinstance(size, int) else 0
        return node

    def record_fields(self, node: _Node, schema: dict[str, JSONValue], namespace: str, depth: int) -> None:
        fields = schema.get("fields")
        at = jsonptr.join(node.pointer, "fields")
        for index, item in enumerate(fields if isinstance(fields, list) else ()):
            here = jsonptr.join(at, index)
            assert isinstance(item, dict)
            name = str(item.get("name"))
            type_ = self.parse(item["type"], jsonptr.join(here, "type"), namespace, depth + 1)
            aliases = _aliases(item.get("aliases"), "")
            node.fields.append(_Field(name, aliases, type_, here, "default" in item, item.get("default")))


def _aliases(raw: JSONValue, namespace: str) -> tuple[str, ...]:
    """Aliases as fullnames (a field's, with no ``namespace``, as written)."""
    if not isinstance(raw, list):
        return ()
    return tuple(a if "." in a or not namespace else f"{namespace}.{a}" for a in raw if isinstance(a, str))


def _logical(node: _Node, schema: dict[str, JSONValue]) -> None:
    """Record a valid logical type; an invalid one is ignored, as the specification says."""
    logical = schema.get("logicalType")
    if not isinstance(logical, str):
        return
    if logical == "decimal":
        precision, scale = schema.get("precision"), schema.get("scale", 0)
        if (
            node.type not in ("bytes", "fixed")
            or not isinstance(precision, int)
            or not isinstance(scale, int)
        ):
            return
        if precision <= 0 or not 0 <= scale <= precision:
            return
        if node.type == "fixed" and precision > max_decimal_digits(node.size):
            return
        node.precision, node.scale = precision, scale
    node.logical = logical


def _parse(schema: JSONValue) -> _Node:
    """The resolution model of ``schema``; :class:`InputError` (the first structural problem
    :mod:`apigov.schema.avro_parse` finds) for an invalid one."""
    problem = next((i for i in iter_structural(schema) if not i.default), None)
    if problem is not None:
        raise _fail(problem.message, problem.pointer)
    return _Parser().parse(schema, "", "", 0)


# ---------------------------------------------------------------------- data


class _NoDatum:
    """No datum could be built."""


_NO: Final = _NoDatum()
_Datum: TypeAlias = JSONValue | _NoDatum


def _scalar_ok(node: _Node, value: JSONValue) -> bool | None:
    """Whether a value fits a non-container schema (``None``: the schema is a container)."""
    checks: dict[str, Callable[[JSONValue], bool]] = {
        "null": lambda v: v is None,
        "boolean": lambda v: isinstance(v, bool),
        "int": lambda v: in_range(v, INT_RANGE),
        "long": lambda v: in_range(v, LONG_RANGE),
        "float": is_number,
        "double": is_number,
        "string": lambda v: isinstance(v, str),
        "bytes": is_bytes,
        "fixed": lambda v: is_bytes(v) and isinstance(v, str) and len(v) == node.size,
        "enum": lambda v: isinstance(v, str) and v in node.symbols,
    }
    check = checks.get(node.type)
    return None if check is None else bool(check(value))


def is_datum(schema: JSONValue, datum: JSONValue) -> bool:
    """Is ``datum`` a value of ``schema`` in Avro's JSON encoding? (Raises ``InputError`` for an
    invalid schema.)"""
    return _datum_ok(_parse(schema), datum, 0)


def _simple_ok(
    node: _Node, value: JSONValue, depth: int, check: Callable[[_Node, JSONValue, int], bool]
) -> bool | None:
    """A scalar, array or map value checked with ``check`` for its items (``None``: a record or
    a union, which the caller checks); ``False`` beyond the depth bound."""
    if depth > MAX_DEPTH * 4:
        return False
    scalar = _scalar_ok(node, value)
    if scalar is not None:
        return scalar
    if node.type == "array":
        assert node.child is not None
        return isinstance(value, list) and all(check(node.child, v, depth + 1) for v in value)
    if node.type == "map":
        assert node.child is not None
        return isinstance(value, dict) and all(check(node.child, v, depth + 1) for v in value.values())
    return None


def _datum_ok(node: _Node, value: JSONValue, depth: int) -> bool:
    simple = _simple_ok(node, value, depth, _datum_ok)
    if simple is not None:
        return simple
    if node.type == "record":
        return (
            isinstance(value, dict)
            and set(value) == {f.name for f in node.fields}
            and all(_datum_ok(f.type, value[f.name], depth + 1) for f in node.fields)
        )
    branch = _union_branch(node, value)
    return branch is not None and _datum_ok(branch[0], branch[1], depth + 1)


def _union_branch(node: _Node, value: JSONValue) -> tuple[_Node, JSONValue] | None:
    """The branch a JSON-encoded union value selects, and the value inside."""
    if value is None:
        return next(((b, None) for b in node.branches if b.type == "null"), None)
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        return next(((b, inner) for b in node.branches if b.key == key and b.type != "null"), None)
    return None


def _default_ok(node: _Node, value: JSONValue, depth: int = 0) -> bool:
    """Is ``value`` a valid default for ``node`` (plain JSON; a union's is of its first branch)?"""
    simple = _simple_ok(node, value, depth, _default_ok)
    if simple is not None:
        return simple
    if node.type == "record":
        if not isinstance(value, dict):
            return False
        for f in node.fields:
            given, fallback = f.name in value, f.has_default
            if not given and not fallback:
                return False
            if not _default_ok(f.type, value[f.name] if given else f.default, depth + 1):
                return False
        return True
    return bool(node.branches) and _default_ok(node.branches[0], value, depth + 1)


def _example(
    node: _Node, visiting: frozenset[int] = frozenset(), depth: int = 0, budget: list[int] | None = None
) -> _Datum:
    """A small datum of ``node`` (JSON encoding); none for a type with no finite value or none
    within :data:`MAX_EXAMPLE_NODES` values."""
    budget = [MAX_EXAMPLE_NODES] if budget is None else budget
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        return _NO
    simple: dict[str, JSONValue] = {
        "null": None,
        "boolean": True,
        "int": 0,
        "long": 0,
        "float": 0.0,
        "double": 0.0,
        "string": "",
        "bytes": "",
        "array": [],
        "map": {},
    }
    if node.type in simple:
        return simple[node.type]
    if node.type == "fixed":  # as many bytes as its size: none built past 1 MiB
        return "\u0000" * node.size if node.size <= 1 << 20 else _NO
    if node.type == "enum":
        return node.symbols[0] if node.symbols else _NO
    if node.type == "union":
        for branch in sorted(node.branches, key=lambda b: b.type != "null"):
            value = _example(branch, visiting, depth + 1, budget)
            if not isinstance(value, _NoDatum):
                return _tag(branch, value)
        return _NO
    if id(node) in visiting:
        return _NO
    record: dict[str, JSONValue] = {}
    for f in node.fields:
        value = _example(f.type, visiting | {id(node)}, depth + 1, budget)
        if isinstance(value, _NoDatum):
            return _NO
        record[f.name] = value
    return record


def _tag(branch: _Node, value: JSONValue) -> JSONValue:
    """A union value in the JSON encoding."""
    return None if branch.type == "null" else {branch.key: value}


# ---------------------------------------------------------------------- matching


def _names_match(writer: _Node, reader: _Node) -> bool:
    """Named types match by unqualified name, or by a reader alias naming the writer."""
    return writer.short == reader.short or writer.fullname in reader.aliases


def _shallow_match(writer: _Node, reader: _Node, *, promote: bool) -> bool:
    """Do the two (non-union) schemas match at the top, before resolving what they contain?"""
    if writer.type in ("record", "enum", "fixed"):
        return writer.type == reader.type and _names_match(writer, reader)
    if writer.type == reader.type:
        return True
    return promote and (writer.type, reader.type) in PROMOTIONS


def _reader_branch(writer: _Node, reader: _Node) -> _Node | None:
    """The first branch of a reader union a (non-union) writer schema resolves to: the first
    that matches without promotion, else the first a promotion reaches. Looked up in an index
    of the union's branches (by type, and by short name and alias for named types), built once."""
    index = reader.branch_index
    if index is None:
        index = reader.branch_index = {}
        for branch in reader.branches:
            if branch.type in ("record", "enum", "fixed"):
                for name in (branch.short, *(f"={alias}" for alias in branch.aliases)):
                    index.setdefault((branch.type, name), branch)
            else:
                index.setdefault((branch.type, ""), branch)
    if writer.type in ("record", "enum", "fixed"):
        by_name = index.get((writer.type, writer.short))
        by_alias = index.get((writer.type, "=" + writer.fullname))
        found = [b for b in (by_name, by_alias) if b is not None]
        return min(found, key=reader.branches.index) if found else None
    exact = index.get((writer.type, ""))
    if exact is not None:
        return exact
    promoted = [
        index[(target, "")]
        for source, target in PROMOTIONS
        if source == writer.type and (target, "") in index
    ]
    return min(promoted, key=reader.branches.index) if promoted else None


def _field_for(reader_field: _Field, writer: _Node) -> _Field | None:
    for name in (reader_field.name, *reader_field.aliases):
        found = next((f for f in writer.fields if f.name == name), None)
        if found is not None:
            return found
    return None


@dataclass(slots=True)
class _Found:
    kind: str
    path: str
    field_path: str
    compatible: bool
    detail: str
    datum: _Datum = _NO


@dataclass(slots=True)
class _Resolver:
    in_progress: set[tuple[int, int]] = field(default_factory=set)
    done: set[tuple[int, int]] = field(default_factory=set)
    """Record pairs already compared: their issues are reported once, where first reached."""
    steps: int = 0

    def match(self, writer: _Node, reader: _Node, fpath: str, depth: int) -> list[_Found]:
        self.steps += 1
        if depth > MAX_DEPTH or self.steps > MAX_STEPS:
            what = "depth-exceeded" if depth > MAX_DEPTH else "budget-exceeded"
            return [
                _Found(what, reader.pointer, fpath, False, "comparison too deep or too long; not decided")
            ]
        if writer.type == "union":
            return self.writer_union(writer, reader, fpath, depth)
        if reader.type == "union":
            branch = _reader_branch(writer, reader)
            if branch is None:
                detail = f"the reader's union has no branch for the writer's {writer.label()}"
                return [_Found("type-changed", reader.pointer, fpath, False, detail, _example(writer))]
            return self.match(writer, branch, fpath, depth + 1)
        if not _shallow_match(writer, reader, promote=True):
            return self.mismatch(writer, reader, fpath)
        found = self.named_notes(writer, reader, fpath)
        if writer.type != reader.type:
            found.append(
                _Found(
                    "type-promoted",
                    reader.pointer,
                    fpath,
                    True,
                    f"{writer.type} is promoted to {reader.type}",
                )
            )
        found += self.logical(writer, reader, fpath)
        if reader.type == "record":
            found += self.record(writer, reader, fpath, depth)
        elif reader.type == "enum":
            found += self.enum(writer, reader, fpath)
        elif reader.type == "fixed" and writer.size != reader.size:
            detail = f"fixed size {writer.size} became {reader.size}"
            found.append(_Found("fixed-size-changed", reader.pointer, fpath, False, detail, _example(writer)))
        elif reader.type in ("array", "map"):
            assert writer.child is not None and reader.child is not None
            mark = "[]" if reader.type == "array" else "{}"
            for sub in self.match(writer.child, reader.child, fpath + mark, depth + 1):
                if not isinstance(sub.datum, _NoDatum):
                    sub.datum = [sub.datum] if reader.type == "array" else {"key": sub.datum}
                found.append(sub)
        return found

    def mismatch(self, writer: _Node, reader: _Node, fpath: str) -> list[_Found]:
        datum = _example(writer)
        if writer.type == reader.type:  # named types whose names differ
            detail = f"{writer.type} {writer.fullname!r} cannot be read as {reader.fullname!r} (no alias)"
            return [_Found("name-changed", reader.pointer, fpath, False, detail, datum)]
        detail = f"{writer.label()} cannot be read as {reader.label()}"
        return [_Found("type-changed", reader.pointer, fpath, False, detail, datum)]

    def named_notes(self, writer: _Node, reader: _Node, fpath: str) -> list[_Found]:
        if writer.type not in ("record", "enum", "fixed") or writer.fullname == reader.fullname:
            return []
        if writer.short == reader.short:
            detail = f"namespace of {writer.fullname!r} is now {reader.fullname!r}"
            return [_Found("namespace-changed", reader.pointer, fpath, True, detail)]
        detail = f"{writer.fullname!r} is read as {reader.fullname!r} through an alias"
        return [_Found("name-changed-with-alias", reader.pointer, fpath, True, detail)]

    def logical(self, writer: _Node, reader: _Node, fpath: str) -> list[_Found]:
        if writer.logical == "decimal" and reader.logical == "decimal":
            if (writer.precision, writer.scale) == (reader.precision, reader.scale):
                return []
            detail = f"decimal({writer.precision},{writer.scale}) became decimal({reader.precision},{reader.scale})"
            return [_Found("decimal-changed", reader.pointer, fpath, False, detail, _example(writer))]
        if writer.logical != reader.logical:
            detail = f"logical type {writer.logical or 'none'} became {reader.logical or 'none'}"
            return [_Found("logical-type-changed", reader.pointer, fpath, True, detail)]
        return []

    def enum(self, writer: _Node, reader: _Node, fpath: str) -> list[_Found]:
        found: list[_Found] = []
        readable = frozenset(reader.symbols)
        for symbol in writer.symbols:
            if symbol in readable:
                continue
            at = jsonptr.join(reader.pointer, "symbols")
            if reader.enum_default is not None:
                detail = f"symbol {symbol!r} is read as the default {reader.enum_default!r}"
                found.append(_Found("enum-symbol-defaulted", at, fpath, True, detail))
            else:
                detail = f"symbol {symbol!r} is not a reader symbol and the reader enum has no default"
                found.append(_Found("enum-symbol-removed", at, fpath, False, detail, symbol))
        return found

    def writer_union(self, writer: _Node, reader: _Node, fpath: str, depth: int) -> list[_Found]:
        found: list[_Found] = []
        for branch in writer.branches:
            if reader.type == "union":
                target = _reader_branch(branch, reader)
            else:
                target = reader if _shallow_match(branch, reader, promote=True) else None
            if target is None:
                detail = f"the writer's union branch {branch.label()} has no reader counterpart"
                datum = _example(branch)
                tagged = _NO if isinstance(datum, _NoDatum) else _tag(branch, datum)
                found.append(_Found("union-branch-removed", reader.pointer, fpath, False, detail, tagged))
                continue
            for sub in self.match(branch, target, fpath, depth + 1):
                if not sub.compatible and not isinstance(sub.datum, _NoDatum):
                    sub.datum = _tag(branch, sub.datum)
                found.append(sub)
        return found

    def record(self, writer: _Node, reader: _Node, fpath: str, depth: int) -> list[_Found]:
        key = (id(writer), id(reader))
        if key in self.in_progress or key in self.done:
            return []  # coinduction while in progress; reported where first reached once done
        self.in_progress.add(key)
        try:
            return self.record_fields(writer, reader, fpath, depth)
        finally:
            self.in_progress.discard(key)
            self.done.add(key)

    def record_fields(self, writer: _Node, reader: _Node, fpath: str, depth: int) -> list[_Found]:
        found: list[_Found] = []
        used: set[str] = set()
        for r_field in reader.fields:
            here = f"{fpath}.{r_field.name}"
            w_field = _field_for(r_field, writer)
            if w_field is None:
                found.append(self.missing(writer, r_field, here))
                continue
            used.add(w_field.name)
            if w_field.name != r_field.name:
                detail = f"writer field {w_field.name!r} is read as {r_field.name!r} through an alias"
                found.append(_Found("field-renamed-with-alias", r_field.pointer, here, True, detail))
            for sub in self.match(w_field.type, r_field.type, here, depth + 1):
                if not sub.compatible and not isinstance(sub.datum, _NoDatum):
                    sub.datum = _with_field(writer, w_field.name, sub.datum)
                found.append(sub)
        for w_field in writer.fields:
            if w_field.name not in used:
                detail = f"writer field {w_field.name!r} is skipped by the reader"
                found.append(
                    _Found("writer-field-ignored", reader.pointer, f"{fpath}.{w_field.name}", True, detail)
                )
        return found

    def missing(self, writer: _Node, r_field: _Field, fpath: str) -> _Found:
        if not r_field.has_default:
            detail = f"reader field {r_field.name!r} is not written and has no default"
            return _Found(
                "reader-field-missing-default", r_field.pointer, fpath, False, detail, _example(writer)
            )
        if not _default_ok(r_field.type, r_field.default):
            detail = f"reader field {r_field.name!r} is not written and its default does not fit its type"
            at = jsonptr.join(r_field.pointer, "default")
            return _Found("reader-field-default-invalid", at, fpath, False, detail, _example(writer))
        detail = f"reader field {r_field.name!r} is not written: its default is used"
        return _Found("reader-field-defaulted", r_field.pointer, fpath, True, detail)


def _with_field(writer: _Node, name: str, value: JSONValue) -> _Datum:
    record = _example(writer)
    if not isinstance(record, dict):
        base: dict[str, JSONValue] = {}
        for f in writer.fields:
            if f.name == name:
                continue
            other = _example(f.type)
            if isinstance(other, _NoDatum):
                return _NO
            base[f.name] = other
        record = base
    return {f.name: (value if f.name == name else record[f.name]) for f in writer.fields}


def can_read(reader: JSONValue, writer: JSONValue) -> tuple[AvroIssue, ...]:
    """Every issue of resolving data written with ``writer`` by ``reader`` (both Avro schemas as
    parsed JSON). Compatible when no issue has ``compatible=False``."""
    r_node, w_node = _parse(reader), _parse(writer)
    root = r_node.short if r_node.fullname else r_node.type
    issues: list[AvroIssue] = []
    seen: set[tuple[str, str, str, str]] = set()
    for f in _Resolver().match(w_node, r_node, root, 0):
        key = (f.kind, f.path, f.field_path, f.detail)
        if key in seen:
            continue
        seen.add(key)
        given = not f.compatible and not isinstance(f.datum, _NoDatum)
        datum = f.datum if given and not isinstance(f.datum, _NoDatum) else None
        issues.append(AvroIssue(f.kind, f.path, f.field_path, f.compatible, f.detail, datum, given))
    return tuple(issues)


# ---------------------------------------------------------------------- one datum


def readable(reader: JSONValue, writer: JSONValue, datum: JSONValue) -> bool:
    """Can ``reader`` resolve ``datum``, a value of ``writer`` in the JSON encoding? ``False``
    also when ``datum`` is not a value of ``writer``."""
    r_node, w_node = _parse(reader), _parse(writer)
    return _datum_ok(w_node, datum, 0) and _read(w_node, r_node, datum, 0)


def _read(writer: _Node, reader: _Node, value: JSONValue, depth: int) -> bool:
    if depth > MAX_DEPTH * 4:
        return False
    if writer.type == "union":
        chosen = _union_branch(writer, value)
        return chosen is not None and _read(chosen[0], reader, chosen[1], depth + 1)
    if reader.type == "union":
        branch = _reader_branch(writer, reader)
        return branch is not None and _read(writer, branch, value, depth + 1)
    if not _shallow_match(writer, reader, promote=True):
        return False
    if _decimals_differ(writer, reader):
        return False
    if reader.type == "enum":
        return value in reader.symbols or reader.enum_default is not None
    if reader.type == "fixed":
        return writer.size == reader.size
    if reader.type in ("array", "map"):
        assert writer.child is not None and reader.child is not None
        items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
        return all(_read(writer.child, reader.child, item, depth + 1) for item in items)
    if reader.type == "record":
        assert isinstance(value, dict)
        for r_field in reader.fields:
            w_field = _field_for(r_field, writer)
            if w_field is None:
                if not (r_field.has_default and _default_ok(r_field.type, r_field.default)):
                    return False
            elif not _read(w_field.type, r_field.type, value[w_field.name], depth + 1):
                return False
    return True


def _decimals_differ(writer: _Node, reader: _Node) -> bool:
    both = writer.logical == "decimal" and reader.logical == "decimal"
    return both and (writer.precision, writer.scale) != (reader.precision, reader.scale)


# ---------------------------------------------------------------------- modes


def avro_compatible(
    mode: Mode, earlier: Sequence[JSONValue], new: JSONValue
) -> tuple[tuple[int, str, tuple[AvroIssue, ...]], ...]:
    """Every comparison ``mode`` asks for between ``new`` and the ``earlier`` schemas (oldest
    first): ``(index of the earlier schema, "backward" | "forward", issues)``. Backward: a reader
    on ``new`` reads data written with the earlier schema; forward: the other way round."""
    if mode is Mode.NONE or not earlier:
        return ()
    indexes = range(len(earlier)) if mode.transitive else (len(earlier) - 1,)
    checks: list[tuple[int, str, tuple[AvroIssue, ...]]] = []
    for index in indexes:
        if mode.backward:
            checks.append((index, "backward", can_read(new, earlier[index])))
        if mode.forward:
            checks.append((index, "forward", can_read(earlier[index], new)))
    return tuple(checks)


def incompatible(issues: Sequence[AvroIssue]) -> Iterator[AvroIssue]:
    """The issues that make resolution fail."""
    return (issue for issue in issues if not issue.compatible)
