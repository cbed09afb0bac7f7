"""AsyncAPI structural diff (apigov.diff.asyncapi): the shop's 2.6 -> 3.0 evolution and small documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigov.core import jsonptr
from apigov.diff.asyncapi import AsyncDiffTree, ChannelDiff, diff_asyncapi, diff_asyncapi_bundles
from apigov.documents.bundle import Bundled, bundle
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.refs import Workspace
from apigov.schema.avro import avro_compatible
from apigov.schema.modes import Mode

EVENTS = Path(__file__).resolve().parents[3] / "examples" / "shop" / "events"
AVRO = "application/vnd.apache.avro+json;version=1.9.0"


def load(path: Path) -> tuple[Bundled, Kind]:
    workspace = Workspace.open(path)
    kind, _ = detect_kind(workspace.root.data, path)
    return bundle(workspace, kind), kind


@pytest.fixture(scope="module")
def shop() -> tuple[AsyncDiffTree, Bundled, Bundled]:
    (old, old_kind), (new, new_kind) = (
        load(EVENTS / "v1" / "asyncapi.yaml"),
        load(EVENTS / "v2" / "asyncapi.yaml"),
    )
    return diff_asyncapi_bundles(old, old_kind, new, new_kind), old, new


def test_shop_channels_match_across_versions(shop: tuple[AsyncDiffTree, Bundled, Bundled]) -> None:
    tree, _, _ = shop
    assert (tree.base_kind, tree.revision_kind) == ("asyncapi-2", "asyncapi-3")
    assert not tree.channels.added and not tree.channels.removed
    assert not tree.operations  # the same operations, same ids, actions and messages
    assert not tree.servers  # url -> host, security by name: the same
    pairs = {c.base.id: c.revision.id for c in tree.channels.changed}
    assert pairs["shop.orders.order-created"] == "orderCreated"
    assert all(c.base.address == c.revision.address for c in tree.channels.changed)
    assert {c.field for c in tree.changes} == {"version", "description"}


def test_shop_payload_pairs(shop: tuple[AsyncDiffTree, Bundled, Bundled]) -> None:
    tree, old, new = shop
    messages = {m.base.id: m for c in tree.channels.changed for m in c.messages.changed}
    # changed payloads (E1-E5) plus PaymentFailed, whose $id carries the version
    assert set(messages) == {
        "orderCreated",
        "orderCancelled",
        "paymentProcessed",
        "paymentFailed",
        "inventoryReserved",
        "shipmentDelivered",
    }
    for message in messages.values():
        assert message.mode is Mode.FORWARD  # the backbone sends every event: new must be within old
        assert message.payload is not None and message.headers is None
        assert message.base.actions == message.revision.actions == ("send",)
    avro = messages["inventoryReserved"].payload
    assert avro is not None
    assert (avro.base.format, avro.revision.format) == ("avro", "avro")
    assert avro.base.schema_format == avro.revision.schema_format == AVRO
    assert messages["orderCreated"].payload is not None
    assert messages["orderCreated"].payload.base.format == "json-schema"
    old_schema = jsonptr.resolve(old.document.data, avro.base.pointer)
    new_schema = jsonptr.resolve(new.document.data, avro.revision.pointer)
    assert isinstance(old_schema, dict) and isinstance(new_schema, dict)
    assert old_schema["name"] == new_schema["name"] == "InventoryReserved"
    assert avro.revision.format_pointer is not None
    assert jsonptr.resolve(new.document.data, avro.revision.format_pointer) == AVRO


def doc2(channels: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"}, "channels": channels, **extra}


def doc3(channels: dict[str, Any], operations: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "channels": channels,
        "operations": operations,
        **extra,
    }


def msg(name: str, payload: Any = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "payload": payload or {"type": "object"}, **extra}


def ref(pointer: str) -> dict[str, str]:
    return {"$ref": "#" + pointer}


def only_channel(tree: AsyncDiffTree) -> ChannelDiff:
    (channel,) = tree.channels.changed
    return channel


def test_publish_is_receive_and_subscribe_is_send() -> None:
    base = doc2(
        {
            "in": {"publish": {"message": msg("In", {"type": "integer"})}},
            "out": {"subscribe": {"message": msg("Out", {"type": "integer"})}},
        }
    )
    revision = doc2(
        {
            "in": {"publish": {"message": msg("In", {"type": "number"})}},
            "out": {"subscribe": {"message": msg("Out", {"type": "number"})}},
        }
    )
    tree = diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_2)
    modes = {c.base.id: c.messages.changed[0] for c in tree.channels.changed}
    assert modes["in"].mode is Mode.BACKWARD and modes["in"].base.actions == ("receive",)
    assert modes["out"].mode is Mode.FORWARD and modes["out"].base.actions == ("send",)
    pair = modes["in"].payload
    assert pair is not None and pair.mode is Mode.BACKWARD
    assert (pair.base.pointer, pair.revision.pointer) == ("/channels/in/publish/message/payload",) * 2
    assert pair.base.format == "asyncapi" and pair.base.schema_format is None


def test_message_sent_and_received_needs_full() -> None:
    message = msg("M", {"type": "string"})
    base = doc2(
        {
            "c": {
                "publish": {"message": ref("/components/messages/M")},
                "subscribe": {"message": ref("/components/messages/M")},
            }
        },
        components={"messages": {"M": message}},
    )
    revision = doc2(
        {
            "c": {
                "publish": {"message": ref("/components/messages/M")},
                "subscribe": {"message": ref("/components/messages/M")},
            }
        },
        components={"messages": {"M": msg("M", {"type": "string", "maxLength": 3})}},
    )
    (diff,) = only_channel(diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_2)).messages.changed
    assert diff.base.id == "M" and diff.mode is Mode.FULL
    assert diff.payload is not None and diff.payload.base.pointer == "/components/messages/M/payload"


def test_cross_version_without_operation_ids() -> None:
    base = doc2({"orders.created": {"subscribe": {"message": msg("Created", {"type": "integer"})}}})
    revision = doc3(
        {
            "created": {
                "address": "orders.created",
                "messages": {"Created": msg("Created", {"type": "number"})},
            }
        },
        {
            "publishCreated": {
                "action": "send",
                "channel": ref("/channels/created"),
                "messages": [ref("/channels/created/messages/Created")],
            }
        },
    )
    tree = diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_3)
    channel = only_channel(tree)
    assert (channel.base.id, channel.revision.id) == ("orders.created", "created")
    (message,) = channel.messages.changed
    assert (message.base.id, message.revision.id) == ("Created", "Created")  # matched by name
    assert message.mode is Mode.FORWARD and message.payload is not None
    assert message.payload.revision.pointer == "/channels/created/messages/Created/payload"
    assert not tree.operations  # matched by channel and action; a made-up 2.x id is no change
    base["channels"]["orders.created"]["subscribe"]["operationId"] = "sendCreated"
    (op,) = diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_3).operations.changed
    assert [(c.field, c.base, c.revision) for c in op.changes] == [("id", "sendCreated", "publishCreated")]
    assert op.messages_added == op.messages_removed == ()


def channels_3(address: str = "a.b", **messages: Any) -> dict[str, Any]:
    return {"c": {"address": address, "messages": messages or {"M": msg("M")}}}


def send(*messages: str, action: str = "send", channel: str = "c") -> dict[str, Any]:
    op: dict[str, Any] = {"action": action, "channel": ref(f"/channels/{channel}")}
    if messages:
        op["messages"] = [ref(f"/channels/{channel}/messages/{m}") for m in messages]
    return op


def test_address_change_and_parameters() -> None:
    base = doc3({"c": {"address": "orders.{id}", "parameters": {"id": {"description": "x"}}}}, {})
    revision = doc3({"c": {"address": "orders.v2.{key}", "parameters": {"key": {}}}}, {})
    channel = only_channel(diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3))
    (change,) = channel.changes
    assert (change.field, change.base, change.revision) == ("address", "orders.{id}", "orders.v2.{key}")
    assert (change.at.base, change.at.revision) == ("/channels/c/address", "/channels/c/address")
    assert [p.name for p in channel.parameters.added] == ["key"]
    assert [p.name for p in channel.parameters.removed] == ["id"]


def test_channels_added_and_removed() -> None:
    base = doc3({"a": {"address": "x"}, "b": {"address": "y"}}, {})
    revision = doc3({"a2": {"address": "x"}, "c": {"address": "z"}}, {})
    tree = diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    assert [c.id for c in tree.channels.added] == ["c"]
    assert [(c.id, c.pointer) for c in tree.channels.removed] == [("b", "/channels/b")]
    assert not tree.channels.changed  # a -> a2 matched by address, nothing else differs


def test_operation_action_changed_and_messages() -> None:
    base = doc3(channels_3(M=msg("M"), N=msg("N")), {"op": send("M", "N")})
    revision = doc3(channels_3(M=msg("M"), P=msg("P")), {"op": send("M", "P", action="receive")})
    tree = diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    (op,) = tree.operations.changed
    assert [(c.field, c.base, c.revision, c.at.base) for c in op.changes] == [
        ("action", "send", "receive", "/operations/op/action")
    ]
    assert (op.messages_added, op.messages_removed) == (("P",), ("N",))
    channel = tree.channels.changed[0]
    assert [m.id for m in channel.messages.added] == ["P"]
    assert [m.id for m in channel.messages.removed] == ["N"]


def test_operation_action_changed_without_ids_2x() -> None:
    base = doc2({"c": {"publish": {"message": msg("M")}}})
    revision = doc2({"c": {"subscribe": {"message": msg("M")}}})
    (op,) = diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_2).operations.changed
    assert [(c.field, c.base, c.revision) for c in op.changes] == [("action", "receive", "send")]


def test_operation_moved_and_removed() -> None:
    channels = {
        "c": {"address": "x", "messages": {"M": msg("M")}},
        "d": {"address": "y", "messages": {"M": msg("M")}},
    }
    base = doc3(channels, {"op": send(), "gone": send(channel="d")})
    revision = doc3(channels, {"op": send(channel="d")})
    tree = diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    assert [o.id for o in tree.operations.removed] == ["gone"]
    (op,) = tree.operations.changed
    assert [(c.field, c.base, c.revision) for c in op.changes] == [("channel", "c", "d")]


def test_operation_without_messages_carries_all() -> None:
    base = doc3(channels_3(M=msg("M", {"type": "string"})), {"op": send(action="receive")})
    revision = doc3(channels_3(M=msg("M", {"type": "integer"})), {"op": send(action="receive")})
    (message,) = only_channel(
        diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    ).messages.changed
    assert message.mode is Mode.BACKWARD


def test_unreferenced_message_is_full() -> None:
    base = doc3(channels_3(M=msg("M", {"type": "string"})), {})
    revision = doc3(channels_3(M=msg("M", {"type": "integer"})), {})
    (message,) = only_channel(
        diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    ).messages.changed
    assert message.mode is Mode.FULL and message.base.actions == ()


def test_avro_payload_and_format_change() -> None:
    record = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    base = doc2({"c": {"subscribe": {"message": {"name": "M", "schemaFormat": AVRO, "payload": record}}}})
    mfs = {"schemaFormat": "application/schema+json;version=draft-07", "schema": {"type": "object"}}
    revision = doc3(channels_3(M={"name": "M", "payload": mfs}), {"op": send("M")})
    (message,) = only_channel(
        diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_3)
    ).messages.changed
    assert message.payload is not None
    assert (message.payload.base.format, message.payload.revision.format) == ("avro", "json-schema")
    assert message.payload.base.format_pointer == "/channels/c/subscribe/message/schemaFormat"
    assert message.payload.revision.pointer == "/channels/c/messages/M/payload/schema"
    (change,) = message.changes
    assert change.field == "payload.schemaFormat"
    assert change.at.revision == "/channels/c/messages/M/payload/schemaFormat"


def test_headers_from_traits_and_payload_removed() -> None:
    traits = {
        "messageTraits": {"H": {"headers": {"type": "object", "properties": {"k": {"type": "string"}}}}}
    }
    new_traits = {
        "messageTraits": {"H": {"headers": {"type": "object", "properties": {"k": {"type": "integer"}}}}}
    }
    base = doc3(
        channels_3(
            M={"name": "M", "payload": {"type": "string"}, "traits": [ref("/components/messageTraits/H")]}
        ),
        {"op": send()},
        components=traits,
    )
    revision = doc3(
        channels_3(M={"name": "M", "traits": [ref("/components/messageTraits/H")]}),
        {"op": send()},
        components=new_traits,
    )
    (message,) = only_channel(
        diff_asyncapi(base, Kind.ASYNCAPI_3, revision, Kind.ASYNCAPI_3)
    ).messages.changed
    assert message.headers is not None
    assert message.headers.base.pointer == "/components/messageTraits/H/headers"
    assert message.headers.mode is Mode.FORWARD
    assert message.payload is None
    (change,) = message.changes
    assert (change.field, change.base, change.revision) == ("payload", {"type": "string"}, None)
    assert change.at == type(change.at)("/channels/c/messages/M/payload", None)


def test_servers_and_bindings() -> None:
    servers_2 = {
        "prod": {"url": "k1:9092", "protocol": "kafka"},
        "old": {"url": "k0:9092", "protocol": "kafka"},
    }
    servers_3 = {"prod": {"host": "k2:9092", "protocol": "kafka"}}
    base = doc2({"c": {"bindings": {"kafka": {"partitions": 3}}}}, servers=servers_2)
    revision = doc3({"c": {"address": "c", "bindings": {"kafka": {"partitions": 6}}}}, {}, servers=servers_3)
    tree = diff_asyncapi(base, Kind.ASYNCAPI_2, revision, Kind.ASYNCAPI_3)
    assert [s.name for s in tree.servers.removed] == ["old"]
    (server,) = tree.servers.changed
    assert [(c.field, c.base, c.revision) for c in server.changes] == [("url", "k1:9092", "k2:9092")]
    channel = only_channel(tree)
    assert [(c.field, c.at.base, c.at.revision) for c in channel.changes] == [
        ("bindings", "/channels/c/bindings", "/channels/c/bindings")
    ]


def test_unchanged_documents_are_empty() -> None:
    document = doc3(channels_3(), {"op": send("M")}, servers={"s": {"host": "h", "protocol": "kafka"}})
    assert diff_asyncapi(document, Kind.ASYNCAPI_3, document, Kind.ASYNCAPI_3).empty


def test_shop_avro_pairs_feed_schema_resolution(shop: tuple[AsyncDiffTree, Bundled, Bundled]) -> None:
    tree, old, new = shop
    verdicts = {}
    for channel in tree.channels.changed:
        for message in channel.messages.changed:
            pair = message.payload
            if pair is None or pair.base.format != "avro":
                continue
            base = jsonptr.resolve(old.document.data, pair.base.pointer)
            revision = jsonptr.resolve(new.document.data, pair.revision.pointer)
            checks = avro_compatible(Mode.FULL, [base], revision)
            verdicts[message.base.id] = {d: all(i.compatible for i in issues) for _, d, issues in checks}
    # README E4 and E5: the mode a sent message needs is FORWARD, which both pass
    assert verdicts == {
        "inventoryReserved": {"backward": False, "forward": True},
        "shipmentDelivered": {"backward": True, "forward": True},
    }
