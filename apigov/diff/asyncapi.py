"""Structural diff of two AsyncAPI documents (2.x and 3.0, across versions) into an AsyncDiffTree.

Entry points: :func:`diff_asyncapi` (bundled document data and kind on each side) and
:func:`diff_asyncapi_bundles`. Both sides are first read into one model:

- channels: by key in 3.0 (``address`` is the topic), by address in 2.x (the key is the address
  and the id);
- operations: 3.0 ``operations`` with ``action: send | receive``, their channel and messages;
  2.x ``publish`` and ``subscribe``, read from the document owner's point of view: ``publish``
  (others publish to the application) is ``receive``, ``subscribe`` (others subscribe) is
  ``send``. A 2.x operation's id is its ``operationId``, else ``"<address> <publish|subscribe>"``;
- messages: per channel, by id (``messageId`` in 2.x, the key in 3.0), traits merged (the
  message's own fields win), with their payload and headers schemas: where they are (references
  followed, a 3.0 Multi Format Schema unwrapped) and in which format (JSON Schema, the AsyncAPI
  schema, Avro ...).

Matching: channels by id, else by address; operations by id, else by channel and action, else by
channel alone (then the action changed); messages of a matched channel by id, else by ``name``;
servers by name. A 2.6 base and a 3.0 revision of the same API therefore match channel for
channel and operation for operation.

Like :mod:`apigov.diff.tree`, no levels and no prose: plain frozen values with pointers into both
documents. Schemas are not compared. A :class:`MessageSchemaPair` names two payload (or headers)
schemas that are not written the same and the compatibility :class:`~apigov.schema.modes.Mode`
their message needs: a message the application *sends* is read by existing subscribers with the
old schema, so new ⊆ old (``FORWARD``); one it *receives* keeps arriving from existing publishers
in the old shape, so old ⊆ new (``BACKWARD``); both or neither (a 3.0 channel message no
operation names) ``FULL``.

Modules: this one matches and diffs; the tree's values are in :mod:`apigov.diff.asyncapi_tree`
(exported here), the reading of each document in :mod:`apigov.diff.asyncapi_model`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeVar

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.diff.asyncapi_model import (
    RECEIVE,
    SEND,
    Api,
    Channel,
    Message,
    Operation,
    Reader,
    as_object,
    as_text,
    ref_target,
    value_at,
)
from apigov.diff.asyncapi_tree import (
    AsyncDiffTree,
    ChannelDiff,
    ChannelSide,
    MessageDiff,
    MessageSchemaPair,
    MessageSide,
    OperationDiff,
    OperationSide,
    SchemaSide,
)
from apigov.diff.normalise import Schema
from apigov.diff.sameness import Sameness
from apigov.diff.tree import Matches, NamedDiff, NamedSide, Pointers, ValueChange
from apigov.documents.bundle import Bundled
from apigov.documents.kinds import Kind
from apigov.schema.modes import Mode

__all__ = [
    "AsyncDiffTree",
    "ChannelDiff",
    "ChannelSide",
    "MessageDiff",
    "MessageSchemaPair",
    "MessageSide",
    "OperationDiff",
    "OperationSide",
    "SchemaSide",
    "diff_asyncapi",
    "diff_asyncapi_bundles",
]

_ROOT_FIELDS: Final = ("id", "defaultContentType")
_INFO_FIELDS: Final = (
    "title",
    "version",
    "description",
    "termsOfService",
    "contact",
    "license",
    "externalDocs",
)
_CHANNEL_FIELDS: Final = ("title", "summary", "description", "bindings")
_PARAMETER_FIELDS: Final = ("enum", "default", "description", "examples", "location", "schema")
_OPERATION_FIELDS: Final = ("title", "summary", "description", "bindings")
_MESSAGE_FIELDS: Final = ("name", "title", "summary", "description", "bindings", "correlationId")
_SERVER_FIELDS: Final = ("protocol", "protocolVersion", "description", "variables", "bindings")

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


# ---------------------------------------------------------------------- matching


def match(
    base: Iterable[T],
    revision: Iterable[T],
    keys: Sequence[tuple[Callable[[T], K | None], Callable[[T], K | None]]],
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items by the first key (a function for base items and one for revision items), then
    leftovers by the next key, and so on (``None`` never matches; the first of duplicates wins):
    (pairs, added, removed)."""
    pairs: list[tuple[T, T]] = []
    left, right = list(base), list(revision)
    for base_key, revision_key in keys:
        by_key: dict[K, int] = {}
        for index, item in enumerate(right):
            k = revision_key(item)
            if k is not None:
                by_key.setdefault(k, index)
        taken: set[int] = set()
        rest: list[T] = []
        for item in left:
            k = base_key(item)
            found = by_key.get(k) if k is not None else None
            if found is not None and found not in taken:
                taken.add(found)
                pairs.append((item, right[found]))
            else:
                rest.append(item)
        left, right = rest, [item for index, item in enumerate(right) if index not in taken]
    return pairs, right, left


def _same_key(key: Callable[[T], K | None]) -> tuple[Callable[[T], K | None], Callable[[T], K | None]]:
    return key, key


def _field_ptr(node: JSONObject, pointer: str, name: str) -> str:
    return jsonptr.join(pointer, name) if name in node else pointer


def _changes(
    base: JSONObject, base_at: str, revision: JSONObject, revision_at: str, fields: Sequence[str]
) -> list[ValueChange]:
    names = list(fields) + sorted(k for k in base.keys() | revision.keys() if k.startswith("x-"))
    return [
        ValueChange(
            name,
            base.get(name),
            revision.get(name),
            Pointers(_field_ptr(base, base_at, name), _field_ptr(revision, revision_at, name)),
        )
        for name in names
        if base.get(name) != revision.get(name)
    ]


def _value_change(name: str, old: JSONValue, new: JSONValue, at: Pointers) -> list[ValueChange]:
    return [] if old == new else [ValueChange(name, old, new, at)]


def _mode(actions: set[str]) -> Mode:
    if actions == {SEND}:
        return Mode.FORWARD
    if actions == {RECEIVE}:
        return Mode.BACKWARD
    return Mode.FULL


@dataclass(slots=True)
class _Differ:
    old: Api
    new: Api
    same: Sameness
    channel_map: dict[str, str] = field(default_factory=dict)  # base channel id -> revision id
    message_map: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (base channel, base message) -> rev

    def tree(self) -> AsyncDiffTree:
        channels = self.channels()
        return AsyncDiffTree(
            self.old.kind.value,
            self.new.kind.value,
            servers=self.servers(),
            channels=channels,
            operations=self.operations(),
            changes=tuple(self.root()),
        )

    def root(self) -> list[ValueChange]:
        old, new = as_object(self.old.data), as_object(self.new.data)
        found = _changes(old, "", new, "", _ROOT_FIELDS)
        old_info, new_info = as_object(old.get("info")), as_object(new.get("info"))
        found += _changes(old_info, "/info", new_info, "/info", _INFO_FIELDS)
        old_tags, old_at = _tags(old)
        new_tags, new_at = _tags(new)
        found += _value_change("tags", old_tags, new_tags, Pointers(old_at, new_at))
        return found

    def servers(self) -> Matches[NamedSide, NamedDiff]:
        pairs, added, removed = match(self.old.servers, self.new.servers, [_same_key(_name)])
        changed: list[NamedDiff] = []
        for old_name, new_name in pairs:
            (old_at, old), (new_at, new) = self.old.servers[old_name], self.new.servers[new_name]
            found = _value_change("url", _server_url(old), _server_url(new), Pointers(old_at, new_at))
            found += _changes(old, old_at, new, new_at, _SERVER_FIELDS)
            found += _value_change(
                "security", _security(old.get("security")), _security(new.get("security")),
                Pointers(_field_ptr(old, old_at, "security"), _field_ptr(new, new_at, "security")),
            )  # fmt: skip
            if found:
                changed.append(
                    NamedDiff(NamedSide(old_name, old_at), NamedSide(new_name, new_at), tuple(found))
                )
        return Matches(
            added=tuple(NamedSide(n, self.new.servers[n][0]) for n in added),
            removed=tuple(NamedSide(n, self.old.servers[n][0]) for n in removed),
            changed=tuple(changed),
        )

    def channels(self) -> Matches[ChannelSide, ChannelDiff]:
        pairs, added, removed = match(
            self.old.channels, self.new.channels, [_same_key(_channel_id), _same_key(_channel_address)]
        )
        changed: list[ChannelDiff] = []
        for old, new in pairs:
            self.channel_map[old.id] = new.id
            diff = self.channel(old, new)
            if diff.parameters or diff.messages or diff.changes:
                changed.append(diff)
        return Matches(
            added=tuple(c.side() for c in added),
            removed=tuple(c.side() for c in removed),
            changed=tuple(changed),
        )

    def channel(self, old: Channel, new: Channel) -> ChannelDiff:
        found = _value_change("address", old.address, new.address, self.address_at(old, new))
        found += _changes(old.value, old.pointer, new.value, new.pointer, _CHANNEL_FIELDS)
        found += _value_change(
            "servers", _server_names(old.value.get("servers")), _server_names(new.value.get("servers")),
            Pointers(_field_ptr(old.value, old.pointer, "servers"), _field_ptr(new.value, new.pointer, "servers")),
        )  # fmt: skip
        p_pairs, p_added, p_removed = match(old.parameters, new.parameters, [_same_key(_name)])
        p_changed: list[NamedDiff] = []
        for old_name, new_name in p_pairs:
            (old_at, old_p), (new_at, new_p) = old.parameters[old_name], new.parameters[new_name]
            p_found = _changes(old_p, old_at, new_p, new_at, _PARAMETER_FIELDS)
            if p_found:
                p_changed.append(
                    NamedDiff(NamedSide(old_name, old_at), NamedSide(new_name, new_at), tuple(p_found))
                )
        parameters = Matches(
            added=tuple(NamedSide(n, new.parameters[n][0]) for n in p_added),
            removed=tuple(NamedSide(n, old.parameters[n][0]) for n in p_removed),
            changed=tuple(p_changed),
        )
        m_pairs, m_added, m_removed = match(
            old.messages.values(), new.messages.values(), [_same_key(_message_id), _same_key(_message_name)]
        )
        m_changed: list[MessageDiff] = []
        for old_m, new_m in m_pairs:
            self.message_map[(old.id, old_m.id)] = new_m.id
            diff = self.message(old_m, new_m)
            if diff.payload or diff.headers or diff.changes:
                m_changed.append(diff)
        messages = Matches(
            added=tuple(m.side() for m in m_added),
            removed=tuple(m.side() for m in m_removed),
            changed=tuple(m_changed),
        )
        return ChannelDiff(old.side(), new.side(), parameters, messages, tuple(found))

    def address_at(self, old: Channel, new: Channel) -> Pointers:
        def at(api: Api, channel: Channel) -> str:
            if api.kind is Kind.ASYNCAPI_2:
                return channel.pointer
            return _field_ptr(channel.value, channel.pointer, "address")

        return Pointers(at(self.old, old), at(self.new, new))

    def message(self, old: Message, new: Message) -> MessageDiff:
        mode = _mode(old.actions | new.actions)
        found = _changes(old.value, old.pointer, new.value, new.pointer, _MESSAGE_FIELDS)
        found += _value_change(
            "contentType", self.content_type(self.old, old), self.content_type(self.new, new),
            Pointers(_field_ptr(old.value, old.pointer, "contentType"), _field_ptr(new.value, new.pointer, "contentType")),
        )  # fmt: skip
        pairs: dict[str, MessageSchemaPair | None] = {}
        for key in ("payload", "headers"):
            old_s: SchemaSide | None = getattr(old, key)
            new_s: SchemaSide | None = getattr(new, key)
            pairs[key] = None
            if old_s is None or new_s is None:
                if old_s is not new_s:
                    at = Pointers(old_s.pointer if old_s else None, new_s.pointer if new_s else None)
                    found.append(
                        ValueChange(
                            key, value_at(self.old.data, at.base), value_at(self.new.data, at.revision), at
                        )
                    )
                continue
            if old_s.schema_format != new_s.schema_format:
                at = Pointers(old_s.format_pointer or old_s.pointer, new_s.format_pointer or new_s.pointer)
                found.append(ValueChange(f"{key}.schemaFormat", old_s.schema_format, new_s.schema_format, at))
            if not self.same.same(Schema(old_s.pointer), Schema(new_s.pointer)):
                pairs[key] = MessageSchemaPair(old_s, new_s, mode)
        return MessageDiff(old.side(), new.side(), mode, pairs["payload"], pairs["headers"], tuple(found))

    @staticmethod
    def content_type(api: Api, message: Message) -> JSONValue:
        own = message.value.get("contentType")
        return own if own is not None else as_object(api.data).get("defaultContentType")

    def operations(self) -> Matches[OperationSide, OperationDiff]:
        old_count = Counter(op.channel for op in self.old.operations)
        new_count = Counter(op.channel for op in self.new.operations)

        def mapped(op: Operation) -> str | None:
            return self.channel_map.get(op.channel)

        def old_alone(op: Operation) -> str | None:
            return mapped(op) if old_count[op.channel] == 1 else None

        def new_alone(op: Operation) -> str | None:
            return op.channel if new_count[op.channel] == 1 else None

        pairs, added, removed = match(
            self.old.operations,
            self.new.operations,
            [
                _same_key(_operation_id),
                (lambda op: (mapped(op), op.action), lambda op: (op.channel, op.action)),
                (old_alone, new_alone),  # the only operation of its channel on both sides: the action changed
            ],
        )
        changed: list[OperationDiff] = []
        for old, new in pairs:
            diff = self.operation(old, new)
            if diff.messages_added or diff.messages_removed or diff.changes:
                changed.append(diff)
        return Matches(
            added=tuple(op.side() for op in added),
            removed=tuple(op.side() for op in removed),
            changed=tuple(changed),
        )

    def operation(self, old: Operation, new: Operation) -> OperationDiff:
        found = _value_change("action", old.action, new.action, _action_at(self.old, old, self.new, new))
        if old.named and new.named and old.id != new.id:
            found.append(ValueChange("id", old.id, new.id, Pointers(old.pointer, new.pointer)))
        if self.channel_map.get(old.channel) != new.channel:
            at = Pointers(_channel_at(self.old, old), _channel_at(self.new, new))
            found.append(ValueChange("channel", old.channel, new.channel, at))
        found += _changes(old.value, old.pointer, new.value, new.pointer, _OPERATION_FIELDS)
        found += _value_change(
            "security", _security(old.value.get("security")), _security(new.value.get("security")),
            Pointers(_field_ptr(old.value, old.pointer, "security"), _field_ptr(new.value, new.pointer, "security")),
        )  # fmt: skip
        mapped = {self.message_map.get((old.channel, m)) for m in old.messages}
        if self.channel_map.get(old.channel) == new.channel:
            added = tuple(m for m in new.messages if m not in mapped)
            removed = tuple(
                m for m in old.messages if self.message_map.get((old.channel, m)) not in new.messages
            )
        else:
            added, removed = tuple(new.messages), tuple(old.messages)
        return OperationDiff(old.side(), new.side(), added, removed, tuple(found))


def _name(name: str) -> str:
    return name


def _channel_id(channel: Channel) -> str:
    return channel.id


def _channel_address(channel: Channel) -> str | None:
    return channel.address


def _message_id(message: Message) -> str:
    return message.id


def _message_name(message: Message) -> str | None:
    return message.name


def _operation_id(op: Operation) -> str:
    return op.id


def _action_at(old_api: Api, old: Operation, new_api: Api, new: Operation) -> Pointers:
    def at(api: Api, op: Operation) -> str:
        return op.pointer if api.kind is Kind.ASYNCAPI_2 else _field_ptr(op.value, op.pointer, "action")

    return Pointers(at(old_api, old), at(new_api, new))


def _channel_at(api: Api, op: Operation) -> str:
    return op.pointer if api.kind is Kind.ASYNCAPI_2 else _field_ptr(op.value, op.pointer, "channel")


def _tags(root: JSONObject) -> tuple[JSONValue, str | None]:
    """Tag names: top-level ``tags`` in 2.x, ``info.tags`` in 3.0."""
    for pointer, holder in (("/tags", root), ("/info/tags", as_object(root.get("info")))):
        tags = holder.get("tags")
        if isinstance(tags, list):
            names: list[JSONValue] = [t.get("name") if isinstance(t, dict) else t for t in tags]
            return names, pointer
    return None, None


def _server_url(server: JSONObject) -> JSONValue:
    """2.x ``url``; 3.0 ``host`` + ``pathname``."""
    if "url" in server:
        return server["url"]
    host, path = as_text(server.get("host")), as_text(server.get("pathname"))
    return None if host is None else host + (path or "")


def _security(value: JSONValue) -> JSONValue:
    """Scheme names of a 2.x requirement list (``[{name: scopes}]``) or a 3.0 list of schemes
    (references named by their last token), sorted."""
    if not isinstance(value, list):
        return None
    names: set[str] = set()
    for item in value:
        target = ref_target(item)
        if target is not None:
            names.add(jsonptr.split(target)[-1] if target else "")
        elif isinstance(item, dict):
            names.update(item)
    ordered: list[JSONValue] = [*sorted(names)]
    return ordered


def _server_names(value: JSONValue) -> JSONValue:
    """A channel's servers: names in 2.x, references (named by their last token) in 3.0."""
    if not isinstance(value, list):
        return None
    names: list[JSONValue] = []
    for item in value:
        target = ref_target(item)
        names.append(jsonptr.split(target)[-1] if target else item)
    return names


def diff_asyncapi(
    base: JSONValue, base_kind: Kind, revision: JSONValue, revision_kind: Kind
) -> AsyncDiffTree:
    """What changed from ``base`` to ``revision``, AsyncAPI 2.x or 3.0 documents whose references
    are internal (bundled). Pointers in the tree point into these data."""
    old = Reader(base, base_kind).read()
    new = Reader(revision, revision_kind).read()
    return _Differ(old, new, Sameness(base, revision)).tree()


def diff_asyncapi_bundles(
    base: Bundled, base_kind: Kind, revision: Bundled, revision_kind: Kind
) -> AsyncDiffTree:
    """:func:`diff_asyncapi` of two bundles; ``Bundled.locate`` maps the tree's pointers back."""
    return diff_asyncapi(base.document.data, base_kind, revision.document.data, revision_kind)
