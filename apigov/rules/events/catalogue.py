"""The event rule catalogue: every id ``apigov diff`` reports for JSON Schema, Avro and AsyncAPI.

Event schemas are judged by a compatibility mode (BACKWARD, FORWARD, FULL, their ``_TRANSITIVE``
forms, NONE: the schema-registry names). A rule's ``level`` is the level of a change the mode
asks about (``breaking`` only with a counter-example, ``warning`` when apigov cannot decide);
the same change in a direction the mode does not ask about (or under ``NONE``) is ``info``.

Schema rules are the product of the schema-change families (:mod:`apigov.rules._families`, plus
the content-model rows here) and the places a JSON Schema sits: a whole ``schema`` (a JSON
Schema document), a ``message-payload`` or ``message-headers`` (an AsyncAPI message). A family's
*narrow* id names a change found when the new schema rejects old data (BACKWARD), its *widen*
id one found when the old schema rejects new data (FORWARD). Avro rules follow the schema
resolution rules of the Avro specification; AsyncAPI rules the document's structure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.core._types import JSONValue
from apigov.rules._families import Family
from apigov.rules.events import asyncapi, avro
from apigov.rules.events._rows import B, I, W, row
from apigov.rules.events.ids import (
    EVENT_FAMILIES,
    schema_rule_id,
)
from apigov.rules.rule import Area, Rule

SCHEMA_PLACES: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("schema", "JSON Schema", ("jsonschema",)),
    ("message-payload", "message payload", ("asyncapi",)),
    ("message-headers", "message headers", ("asyncapi",)),
)

_CONFLUENT: Final[Mapping[str, str]] = MappingProxyType(
    {
        "type-changed": "TYPE_CHANGED",
        "type-specialized": "TYPE_NARROWED",
        "type-generalized": "TYPE_NARROWED",
        "enum-value-removed": "ENUM_ARRAY_NARROWED",
        "enum-value-added": "ENUM_ARRAY_CHANGED",
        "became-required": "REQUIRED_ATTRIBUTE_ADDED",
        "became-optional": "REQUIRED_ATTRIBUTE_ADDED",
        "property-added-to-open-model": "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "property-removed-from-open-model": "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "property-removed-from-closed-model": "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "property-added-to-closed-model": "PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL",
        "additional-properties-closed": "ADDITIONAL_PROPERTIES_REMOVED",
        "additional-properties-opened": "ADDITIONAL_PROPERTIES_ADDED",
        "max-length-decreased": "MAX_LENGTH_DECREASED",
        "max-length-increased": "MAX_LENGTH_INCREASED",
        "min-length-increased": "MIN_LENGTH_INCREASED",
        "min-length-decreased": "MIN_LENGTH_DECREASED",
        "pattern-added": "PATTERN_ADDED",
        "pattern-removed": "PATTERN_REMOVED",
        "pattern-changed": "PATTERN_CHANGED",
        "max-decreased": "MAXIMUM_DECREASED",
        "max-increased": "MAXIMUM_INCREASED",
        "min-increased": "MINIMUM_INCREASED",
        "min-decreased": "MINIMUM_DECREASED",
        "max-set": "MAXIMUM_ADDED",
        "max-unset": "MAXIMUM_REMOVED",
        "min-set": "MINIMUM_ADDED",
        "min-unset": "MINIMUM_REMOVED",
        "multiple-of-changed": "MULTIPLE_OF_CHANGED",
        "multiple-of-set": "MULTIPLE_OF_ADDED",
        "multiple-of-unset": "MULTIPLE_OF_REMOVED",
        "max-items-decreased": "MAX_ITEMS_DECREASED",
        "max-items-increased": "MAX_ITEMS_INCREASED",
        "min-items-increased": "MIN_ITEMS_INCREASED",
        "min-items-decreased": "MIN_ITEMS_DECREASED",
        "max-items-set": "MAX_ITEMS_ADDED",
        "max-items-unset": "MAX_ITEMS_REMOVED",
        "unique-items-added": "UNIQUE_ITEMS_ADDED",
        "unique-items-removed": "UNIQUE_ITEMS_REMOVED",
    }
)


def _schema_example(family: Family, narrow: bool) -> str:
    base, revision = (family.base, family.revision) if narrow else (family.revision, family.base)
    return f"base:     {json.dumps(base)}\nrevision: {json.dumps(revision)}"


def _schema_rules() -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    for prefix, noun, families in SCHEMA_PLACES:
        for family in EVENT_FAMILIES:
            for narrow in (True, False):
                rule_id = schema_rule_id(prefix, family, narrow)
                if rule_id in seen:
                    continue
                seen.add(rule_id)
                text = family.narrow_text if narrow else family.widen_text
                if family.symmetric:
                    reader = "Readers on either schema may fail on data written with the other"
                elif narrow:
                    reader = "Readers on the new schema may reject data written with the old one (BACKWARD)"
                else:
                    reader = "Readers on the old schema may reject data written with the new one (FORWARD)"
                why = (
                    f"{reader}. apigov reports it as `breaking` when the mode asks for that direction "
                    "and it has a counter-example (an instance one schema accepts and the other "
                    "rejects), as `warning` when it cannot decide, and as `info` when the mode does "
                    "not ask for that direction."
                )
                if family.key == "open-model":
                    why += (
                        " Under an open content model old data may hold any value under the new name; "
                        "`--strict-open-model` (or `diff.strict-open-model: true`) judges it so, the "
                        "default (lenient) reports it as `info`."
                    )
                evolve = (
                    "Evolve in the direction your compatibility mode allows: under BACKWARD only "
                    "widen what readers accept, under FORWARD only narrow what writers produce, under "
                    "FULL make only changes that do neither (add optional properties to open models)."
                )
                rules.append(
                    row(
                        rule_id,
                        W if not family.decidable else B,
                        Area.EVENT_SCHEMAS,
                        families,
                        f"The {noun}: {text}.",
                        why,
                        _schema_example(family, narrow),
                        evolve,
                        confluent=_CONFLUENT.get(family.narrow if narrow else family.widen),
                    )
                )
    return rules


DRAFT_ASSUMED: Final = "schema-draft-assumed"
DIALECT_RULES: Final[tuple[Rule, ...]] = (
    row(
        DRAFT_ASSUMED,
        I,
        Area.SCHEMA_DIALECTS,
        ("jsonschema",),
        "A JSON Schema without $schema uses keywords of a draft before 2020-12; the report says "
        "which draft it was read as.",
        "Keywords such as `items` as an array, `additionalItems`, `dependencies` or a boolean "
        "`exclusiveMaximum` mean different things (or nothing) in different drafts. A schema "
        "without `$schema` is read as `jsonschema.default-draft` of apigov.yaml (default "
        "draft-07, as Confluent Schema Registry reads event schemas), or as the draft its keywords "
        "need (draft-04 for a boolean `exclusiveMaximum`). Nothing breaks; the note says how the "
        "verdict was reached.",
        'base: {"type": "array", "items": [{"type": "string"}]}\n'
        'revision: {"type": "array", "items": [{"type": "string"}], "maxItems": 3}',
        'Declare the draft: `"$schema": "http://json-schema.org/draft-07/schema#"`.',
    ),
)
EVENT_RULES: Final[tuple[Rule, ...]] = (*_schema_rules(), *avro.RULES, *asyncapi.RULES, *DIALECT_RULES)
EVENT_BY_ID: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in EVENT_RULES})


def example_pair(family: Family, narrow: bool) -> tuple[JSONValue, JSONValue]:
    """The family's example (base, revision) for its narrow or widen id."""
    return (family.base, family.revision) if narrow else (family.revision, family.base)
