"""Avro schemas under a compatibility mode: schema resolution both ways (:mod:`apigov.schema.avro`),
and the Avro rules' catalogue rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level, Notes
from apigov.rules._walk import node_at
from apigov.rules.events._rows import B, I, W, row
from apigov.rules.events.compare import BACKWARD, FORWARD, Pair
from apigov.rules.events.ids import AVRO_IDS
from apigov.rules.rule import Area, Judged, Rule
from apigov.schema.avro import can_read
from apigov.schema.compat import NO_EXAMPLE, NoExample


def avro_changes(
    pair: Pair,
    old_pointer: str,
    new_pointer: str,
    need: frozenset[str],
    *,
    label: str = "",
    operation: str | None = None,
    extra: Notes | None = None,
) -> Iterator[Finding]:
    """Schema resolution in both directions between the Avro schemas at the two pointers."""
    old = node_at(pair.old.data, old_pointer)
    new = node_at(pair.new.data, new_pointer)
    kept: dict[tuple[str, str, str], Finding] = {}  # an id found both ways: the graver one
    for direction in (BACKWARD, FORWARD):
        backward = direction == BACKWARD
        reader, writer = (new, old) if backward else (old, new)
        reader_pointer = new_pointer if backward else old_pointer
        needed = direction in need
        for issue in can_read(reader, writer):
            rule_id = AVRO_IDS[issue.kind][0 if backward else 1]
            details: Notes = {
                "direction": direction,
                "field_path": issue.field_path,
                "avro": issue.kind,
                **(extra or {}),
            }
            counter: JSONValue | NoExample = NO_EXAMPLE
            if issue.compatible or not needed:  # a direction the mode does not ask about
                judged = Judged.HARMLESS
            elif issue.has_counter_example:
                judged, counter = Judged.PROVEN, issue.counter_example
                details["reader"] = "new" if backward else "old"
            else:
                judged = Judged.UNDECIDED
                details["undecided"] = True
            prefix = f"{label}: " if label else ""
            message = f"{prefix}{issue.field_path}: {issue.detail}"
            finding = pair.finding(
                rule_id,
                message,
                on_new=backward,
                judged=judged,
                pointer=jsonptr.join(reader_pointer, *jsonptr.split(issue.path)),
                operation=operation,
                counter_example=counter,
                **details,
            )
            key = (rule_id, issue.field_path.partition(".")[2], issue.kind)  # the root's name may differ
            known = kept.get(key)
            if known is None or finding.level.rank > known.level.rank:
                kept[key] = finding
    yield from kept.values()


# ---------------------------------------------------------------------- catalogue rows

_AV = ("avro", "asyncapi")
_AVRO_EVOLVE = (
    "Add and remove fields only with defaults, widen types only by the promotions the Avro "
    "specification allows (int to long, float or double; long to float or double; float to "
    "double; string and bytes), and give enums a `default` symbol before you change their symbols."
)


def _avro(id: str, level: Level, summary: str, why: str, example: str, confluent: str | None = None) -> Rule:
    return row(id, level, Area.AVRO, _AV, summary, why, example, _AVRO_EVOLVE, confluent=confluent)


RULES: Final[tuple[Rule, ...]] = (
    _avro(
        "avro-type-changed",
        B,
        "A field's (or the schema's) type changed to one the reader cannot resolve.",
        "The reader fails on every datum of the old type: no promotion or union branch matches it.",
        'base: {"name": "qty", "type": "int"}\nrevision: {"name": "qty", "type": "string"}',
        "TYPE_MISMATCH",
    ),
    _avro(
        "avro-name-changed",
        B,
        "A named type (record, enum, fixed) was renamed without an alias.",
        "Avro resolves named types by name: the reader does not recognise the writer's type.",
        'base: {"type": "record", "name": "Order"}\nrevision: {"type": "record", "name": "Purchase"}',
        "NAME_MISMATCH",
    ),
    _avro(
        "avro-union-branch-removed",
        B,
        "A union lost a branch that old data may use.",
        "A reader on the new schema cannot read old data written in the removed branch.",
        'base: ["null", "string", "long"]\nrevision: ["null", "string"]',
        "MISSING_UNION_BRANCH",
    ),
    _avro(
        "avro-union-branch-added",
        B,
        "A union gained a branch that readers on the old schema do not have.",
        "A reader on the old schema cannot read new data written in the added branch (FORWARD).",
        'base: ["null", "string"]\nrevision: ["null", "string", "long"]',
        "MISSING_UNION_BRANCH",
    ),
    _avro(
        "avro-field-added-without-default",
        B,
        "A field was added without a default.",
        "A reader on the new schema cannot fill the field for old data, which lacks it (BACKWARD).",
        'revision fields: + {"name": "reservedBy", "type": "string"}',
        "READER_FIELD_MISSING_DEFAULT_VALUE",
    ),
    _avro(
        "avro-field-removed-without-default",
        B,
        "A field was removed that has no default in the old schema.",
        "A reader on the old schema cannot fill the field for new data, which lacks it (FORWARD).",
        'base fields: {"name": "note", "type": "string"}   # removed in the revision',
        "READER_FIELD_MISSING_DEFAULT_VALUE",
    ),
    _avro(
        "avro-field-default-invalid",
        B,
        "A field the writer lacks has a default that does not fit its type.",
        "The reader needs the default exactly when data lacks the field, and cannot use it.",
        'revision fields: + {"name": "note", "type": ["null", "string"], "default": "none"}',
    ),
    _avro(
        "avro-enum-symbol-removed",
        B,
        "An enum lost a symbol and has no default symbol.",
        "A reader on the new schema fails on old data holding the removed symbol (BACKWARD).",
        'base: {"type": "enum", "symbols": ["A", "B"]}\nrevision: {"type": "enum", "symbols": ["A"]}',
        "MISSING_ENUM_SYMBOLS",
    ),
    _avro(
        "avro-enum-symbol-added",
        B,
        "An enum gained a symbol while the old enum has no default symbol.",
        "A reader on the old schema fails on new data holding the added symbol (FORWARD).",
        'base: {"type": "enum", "symbols": ["A"]}\nrevision: {"type": "enum", "symbols": ["A", "B"]}',
        "MISSING_ENUM_SYMBOLS",
    ),
    _avro(
        "avro-fixed-size-changed",
        B,
        "A fixed type changed its size.",
        "Fixed values of different sizes cannot be resolved.",
        'base: {"type": "fixed", "name": "Hash", "size": 16}\nrevision: {"type": "fixed", "name": "Hash", "size": 32}',
        "FIXED_SIZE_MISMATCH",
    ),
    _avro(
        "avro-decimal-changed",
        B,
        "A decimal's precision or scale changed.",
        "The same bytes mean another number: readers would misread every value.",
        'base: {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}\n'
        'revision: {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 3}',
    ),
    _avro(
        "avro-schema-undecided",
        W,
        "The schemas are too deep or too large for apigov to compare.",
        "apigov cannot tell whether readers are affected; it never passes such a change silently.",
        "a schema nesting records more than 64 deep",
        "SCHEMA_TOO_COMPLEX",
    ),
    _avro(
        "avro-type-promoted",
        I,
        "A type is read through a promotion the specification allows (int to long, float to double...).",
        "Nothing breaks in the direction of the promotion.",
        'base: {"name": "qty", "type": "int"}\nrevision: {"name": "qty", "type": "long"}',
    ),
    _avro(
        "avro-namespace-changed",
        I,
        "A named type moved to another namespace (same short name).",
        "Resolution matches unqualified names; generated code may move to another package.",
        'base: {"name": "Order", "namespace": "a"}\nrevision: {"name": "Order", "namespace": "b"}',
    ),
    _avro(
        "avro-name-changed-with-alias",
        I,
        "A named type was renamed, and the reader names the old name as an alias.",
        "Nothing breaks for data; generated code changes its type name.",
        'revision: {"type": "record", "name": "Purchase", "aliases": ["Order"]}',
    ),
    _avro(
        "avro-logical-type-changed",
        I,
        "A logical type was added, removed or changed (decimals aside).",
        "Data resolves through the underlying type, but its meaning may change.",
        'base: {"type": "long"}\nrevision: {"type": "long", "logicalType": "timestamp-millis"}',
    ),
    _avro(
        "avro-enum-symbol-removed-with-default",
        I,
        "An enum lost a symbol; readers read it as the enum's default symbol.",
        "Nothing fails, but the removed value is read as the default.",
        'revision: {"type": "enum", "symbols": ["A", "UNKNOWN"], "default": "UNKNOWN"}',
    ),
    _avro(
        "avro-enum-symbol-added-with-default",
        I,
        "An enum gained a symbol; readers on the old schema read it as their default symbol.",
        "Nothing fails, but the new value is read as the default.",
        'base: {"type": "enum", "symbols": ["A", "UNKNOWN"], "default": "UNKNOWN"}',
    ),
    _avro(
        "avro-field-renamed-with-alias",
        I,
        "A field was renamed; the reader's alias names the old name.",
        "Nothing breaks for data; generated code changes its field name.",
        'revision fields: {"name": "total", "aliases": ["amount"], "type": "long"}',
    ),
    _avro(
        "avro-field-removed",
        I,
        "A field was removed; readers on the new schema skip it in old data.",
        "Nothing breaks for readers on the new schema; see avro-field-removed-without-default for the old ones.",
        'base fields: {"name": "note", "type": "string", "default": ""}   # removed',
    ),
    _avro(
        "avro-field-added",
        I,
        "A field was added; readers on the old schema skip it in new data.",
        "Nothing breaks for readers on the old schema; see avro-field-added-without-default for the new ones.",
        'revision fields: + {"name": "note", "type": "string", "default": ""}',
    ),
    _avro(
        "avro-field-added-with-default",
        I,
        "A field was added with a default; readers on the new schema use it for old data.",
        "Nothing breaks: the default fills the field.",
        'revision fields: + {"name": "attempts", "type": "int", "default": 1}',
    ),
    _avro(
        "avro-field-removed-with-default",
        I,
        "A field with a default was removed; readers on the old schema use the default for new data.",
        "Nothing breaks: the default fills the field.",
        'base fields: {"name": "attempts", "type": "int", "default": 1}   # removed',
    ),
)
