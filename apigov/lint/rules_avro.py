"""Governance rules for Avro schemas (``.avsc``).

Each check reads the one analysis of :mod:`apigov.schema.avro_parse` (named types and fields with
their pointers) and yields findings; the schema's structure is already known to be valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._avro import analysis_of
from apigov.lint._doc import rule_factory
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule
from apigov.schema.avro_parse import Field, is_null

AVRO: Final = ("avro",)


def _has_text(node: dict[str, JSONValue], key: str) -> bool:
    value = node.get(key)
    return isinstance(value, str) and bool(value.strip())


def _field_name(item: Field) -> str:
    name = item.node.get("name")
    return repr(name) if isinstance(name, str) else "(unnamed)"


def _fields(ctx: LintContext) -> list[Field]:
    return analysis_of(ctx).fields if ctx.kind is Kind.AVRO else []


def avro_record_doc_missing(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for named in analysis_of(ctx).named:
        if named.node.get("type") != "enum" and not _has_text(named.node, "doc"):
            yield ctx.finding(f"{named.node.get('type')} {named.fullname} has no doc", named.pointer)


def avro_enum_doc_missing(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for named in analysis_of(ctx).named:
        if named.node.get("type") == "enum" and not _has_text(named.node, "doc"):
            yield ctx.finding(f"enum {named.fullname} has no doc", named.pointer)


def avro_field_doc_missing(ctx: LintContext) -> Iterator[Finding]:
    for item in _fields(ctx):
        if not _has_text(item.node, "doc"):
            yield ctx.finding(f"field {_field_name(item)} has no doc", item.pointer)


def _null_branch(item: Field) -> int | None:
    """The index of ``null`` in a field's union type, if the type is such a union."""
    branches = item.node.get("type")
    if not isinstance(branches, list):
        return None
    return next((index for index, branch in enumerate(branches) if is_null(branch)), None)


def avro_optional_field_default_missing(ctx: LintContext) -> Iterator[Finding]:
    for item in _fields(ctx):
        if _null_branch(item) is not None and "default" not in item.node:
            yield ctx.finding(f"optional field {_field_name(item)} has no default", item.pointer)


def avro_optional_null_not_first(ctx: LintContext) -> Iterator[Finding]:
    for item in _fields(ctx):
        index = _null_branch(item)
        if index is not None and index > 0 and "default" not in item.node:
            yield ctx.finding(
                f"field {_field_name(item)}: null is union branch {index}, so it cannot default to null",
                jsonptr.join(item.pointer, "type", index),
            )


def avro_namespace_missing(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for named in analysis_of(ctx).named:
        if named.top_level and "." not in named.fullname:
            yield ctx.finding(f"{named.node.get('type')} {named.fullname} has no namespace", named.pointer)


def avro_enum_default_missing(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for named in analysis_of(ctx).named:
        if named.node.get("type") == "enum" and "default" not in named.node:
            yield ctx.finding(f"enum {named.fullname} has no default symbol", named.pointer)


def avro_logical_type_invalid(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for issue in analysis_of(ctx).issues:
        if issue.logical:
            yield ctx.finding(issue.message, issue.pointer)


_rule: Final = rule_factory(*AVRO)


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "avro-record-doc-missing",
        Level.WARNING,
        "Every record, error and fixed type has a doc.",
        avro_record_doc_missing,
        checks="Each record, error and fixed definition has a non-empty `doc` (enums: "
        "`avro-enum-doc-missing`).",
        why="The schema is the contract between teams that never meet; `doc` is the only place "
        "that says what a type means, and registries and generated code carry it along.",
        example='{"type": "record", "name": "Order", "namespace": "shop", "fields": []}',
        fix='Add `"doc": "..."` saying what the type represents.',
    ),
    _rule(
        "avro-enum-doc-missing",
        Level.WARNING,
        "Every enum has a doc.",
        avro_enum_doc_missing,
        checks="Each enum definition has a non-empty `doc` (records, errors and fixed: "
        "`avro-record-doc-missing`).",
        why="An enum's symbols are terse codes (`OPEN`, `HELD`); only its `doc` says what they mean "
        "and what a reader should do with a symbol it does not know.",
        example='{"type": "enum", "name": "Status", "symbols": ["OPEN", "HELD"], "default": "OPEN"}',
        fix='Add `"doc": "..."` saying what the enum and its symbols mean.',
    ),
    _rule(
        "avro-field-doc-missing",
        Level.INFO,
        "Every record field has a doc.",
        avro_field_doc_missing,
        checks="Each field of each record has a non-empty `doc`.",
        why="Field names rarely say units, formats or meaning; consumers guess, and guess differently.",
        example='{"name": "total", "type": "long"}   # cents? euros?',
        fix='Add `"doc"` to the field: `{"name": "total", "type": "long", "doc": "Total in cents"}`.',
    ),
    _rule(
        "avro-optional-field-default-missing",
        Level.WARNING,
        "A field whose type is a union with null has a default.",
        avro_optional_field_default_missing,
        checks="Fields whose type is a union containing `null` (optional fields) have a `default`.",
        why="A reader with the new schema can only read data written before the field existed if "
        "the field has a default. Without one, adding the field is not backward compatible and "
        "removing it is not forward compatible.",
        example='{"name": "note", "type": ["null", "string"]}',
        fix='Put `"null"` first and add `"default": null`.',
    ),
    _rule(
        "avro-optional-null-not-first",
        Level.WARNING,
        "In an optional field's union, null comes first.",
        avro_optional_null_not_first,
        checks="Fields whose union type contains `null` and that have no default list `null` first. "
        "(A field with a default for a non-null first branch chose that branch on purpose.)",
        why="A field's default must match the first branch of its union, so with `null` elsewhere the "
        "field can never default to null, the usual way to make it optional and evolvable.",
        example='{"name": "note", "type": ["string", "null"]}',
        fix='Reorder the union to `["null", "string"]` and add `"default": null`.',
    ),
    _rule(
        "avro-namespace-missing",
        Level.INFO,
        "A top-level named type has a namespace.",
        avro_namespace_missing,
        checks="The top-level named type (or each named branch of a top-level union) has a namespace: "
        "a `namespace` attribute or a dotted `name`.",
        why="Fullnames identify types in schema registries and generated code (Java packages, C# "
        "namespaces); two teams' `Order` records collide without one.",
        example='{"type": "record", "name": "Order", "fields": []}',
        fix='Add `"namespace": "com.example.shop"` (or name the type `com.example.shop.Order`).',
    ),
    _rule(
        "avro-enum-default-missing",
        Level.WARNING,
        "An enum has a default symbol.",
        avro_enum_default_missing,
        checks="Each enum has a `default` symbol.",
        why="A reader that meets a symbol it does not know (one added by a newer writer) fails "
        "unless the enum has a default to fall back to; adding symbols is then not forward compatible.",
        example='{"type": "enum", "name": "Status", "symbols": ["OPEN", "CLOSED"]}',
        fix='Add `"default": "UNKNOWN"` (with `UNKNOWN` among the symbols) or another safe fallback symbol.',
    ),
    _rule(
        "avro-logical-type-invalid",
        Level.WARNING,
        "A logical type is valid for the type it annotates.",
        avro_logical_type_invalid,
        checks="Each `logicalType` annotates a type it applies to (decimal: bytes or fixed with an "
        "integer `precision` above 0, a `scale` between 0 and the precision, and a precision the "
        "fixed size can hold; uuid: string; date, time-millis: int; time-micros, timestamp-millis, "
        "timestamp-micros, local-timestamp-millis, local-timestamp-micros: long; duration: fixed "
        "of size 12), and sits in a type, not on a field. Unknown logical types are allowed.",
        why="The specification tells readers to ignore an invalid logical type and use the "
        "underlying type, so the schema still parses, but consumers get a raw long or bytes "
        "where a timestamp or decimal was meant.",
        example='{"name": "createdAt", "type": "int", "logicalType": "timestamp-millis"}',
        fix="Move the logical type into the type and use the right base: "
        '`"type": {"type": "long", "logicalType": "timestamp-millis"}`.',
    ),
)
