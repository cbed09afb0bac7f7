"""What the Avro 1.11 specification says about names, values and logical types, written once.

Used by the one Avro parser (:mod:`apigov.schema.avro_parse`, which ``apigov check`` reports)
and the compatibility engine (:mod:`apigov.schema.avro`, schema resolution), so that both read a
schema by the same rules: the named types, the name grammar and the three rules that make a fullname, the ranges of ``int``
and ``long``, which JSON value each primitive takes (Avro's JSON encoding: ``bytes`` and
``fixed`` are strings of code points 0-255), and the logical types with what they annotate.
"""

from __future__ import annotations

import math
import re
from typing import Final

from apigov.core._types import JSONValue

NAMED: Final = frozenset({"record", "error", "enum", "fixed"})
"""The named types."""
NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
INT_RANGE: Final = (-(2**31), 2**31 - 1)
LONG_RANGE: Final = (-(2**63), 2**63 - 1)
FIELD_ORDERS: Final = frozenset({"ascending", "descending", "ignore"})
LOGICAL_TYPES: Final[dict[str, frozenset[str]]] = {
    "decimal": frozenset({"bytes", "fixed"}),
    "uuid": frozenset({"string"}),
    "date": frozenset({"int"}),
    "time-millis": frozenset({"int"}),
    "time-micros": frozenset({"long"}),
    "timestamp-millis": frozenset({"long"}),
    "timestamp-micros": frozenset({"long"}),
    "local-timestamp-millis": frozenset({"long"}),
    "local-timestamp-micros": frozenset({"long"}),
    "duration": frozenset({"fixed"}),
}
"""Logical types of Avro 1.11 and the types they may annotate."""


def valid_name(name: str) -> bool:
    """One name (a record, field, enum symbol...): ``[A-Za-z_][A-Za-z0-9_]*``."""
    return NAME_RE.match(name) is not None


def valid_fullname(name: str) -> bool:
    """A dotted fullname (or namespace): every part a valid name."""
    return all(valid_name(part) for part in name.split("."))


def split_fullname(node: dict[str, JSONValue], namespace: str) -> tuple[str, str] | None:
    """``(fullname, namespace)`` of a named type, per the specification's three rules (a dotted
    name is full; else ``namespace`` of the node; else the enclosing one); ``None`` without a name."""
    name = node.get("name")
    if not isinstance(name, str):
        return None
    if "." in name:
        return name, name.rsplit(".", 1)[0]
    declared = node.get("namespace")
    space = declared if isinstance(declared, str) else namespace
    return (f"{space}.{name}" if space else name), space


def in_range(value: JSONValue, bounds: tuple[int, int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and bounds[0] <= value <= bounds[1]


def is_number(value: JSONValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_bytes(value: JSONValue) -> bool:
    return isinstance(value, str) and all(ord(c) < 256 for c in value)


def primitive_value(type_name: str, value: JSONValue) -> bool:
    """Whether ``value`` is a value of the primitive ``type_name`` in Avro's JSON encoding."""
    if type_name == "null":
        return value is None
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name in ("int", "long"):
        return in_range(value, INT_RANGE if type_name == "int" else LONG_RANGE)
    if type_name in ("float", "double"):
        return is_number(value)
    if type_name == "bytes":
        return is_bytes(value)
    return isinstance(value, str)


def max_decimal_digits(size: int) -> int:
    """The most decimal digits a signed ``size``-byte two's-complement number holds in full."""
    if size <= 0:
        return 0
    if size <= 1024:
        return len(str(2 ** (8 * size - 1) - 1)) - 1
    return math.floor((8 * size - 1) * math.log10(2))  # 2**n - 1 has as many digits as 2**n
