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
from apigov.core.findings import Level
from apigov.rules._families import FAMILIES, Family
from apigov.rules.events.ids import EVENT_SCHEMA_IDS
from apigov.rules.rule import Area, Direction, Rule, rule_doc

B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741


def _e(
    id: str,
    level: Level,
    area: Area,
    families: tuple[str, ...],
    summary: str,
    why: str,
    example: str,
    evolve: str,
    *,
    confluent: str | None = None,
    related: tuple[str, ...] = (),
) -> Rule:
    """An event rule: no check function (the event pipeline reports it), judged under the mode."""
    return Rule(
        id=id,
        level=level,
        area=area,
        direction=Direction.MODE,
        summary=summary,
        doc=rule_doc(summary, why, example, evolve, related),
        families=families,
        confluent_id=confluent,
        since="0.2",
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


def schema_rule_id(prefix: str, family: Family, narrow: bool) -> str:
    """``message-payload-type-changed``; a whole JSON Schema's ``schema-narrowed`` (not
    ``schema-schema-...``): spelled out in :data:`~apigov.rules.events.ids.EVENT_SCHEMA_IDS`."""
    return EVENT_SCHEMA_IDS[(prefix, family.narrow if narrow else family.widen)]


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
                    _e(
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


# ---------------------------------------------------------------------- Avro

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

_AV = ("avro", "asyncapi")
_AVRO_EVOLVE = (
    "Add and remove fields only with defaults, widen types only by the promotions the Avro "
    "specification allows (int to long, float or double; long to float or double; float to "
    "double; string and bytes), and give enums a `default` symbol before you change their symbols."
)


def _avro(id: str, level: Level, summary: str, why: str, example: str, confluent: str | None = None) -> Rule:
    return _e(id, level, Area.AVRO, _AV, summary, why, example, _AVRO_EVOLVE, confluent=confluent)


AVRO_RULES: Final[tuple[Rule, ...]] = (
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


# ---------------------------------------------------------------------- AsyncAPI


def _api(id: str, level: Level, area: Area, summary: str, why: str, example: str, evolve: str) -> Rule:
    return _e(id, level, area, ("asyncapi",), summary, why, example, evolve)


_RETIRE = "Add the new one next to the old, move consumers and producers over, then remove the old one in a major version."
ASYNCAPI_RULES: Final[tuple[Rule, ...]] = (
    _api(
        "channel-removed",
        B,
        Area.CHANNELS,
        "A channel (topic) was removed.",
        "Its producers and consumers lose the channel they use.",
        "base: {channels: {orderCreated: {address: shop.orders.created}}}\nrevision: {channels: {}}",
        _RETIRE,
    ),
    _api(
        "channel-added",
        I,
        Area.CHANNELS,
        "A channel was added.",
        "Nothing breaks.",
        "revision: {channels: {orderShipped: {address: shop.orders.shipped}}}",
        "Nothing to do.",
    ),
    _api(
        "channel-address-changed",
        B,
        Area.CHANNELS,
        "A channel's address (topic) changed.",
        "Producers and consumers configured with the old address no longer meet.",
        "base: {address: shop.orders.created}\nrevision: {address: shop.orders.created.v2}",
        _RETIRE,
    ),
    _api(
        "channel-parameter-added",
        B,
        Area.CHANNELS,
        "A channel gained an address parameter.",
        "The address has a new variable part: clients built for the old address do not fill it.",
        "revision: {address: 'orders.{region}', parameters: {region: {}}}",
        _RETIRE,
    ),
    _api(
        "channel-parameter-removed",
        B,
        Area.CHANNELS,
        "A channel lost an address parameter.",
        "Clients still fill the removed variable part of the address.",
        "base: {address: 'orders.{region}', parameters: {region: {}}}",
        _RETIRE,
    ),
    _api(
        "channel-parameter-changed",
        W,
        Area.CHANNELS,
        "A channel parameter's values (enum, default, location, schema) changed.",
        "Clients may build addresses the channel no longer uses.",
        "base: {region: {enum: [eu, us]}}\nrevision: {region: {enum: [eu]}}",
        "Only add values.",
    ),
    _api(
        "channel-bindings-changed",
        I,
        Area.CHANNELS,
        "A channel's protocol bindings changed (partitions, queue settings...).",
        "Usually nothing breaks for clients; check the binding's meaning for your broker.",
        "base: {bindings: {kafka: {partitions: 12}}}\nrevision: {bindings: {kafka: {partitions: 24}}}",
        "Review it with the platform team.",
    ),
    _api(
        "channel-servers-changed",
        I,
        Area.CHANNELS,
        "The servers a channel is available on changed.",
        "Clients connected to a server the channel left no longer see it.",
        "base: {servers: [production, staging]}\nrevision: {servers: [production]}",
        "Review it with the platform team.",
    ),
    _api(
        "channel-description-changed",
        I,
        Area.CHANNELS,
        "A channel's title, summary or description changed.",
        "Nothing breaks.",
        "base: {description: One record per order.}\nrevision: {description: One record per placed order.}",
        "Nothing to do.",
    ),
    _api(
        "operation-removed",
        B,
        Area.OPERATIONS,
        "An operation (send or receive) was removed.",
        "The application no longer sends (consumers stop receiving) or receives (producers' messages are no longer handled) on that channel.",
        "base: {operations: {sendOrderCreated: {action: send}}}\nrevision: {operations: {}}",
        _RETIRE,
    ),
    _api(
        "operation-added",
        I,
        Area.OPERATIONS,
        "An operation was added.",
        "Nothing breaks.",
        "revision: {operations: {sendOrderShipped: {action: send}}}",
        "Nothing to do.",
    ),
    _api(
        "operation-action-changed",
        B,
        Area.OPERATIONS,
        "An operation changed its action (send became receive, or the other way round).",
        "Every client of the operation expected the other direction.",
        "base: {action: send}\nrevision: {action: receive}",
        _RETIRE,
    ),
    _api(
        "operation-channel-changed",
        B,
        Area.OPERATIONS,
        "An operation moved to another channel.",
        "Its clients still use the old channel.",
        "base: {channel: {$ref: '#/channels/a'}}\nrevision: {channel: {$ref: '#/channels/b'}}",
        _RETIRE,
    ),
    _api(
        "operation-id-changed",
        I,
        Area.OPERATIONS,
        "An operation's id changed.",
        "Data flows as before; generated code and documentation links change.",
        "base: {operationId: sendOrder}\nrevision: {operationId: sendOrderCreated}",
        "Keep ids stable.",
    ),
    _api(
        "operation-message-removed",
        B,
        Area.OPERATIONS,
        "An operation no longer carries one of its messages.",
        "Consumers wait for a message that is no longer sent, or producers send one that is no longer handled.",
        "base: {messages: [OrderCreated, OrderUpdated]}\nrevision: {messages: [OrderCreated]}",
        _RETIRE,
    ),
    _api(
        "operation-message-added",
        I,
        Area.OPERATIONS,
        "An operation carries a new message.",
        "Consumers of a `send` operation must tolerate a message type they do not know.",
        "base: {messages: [OrderCreated]}\nrevision: {messages: [OrderCreated, OrderUpdated]}",
        "Tell consumers before you send it.",
    ),
    _api(
        "operation-security-changed",
        W,
        Area.OPERATIONS,
        "An operation's security requirements changed.",
        "Clients may need other credentials.",
        "base: {security: []}\nrevision: {security: [{saslScram: []}]}",
        "Support both schemes during a transition.",
    ),
    _api(
        "operation-description-changed",
        I,
        Area.OPERATIONS,
        "An operation's title, summary, description or bindings changed.",
        "Nothing breaks for data.",
        "base: {summary: An order was placed.}\nrevision: {summary: A customer placed an order.}",
        "Nothing to do.",
    ),
    _api(
        "message-removed",
        B,
        Area.MESSAGES,
        "A message was removed from a channel.",
        "Consumers wait for it or producers still send it.",
        "base: {messages: {OrderCreated: ..., OrderUpdated: ...}}\nrevision: {messages: {OrderCreated: ...}}",
        _RETIRE,
    ),
    _api(
        "message-added",
        I,
        Area.MESSAGES,
        "A message was added to a channel.",
        "Consumers of the channel must tolerate a message type they do not know.",
        "revision: {messages: {OrderUpdated: ...}}",
        "Tell consumers before it is sent.",
    ),
    _api(
        "message-payload-removed",
        B,
        Area.MESSAGES,
        "A message lost its payload schema.",
        "Readers no longer know what the payload holds.",
        "base: {payload: {$ref: ...}}\nrevision: {}",
        "Keep the payload schema.",
    ),
    _api(
        "message-payload-added",
        W,
        Area.MESSAGES,
        "A message that had no payload schema now has one.",
        "Data written before may not follow it.",
        "revision: {payload: {type: object}}",
        "Check old data against it.",
    ),
    _api(
        "message-headers-removed",
        W,
        Area.MESSAGES,
        "A message lost its headers schema.",
        "Readers no longer know what the headers hold.",
        "base: {headers: {type: object}}\nrevision: {}",
        "Keep the headers schema.",
    ),
    _api(
        "message-headers-added",
        W,
        Area.MESSAGES,
        "A message that had no headers schema now has one.",
        "Data written before may not follow it.",
        "revision: {headers: {type: object, required: [traceId]}}",
        "Check old data against it.",
    ),
    _api(
        "message-content-type-changed",
        B,
        Area.MESSAGES,
        "A message's content type changed.",
        "Readers decode the payload with the old encoding.",
        "base: {contentType: application/json}\nrevision: {contentType: application/avro}",
        _RETIRE,
    ),
    _api(
        "message-schema-format-changed",
        W,
        Area.MESSAGES,
        "A message's payload schema format changed (JSON Schema, Avro...).",
        "The payload's encoding may change with it; apigov compares the schemas only when both are of one kind.",
        "base: {schemaFormat: application/schema+json;version=draft-07}\nrevision: {schemaFormat: application/vnd.apache.avro;version=1.9.0}",
        _RETIRE,
    ),
    _api(
        "message-correlation-id-changed",
        W,
        Area.MESSAGES,
        "A message's correlation id location changed.",
        "Readers correlating messages look in the old place.",
        "base: {correlationId: {location: $message.header#/id}}\nrevision: {correlationId: {location: $message.payload#/id}}",
        "Keep the old location filled during a transition.",
    ),
    _api(
        "message-description-changed",
        I,
        Area.MESSAGES,
        "A message's name, title, summary, description or bindings changed.",
        "Nothing breaks for data.",
        "base: {summary: An order was placed.}\nrevision: {summary: A customer placed an order.}",
        "Nothing to do.",
    ),
    _api(
        "server-removed",
        I,
        Area.EVENT_SERVERS,
        "A server was removed.",
        "Clients connected to it must move; the channels and messages are unchanged.",
        "base: {servers: {staging: ...}}\nrevision: {servers: {}}",
        "Announce it to the clients of that server.",
    ),
    _api(
        "server-added",
        I,
        Area.EVENT_SERVERS,
        "A server was added.",
        "Nothing breaks.",
        "revision: {servers: {dr: ...}}",
        "Nothing to do.",
    ),
    _api(
        "server-changed",
        I,
        Area.EVENT_SERVERS,
        "A server's url, protocol, security, bindings or description changed.",
        "Clients of that server may need new connection settings.",
        "base: {protocol: kafka}\nrevision: {protocol: kafka-secure}",
        "Announce it to the clients of that server.",
    ),
    _api(
        "asyncapi-info-changed",
        I,
        Area.EVENT_INFO,
        "The document's info, tags, id or default content type changed.",
        "Nothing breaks for data (a changed defaultContentType is reported per message).",
        "base: {info: {version: 1.0.0}}\nrevision: {info: {version: 2.0.0}}",
        "Nothing to do.",
    ),
)

DRAFT_ASSUMED: Final = "schema-draft-assumed"
DIALECT_RULES: Final[tuple[Rule, ...]] = (
    _e(
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
EVENT_RULES: Final[tuple[Rule, ...]] = (*_schema_rules(), *AVRO_RULES, *ASYNCAPI_RULES, *DIALECT_RULES)
EVENT_BY_ID: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in EVENT_RULES})


def example_pair(family: Family, narrow: bool) -> tuple[JSONValue, JSONValue]:
    """The family's example (base, revision) for its narrow or widen id."""
    return (family.base, family.revision) if narrow else (family.revision, family.base)
