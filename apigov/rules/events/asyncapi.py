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
from apigov.core.findings import Finding
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
from apigov.rules.events.compare import Pair, SchemaPlace, avro_changes, directions, schema_changes
from apigov.rules.rule import Judged

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
    extra = (("message_mode", schemas.mode.value),) if pair.mode is None else ()
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
            operation=label, judged=None if need else Judged.HARMLESS, undecided="true",
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
