"""The event schema ids, spelled out: (place prefix, change) -> id.

Event schema rules are a product (a whole JSON Schema, an AsyncAPI message payload or headers x
the schema-change families); the event pipeline and the catalogue look their ids up here rather
than assembling them, so ``grep -rn ID apigov/`` finds each one (tests/unit/rules/test_ids.py
asserts the table is exactly that product).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.rules._families import FAMILIES, Family

EVENT_SCHEMA_IDS: Final[Mapping[tuple[str, str], str]] = MappingProxyType(
    {
        ("schema", "type-changed"): "schema-type-changed",
        ("schema", "type-specialized"): "schema-type-specialized",
        ("schema", "type-generalized"): "schema-type-generalized",
        ("schema", "became-not-nullable"): "schema-became-not-nullable",
        ("schema", "became-nullable"): "schema-became-nullable",
        ("schema", "enum-value-removed"): "schema-enum-value-removed",
        ("schema", "enum-value-added"): "schema-enum-value-added",
        ("schema", "became-enum"): "schema-became-enum",
        ("schema", "became-not-enum"): "schema-became-not-enum",
        ("schema", "const-changed"): "schema-const-changed",
        ("schema", "min-set"): "schema-min-set",
        ("schema", "min-unset"): "schema-min-unset",
        ("schema", "min-increased"): "schema-min-increased",
        ("schema", "min-decreased"): "schema-min-decreased",
        ("schema", "max-set"): "schema-max-set",
        ("schema", "max-unset"): "schema-max-unset",
        ("schema", "max-decreased"): "schema-max-decreased",
        ("schema", "max-increased"): "schema-max-increased",
        ("schema", "multiple-of-set"): "schema-multiple-of-set",
        ("schema", "multiple-of-unset"): "schema-multiple-of-unset",
        ("schema", "multiple-of-changed"): "schema-multiple-of-changed",
        ("schema", "min-length-increased"): "schema-min-length-increased",
        ("schema", "min-length-decreased"): "schema-min-length-decreased",
        ("schema", "max-length-set"): "schema-max-length-set",
        ("schema", "max-length-unset"): "schema-max-length-unset",
        ("schema", "max-length-decreased"): "schema-max-length-decreased",
        ("schema", "max-length-increased"): "schema-max-length-increased",
        ("schema", "pattern-added"): "schema-pattern-added",
        ("schema", "pattern-removed"): "schema-pattern-removed",
        ("schema", "pattern-changed"): "schema-pattern-changed",
        ("schema", "format-added"): "schema-format-added",
        ("schema", "format-removed"): "schema-format-removed",
        ("schema", "format-changed"): "schema-format-changed",
        ("schema", "min-items-increased"): "schema-min-items-increased",
        ("schema", "min-items-decreased"): "schema-min-items-decreased",
        ("schema", "max-items-set"): "schema-max-items-set",
        ("schema", "max-items-unset"): "schema-max-items-unset",
        ("schema", "max-items-decreased"): "schema-max-items-decreased",
        ("schema", "max-items-increased"): "schema-max-items-increased",
        ("schema", "unique-items-added"): "schema-unique-items-added",
        ("schema", "unique-items-removed"): "schema-unique-items-removed",
        ("schema", "additional-properties-closed"): "schema-additional-properties-closed",
        ("schema", "additional-properties-opened"): "schema-additional-properties-opened",
        ("schema", "schema-narrowed"): "schema-narrowed",
        ("schema", "schema-widened"): "schema-widened",
        ("schema", "schema-undecided"): "schema-undecided",
        ("schema", "became-required"): "schema-became-required",
        ("schema", "became-optional"): "schema-became-optional",
        ("schema", "property-added-to-open-model"): "schema-property-added-to-open-model",
        ("schema", "property-removed-from-open-model"): "schema-property-removed-from-open-model",
        ("schema", "property-removed-from-closed-model"): "schema-property-removed-from-closed-model",
        ("schema", "property-added-to-closed-model"): "schema-property-added-to-closed-model",
        ("message-payload", "type-changed"): "message-payload-type-changed",
        ("message-payload", "type-specialized"): "message-payload-type-specialized",
        ("message-payload", "type-generalized"): "message-payload-type-generalized",
        ("message-payload", "became-not-nullable"): "message-payload-became-not-nullable",
        ("message-payload", "became-nullable"): "message-payload-became-nullable",
        ("message-payload", "enum-value-removed"): "message-payload-enum-value-removed",
        ("message-payload", "enum-value-added"): "message-payload-enum-value-added",
        ("message-payload", "became-enum"): "message-payload-became-enum",
        ("message-payload", "became-not-enum"): "message-payload-became-not-enum",
        ("message-payload", "const-changed"): "message-payload-const-changed",
        ("message-payload", "min-set"): "message-payload-min-set",
        ("message-payload", "min-unset"): "message-payload-min-unset",
        ("message-payload", "min-increased"): "message-payload-min-increased",
        ("message-payload", "min-decreased"): "message-payload-min-decreased",
        ("message-payload", "max-set"): "message-payload-max-set",
        ("message-payload", "max-unset"): "message-payload-max-unset",
        ("message-payload", "max-decreased"): "message-payload-max-decreased",
        ("message-payload", "max-increased"): "message-payload-max-increased",
        ("message-payload", "multiple-of-set"): "message-payload-multiple-of-set",
        ("message-payload", "multiple-of-unset"): "message-payload-multiple-of-unset",
        ("message-payload", "multiple-of-changed"): "message-payload-multiple-of-changed",
        ("message-payload", "min-length-increased"): "message-payload-min-length-increased",
        ("message-payload", "min-length-decreased"): "message-payload-min-length-decreased",
        ("message-payload", "max-length-set"): "message-payload-max-length-set",
        ("message-payload", "max-length-unset"): "message-payload-max-length-unset",
        ("message-payload", "max-length-decreased"): "message-payload-max-length-decreased",
        ("message-payload", "max-length-increased"): "message-payload-max-length-increased",
        ("message-payload", "pattern-added"): "message-payload-pattern-added",
        ("message-payload", "pattern-removed"): "message-payload-pattern-removed",
        ("message-payload", "pattern-changed"): "message-payload-pattern-changed",
        ("message-payload", "format-added"): "message-payload-format-added",
        ("message-payload", "format-removed"): "message-payload-format-removed",
        ("message-payload", "format-changed"): "message-payload-format-changed",
        ("message-payload", "min-items-increased"): "message-payload-min-items-increased",
        ("message-payload", "min-items-decreased"): "message-payload-min-items-decreased",
        ("message-payload", "max-items-set"): "message-payload-max-items-set",
        ("message-payload", "max-items-unset"): "message-payload-max-items-unset",
        ("message-payload", "max-items-decreased"): "message-payload-max-items-decreased",
        ("message-payload", "max-items-increased"): "message-payload-max-items-increased",
        ("message-payload", "unique-items-added"): "message-payload-unique-items-added",
        ("message-payload", "unique-items-removed"): "message-payload-unique-items-removed",
        ("message-payload", "additional-properties-closed"): "message-payload-additional-properties-closed",
        ("message-payload", "additional-properties-opened"): "message-payload-additional-properties-opened",
        ("message-payload", "schema-narrowed"): "message-payload-schema-narrowed",
        ("message-payload", "schema-widened"): "message-payload-schema-widened",
        ("message-payload", "schema-undecided"): "message-payload-schema-undecided",
        ("message-payload", "became-required"): "message-payload-became-required",
        ("message-payload", "became-optional"): "message-payload-became-optional",
        ("message-payload", "property-added-to-open-model"): "message-payload-property-added-to-open-model",
        (
            "message-payload",
            "property-removed-from-open-model",
        ): "message-payload-property-removed-from-open-model",
        (
            "message-payload",
            "property-removed-from-closed-model",
        ): "message-payload-property-removed-from-closed-model",
        (
            "message-payload",
            "property-added-to-closed-model",
        ): "message-payload-property-added-to-closed-model",
        ("message-headers", "type-changed"): "message-headers-type-changed",
        ("message-headers", "type-specialized"): "message-headers-type-specialized",
        ("message-headers", "type-generalized"): "message-headers-type-generalized",
        ("message-headers", "became-not-nullable"): "message-headers-became-not-nullable",
        ("message-headers", "became-nullable"): "message-headers-became-nullable",
        ("message-headers", "enum-value-removed"): "message-headers-enum-value-removed",
        ("message-headers", "enum-value-added"): "message-headers-enum-value-added",
        ("message-headers", "became-enum"): "message-headers-became-enum",
        ("message-headers", "became-not-enum"): "message-headers-became-not-enum",
        ("message-headers", "const-changed"): "message-headers-const-changed",
        ("message-headers", "min-set"): "message-headers-min-set",
        ("message-headers", "min-unset"): "message-headers-min-unset",
        ("message-headers", "min-increased"): "message-headers-min-increased",
        ("message-headers", "min-decreased"): "message-headers-min-decreased",
        ("message-headers", "max-set"): "message-headers-max-set",
        ("message-headers", "max-unset"): "message-headers-max-unset",
        ("message-headers", "max-decreased"): "message-headers-max-decreased",
        ("message-headers", "max-increased"): "message-headers-max-increased",
        ("message-headers", "multiple-of-set"): "message-headers-multiple-of-set",
        ("message-headers", "multiple-of-unset"): "message-headers-multiple-of-unset",
        ("message-headers", "multiple-of-changed"): "message-headers-multiple-of-changed",
        ("message-headers", "min-length-increased"): "message-headers-min-length-increased",
        ("message-headers", "min-length-decreased"): "message-headers-min-length-decreased",
        ("message-headers", "max-length-set"): "message-headers-max-length-set",
        ("message-headers", "max-length-unset"): "message-headers-max-length-unset",
        ("message-headers", "max-length-decreased"): "message-headers-max-length-decreased",
        ("message-headers", "max-length-increased"): "message-headers-max-length-increased",
        ("message-headers", "pattern-added"): "message-headers-pattern-added",
        ("message-headers", "pattern-removed"): "message-headers-pattern-removed",
        ("message-headers", "pattern-changed"): "message-headers-pattern-changed",
        ("message-headers", "format-added"): "message-headers-format-added",
        ("message-headers", "format-removed"): "message-headers-format-removed",
        ("message-headers", "format-changed"): "message-headers-format-changed",
        ("message-headers", "min-items-increased"): "message-headers-min-items-increased",
        ("message-headers", "min-items-decreased"): "message-headers-min-items-decreased",
        ("message-headers", "max-items-set"): "message-headers-max-items-set",
        ("message-headers", "max-items-unset"): "message-headers-max-items-unset",
        ("message-headers", "max-items-decreased"): "message-headers-max-items-decreased",
        ("message-headers", "max-items-increased"): "message-headers-max-items-increased",
        ("message-headers", "unique-items-added"): "message-headers-unique-items-added",
        ("message-headers", "unique-items-removed"): "message-headers-unique-items-removed",
        ("message-headers", "additional-properties-closed"): "message-headers-additional-properties-closed",
        ("message-headers", "additional-properties-opened"): "message-headers-additional-properties-opened",
        ("message-headers", "schema-narrowed"): "message-headers-schema-narrowed",
        ("message-headers", "schema-widened"): "message-headers-schema-widened",
        ("message-headers", "schema-undecided"): "message-headers-schema-undecided",
        ("message-headers", "became-required"): "message-headers-became-required",
        ("message-headers", "became-optional"): "message-headers-became-optional",
        ("message-headers", "property-added-to-open-model"): "message-headers-property-added-to-open-model",
        (
            "message-headers",
            "property-removed-from-open-model",
        ): "message-headers-property-removed-from-open-model",
        (
            "message-headers",
            "property-removed-from-closed-model",
        ): "message-headers-property-removed-from-closed-model",
        (
            "message-headers",
            "property-added-to-closed-model",
        ): "message-headers-property-added-to-closed-model",
    }
)


# ---------------------------------------------------------------------- JSON Schema families

#: content-model rows the event rules add to the shared families (engine kinds below)
CONTENT_FAMILIES: Final[tuple[Family, ...]] = (
    Family(
        "open-model",
        "property-added-to-open-model",
        "property-removed-from-open-model",
        ("properties",),
        "property added to an open content model",
        "property removed from an open content model",
        {"type": "object", "properties": {"id": {"type": "string"}}},
        {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}},
    ),
    Family(
        "closed-model",
        "property-removed-from-closed-model",
        "property-added-to-closed-model",
        ("properties",),
        "property removed from a closed content model",
        "property added to a closed content model",
        {
            "type": "object",
            "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
            "additionalProperties": False,
        },
        {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False},
    ),
)
EVENT_FAMILIES: Final[tuple[Family, ...]] = (*FAMILIES, *CONTENT_FAMILIES)
BY_FAMILY: Final[Mapping[str, Family]] = MappingProxyType({f.key: f for f in EVENT_FAMILIES})

#: engine reason kinds the content-model rows stand for (others: :data:`apigov.rules._families.ENGINE_KINDS`)
CONTENT_KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {"property-added-to-open-model": "open-model", "property-removed": "closed-model"}
)

#: where a JSON Schema sits -> (id prefix, noun, families)


def schema_rule_id(prefix: str, family: Family, narrow: bool) -> str:
    """``message-payload-type-changed``; a whole JSON Schema's ``schema-narrowed`` (not
    ``schema-schema-...``): spelled out in :data:`~apigov.rules.events.ids.EVENT_SCHEMA_IDS`."""
    return EVENT_SCHEMA_IDS[(prefix, family.narrow if narrow else family.widen)]


#: Avro resolution issue kind -> (id when a reader on the new schema reads old data (backward),
#: id when a reader on the old schema reads new data (forward))
AVRO_IDS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "type-changed": ("avro-type-changed", "avro-type-changed"),
        "name-changed": ("avro-name-changed", "avro-name-changed"),
        "union-branch-removed": ("avro-union-branch-removed", "avro-union-branch-added"),
        "reader-field-missing-default": (
            "avro-field-added-without-default",
            "avro-field-removed-without-default",
        ),
        "reader-field-default-invalid": ("avro-field-default-invalid", "avro-field-default-invalid"),
        "enum-symbol-removed": ("avro-enum-symbol-removed", "avro-enum-symbol-added"),
        "fixed-size-changed": ("avro-fixed-size-changed", "avro-fixed-size-changed"),
        "decimal-changed": ("avro-decimal-changed", "avro-decimal-changed"),
        "depth-exceeded": ("avro-schema-undecided", "avro-schema-undecided"),
        "budget-exceeded": ("avro-schema-undecided", "avro-schema-undecided"),
        "type-promoted": ("avro-type-promoted", "avro-type-promoted"),
        "namespace-changed": ("avro-namespace-changed", "avro-namespace-changed"),
        "name-changed-with-alias": ("avro-name-changed-with-alias", "avro-name-changed-with-alias"),
        "logical-type-changed": ("avro-logical-type-changed", "avro-logical-type-changed"),
        "enum-symbol-defaulted": (
            "avro-enum-symbol-removed-with-default",
            "avro-enum-symbol-added-with-default",
        ),
        "field-renamed-with-alias": ("avro-field-renamed-with-alias", "avro-field-renamed-with-alias"),
        "writer-field-ignored": ("avro-field-removed", "avro-field-added"),
        "reader-field-defaulted": ("avro-field-added-with-default", "avro-field-removed-with-default"),
    }
)
