"""Avro schema resolution (apigov.schema.avro): the specification's rules as a table of cases.

Each case is (label, writer, reader, compatible, incompatible kinds). Every counter-example given
must be a datum of the writer schema (JSON encoding) that the reader cannot resolve.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigov.core._types import JSONValue
from apigov.core.errors import InputError
from apigov.schema.avro import AvroIssue, avro_compatible, can_read, is_datum, readable
from apigov.schema.modes import Mode

EVENTS = Path(__file__).resolve().parents[3] / "examples" / "shop" / "events"


def rec(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def fld(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def enum(name: str, *symbols: str, **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": list(symbols), **extra}


def fixed(name: str, size: int) -> dict[str, Any]:
    return {"type": "fixed", "name": name, "size": size}


def decimal(precision: int, scale: int) -> dict[str, Any]:
    return {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}


def linked(value: Any, *more: dict[str, Any]) -> dict[str, Any]:
    return rec("Node", fld("value", value), fld("next", ["null", "Node"], default=None), *more)


STATUS = enum("Status", "NEW", "PAID", "LOST")

CASES: list[tuple[str, Any, Any, bool, set[str]]] = [
    # primitives and promotions
    ("same primitive", "int", "int", True, set()),
    ("int promoted to long", "int", "long", True, set()),
    ("int promoted to float", "int", "float", True, set()),
    ("int promoted to double", "int", "double", True, set()),
    ("long promoted to float", "long", "float", True, set()),
    ("long promoted to double", "long", "double", True, set()),
    ("float promoted to double", "float", "double", True, set()),
    ("string read as bytes", "string", "bytes", True, set()),
    ("bytes read as string", "bytes", "string", True, set()),
    ("long not demoted to int", "long", "int", False, {"type-changed"}),
    ("double not demoted to float", "double", "float", False, {"type-changed"}),
    ("float not read as int", "float", "int", False, {"type-changed"}),
    ("string not read as int", "string", "int", False, {"type-changed"}),
    ("boolean not read as int", "boolean", "int", False, {"type-changed"}),
    ("null not read as string", "null", "string", False, {"type-changed"}),
    ("primitive in object form", {"type": "int"}, "long", True, set()),
    # records
    ("same record", rec("R", fld("a", "int")), rec("R", fld("a", "int")), True, set()),
    (
        "reader field with default",
        rec("R", fld("a", "int")),
        rec("R", fld("a", "int"), fld("b", "string", default="x")),
        True,
        set(),
    ),
    (
        "reader field without default",
        rec("R", fld("a", "int")),
        rec("R", fld("a", "int"), fld("b", "string")),
        False,
        {"reader-field-missing-default"},
    ),
    (
        "writer field ignored",
        rec("R", fld("a", "int"), fld("b", "string")),
        rec("R", fld("a", "int")),
        True,
        set(),
    ),
    (
        "reader default of the wrong type",
        rec("R", fld("a", "int")),
        rec("R", fld("a", "int"), fld("b", "string", default=1)),
        False,
        {"reader-field-default-invalid"},
    ),
    (
        "int default out of range",
        rec("R"),
        rec("R", fld("b", "int", default=2**31)),
        False,
        {"reader-field-default-invalid"},
    ),
    (
        "field renamed with reader alias",
        rec("R", fld("old", "int")),
        rec("R", fld("new", "int", aliases=["old"])),
        True,
        set(),
    ),
    (
        "field renamed without alias",
        rec("R", fld("old", "int")),
        rec("R", fld("new", "int")),
        False,
        {"reader-field-missing-default"},
    ),
    (
        "writer field alias does not count",
        rec("R", fld("old", "int", aliases=["new"])),
        rec("R", fld("new", "int")),
        False,
        {"reader-field-missing-default"},
    ),
    (
        "record renamed without alias",
        rec("A", fld("a", "int")),
        rec("B", fld("a", "int")),
        False,
        {"name-changed"},
    ),
    (
        "record renamed with reader alias",
        rec("A", fld("a", "int")),
        rec("B", fld("a", "int"), aliases=["A"]),
        True,
        set(),
    ),
    (
        "reader alias is namespace-relative",
        rec("A", fld("a", "int"), namespace="x"),
        rec("B", fld("a", "int"), namespace="x", aliases=["A"]),
        True,
        set(),
    ),
    (
        "reader alias in another namespace",
        rec("A", fld("a", "int"), namespace="x"),
        rec("B", fld("a", "int"), namespace="y", aliases=["A"]),
        False,
        {"name-changed"},
    ),
    (
        "writer alias does not count",
        rec("A", fld("a", "int"), aliases=["B"]),
        rec("B", fld("a", "int")),
        False,
        {"name-changed"},
    ),
    (
        "namespace changed, same name",
        rec("R", fld("a", "int"), namespace="old"),
        rec("new.R", fld("a", "int")),
        True,
        set(),
    ),
    ("field type promoted", rec("R", fld("a", "int")), rec("R", fld("a", "long")), True, set()),
    (
        "nested field type changed",
        rec("O", fld("c", rec("C", fld("id", "long")))),
        rec("O", fld("c", rec("C", fld("id", "int")))),
        False,
        {"type-changed"},
    ),
    (
        "optional field added",
        rec("R", fld("a", "int")),
        rec("R", fld("a", "int"), fld("n", ["null", "string"], default=None)),
        True,
        set(),
    ),
    (
        "union default not of the first branch",
        rec("R"),
        rec("R", fld("n", ["null", "string"], default="x")),
        False,
        {"reader-field-default-invalid"},
    ),
    (
        "record default",
        rec("R"),
        rec("R", fld("c", rec("C", fld("x", "int")), default={"x": 1})),
        True,
        set(),
    ),
    (
        "error type read as a record",
        {"type": "error", "name": "E", "fields": [fld("m", "string")]},
        rec("E", fld("m", "string")),
        True,
        set(),
    ),
    # enums
    ("same enum", STATUS, STATUS, True, set()),
    ("reader enum adds a symbol", STATUS, enum("Status", "NEW", "PAID", "LOST", "VOID"), True, set()),
    ("reader enum lacks a symbol", STATUS, enum("Status", "NEW", "PAID"), False, {"enum-symbol-removed"}),
    (
        "reader enum lacks a symbol, has a default",
        STATUS,
        enum("Status", "NEW", "PAID", default="NEW"),
        True,
        set(),
    ),
    ("enum renamed", STATUS, enum("State", "NEW", "PAID", "LOST"), False, {"name-changed"}),
    ("enum symbols reordered", STATUS, enum("Status", "LOST", "PAID", "NEW"), True, set()),
    # fixed
    ("same fixed", fixed("F", 16), fixed("F", 16), True, set()),
    ("fixed size changed", fixed("F", 16), fixed("F", 8), False, {"fixed-size-changed"}),
    ("fixed renamed", fixed("F", 16), fixed("G", 16), False, {"name-changed"}),
    ("fixed not read as bytes", fixed("F", 4), "bytes", False, {"type-changed"}),
    # arrays and maps
    (
        "array items promoted",
        {"type": "array", "items": "int"},
        {"type": "array", "items": "long"},
        True,
        set(),
    ),
    (
        "array items narrowed",
        {"type": "array", "items": "long"},
        {"type": "array", "items": "int"},
        False,
        {"type-changed"},
    ),
    (
        "map values changed",
        {"type": "map", "values": "int"},
        {"type": "map", "values": "string"},
        False,
        {"type-changed"},
    ),
    (
        "map values promoted",
        {"type": "map", "values": "float"},
        {"type": "map", "values": "double"},
        True,
        set(),
    ),
    (
        "array not read as map",
        {"type": "array", "items": "int"},
        {"type": "map", "values": "int"},
        False,
        {"type-changed"},
    ),
    # unions
    ("writer union within reader union", ["null", "string"], ["null", "string", "int"], True, set()),
    (
        "writer union branch removed",
        ["null", "string", "int"],
        ["null", "string"],
        False,
        {"union-branch-removed"},
    ),
    ("union branches reordered", ["null", "string"], ["string", "null"], True, set()),
    ("non-union read by a union", "string", ["null", "string"], True, set()),
    ("non-union promoted into a union", "int", ["null", "long"], True, set()),
    ("non-union with no union branch", "string", ["null", "int"], False, {"type-changed"}),
    ("union read by a non-union, all branches resolve", ["int", "long"], "long", True, set()),
    (
        "union read by a non-union, null branch lost",
        ["null", "string"],
        "string",
        False,
        {"union-branch-removed"},
    ),
    ("union branch promoted", ["null", "int"], ["null", "double"], True, set()),
    (
        "record branch gains a field without default",
        ["null", rec("A", fld("a", "int"))],
        ["null", rec("A", fld("a", "int"), fld("b", "int"))],
        False,
        {"reader-field-missing-default"},
    ),
    (
        "record read into a union by name",
        rec("A", fld("a", "int")),
        ["null", rec("B", fld("a", "int")), rec("A", fld("a", "long"))],
        True,
        set(),
    ),
    # named references and namespaces
    (
        "named type referenced twice",
        rec("R", fld("a", STATUS), fld("b", "Status")),
        rec("R", fld("a", STATUS), fld("b", "Status")),
        True,
        set(),
    ),
    (
        "symbol removed from a referenced enum",
        rec("R", fld("a", STATUS), fld("b", "Status")),
        rec("R", fld("a", enum("Status", "NEW", "PAID")), fld("b", "Status")),
        False,
        {"enum-symbol-removed"},
    ),
    (
        "reference by short name in a namespace",
        rec("R", fld("a", STATUS), fld("b", "Status"), namespace="com.x"),
        rec("R", fld("a", STATUS), fld("b", "com.x.Status"), namespace="com.x"),
        True,
        set(),
    ),
    (
        "dotted name sets the namespace",
        rec("com.x.R", fld("s", STATUS), fld("t", "com.x.Status")),
        rec("R", fld("s", STATUS), fld("t", "Status"), namespace="com.x"),
        True,
        set(),
    ),
    (
        "nested namespace declaration",
        rec("R", fld("s", {**STATUS, "namespace": "y"}), fld("t", "y.Status"), namespace="x"),
        rec("R", fld("s", {**STATUS, "namespace": "y"}), fld("t", "y.Status"), namespace="x"),
        True,
        set(),
    ),
    # recursion
    ("linked list unchanged", linked("int"), linked("int"), True, set()),
    (
        "linked list gains a defaulted field",
        linked("int"),
        linked("int", fld("tag", "string", default="")),
        True,
        set(),
    ),
    ("linked list value type changed", linked("int"), linked("string"), False, {"type-changed"}),
    ("linked list value promoted", linked("int"), linked("long"), True, set()),
    (
        "mutual recursion",
        rec("A", fld("b", ["null", rec("B", fld("a", ["null", "A"]), fld("x", "int"))])),
        rec("A", fld("b", ["null", rec("B", fld("a", ["null", "A"]), fld("x", "string"))])),
        False,
        {"type-changed"},
    ),
    # logical types
    ("same decimal", decimal(12, 2), decimal(12, 2), True, set()),
    ("decimal scale changed", decimal(12, 2), decimal(12, 3), False, {"decimal-changed"}),
    ("decimal precision changed", decimal(12, 2), decimal(14, 2), False, {"decimal-changed"}),
    (
        "timestamp unit changed",
        {"type": "long", "logicalType": "timestamp-millis"},
        {"type": "long", "logicalType": "timestamp-micros"},
        True,
        set(),
    ),
    ("logical type added", "long", {"type": "long", "logicalType": "timestamp-millis"}, True, set()),
    ("logical type removed", {"type": "string", "logicalType": "uuid"}, "string", True, set()),
    ("date promoted to a long", {"type": "int", "logicalType": "date"}, "long", True, set()),
    (
        "invalid logical type is ignored",
        {"type": "int", "logicalType": "decimal", "precision": 4},
        "int",
        True,
        set(),
    ),
]


@pytest.mark.parametrize(
    ("label", "writer", "reader", "compatible", "kinds"), CASES, ids=[c[0] for c in CASES]
)
def test_resolution(label: str, writer: Any, reader: Any, compatible: bool, kinds: set[str]) -> None:
    issues = can_read(reader, writer)
    bad = [i for i in issues if not i.compatible]
    assert (not bad) is compatible, issues
    assert {i.kind for i in bad} == kinds
    for issue in bad:
        assert_counter_example(reader, writer, issue)


def assert_counter_example(reader: JSONValue, writer: JSONValue, issue: AvroIssue) -> None:
    assert issue.has_counter_example, issue
    assert is_datum(writer, issue.counter_example), issue
    assert not readable(reader, writer, issue.counter_example), issue


def test_enough_cases() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


def test_counter_example_is_whole_datum() -> None:
    writer = rec("Order", fld("id", "long"), fld("customer", rec("Customer", fld("status", STATUS))))
    reader = rec(
        "Order", fld("id", "long"), fld("customer", rec("Customer", fld("status", enum("Status", "NEW"))))
    )
    bad = [i for i in can_read(reader, writer) if not i.compatible]
    assert [(i.kind, i.field_path, i.path) for i in bad] == [
        ("enum-symbol-removed", "Order.customer.status", "/fields/1/type/fields/0/type/symbols"),
        ("enum-symbol-removed", "Order.customer.status", "/fields/1/type/fields/0/type/symbols"),
    ]
    assert sorted(json.dumps(i.counter_example) for i in bad) == [
        '{"id": 0, "customer": {"status": "LOST"}}',
        '{"id": 0, "customer": {"status": "PAID"}}',
    ]


def test_union_counter_example_is_tagged() -> None:
    writer = rec("R", fld("v", ["null", "string", "int"]))
    (issue,) = [i for i in can_read(rec("R", fld("v", ["null", "string"])), writer) if not i.compatible]
    assert issue.counter_example == {"v": {"int": 0}}
    assert issue.field_path == "R.v" and issue.path == "/fields/0/type"


def test_notes_are_compatible() -> None:
    issues = can_read(
        rec("R", fld("a", "long"), fld("b", "int", default=0)), rec("R", fld("a", "int"), fld("c", "int"))
    )
    assert {(i.kind, i.field_path, i.compatible) for i in issues} == {
        ("type-promoted", "R.a", True),
        ("reader-field-defaulted", "R.b", True),
        ("writer-field-ignored", "R.c", True),
    }


@pytest.mark.parametrize(
    "schema",
    [
        "Unknown",
        ["null", ["int"]],
        ["int", "int"],
        rec("R", fld("a", "int"), fld("a", "long")),
        rec("R", fld("a", "R2")),
        {"type": "record", "name": "R"},
        {"type": "enum", "name": "E", "symbols": ["A", "A"]},
        {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"},
        {"type": "fixed", "name": "F"},
        {"type": "array"},
        rec("int"),
        rec("R", fld("x", rec("R"))),
        rec("1R"),
        42,
    ],
)
def test_invalid_schema(schema: Any) -> None:
    with pytest.raises(InputError):
        can_read(schema, "int")


def test_deep_nesting_is_refused() -> None:
    schema: Any = "int"
    for _ in range(200):
        schema = {"type": "array", "items": schema}
    with pytest.raises(InputError):
        can_read(schema, schema)


def test_datum_validator() -> None:
    schema = rec("R", fld("a", "int"), fld("u", ["null", "string", STATUS]), fld("f", fixed("F", 2)))
    assert is_datum(schema, {"a": 1, "u": None, "f": "ab"})
    assert is_datum(schema, {"a": 1, "u": {"Status": "NEW"}, "f": "\u00ff\u0000"})
    assert not is_datum(schema, {"a": 1, "u": "x", "f": "ab"})  # a union value is tagged
    assert not is_datum(schema, {"a": 2**31, "u": None, "f": "ab"})
    assert not is_datum(schema, {"a": 1, "u": None, "f": "abc"})
    assert not is_datum(schema, {"a": 1, "u": None})


def test_modes() -> None:
    v1 = rec("R", fld("a", "int"))
    v2 = rec("R", fld("a", "int"), fld("b", "int", default=0))
    v3 = rec("R", fld("b", "int"))
    assert avro_compatible(Mode.NONE, [v1], v2) == ()
    assert [(i, d) for i, d, _ in avro_compatible(Mode.FULL, [v1, v2], v3)] == [
        (1, "backward"),
        (1, "forward"),
    ]
    checks = avro_compatible(Mode.BACKWARD_TRANSITIVE, [v1, v2], v3)
    assert [(i, d, any(not x.compatible for x in issues)) for i, d, issues in checks] == [
        (0, "backward", True),
        (1, "backward", False),
    ]
    forward = avro_compatible(Mode.FORWARD, [v2], v3)
    assert [x.kind for x in forward[0][2] if not x.compatible] == ["reader-field-missing-default"]


@pytest.mark.parametrize(
    ("name", "backward", "forward"),
    [
        ("inventory-reserved", False, True),
        ("shipment-delivered", True, True),
        ("shipment-created", True, True),
        ("inventory-released", True, True),
    ],
)
def test_shop_events(name: str, backward: bool, forward: bool) -> None:
    old = json.loads((EVENTS / "v1" / "avro" / f"{name}.avsc").read_text())
    new = json.loads((EVENTS / "v2" / "avro" / f"{name}.avsc").read_text())
    checks = {d: issues for _, d, issues in avro_compatible(Mode.FULL, [old], new)}
    assert all(i.compatible for i in checks["backward"]) is backward
    assert all(i.compatible for i in checks["forward"]) is forward
    for issue in checks["backward"]:
        if not issue.compatible:
            assert_counter_example(new, old, issue)


def test_shared_records_are_compared_once() -> None:
    # 30 levels, each with two fields of the next level's type: 2**30 paths, compared in linear time
    writer: Any = rec("L0", fld("v", "long"))
    reader: Any = rec("L0", fld("v", "int"))
    for level in range(1, 31):
        writer = rec(f"L{level}", fld("a", writer), fld("b", ["null", f"L{level - 1}"]))
        reader = rec(f"L{level}", fld("a", reader), fld("b", ["null", f"L{level - 1}"]))
    bad = [i for i in can_read(reader, writer) if not i.compatible]
    assert [i.kind for i in bad] == ["type-changed"]
    assert bad[0].field_path == "L30" + ".a" * 30 + ".v"
    assert_counter_example(reader, writer, bad[0])


def test_counter_example_size_is_bounded() -> None:
    # every datum of L20 holds 2**20 longs: no counter-example, but the verdict stands
    writer: Any = rec("L0", fld("v", "long"))
    reader: Any = rec("L0", fld("v", "int"))
    for level in range(1, 21):
        writer = rec(f"L{level}", fld("a", writer), fld("b", f"L{level - 1}"))
        reader = rec(f"L{level}", fld("a", reader), fld("b", f"L{level - 1}"))
    (issue,) = [i for i in can_read(reader, writer) if not i.compatible]
    assert issue.kind == "type-changed" and not issue.has_counter_example
