"""Avro governance rules: one triggering and one safe document per rule."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from apigov.core._types import JSONValue
from apigov.lint.rules_avro import RULES
from tests.unit.lint._family_lint import hits, lint

DOCUMENTED: Final[JSONValue] = {
    "type": "record",
    "name": "Order",
    "namespace": "com.example",
    "doc": "An order.",
    "fields": [
        {"name": "id", "type": "string", "doc": "Order id."},
        {"name": "note", "type": ["null", "string"], "default": None, "doc": "Free text."},
        {
            "name": "status",
            "doc": "Where the order is.",
            "type": {
                "type": "enum",
                "name": "Status",
                "doc": "Order status.",
                "symbols": ["OPEN", "UNKNOWN"],
                "default": "UNKNOWN",
            },
        },
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}, "doc": "When."},
    ],
}


def _hits(tmp_path: Path, schema: object, rule_id: str) -> list[tuple[str, str]]:
    return hits(lint(tmp_path, schema, RULES, name="schema.avsc"), rule_id)


def _record(*fields: JSONValue) -> JSONValue:
    return {"type": "record", "name": "R", "namespace": "ns", "doc": "R.", "fields": list(fields)}


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_a_documented_schema_is_clean(tmp_path: Path, rule_id: str) -> None:
    assert _hits(tmp_path, DOCUMENTED, rule_id) == []


def test_record_doc_missing(tmp_path: Path) -> None:
    schema = {
        "type": "record",
        "name": "R",
        "namespace": "ns",
        "fields": [
            {
                "name": "e",
                "doc": "E.",
                "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "A"},
            }
        ],
    }
    assert _hits(tmp_path, schema, "avro-record-doc-missing") == [("", "warning")]
    assert _hits(tmp_path, schema, "avro-enum-doc-missing") == [("/fields/0/type", "warning")]


def test_field_doc_missing(tmp_path: Path) -> None:
    schema = _record({"name": "a", "type": "int", "doc": "A."}, {"name": "b", "type": "int", "doc": " "})
    assert _hits(tmp_path, schema, "avro-field-doc-missing") == [("/fields/1", "info")]


def test_optional_field_default_missing(tmp_path: Path) -> None:
    schema = _record(
        {"name": "a", "type": ["null", "string"], "doc": "A."},
        {"name": "b", "type": ["null", "string"], "default": None, "doc": "B."},
        {"name": "c", "type": ["int", "string"], "doc": "C."},
    )
    assert _hits(tmp_path, schema, "avro-optional-field-default-missing") == [("/fields/0", "warning")]


def test_optional_field_with_object_null_branch(tmp_path: Path) -> None:
    schema = _record({"name": "a", "type": [{"type": "null"}, "string"], "doc": "A."})
    assert _hits(tmp_path, schema, "avro-optional-field-default-missing") == [("/fields/0", "warning")]


def test_optional_null_not_first(tmp_path: Path) -> None:
    schema = _record(
        {"name": "a", "type": ["string", "null"], "doc": "A."},
        {"name": "b", "type": ["string", "null"], "default": "x", "doc": "B: a deliberate non-null default."},
        {"name": "c", "type": ["null", "string"], "default": None, "doc": "C."},
    )
    assert _hits(tmp_path, schema, "avro-optional-null-not-first") == [("/fields/0/type/1", "warning")]


def test_namespace_missing(tmp_path: Path) -> None:
    schema = {"type": "record", "name": "R", "doc": "R.", "fields": []}
    assert _hits(tmp_path, schema, "avro-namespace-missing") == [("", "info")]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "record", "name": "com.example.R", "fields": []},
        {"type": "record", "name": "R", "namespace": "com.example", "fields": []},
        {"type": "array", "items": "string"},
    ],
)
def test_namespace_present_or_not_needed(tmp_path: Path, schema: JSONValue) -> None:
    assert _hits(tmp_path, schema, "avro-namespace-missing") == []


def test_namespace_missing_in_a_top_level_union_but_not_nested(tmp_path: Path) -> None:
    schema = [
        "null",
        {
            "type": "record",
            "name": "A",
            "fields": [{"name": "b", "type": {"type": "fixed", "name": "B", "size": 1}}],
        },
    ]
    assert _hits(tmp_path, schema, "avro-namespace-missing") == [("/1", "info")]


def test_enum_default_missing(tmp_path: Path) -> None:
    schema = _record(
        {"name": "a", "doc": "A.", "type": {"type": "enum", "name": "E", "doc": "E.", "symbols": ["X"]}},
        {
            "name": "b",
            "doc": "B.",
            "type": {"type": "enum", "name": "F", "doc": "F.", "symbols": ["X"], "default": "X"},
        },
    )
    assert _hits(tmp_path, schema, "avro-enum-default-missing") == [("/fields/0/type", "warning")]


LOGICAL_BAD: Final[list[tuple[str, JSONValue, str]]] = [
    ("date-on-long", {"type": "long", "logicalType": "date"}, "/fields/0/type/logicalType"),
    ("uuid-on-bytes", {"type": "bytes", "logicalType": "uuid"}, "/fields/0/type/logicalType"),
    ("timestamp-on-int", {"type": "int", "logicalType": "timestamp-millis"}, "/fields/0/type/logicalType"),
    ("time-micros-on-int", {"type": "int", "logicalType": "time-micros"}, "/fields/0/type/logicalType"),
    (
        "local-ts-on-string",
        {"type": "string", "logicalType": "local-timestamp-micros"},
        "/fields/0/type/logicalType",
    ),
    ("not-a-string", {"type": "long", "logicalType": 3}, "/fields/0/type/logicalType"),
    ("decimal-no-precision", {"type": "bytes", "logicalType": "decimal"}, "/fields/0/type/logicalType"),
    (
        "decimal-zero-precision",
        {"type": "bytes", "logicalType": "decimal", "precision": 0},
        "/fields/0/type/precision",
    ),
    (
        "decimal-scale-above",
        {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 5},
        "/fields/0/type/scale",
    ),
    (
        "decimal-negative-scale",
        {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": -1},
        "/fields/0/type/scale",
    ),
    (
        "decimal-on-string",
        {"type": "string", "logicalType": "decimal", "precision": 4},
        "/fields/0/type/logicalType",
    ),
    (
        "decimal-too-big-for-fixed",
        {"type": "fixed", "name": "D", "size": 2, "logicalType": "decimal", "precision": 5},
        "/fields/0/type/precision",
    ),
    (
        "duration-wrong-size",
        {"type": "fixed", "name": "D", "size": 8, "logicalType": "duration"},
        "/fields/0/type/logicalType",
    ),
]


@pytest.mark.parametrize(("case", "field_type", "pointer"), LOGICAL_BAD, ids=[c for c, _, _ in LOGICAL_BAD])
def test_logical_type_invalid(tmp_path: Path, case: str, field_type: JSONValue, pointer: str) -> None:
    schema = _record({"name": "a", "type": field_type, "doc": "A."})
    assert _hits(tmp_path, schema, "avro-logical-type-invalid") == [(pointer, "warning")], case


def test_logical_type_on_a_field_is_ignored_by_readers(tmp_path: Path) -> None:
    schema = _record({"name": "a", "type": "long", "logicalType": "timestamp-millis", "doc": "A."})
    assert _hits(tmp_path, schema, "avro-logical-type-invalid") == [("/fields/0/logicalType", "warning")]


@pytest.mark.parametrize(
    "field_type",
    [
        {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 38},
        {"type": "fixed", "name": "D", "size": 16, "logicalType": "decimal", "precision": 38},
        {"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"},
        {"type": "int", "logicalType": "time-millis"},
        {"type": "long", "logicalType": "local-timestamp-millis"},
        {"type": "string", "logicalType": "something-custom"},
    ],
)
def test_valid_logical_types(tmp_path: Path, field_type: JSONValue) -> None:
    schema = _record({"name": "a", "type": field_type, "doc": "A."})
    assert _hits(tmp_path, schema, "avro-logical-type-invalid") == []


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert lint(tmp_path, "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n", RULES) == []
