"""Avro 1.11 schemas: apigov's own reading of the specification's validity rules.

The one Avro schema parser of apigov: ``apigov check`` reports its problems (through
:mod:`apigov.lint._avro`), and the compatibility engine (:mod:`apigov.schema.avro`) refuses a
schema it finds a structural problem in before building its resolution model.

:func:`analyse` walks a schema once (depth-first, left to right, with an explicit stack, as the
specification's "defined before use" rule is stated) and returns what the Avro checks need:
the problems found, every named type and every record field, each with its JSON pointer.

The specification's rules on names, values and logical types are
:mod:`apigov.schema.avro_spec`, shared with the compatibility engine (:mod:`apigov.schema.avro`).

Problems are of two sorts. A *structural* one makes the schema unreadable by every Avro
implementation. An invalid *logical type* does not: the specification says readers ignore it
and use the underlying type, so it is reported apart (``Issue.logical``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.text import shown as _shown
from apigov.documents.kinds import AVRO_PRIMITIVES
from apigov.schema.avro_spec import (
    FIELD_ORDERS,
    LOGICAL_TYPES,
    NAMED,
    max_decimal_digits,
    primitive_value,
    split_fullname,
    valid_name,
)

_MAX_DEFAULT_STEPS: Final = 200_000


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where, what, and whether it is only an ignored logical type."""

    pointer: str
    message: str
    logical: bool = False
    default: bool = False
    """A ``default`` that is no value of its type (the compatibility engine judges such a reader
    default itself: ``reader-field-default-invalid``)."""


@dataclass(frozen=True, slots=True)
class NamedType:
    """A record, error, enum or fixed definition."""

    fullname: str
    pointer: str
    node: dict[str, JSONValue]
    top_level: bool


@dataclass(frozen=True, slots=True)
class Field:
    """A record field."""

    pointer: str
    node: dict[str, JSONValue]


@dataclass(slots=True)
class Analysis:
    issues: list[Issue] = field(default_factory=list)
    named: list[NamedType] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)


def _one_of(value: JSONValue, names: frozenset[str] | set[str]) -> bool:
    """``value in names`` for a value of any JSON type (lists and objects are unhashable)."""
    return isinstance(value, str) and value in names


def is_null(schema: JSONValue) -> bool:
    return schema == "null" or (isinstance(schema, dict) and schema.get("type") == "null")


@dataclass(slots=True)
class _Walker:
    """One pass over a schema. Stack entries: pointer, node, enclosing namespace, context."""

    analysis: Analysis = field(default_factory=Analysis)
    names: dict[str, tuple[str, dict[str, JSONValue]]] = field(default_factory=dict)
    defaults: list[tuple[JSONValue, JSONValue, str, str]] = field(default_factory=list)
    stack: list[tuple[str, JSONValue, str, str]] = field(default_factory=list)

    def issue(self, pointer: str, message: str, *, logical: bool = False, default: bool = False) -> None:
        self.analysis.issues.append(Issue(pointer, message, logical, default))

    def lookup(self, name: str, namespace: str) -> str | None:
        """The fullname a type name refers to among the types defined so far."""
        candidates = [name] if "." in name else ([f"{namespace}.{name}"] if namespace else []) + [name]
        return next((c for c in candidates if c in self.names), None)

    def run(self, schema: JSONValue, pointer: str) -> Analysis:
        self.stack.append((pointer, schema, "", "top"))
        while self.stack:
            at, node, namespace, context = self.stack.pop()
            if isinstance(node, str):
                self.reference(at, node, namespace)
            elif isinstance(node, list):
                self.union(at, node, namespace, context)
            elif isinstance(node, dict):
                self.complex(at, node, namespace, context)
            else:
                self.issue(at, f"an Avro schema is a string, an object or an array, not {_shown(node)}")
        for schema_, value, at, namespace in self.defaults:
            problem = self.default_problem(schema_, value, at, namespace)
            if problem is not None:
                self.issue(*problem, default=True)
        return self.analysis

    def push(self, children: list[tuple[str, JSONValue, str, str]]) -> None:
        self.stack.extend(reversed(children))

    # ------------------------------------------------------------------ schema forms

    def reference(self, at: str, name: str, namespace: str) -> None:
        if name in AVRO_PRIMITIVES:
            return
        if self.lookup(name, namespace) is None:
            self.issue(at, f"unknown type {name!r}: a named type must be defined before it is used")

    def union(self, at: str, branches: list[JSONValue], namespace: str, context: str) -> None:
        if context in ("union", "top-union"):
            self.issue(at, "a union cannot directly contain another union")
        seen: dict[str, int] = {}
        for index, branch in enumerate(branches):
            key = self.branch_key(branch, namespace)
            if key is None:
                continue
            if key in seen:
                self.issue(
                    jsonptr.join(at, index),
                    f"union has two branches of type {key!r} (branches {seen[key]} and {index})",
                )
            else:
                seen[key] = index
        top = "top-union" if context == "top" else "union"
        self.push([(jsonptr.join(at, i), b, namespace, top) for i, b in enumerate(branches)])

    def branch_key(self, branch: JSONValue, namespace: str) -> str | None:
        """What a union branch counts as for uniqueness: its type, or a named type's fullname."""
        type_name: JSONValue = branch
        if isinstance(branch, dict):
            type_name = branch.get("type")
            if _one_of(type_name, NAMED):
                names = split_fullname(branch, namespace)
                return names[0] if names else None
        if not isinstance(type_name, str):
            return None
        if type_name in AVRO_PRIMITIVES or type_name in ("array", "map"):
            return type_name
        qualified = type_name if "." in type_name or not namespace else f"{namespace}.{type_name}"
        return self.lookup(type_name, namespace) or qualified  # named types of this union are not defined yet

    def complex(self, at: str, node: dict[str, JSONValue], namespace: str, context: str) -> None:
        type_name = node.get("type")
        if "logicalType" in node:
            self.logical_type(at, node)
        if not isinstance(type_name, str):
            message = "missing 'type'" if type_name is None else "'type' must be a string naming a type"
            self.issue(jsonptr.join(at, "type") if "type" in node else at, message)
            return
        if type_name in AVRO_PRIMITIVES:
            return
        if type_name in NAMED:
            self.named(at, node, namespace, context)
        elif type_name == "array":
            self.container(at, node, "items", namespace)
        elif type_name == "map":
            self.container(at, node, "values", namespace)
        elif self.lookup(type_name, namespace) is None:
            self.issue(
                jsonptr.join(at, "type"),
                f"unknown type {type_name!r}: a named type must be defined before it is used",
            )

    def container(self, at: str, node: dict[str, JSONValue], key: str, namespace: str) -> None:
        if key not in node:
            self.issue(at, f"an {node.get('type')} needs '{key}'")
            return
        self.push([(jsonptr.join(at, key), node[key], namespace, "type")])

    # ------------------------------------------------------------------ named types

    def named(self, at: str, node: dict[str, JSONValue], namespace: str, context: str) -> None:
        type_name = str(node.get("type"))
        names = self.define(at, node, namespace, top_level=context in ("top", "top-union"))
        space = names[1] if names else namespace
        self.aliases(at, node)
        if "doc" in node and not isinstance(node["doc"], str):
            self.issue(jsonptr.join(at, "doc"), "'doc' must be a string")
        if type_name == "enum":
            self.enum(at, node)
        elif type_name == "fixed":
            self.fixed(at, node)
        else:
            self.record(at, node, space)

    def define(
        self, at: str, node: dict[str, JSONValue], namespace: str, *, top_level: bool
    ) -> tuple[str, str] | None:
        declared = node.get("namespace")
        if declared is not None and not isinstance(declared, str):
            self.issue(jsonptr.join(at, "namespace"), "'namespace' must be a string")
        elif isinstance(declared, str) and declared and not all(valid_name(p) for p in declared.split(".")):
            self.issue(
                jsonptr.join(at, "namespace"), f"namespace {declared!r} is not a dot-separated list of names"
            )
        names = split_fullname(node, namespace)
        if names is None:
            self.issue(
                at if "name" not in node else jsonptr.join(at, "name"),
                f"a {node.get('type')} needs a string 'name'",
            )
            return None
        fullname, space = names
        name_at = jsonptr.join(at, "name")
        if not all(valid_name(part) for part in fullname.split(".")):
            self.issue(name_at, f"{fullname!r} is not a valid name: each part matches [A-Za-z_][A-Za-z0-9_]*")
        elif fullname.rsplit(".", 1)[-1] in AVRO_PRIMITIVES:
            self.issue(name_at, f"{fullname!r} redefines a primitive type name")
        elif fullname in self.names:
            self.issue(name_at, f"{fullname!r} is already defined at {self.names[fullname][0] or '/'}")
        else:
            self.names[fullname] = (at, node)
            self.analysis.named.append(NamedType(fullname, at, node, top_level))
        return fullname, space

    def aliases(self, at: str, node: dict[str, JSONValue]) -> None:
        aliases = node.get("aliases")
        if aliases is None:
            return
        if not isinstance(aliases, list):
            self.issue(jsonptr.join(at, "aliases"), "'aliases' must be a list of names")
            return
        for index, alias in enumerate(aliases):
            if not isinstance(alias, str) or not all(valid_name(p) for p in alias.split(".")):
                self.issue(jsonptr.join(at, "aliases", index), f"alias {_shown(alias)} is not a valid name")

    def enum(self, at: str, node: dict[str, JSONValue]) -> None:
        symbols = node.get("symbols")
        if not isinstance(symbols, list):
            self.issue(
                jsonptr.join(at, "symbols") if "symbols" in node else at, "an enum needs a list of 'symbols'"
            )
            return
        seen: set[str] = set()
        for index, symbol in enumerate(symbols):
            symbol_at = jsonptr.join(at, "symbols", index)
            if not isinstance(symbol, str) or not valid_name(symbol):
                self.issue(symbol_at, f"symbol {_shown(symbol)} is not a valid name")
            elif symbol in seen:
                self.issue(symbol_at, f"symbol {symbol!r} is listed twice")
            else:
                seen.add(symbol)
        if "default" in node and not _one_of(node["default"], seen):
            self.issue(
                jsonptr.join(at, "default"),
                f"enum default {_shown(node['default'])} is not one of its symbols",
            )

    def fixed(self, at: str, node: dict[str, JSONValue]) -> None:
        size = node.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            where = jsonptr.join(at, "size") if "size" in node else at
            self.issue(where, "a fixed needs an integer 'size' of 0 or more")

    def record(self, at: str, node: dict[str, JSONValue], namespace: str) -> None:
        fields = node.get("fields")
        if not isinstance(fields, list):
            self.issue(
                jsonptr.join(at, "fields") if "fields" in node else at, "a record needs a list of 'fields'"
            )
            return
        seen: set[str] = set()
        children: list[tuple[str, JSONValue, str, str]] = []
        for index, item in enumerate(fields):
            field_at = jsonptr.join(at, "fields", index)
            if not isinstance(item, dict):
                self.issue(field_at, "a field is an object with 'name' and 'type'")
                continue
            self.field(field_at, item, namespace, seen)
            if "type" in item:
                children.append((jsonptr.join(field_at, "type"), item["type"], namespace, "type"))
        self.push(children)

    def field(self, at: str, item: dict[str, JSONValue], namespace: str, seen: set[str]) -> None:
        name = item.get("name")
        if not isinstance(name, str) or not valid_name(name):
            self.issue(
                jsonptr.join(at, "name") if "name" in item else at,
                f"field name {_shown(name)} is not a valid name",
            )
        elif name in seen:
            self.issue(jsonptr.join(at, "name"), f"field {name!r} is defined twice in this record")
        else:
            seen.add(name)
        self.analysis.fields.append(Field(at, item))
        if "type" not in item:
            self.issue(at, f"field {_shown(name)} has no 'type'")
        elif "default" in item:
            self.defaults.append((item["type"], item["default"], jsonptr.join(at, "default"), namespace))
        order = item.get("order")
        if order is not None and not _one_of(order, FIELD_ORDERS):
            self.issue(
                jsonptr.join(at, "order"), f"order {_shown(order)} is not ascending, descending or ignore"
            )
        if "doc" in item and not isinstance(item["doc"], str):
            self.issue(jsonptr.join(at, "doc"), "'doc' must be a string")
        self.aliases(at, item)
        if "logicalType" in item:
            self.issue(
                jsonptr.join(at, "logicalType"),
                "'logicalType' on a field is ignored: it belongs in the field's type "
                '("type": {"type": "long", "logicalType": ...})',
                logical=True,
            )

    # ------------------------------------------------------------------ logical types

    def logical_type(self, at: str, node: dict[str, JSONValue]) -> None:
        logical = node.get("logicalType")
        where = jsonptr.join(at, "logicalType")
        if not isinstance(logical, str):
            self.issue(where, "'logicalType' must be a string; readers ignore it", logical=True)
            return
        allowed = LOGICAL_TYPES.get(logical)
        if allowed is None:
            return  # an unknown logical type is allowed, and ignored by readers that lack it
        base = node.get("type")
        if not _one_of(base, allowed):
            wanted = " or ".join(sorted(allowed))
            self.issue(
                where,
                f"logical type {logical!r} annotates {wanted}, not {_shown(base)}; readers ignore it",
                logical=True,
            )
        elif logical == "duration" and node.get("size") != 12:
            self.issue(
                where, "logical type 'duration' needs a fixed of size 12; readers ignore it", logical=True
            )
        elif logical == "decimal":
            problem = _decimal_problem(node)
            if problem is not None:
                self.issue(jsonptr.join(at, problem[0]), problem[1], logical=True)

    # ------------------------------------------------------------------ defaults

    def default_problem(
        self, schema: JSONValue, value: JSONValue, at: str, namespace: str
    ) -> tuple[str, str] | None:
        """Where and why a field default does not match the field's type (a union: its first branch)."""
        stack: list[tuple[JSONValue, JSONValue, str, str]] = [(schema, value, at, namespace)]
        steps = 0
        hint = ""
        while stack and steps < _MAX_DEFAULT_STEPS:
            steps += 1
            current, data, where, space = stack.pop()
            resolved = self.resolve(current, space)
            if resolved is None:
                continue  # an unknown type is reported where it is used
            node, space = resolved
            if isinstance(node, list):
                if not node:
                    return where, "a field whose type is an empty union cannot have a default"
                stack.append((node[0], data, where, space))
                hint = " (the default of a union is a value of its first branch)"
                continue
            problem = self.value_problem(node, data, where, space, stack)
            if problem is not None:
                return where, f"default {_shown(data)} does not match {problem}{hint}"
        return None

    def resolve(self, schema: JSONValue, namespace: str) -> tuple[JSONValue, str] | None:
        """A type with named references replaced by their definitions, and its namespace."""
        if isinstance(schema, list):
            return schema, namespace
        name: JSONValue = schema
        if isinstance(schema, dict):
            name = schema.get("type")
            if _one_of(name, NAMED):
                names = split_fullname(schema, namespace)
                return schema, names[1] if names else namespace
            if _one_of(name, AVRO_PRIMITIVES) or name in ("array", "map"):
                return schema, namespace
        if not isinstance(name, str):
            return None
        if name in AVRO_PRIMITIVES:
            return name, namespace
        fullname = self.lookup(name, namespace)
        if fullname is None:
            return None
        space = fullname.rsplit(".", 1)[0] if "." in fullname else ""
        return self.names[fullname][1], space

    def value_problem(
        self,
        node: JSONValue,
        data: JSONValue,
        where: str,
        space: str,
        stack: list[tuple[JSONValue, JSONValue, str, str]],
    ) -> str | None:
        """Why ``data`` is not a value of ``node`` (pushing nested values on ``stack``)."""
        type_name = node.get("type") if isinstance(node, dict) else node
        if not isinstance(type_name, str):
            return None
        if type_name in AVRO_PRIMITIVES:
            return None if primitive_value(type_name, data) else f"type {type_name!r}"
        assert isinstance(node, dict)
        if type_name == "enum":
            symbols = node.get("symbols")
            ok = isinstance(data, str) and isinstance(symbols, list) and data in symbols
            return None if ok else "the enum's symbols"
        if type_name == "fixed":
            size = node.get("size")
            ok = isinstance(data, str) and len(data) == size and all(ord(c) < 256 for c in data)
            return None if ok else f"a fixed of {size} bytes"
        if type_name == "array":
            if not isinstance(data, list):
                return "type 'array'"
            items = node.get("items")
            stack.extend((items, item, jsonptr.join(where, i), space) for i, item in enumerate(data))
            return None
        if type_name == "map":
            if not isinstance(data, dict):
                return "type 'map' (a JSON object)"
            values = node.get("values")
            stack.extend((values, item, jsonptr.join(where, k), space) for k, item in data.items())
            return None
        return _record_value(node, data, where, space, stack)


def _record_value(
    node: dict[str, JSONValue],
    data: JSONValue,
    where: str,
    space: str,
    stack: list[tuple[JSONValue, JSONValue, str, str]],
) -> str | None:
    if not isinstance(data, dict):
        return f"record {_shown(node.get('name'))} (a JSON object)"
    fields = node.get("fields")
    for item in fields if isinstance(fields, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or "type" not in item:
            continue
        name = item["name"]
        assert isinstance(name, str)
        if name in data:
            stack.append((item["type"], data[name], jsonptr.join(where, name), space))
        elif "default" not in item:
            return f"record {_shown(node.get('name'))}: field {name!r} has no value and no default"
    return None


def _decimal_problem(node: dict[str, JSONValue]) -> tuple[str, str] | None:
    """``(key, message)`` when a decimal's precision and scale are not usable."""
    precision = node.get("precision")
    scale = node.get("scale", 0)
    if isinstance(precision, bool) or not isinstance(precision, int) or precision <= 0:
        key = "precision" if "precision" in node else "logicalType"
        return key, "a decimal needs an integer 'precision' above 0; readers ignore it"
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 0:
        return "scale", "a decimal's 'scale' must be an integer of 0 or more; readers ignore it"
    if scale > precision:
        return (
            "scale",
            f"a decimal's scale ({scale}) cannot exceed its precision ({precision}); readers ignore it",
        )
    size = node.get("size")
    if node.get("type") == "fixed" and isinstance(size, int) and not isinstance(size, bool) and size > 0:
        digits = max_decimal_digits(size)
        if precision > digits:
            return (
                "precision",
                f"a fixed of {size} bytes holds at most {digits} digits, not {precision}; readers ignore it",
            )
    return None


def analyse(schema: JSONValue, pointer: str = "") -> Analysis:
    """Validate an Avro schema (a JSON object, a union array or a type name) found at ``pointer``."""
    return _Walker().run(schema, pointer)


def iter_structural(schema: JSONValue, pointer: str = "") -> Iterator[Issue]:
    """The problems that make a schema invalid (logical types left out)."""
    return (issue for issue in analyse(schema, pointer).issues if not issue.logical)
