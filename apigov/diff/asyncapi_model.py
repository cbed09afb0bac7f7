"""An AsyncAPI document (2.x or 3.0) read into one model for :mod:`apigov.diff.asyncapi`.

Channels (by key in 3.0, by address in 2.x), operations (3.0 ``send``/``receive``; 2.x
``publish`` read as ``receive`` and ``subscribe`` as ``send``, the owner's point of view) and
per-channel messages with their traits merged and their payload and headers schemas located and
typed by format. Internal ``$ref`` are followed (a bounded number of hops); a broken, external or
circular one reads as nothing. Mutable working values: :mod:`apigov.diff.asyncapi_tree` holds the
frozen ones the diff returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.diff.asyncapi_tree import ChannelSide, MessageSide, OperationSide, SchemaSide
from apigov.documents.kinds import Kind

SEND: Final = "send"
RECEIVE: Final = "receive"
_MAX_REFS: Final = 32
_FORMATS: Final[tuple[tuple[str, str], ...]] = (
    ("application/vnd.aai.asyncapi", "asyncapi"),
    ("application/schema+", "json-schema"),
    ("application/vnd.apache.avro", "avro"),
    ("application/vnd.oai.openapi", "openapi"),
)


@dataclass(slots=True)
class Message:
    id: str
    pointer: str
    value: JSONObject  # traits merged
    owners: dict[str, str]  # field -> pointer of the object it comes from
    payload: SchemaSide | None
    headers: SchemaSide | None
    slots: set[str] = field(default_factory=set)  # pointers that name it in its channel
    actions: set[str] = field(default_factory=set)

    @property
    def name(self) -> str | None:
        name = self.value.get("name")
        return name if isinstance(name, str) else None

    def side(self) -> MessageSide:
        return MessageSide(
            self.id, self.name, self.pointer, tuple(sorted(self.actions)), self.payload, self.headers
        )


@dataclass(slots=True)
class Channel:
    id: str
    address: str | None
    pointer: str
    value: JSONObject
    parameters: dict[str, tuple[str, JSONObject]] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)

    def side(self) -> ChannelSide:
        return ChannelSide(self.id, self.address, self.pointer, tuple(self.parameters))


@dataclass(slots=True)
class Operation:
    id: str
    action: str
    channel: str
    pointer: str
    value: JSONObject
    messages: list[str]
    named: bool = True  # False: a 2.x operation without operationId, whose id is made up

    def side(self) -> OperationSide:
        return OperationSide(self.id, self.action, self.channel, self.pointer, tuple(self.messages))


@dataclass(slots=True)
class Api:
    kind: Kind
    data: JSONValue
    servers: dict[str, tuple[str, JSONObject]] = field(default_factory=dict)
    channels: list[Channel] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)


def _follow(data: JSONValue, pointer: str, value: JSONValue) -> tuple[str, JSONValue]:
    """Follow internal ``$ref`` from ``value`` (at ``pointer``): the definition's pointer and value
    (``None`` when a reference is broken, external or circular)."""
    for _ in range(_MAX_REFS):
        ref = value.get("$ref") if isinstance(value, dict) else None
        if not isinstance(ref, str):
            return pointer, value
        if not ref.startswith("#"):
            return pointer, None
        pointer = jsonptr.from_fragment(ref[1:])
        try:
            value = jsonptr.resolve(data, pointer)
        except jsonptr.PointerError:
            return pointer, None
    return pointer, None


def ref_target(value: JSONValue) -> str | None:
    ref = value.get("$ref") if isinstance(value, dict) else None
    return jsonptr.from_fragment(ref[1:]) if isinstance(ref, str) and ref.startswith("#") else None


def as_object(value: JSONValue) -> JSONObject:
    return value if isinstance(value, dict) else {}


def as_text(value: JSONValue) -> str | None:
    return value if isinstance(value, str) else None


def value_at(data: JSONValue, pointer: str | None) -> JSONValue:
    """The value at ``pointer`` in ``data`` (``None`` when there is none)."""
    if pointer is None:
        return None
    try:
        return jsonptr.resolve(data, pointer)
    except jsonptr.PointerError:
        return None


def _format_of(schema_format: str | None) -> str:
    if schema_format is None:
        return "asyncapi"
    media = schema_format.partition(";")[0].strip().lower()
    return next((name for prefix, name in _FORMATS if media.startswith(prefix)), "other")


@dataclass(slots=True)
class Reader:
    data: JSONValue
    kind: Kind

    def entries(self, pointer: str) -> list[tuple[str, str, JSONObject]]:
        """``(definition pointer, key, object)`` of each object of the map at ``pointer``."""
        try:
            found = jsonptr.resolve(self.data, pointer)
        except jsonptr.PointerError:
            return []
        items: list[tuple[str, str, JSONObject]] = []
        for key, raw in as_object(found).items():
            at, value = _follow(self.data, jsonptr.join(pointer, key), raw)
            if isinstance(value, dict):
                items.append((at, key, value))
        return items

    def read(self) -> Api:
        api = Api(self.kind, self.data)
        for at, name, value in self.entries("/servers"):
            api.servers[name] = (at, value)
        if self.kind is Kind.ASYNCAPI_2:
            self.version_2(api)
        else:
            self.version_3(api)
        return api

    # ------------------------------------------------------------------ messages

    def message(self, pointer: str, value: JSONObject, key: str | None) -> Message:
        merged, owners = self.with_traits(pointer, value)
        declared = merged.get("messageId") if self.kind is Kind.ASYNCAPI_2 else None
        parts = jsonptr.split(pointer)
        if isinstance(declared, str):
            ident = declared
        elif key is not None:
            ident = key
        elif len(parts) == 3 and parts[:2] == ["components", "messages"]:
            ident = parts[2]
        else:
            ident = as_text(merged.get("name")) or pointer
        schema_format = as_text(merged.get("schemaFormat")) if self.kind is Kind.ASYNCAPI_2 else None
        format_at = (
            jsonptr.join(owners["schemaFormat"], "schemaFormat") if schema_format is not None else None
        )
        payload = self.schema(owners, merged, "payload", schema_format, format_at)
        headers = self.schema(owners, merged, "headers", None, None)
        return Message(ident, pointer, merged, owners, payload, headers)

    def with_traits(self, pointer: str, value: JSONObject) -> tuple[JSONObject, dict[str, str]]:
        merged: JSONObject = {}
        owners: dict[str, str] = {}
        traits = value.get("traits")
        for index, raw in enumerate(traits if isinstance(traits, list) else []):
            at, trait = _follow(self.data, jsonptr.join(pointer, "traits", index), raw)
            for name, item in as_object(trait).items():
                merged[name], owners[name] = item, at
        for name, item in value.items():
            if name != "traits":
                merged[name], owners[name] = item, pointer
        return merged, owners

    def schema(
        self,
        owners: dict[str, str],
        merged: JSONObject,
        key: str,
        schema_format: str | None,
        format_at: str | None,
    ) -> SchemaSide | None:
        if key not in merged:
            return None
        at, value = _follow(self.data, jsonptr.join(owners[key], key), merged[key])
        if self.kind is not Kind.ASYNCAPI_2 and isinstance(value, dict) and "schemaFormat" in value:
            schema_format = as_text(value.get("schemaFormat"))
            format_at = jsonptr.join(at, "schemaFormat")
            at, value = _follow(self.data, jsonptr.join(at, "schema"), value.get("schema"))
        return SchemaSide(at, _format_of(schema_format), schema_format, format_at)

    # ------------------------------------------------------------------ 2.x

    def version_2(self, api: Api) -> None:
        for at, key, value in self.entries("/channels"):
            channel = Channel(key, key, at, value, self.parameters(at, value))
            api.channels.append(channel)
            for op_key, action in (("publish", RECEIVE), ("subscribe", SEND)):
                if op_key not in value:
                    continue
                op_at, op = _follow(self.data, jsonptr.join(at, op_key), value[op_key])
                if not isinstance(op, dict):
                    continue
                op_merged, _ = self.with_traits(op_at, op)
                declared = as_text(op_merged.get("operationId"))
                ids = [self.add_message(channel, slot, m, action) for slot, m in self.messages_2(op_at, op)]
                ids = [ident for ident in ids if ident]
                ident = declared or f"{key} {op_key}"
                api.operations.append(
                    Operation(ident, action, key, op_at, op_merged, ids, declared is not None)
                )

    def messages_2(self, op_at: str, op: JSONObject) -> list[tuple[str, JSONValue]]:
        if "message" not in op:
            return []
        at, value = _follow(self.data, jsonptr.join(op_at, "message"), op["message"])
        choices = value.get("oneOf") if isinstance(value, dict) else None
        if isinstance(choices, list):
            return [(jsonptr.join(at, "oneOf", i), choice) for i, choice in enumerate(choices)]
        return [(jsonptr.join(op_at, "message"), op["message"])]

    def add_message(
        self, channel: Channel, slot: str, raw: JSONValue, action: str | None, key: str | None = None
    ) -> str:
        at, value = _follow(self.data, slot, raw)
        if not isinstance(value, dict):
            return ""
        for known in channel.messages.values():
            if known.pointer == at:
                break
        else:
            known = self.message(at, value, key)
            while known.id in channel.messages:  # two different messages with one id: keep both
                known.id += "'"
            channel.messages[known.id] = known
        known.slots.update((slot, at))
        if action is not None:
            known.actions.add(action)
        return known.id

    # ------------------------------------------------------------------ 3.0

    def version_3(self, api: Api) -> None:
        by_pointer: dict[str, Channel] = {}
        try:
            raw_channels = as_object(jsonptr.resolve(self.data, "/channels"))
        except jsonptr.PointerError:
            raw_channels = {}
        for key, raw in raw_channels.items():
            slot = jsonptr.join("/channels", key)
            at, value = _follow(self.data, slot, raw)
            if not isinstance(value, dict):
                continue
            channel = Channel(key, as_text(value.get("address")), at, value, self.parameters(at, value))
            api.channels.append(channel)
            by_pointer[slot] = by_pointer.setdefault(at, channel)
            for mkey, mraw in as_object(value.get("messages")).items():
                ident = self.add_message(channel, jsonptr.join(at, "messages", mkey), mraw, None, mkey)
                if ident:
                    channel.messages[ident].slots.add(jsonptr.join(slot, "messages", mkey))
        for at, key, op in self.entries("/operations"):
            merged, _ = self.with_traits(at, op)
            target = ref_target(op.get("channel"))
            owner = by_pointer.get(target or "")
            if owner is None and target is not None:
                followed, _ = _follow(self.data, target, value_at(self.data, target))
                owner = by_pointer.get(followed)
            if owner is None:
                continue
            action = as_text(op.get("action")) or ""
            ids = self.operation_messages(owner, at, op)
            for ident in ids:
                owner.messages[ident].actions.add(action)
            api.operations.append(Operation(key, action, owner.id, at, merged, ids))

    def operation_messages(self, channel: Channel, at: str, op: JSONObject) -> list[str]:
        listed = op.get("messages")
        if not isinstance(listed, list):
            return list(channel.messages)
        ids: list[str] = []
        for index, raw in enumerate(listed):
            target = ref_target(raw)
            followed, _ = _follow(self.data, jsonptr.join(at, "messages", index), raw)
            for message in channel.messages.values():
                if target in message.slots or followed == message.pointer:
                    ids.append(message.id)
                    break
        return ids

    def parameters(self, at: str, channel: JSONObject) -> dict[str, tuple[str, JSONObject]]:
        found: dict[str, tuple[str, JSONObject]] = {}
        for name, raw in as_object(channel.get("parameters")).items():
            p_at, value = _follow(self.data, jsonptr.join(at, "parameters", name), raw)
            found[name] = (p_at, as_object(value))
        return found
