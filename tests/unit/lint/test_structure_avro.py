"""avro-structure-invalid: apigov's reading of the Avro 1.11 schema rules."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint import rules_avro
from apigov.lint.structure.avro import RULES
from tests.unit.lint._family_lint import hits, lint, memory_context, mutations, run

RULE: Final = "avro-structure-invalid"

VALID_ORDER: Final[JSONValue] = {
    "type": "record",
    "name": "Order",
    "namespace": "com.example.shop",
    "doc": "An order.",
    "aliases": ["LegacyOrder"],
    "fields": [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "placedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 0},
        {
            "name": "status",
            "type": {
                "type": "enum",
                "name": "Status",
                "symbols": ["OPEN", "PAID", "UNKNOWN"],
                "default": "UNKNOWN",
            },
            "default": "OPEN",
        },
        {"name": "previous", "type": ["null", "Status"], "default": None},
        {
            "name": "total",
            "type": {
                "type": "fixed",
                "name": "Money",
                "size": 8,
                "logicalType": "decimal",
                "precision": 18,
                "scale": 2,
            },
        },
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {
            "name": "lines",
            "type": {
                "type": "array",
                "items": {
                    "type": "record",
                    "name": "Line",
                    "fields": [
                        {"name": "sku", "type": "string", "order": "ascending"},
                        {"name": "quantity", "type": "int", "default": 1},
                        {"name": "unit", "type": "Money"},
                    ],
                },
            },
            "default": [],
        },
        {
            "name": "attributes",
            "type": {"type": "map", "values": ["null", "string", "long"]},
            "default": {"a": None},
        },
        {
            "name": "customer",
            "type": {
                "type": "record",
                "name": "com.example.crm.Customer",
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["GOLD", "SILVER"]}},
                ],
            },
            "default": {"id": "c-1", "tier": "GOLD"},
        },
        {"name": "tier", "type": "com.example.crm.Tier", "default": "SILVER"},
        {"name": "next", "type": ["null", "Order"], "default": None},
        {
            "name": "checksum",
            "type": {"type": "fixed", "name": "Md5", "size": 16},
            "default": "0123456789abcdef",
        },
        {
            "name": "duration",
            "type": {"type": "fixed", "name": "Span", "size": 12, "logicalType": "duration"},
        },
        {"name": "flags", "type": ["boolean", "double", "bytes"], "default": True, "aliases": ["flag"]},
        {
            "name": "custom",
            "type": {"type": "string", "logicalType": "iso-8601"},
            "doc": "an unknown logical type",
        },
    ],
}


def _findings(tmp_path: Path, schema: object) -> list[tuple[str, str]]:
    return hits(lint(tmp_path, schema, RULES, name="schema.avsc"), RULE)


def _record(*fields: JSONValue, **extra: JSONValue) -> JSONValue:
    return {"type": "record", "name": "R", "namespace": "ns", "fields": list(fields), **extra}


def test_a_realistic_record_is_valid(tmp_path: Path) -> None:
    findings = lint(tmp_path, VALID_ORDER, RULES + rules_avro.RULES, name="order.avsc")
    assert hits(findings, RULE) == []
    assert hits(findings, "avro-logical-type-invalid") == []


@pytest.mark.parametrize(
    "schema",
    [
        '"string"',
        ["null", "string"],
        [
            "null",
            {"type": "record", "name": "A", "fields": []},
            {"type": "record", "name": "B", "fields": []},
        ],
        {"type": "array", "items": "long"},
        {"type": "map", "values": {"type": "array", "items": "string"}},
        {"type": "int", "logicalType": "date"},
        {"type": "enum", "name": "E", "symbols": []},
        {"type": "fixed", "name": "F", "size": 0},
        {"type": "error", "name": "Failure", "fields": [{"name": "message", "type": "string"}]},
    ],
)
def test_other_schema_forms_are_valid(tmp_path: Path, schema: JSONValue) -> None:
    assert _findings(tmp_path, schema) == []


def test_names_resolve_through_namespaces(tmp_path: Path) -> None:
    schema = {
        "type": "record",
        "name": "a.b.Outer",
        "fields": [
            {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": []}},
            {"name": "again", "type": "Inner"},  # a.b.Inner: the enclosing namespace
            {"name": "full", "type": "a.b.Inner"},
            {"name": "other", "type": {"type": "record", "name": "X", "namespace": "c", "fields": []}},
            {"name": "byFull", "type": "c.X"},
            {"name": "short", "type": "X"},  # a.b.X does not exist
        ],
    }
    assert _findings(tmp_path, schema) == [("/fields/5/type", "error")]


BAD: Final[list[tuple[str, JSONValue, str]]] = [
    ("no-name", {"type": "record", "fields": []}, ""),
    ("name-not-string", {"type": "record", "name": 5, "fields": []}, "/name"),
    ("bad-name", {"type": "record", "name": "1st", "fields": []}, "/name"),
    ("bad-namespace", {"type": "record", "name": "R", "namespace": "a..b", "fields": []}, "/namespace"),
    ("namespace-not-string", {"type": "record", "name": "R", "namespace": 3, "fields": []}, "/namespace"),
    ("primitive-name", {"type": "record", "name": "long", "fields": []}, "/name"),
    ("no-fields", {"type": "record", "name": "R"}, ""),
    ("fields-not-list", {"type": "record", "name": "R", "fields": {}}, "/fields"),
    ("field-not-object", _record("id"), "/fields/0"),
    ("field-without-type", _record({"name": "id"}), "/fields/0"),
    ("field-bad-name", _record({"name": "my-id", "type": "string"}), "/fields/0/name"),
    (
        "field-twice",
        _record({"name": "id", "type": "string"}, {"name": "id", "type": "long"}),
        "/fields/1/name",
    ),
    ("field-order", _record({"name": "id", "type": "string", "order": "up"}), "/fields/0/order"),
    ("field-aliases", _record({"name": "id", "type": "string", "aliases": "x"}), "/fields/0/aliases"),
    (
        "field-alias-name",
        _record({"name": "id", "type": "string", "aliases": ["a-b"]}),
        "/fields/0/aliases/0",
    ),
    ("doc-not-string", {"type": "record", "name": "R", "doc": 1, "fields": []}, "/doc"),
    ("enum-no-symbols", {"type": "enum", "name": "E"}, ""),
    ("enum-symbol-twice", {"type": "enum", "name": "E", "symbols": ["A", "B", "A"]}, "/symbols/2"),
    ("enum-symbol-bad", {"type": "enum", "name": "E", "symbols": ["A", "b-c"]}, "/symbols/1"),
    ("enum-default", {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}, "/default"),
    ("fixed-no-size", {"type": "fixed", "name": "F"}, ""),
    ("fixed-negative", {"type": "fixed", "name": "F", "size": -1}, "/size"),
    ("fixed-bool-size", {"type": "fixed", "name": "F", "size": True}, "/size"),
    ("array-no-items", {"type": "array"}, ""),
    ("map-no-values", {"type": "map", "items": "string"}, ""),
    ("no-type", {"name": "x"}, ""),
    ("type-not-string", {"type": {"type": "string"}}, "/type"),
    ("unknown-type", {"type": "strin"}, "/type"),
    ("unknown-reference", _record({"name": "a", "type": "Missing"}), "/fields/0/type"),
    ("top-level-number", 5, ""),
    ("top-level-unknown-name", '"Thing"', ""),
    ("union-in-union", ["null", ["int", "long"]], "/1"),
    ("union-twice-primitive", ["null", "string", "string"], "/2"),
    (
        "union-twice-array",
        ["null", {"type": "array", "items": "int"}, {"type": "array", "items": "long"}],
        "/2",
    ),
    ("union-twice-logical", ["int", {"type": "int", "logicalType": "date"}], "/1"),
    (
        "union-twice-named",
        _record({"name": "a", "type": ["null", {"type": "enum", "name": "E", "symbols": ["A"]}, "E"]}),
        "/fields/0/type/2",
    ),
    (
        "redefined",
        _record(
            {"name": "a", "type": {"type": "fixed", "name": "F", "size": 1}},
            {"name": "b", "type": {"type": "fixed", "name": "F", "size": 2}},
        ),
        "/fields/1/type/name",
    ),
    (
        "used-before-defined",
        _record({"name": "a", "type": "F"}, {"name": "b", "type": {"type": "fixed", "name": "F", "size": 2}}),
        "/fields/0/type",
    ),
    ("default-int", _record({"name": "a", "type": "int", "default": "1"}), "/fields/0/default"),
    ("default-int-range", _record({"name": "a", "type": "int", "default": 2**31}), "/fields/0/default"),
    ("default-long-bool", _record({"name": "a", "type": "long", "default": True}), "/fields/0/default"),
    ("default-float", _record({"name": "a", "type": "double", "default": "1.5"}), "/fields/0/default"),
    ("default-bytes", _record({"name": "a", "type": "bytes", "default": "\u0100"}), "/fields/0/default"),
    ("default-null", _record({"name": "a", "type": "null", "default": 0}), "/fields/0/default"),
    ("default-boolean", _record({"name": "a", "type": "boolean", "default": "true"}), "/fields/0/default"),
    (
        "default-union-first",
        _record({"name": "a", "type": ["string", "null"], "default": None}),
        "/fields/0/default",
    ),
    (
        "default-enum",
        _record({"name": "a", "type": {"type": "enum", "name": "E", "symbols": ["A"]}, "default": "B"}),
        "/fields/0/default",
    ),
    (
        "default-fixed-size",
        _record({"name": "a", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "abc"}),
        "/fields/0/default",
    ),
    (
        "default-array-item",
        _record({"name": "a", "type": {"type": "array", "items": "int"}, "default": [1, "2"]}),
        "/fields/0/default/1",
    ),
    (
        "default-map-value",
        _record({"name": "a", "type": {"type": "map", "values": "int"}, "default": {"k": None}}),
        "/fields/0/default/k",
    ),
    (
        "default-record-field",
        _record(
            {
                "name": "a",
                "type": {"type": "record", "name": "In", "fields": [{"name": "x", "type": "int"}]},
                "default": {"x": "no"},
            }
        ),
        "/fields/0/default/x",
    ),
    (
        "default-record-missing",
        _record(
            {
                "name": "a",
                "type": {"type": "record", "name": "In", "fields": [{"name": "x", "type": "int"}]},
                "default": {},
            }
        ),
        "/fields/0/default",
    ),
    ("default-empty-union", _record({"name": "a", "type": [], "default": None}), "/fields/0/default"),
]


@pytest.mark.parametrize(("case", "schema", "pointer"), BAD, ids=[case for case, _, _ in BAD])
def test_invalid_schemas_are_reported_at_the_exact_place(
    tmp_path: Path, case: str, schema: JSONValue, pointer: str
) -> None:
    assert (pointer, "error") in _findings(tmp_path, schema), case


def test_a_bad_default_of_a_union_mentions_the_first_branch(tmp_path: Path) -> None:
    findings = lint(
        tmp_path, _record({"name": "a", "type": ["string", "null"], "default": None}), RULES, "s.avsc"
    )
    assert "first branch" in findings[0].message


def test_invalid_logical_types_are_not_structural(tmp_path: Path) -> None:
    schema = _record({"name": "a", "type": {"type": "string", "logicalType": "date"}})
    assert _findings(tmp_path, schema) == []


def test_deep_nesting_terminates(tmp_path: Path) -> None:
    schema: JSONValue = "long"
    for _ in range(60):  # the loader refuses deeper documents (APIGOV_MAX_DEPTH)
        schema = {"type": "array", "items": schema}
    assert _findings(tmp_path, schema) == []


def test_a_recursive_type_with_a_deep_default_terminates(tmp_path: Path) -> None:
    default: JSONValue = None
    for _ in range(55):  # as deep as the loader allows
        default = {"value": 1, "next": default}
    schema = {
        "type": "record",
        "name": "Node",
        "fields": [
            {"name": "value", "type": "int"},
            {"name": "next", "type": ["null", "Node"], "default": None},
            {"name": "child", "type": ["null", "Node"], "default": default},
        ],
    }
    # a union's default is a value of its first branch (null), so the deep record is refused
    assert _findings(tmp_path, schema) == [("/fields/2/default", "error")]


def test_hostile_values_anywhere_never_crash() -> None:
    for mutated in mutations(VALID_ORDER, limit=80):
        ctx = memory_context(mutated, Kind.AVRO)
        run(ctx, RULES + rules_avro.RULES)


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert (
        lint(tmp_path, {"$schema": "http://json-schema.org/draft-07/schema#", "type": "record"}, RULES) == []
    )
