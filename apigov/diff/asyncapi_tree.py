"""The values of an :class:`AsyncDiffTree` (see :mod:`apigov.diff.asyncapi`, which builds them
and exports them): channels, operations and messages on each side, what differs between two
matched ones, and the message schemas that are not written the same.

Like :mod:`apigov.diff.tree`, no levels and no prose: plain frozen values with pointers into both
documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from apigov.diff.tree import Matches, NamedDiff, NamedSide, ValueChange
from apigov.schema.modes import Mode


@dataclass(frozen=True, slots=True)
class SchemaSide:
    """A payload or headers schema on one side: ``pointer`` where the schema itself is;
    ``format`` one of ``asyncapi`` (no schemaFormat: the AsyncAPI schema, a JSON Schema
    superset), ``json-schema``, ``avro``, ``openapi``, ``other``; ``schema_format`` the media
    type as written and ``format_pointer`` where it is written (``None`` when absent)."""

    pointer: str
    format: str
    schema_format: str | None = None
    format_pointer: str | None = None


@dataclass(frozen=True, slots=True)
class MessageSchemaPair:
    """Two schemas of a message that are not written the same, and the mode they must satisfy:
    ``BACKWARD`` old ⊆ new, ``FORWARD`` new ⊆ old, ``FULL`` both."""

    base: SchemaSide
    revision: SchemaSide
    mode: Mode


@dataclass(frozen=True, slots=True)
class MessageSide:
    """A message of a channel on one side. ``actions`` are those of the operations that carry
    it on that side (``send``, ``receive``)."""

    id: str
    name: str | None
    pointer: str
    actions: tuple[str, ...]
    payload: SchemaSide | None
    headers: SchemaSide | None


@dataclass(frozen=True, slots=True)
class MessageDiff:
    """A message on both sides. ``mode`` follows the actions of both sides (see the module)."""

    base: MessageSide
    revision: MessageSide
    mode: Mode
    payload: MessageSchemaPair | None = None
    headers: MessageSchemaPair | None = None
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ChannelSide:
    """A channel: ``id`` its key (2.x: the address), ``address`` ``None`` when not given."""

    id: str
    address: str | None
    pointer: str
    parameters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChannelDiff:
    base: ChannelSide
    revision: ChannelSide
    parameters: Matches[NamedSide, NamedDiff]
    messages: Matches[MessageSide, MessageDiff]
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class OperationSide:
    """An operation: ``action`` from the document owner's view, ``channel`` the channel's id on
    its side, ``messages`` the ids of the channel messages it carries."""

    id: str
    action: str
    channel: str
    pointer: str
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OperationDiff:
    """An operation on both sides. ``messages_added`` are revision ids, ``messages_removed``
    base ids (of messages matched through the channel). A ``channel`` change says the operation
    moved to a channel that is not the match of its old one (values: the ids on each side); an
    ``id`` change that its written id (2.x ``operationId``, 3.0 key) differs."""

    base: OperationSide
    revision: OperationSide
    messages_added: tuple[str, ...] = ()
    messages_removed: tuple[str, ...] = ()
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class AsyncDiffTree:
    base_kind: str
    revision_kind: str
    servers: Matches[NamedSide, NamedDiff]
    channels: Matches[ChannelSide, ChannelDiff]
    operations: Matches[OperationSide, OperationDiff]
    changes: tuple[ValueChange, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.servers or self.channels or self.operations or self.changes)
