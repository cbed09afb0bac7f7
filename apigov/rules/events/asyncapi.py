"""AsyncAPI findings: the structural diff (:func:`apigov.diff.asyncapi.diff_asyncapi_bundles`) judged.

Channels, operations and messages removed (or an operation's action or channel changed, a
channel's address) are ``breaking``; additions ``info``; servers, bindings, descriptions and
info ``info``. Payload and headers schemas are compared in the directions their message needs
(:class:`~apigov.diff.asyncapi.MessageSchemaPair`'s mode: FORWARD for a message the application
sends, BACKWARD for one it receives, FULL for both), or in the directions of an explicit mode:
JSON Schema-like formats (the AsyncAPI schema, JSON Schema, OpenAPI) with the engine, Avro with
Avro's schema resolution; any other format, or two formats, is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level, Notes
from apigov.core.shown import value_change
from apigov.diff.asyncapi import (
    AsyncDiffTree,
    ChannelDiff,
    MessageDiff,
    MessageSchemaPair,
    OperationDiff,
    diff_asyncapi_bundles,
)
from apigov.diff.tree import ValueChange
from apigov.rules._walk import node_at
from apigov.rules.events._rows import B, I, W, row
from apigov.rules.events.avro import avro_changes
from apigov.rules.events.compare import Pair, SchemaPlace, directions, schema_changes
from apigov.rules.rule import Area, Judged, Rule

#: a message's payload or headers schema removed, added, or in formats apigov cannot compare
_SCHEMA_GONE: Final = {"payload": "message-payload-removed", "headers": "message-headers-removed"}
_SCHEMA_NEW: Final = {"payload": "message-payload-added", "headers": "message-headers-added"}
_SCHEMA_UNDECIDED: Final = {
    "payload": "message-payload-schema-undecided",
    "headers": "message-headers-schema-undecided",
}
_JSONISH: Final = frozenset({"asyncapi", "json-schema", "openapi"})
_CHANNEL_FIELDS: Final = {
    "address": "channel-address-changed",
    "title": "channel-description-changed",
    "summary": "channel-description-changed",
    "description": "channel-description-changed",
    "bindings": "channel-bindings-changed",
    "servers": "channel-servers-changed",
}
_OPERATION_FIELDS: Final = {
    "action": "operation-action-changed",
    "channel": "operation-channel-changed",
    "id": "operation-id-changed",
    "security": "operation-security-changed",
}
_MESSAGE_FIELDS: Final = {
    "contentType": "message-content-type-changed",
    "correlationId": "message-correlation-id-changed",
    "payload.schemaFormat": "message-schema-format-changed",
    "headers.schemaFormat": "message-schema-format-changed",
}


def asyncapi_changes(pair: Pair) -> Iterator[Finding]:
    tree = diff_asyncapi_bundles(pair.old.bundled, pair.old.kind, pair.new.bundled, pair.new.kind)
    yield from _root(pair, tree)
    yield from _servers(pair, tree)
    yield from _channels(pair, tree)
    yield from _operations(pair, tree)


def _short(value: JSONValue) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def _change(pair: Pair, rule_id: str, what: str, change: ValueChange, operation: str | None) -> Finding:
    on_new = change.at.revision is not None
    pointer = change.at.revision if change.at.revision is not None else change.at.base
    message = value_change(
        f"{what}: {change.field}",
        change.base,
        change.revision,
        had=change.base is not None,  # absent or null: the field has no value
        has=change.revision is not None,
        show=_short,
    )
    return pair.finding(
        rule_id, message, on_new=on_new, pointer=pointer or "", operation=operation, field=change.field
    )


def _root(pair: Pair, tree: AsyncDiffTree) -> Iterator[Finding]:
    for change in tree.changes:
        yield _change(pair, "asyncapi-info-changed", "document", change, None)


def _servers(pair: Pair, tree: AsyncDiffTree) -> Iterator[Finding]:
    for gone in tree.servers.removed:
        yield pair.finding(
            "server-removed", f"server '{gone.name}' removed", on_new=False, pointer=gone.pointer
        )
    for new in tree.servers.added:
        yield pair.finding("server-added", f"server '{new.name}' added", on_new=True, pointer=new.pointer)
    for diff in tree.servers.changed:
        for change in diff.changes:
            yield _change(pair, "server-changed", f"server '{diff.revision.name}'", change, None)


def _channel_label(address: str | None, key: str) -> str:
    return f"CHANNEL {address if address is not None else key}"


def _channels(pair: Pair, tree: AsyncDiffTree) -> Iterator[Finding]:
    for gone in tree.channels.removed:
        label = _channel_label(gone.address, gone.id)
        yield pair.finding(
            "channel-removed", f"channel '{gone.address or gone.id}' removed", on_new=False,
            pointer=gone.pointer, operation=label,
        )  # fmt: skip
    for new in tree.channels.added:
        label = _channel_label(new.address, new.id)
        yield pair.finding(
            "channel-added", f"channel '{new.address or new.id}' added", on_new=True,
            pointer=new.pointer, operation=label,
        )  # fmt: skip
    for diff in tree.channels.changed:
        yield from _channel(pair, diff)


def _channel(pair: Pair, diff: ChannelDiff) -> Iterator[Finding]:
    label = _channel_label(diff.base.address, diff.base.id)
    for change in diff.changes:
        rule_id = _CHANNEL_FIELDS.get(change.field, "channel-description-changed")
        yield _change(pair, rule_id, "channel", change, label)
    for gone in diff.parameters.removed:
        yield pair.finding(
            "channel-parameter-removed", f"channel parameter '{gone.name}' removed", on_new=False,
            pointer=gone.pointer, operation=label,
        )  # fmt: skip
    for new in diff.parameters.added:
        yield pair.finding(
            "channel-parameter-added", f"channel parameter '{new.name}' added", on_new=True,
            pointer=new.pointer, operation=label,
        )  # fmt: skip
    for changed in diff.parameters.changed:
        for change in changed.changes:
            described = change.field in ("description", "examples")
            rule_id = "channel-description-changed" if described else "channel-parameter-changed"
            yield _change(pair, rule_id, f"channel parameter '{changed.revision.name}'", change, label)
    for gone_m in diff.messages.removed:
        yield pair.finding(
            "message-removed", f"message '{gone_m.id}' removed", on_new=False,
            pointer=gone_m.pointer, operation=label,
        )  # fmt: skip
    for new_m in diff.messages.added:
        yield pair.finding(
            "message-added", f"message '{new_m.id}' added", on_new=True,
            pointer=new_m.pointer, operation=label,
        )  # fmt: skip
    for message in diff.messages.changed:
        yield from _message(pair, message, label)


def _message(pair: Pair, diff: MessageDiff, label: str) -> Iterator[Finding]:
    what = f"message '{diff.revision.id}'"
    for change in diff.changes:
        if change.field in ("payload", "headers"):
            kind = "removed" if change.at.revision is None else "added"
            rule_id = _SCHEMA_GONE[change.field] if kind == "removed" else _SCHEMA_NEW[change.field]
            on_new = change.at.revision is not None
            pointer = change.at.revision if on_new else change.at.base
            yield pair.finding(
                rule_id, f"{what}: {change.field} schema {kind}", on_new=on_new,
                pointer=pointer or diff.revision.pointer, operation=label,
            )  # fmt: skip
            continue
        rule_id = _MESSAGE_FIELDS.get(change.field, "message-description-changed")
        yield _change(pair, rule_id, what, change, label)
    for key, schemas in (("payload", diff.payload), ("headers", diff.headers)):
        if schemas is not None:
            yield from _schemas(pair, diff, key, schemas, label)


def _examples(pair: Pair, pointer: str, key: str, on_new: bool) -> tuple[JSONValue, ...]:
    side = pair.new if on_new else pair.old
    node = node_at(side.data, pointer)
    examples = node.get("examples") if isinstance(node, dict) else None
    if not isinstance(examples, list):
        return ()
    return tuple(e[key] for e in examples[:20] if isinstance(e, dict) and key in e)


def _schemas(
    pair: Pair, diff: MessageDiff, key: str, schemas: MessageSchemaPair, label: str
) -> Iterator[Finding]:
    need = directions(pair.mode if pair.mode is not None else schemas.mode)
    what = f"message '{diff.revision.id}' {key}"
    extra: Notes = {"message_mode": schemas.mode.value} if pair.mode is None else {}
    old_format, new_format = schemas.base.format, schemas.revision.format
    if old_format in _JSONISH and new_format in _JSONISH:
        place = SchemaPlace(
            old_pointer=schemas.base.pointer,
            new_pointer=schemas.revision.pointer,
            prefix=f"message-{key}",
            label=what,
            operation=label,
            old_seeds=_examples(pair, diff.base.pointer, key, False),
            new_seeds=_examples(pair, diff.revision.pointer, key, True),
            details=extra,
            confirm="openapi" not in (old_format, new_format),
        )
        yield from schema_changes(pair, place, need)
    elif old_format == new_format == "avro":
        yield from avro_changes(
            pair,
            schemas.base.pointer,
            schemas.revision.pointer,
            need,
            label=what,
            operation=label,
            extra=extra,
        )
    else:
        message = (
            f"{what}: schema changed ({old_format} -> {new_format}); apigov cannot compare these formats"
        )
        yield pair.finding(
            _SCHEMA_UNDECIDED[key], message, on_new=True, pointer=schemas.revision.pointer,
            operation=label, judged=None if need else Judged.HARMLESS, undecided=True,
        )  # fmt: skip


def _operations(pair: Pair, tree: AsyncDiffTree) -> Iterator[Finding]:
    for gone in tree.operations.removed:
        yield pair.finding(
            "operation-removed", f"operation '{gone.id}' ({gone.action} on {gone.channel}) removed",
            on_new=False, pointer=gone.pointer, operation=f"OPERATION {gone.id}",
        )  # fmt: skip
    for new in tree.operations.added:
        yield pair.finding(
            "operation-added", f"operation '{new.id}' ({new.action} on {new.channel}) added",
            on_new=True, pointer=new.pointer, operation=f"OPERATION {new.id}",
        )  # fmt: skip
    for diff in tree.operations.changed:
        yield from _operation(pair, diff)


def _operation(pair: Pair, diff: OperationDiff) -> Iterator[Finding]:
    label = f"OPERATION {diff.base.id}"
    for change in diff.changes:
        rule_id = _OPERATION_FIELDS.get(change.field, "operation-description-changed")
        yield _change(pair, rule_id, "operation", change, label)
    for message in diff.messages_removed:
        yield pair.finding(
            "operation-message-removed", f"operation no longer carries message '{message}'",
            on_new=False, pointer=diff.base.pointer, operation=label, message_id=message,
        )  # fmt: skip
    for message in diff.messages_added:
        yield pair.finding(
            "operation-message-added", f"operation carries the new message '{message}'",
            on_new=True, pointer=diff.revision.pointer, operation=label, message_id=message,
        )  # fmt: skip


# ---------------------------------------------------------------------- catalogue rows


def _api(id: str, level: Level, area: Area, summary: str, why: str, example: str, evolve: str) -> Rule:
    return row(id, level, area, ("asyncapi",), summary, why, example, evolve)


_RETIRE = "Add the new one next to the old, move consumers and producers over, then remove the old one in a major version."
RULES: Final[tuple[Rule, ...]] = (
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
