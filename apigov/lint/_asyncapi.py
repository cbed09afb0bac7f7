"""AsyncAPI 2.x and 3.x documents: where servers, channels, operations and messages are defined.

:func:`model_of` indexes a bundled document once (cached on the lint context) for both the
structural validator and the governance rules. Every object is listed once, at its definition
site (references followed, duplicates dropped), with the name it has in its map. Shapes the
index cannot use (a map that is not an object, an operation that is a number ...) are recorded
as ``problems`` for the structural validator to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint._schema_walk import SCHEMA_MAPS, follow, is_ref, iter_refs, lookup

if TYPE_CHECKING:
    from apigov.lint.context import LintContext

OPERATION_KEYS_2: Final = ("publish", "subscribe")
#: Keys whose values map user-chosen names to objects, in AsyncAPI documents and their schemas.
#: (``headers`` is a schema here, not a map of headers as in OpenAPI.)
NAME_MAPS: Final = SCHEMA_MAPS | {
    "schemas", "servers", "channels", "operations", "messages", "parameters", "variables",
    "securitySchemes", "correlationIds", "operationTraits", "messageTraits", "serverBindings",
    "channelBindings", "operationBindings", "messageBindings", "replies", "replyAddresses",
    "serverVariables",
}  # fmt: skip


class SchemaFormat(StrEnum):
    """How a message's schema is written (the ``schemaFormat`` media type)."""

    ASYNCAPI = "asyncapi"
    JSON_SCHEMA = "json-schema"
    AVRO = "avro"
    OPENAPI = "openapi"
    OTHER = "other"


_MEDIA_TYPES: Final[dict[str, SchemaFormat]] = {
    **dict.fromkeys(
        (
            "application/vnd.aai.asyncapi",
            "application/vnd.aai.asyncapi+json",
            "application/vnd.aai.asyncapi+yaml",
        ),
        SchemaFormat.ASYNCAPI,
    ),
    **dict.fromkeys(("application/schema+json", "application/schema+yaml"), SchemaFormat.JSON_SCHEMA),
    **dict.fromkeys(
        (
            "application/vnd.apache.avro",
            "application/vnd.apache.avro+json",
            "application/vnd.apache.avro+yaml",
        ),
        SchemaFormat.AVRO,
    ),
    **dict.fromkeys(
        (
            "application/vnd.oai.openapi",
            "application/vnd.oai.openapi+json",
            "application/vnd.oai.openapi+yaml",
        ),
        SchemaFormat.OPENAPI,
    ),
}
_JSON_SCHEMA_VERSIONS: Final[dict[str, Kind]] = {
    "draft-04": Kind.JSONSCHEMA_4,
    "draft-06": Kind.JSONSCHEMA_6,
    "draft-07": Kind.JSONSCHEMA_7,
    "2019-09": Kind.JSONSCHEMA_2019,
    "draft-2019-09": Kind.JSONSCHEMA_2019,
    "2020-12": Kind.JSONSCHEMA_2020,
    "draft-2020-12": Kind.JSONSCHEMA_2020,
}


def classify(schema_format: str | None) -> tuple[SchemaFormat, Kind]:
    """The format a ``schemaFormat`` names, and the JSON Schema draft to validate it with.

    No format means the AsyncAPI Schema (a superset of draft-07); JSON Schema without a known
    ``version`` parameter is draft-07, as the AsyncAPI specification lists.
    """
    if schema_format is None:
        return SchemaFormat.ASYNCAPI, Kind.JSONSCHEMA_7
    media, _, parameters = schema_format.partition(";")
    found = _MEDIA_TYPES.get(media.strip().lower(), SchemaFormat.OTHER)
    draft = Kind.JSONSCHEMA_7
    if found is SchemaFormat.JSON_SCHEMA:
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "version":
                draft = _JSON_SCHEMA_VERSIONS.get(value.strip().strip('"').lower(), Kind.JSONSCHEMA_7)
    return found, draft


@dataclass(frozen=True, slots=True)
class Node:
    """One object at its definition site: its pointer, its value, and its name in its map."""

    pointer: str
    value: dict[str, JSONValue]
    key: str
    root: bool  # defined under the root maps, not under /components


@dataclass(frozen=True, slots=True)
class SchemaSite:
    """A message's payload or headers schema.

    ``pointer`` is where the schema itself is (references followed, a 3.x Multi Format Schema
    unwrapped); ``wrapper`` the pointer of that Multi Format Schema object, if any.
    """

    pointer: str
    schema: JSONValue
    format: SchemaFormat
    draft: Kind
    wrapper: str | None = None

    @property
    def json_like(self) -> bool:
        return self.format in (SchemaFormat.ASYNCAPI, SchemaFormat.JSON_SCHEMA)


@dataclass(slots=True)
class Model:
    kind: Kind
    servers: list[Node] = field(default_factory=list)
    channels: list[Node] = field(default_factory=list)
    operations: list[Node] = field(default_factory=list)
    messages: list[Node] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Indexer:
    data: JSONValue
    model: Model
    seen: set[str] = field(default_factory=set)

    def entries(self, pointer: str, what: str) -> list[tuple[str, str, JSONValue]]:
        """``(pointer, name, value)`` of the map at ``pointer`` (absent: none)."""
        value = lookup(self.data, pointer)
        if value is None:
            return []
        if not isinstance(value, dict):
            self.model.problems.append((pointer, f"{what} must be a map of names to objects"))
            return []
        return [(jsonptr.join(pointer, name), name, item) for name, item in value.items()]

    def add(self, found: list[Node], pointer: str, key: str, value: JSONValue, what: str) -> Node | None:
        at, target = follow(self.data, pointer, value)
        if is_ref(target):
            return None  # a broken reference: the reference check reports it
        if not isinstance(target, dict):
            self.model.problems.append((at, f"{what} must be an object"))
            return None
        if at in self.seen:
            return None
        self.seen.add(at)
        if at != pointer and jsonptr.split(at)[-2:-1] != ["oneOf"]:
            key = jsonptr.split(at)[-1] if at else key  # named where it is defined
        node = Node(at, target, key, not at.startswith("/components/"))
        found.append(node)
        return node

    def servers(self) -> None:
        for pointer, name, value in self.entries("/servers", "servers") + self.entries(
            "/components/servers", "components/servers"
        ):
            self.add(self.model.servers, pointer, name, value, f"server {name!r}")

    def channels(self) -> list[Node]:
        channels = [
            self.add(self.model.channels, pointer, name, value, f"channel {name!r}")
            for pointer, name, value in self.entries("/channels", "channels")
            + self.entries("/components/channels", "components/channels")
        ]
        return [channel for channel in channels if channel is not None]

    def message(self, pointer: str, key: str, value: JSONValue) -> None:
        """A message slot; in 2.x it may hold ``oneOf: [messages]``."""
        at, target = follow(self.data, pointer, value)
        if self.model.kind is Kind.ASYNCAPI_2 and isinstance(target, dict) and "oneOf" in target:
            choices = target["oneOf"]
            if not isinstance(choices, list):
                self.model.problems.append((jsonptr.join(at, "oneOf"), "'oneOf' must be a list of messages"))
                return
            for index, choice in enumerate(choices):
                self.add(self.model.messages, jsonptr.join(at, "oneOf", index), key, choice, "a message")
            return
        self.add(self.model.messages, pointer, key, value, f"message {key!r}")

    def version_2(self) -> None:
        for channel in self.channels():
            for op_key in OPERATION_KEYS_2:
                if op_key not in channel.value:
                    continue
                label = f"{channel.key} {op_key}"
                op_at = jsonptr.join(channel.pointer, op_key)
                op = self.add(
                    self.model.operations, op_at, label, channel.value[op_key], f"the {op_key} operation"
                )
                if op is not None and "message" in op.value:
                    self.message(jsonptr.join(op.pointer, "message"), label, op.value["message"])

    def version_3(self) -> None:
        for channel in self.channels():
            for pointer, name, value in self.entries(jsonptr.join(channel.pointer, "messages"), "messages"):
                self.message(pointer, name, value)
        for pointer, name, value in self.entries("/operations", "operations") + self.entries(
            "/components/operations", "components/operations"
        ):
            self.add(self.model.operations, pointer, name, value, f"operation {name!r}")


def build(data: JSONValue, kind: Kind) -> Model:
    """Index a bundled AsyncAPI document."""
    indexer = _Indexer(data, Model(kind))
    indexer.servers()
    if kind is Kind.ASYNCAPI_2:
        indexer.version_2()
    else:
        indexer.version_3()
    for pointer, name, value in indexer.entries("/components/messages", "components/messages"):
        indexer.message(pointer, name, value)
    return indexer.model


def model_of(ctx: LintContext) -> Model | None:
    """The model of the document under check (``None`` for other kinds), built once."""
    if ctx.kind not in (Kind.ASYNCAPI_2, Kind.ASYNCAPI_3):
        return None
    cached = ctx.cached("asyncapi-model")
    if isinstance(cached, Model):
        return cached
    model = build(ctx.data, ctx.kind)
    ctx.remember("asyncapi-model", model)
    return model


def schema_site(
    data: JSONValue, kind: Kind, pointer: str, value: JSONValue, schema_format: str | None = None
) -> SchemaSite | None:
    """The schema at ``pointer`` (``None`` when its reference is broken).

    ``schema_format`` is the 2.x message's ``schemaFormat``; in 3.x an object with a
    ``schemaFormat`` is a Multi Format Schema, whose ``schema`` is the schema.
    """
    at, target = follow(data, pointer, value)
    wrapper: str | None = None
    if kind is Kind.ASYNCAPI_3 and isinstance(target, dict) and "schemaFormat" in target:
        wrapper = at
        declared = target["schemaFormat"]
        schema_format = declared if isinstance(declared, str) else None
        at, target = follow(data, jsonptr.join(at, "schema"), target.get("schema"))
    if is_ref(target):
        return None
    found, draft = classify(schema_format)
    return SchemaSite(at, target, found, draft, wrapper)


def message_schema(data: JSONValue, kind: Kind, message: Node, key: str) -> SchemaSite | None:
    """The ``payload`` or ``headers`` schema of a message, if it has one."""
    if key not in message.value:
        return None
    declared = message.value.get("schemaFormat") if key == "payload" and kind is Kind.ASYNCAPI_2 else None
    schema_format = declared if isinstance(declared, str) else None
    return schema_site(data, kind, jsonptr.join(message.pointer, key), message.value[key], schema_format)


def message_examples(message: Node) -> Iterator[tuple[str, dict[str, JSONValue]]]:
    """``(pointer, example)`` of each Message Example object of a message."""
    examples = message.value.get("examples")
    if isinstance(examples, list):
        for index, example in enumerate(examples):
            if isinstance(example, dict):
                yield jsonptr.join(message.pointer, "examples", index), example


def with_traits(data: JSONValue, node: Node) -> list[dict[str, JSONValue]]:
    """An operation or message followed by its traits (references followed), which it merges."""
    found = [node.value]
    traits = node.value.get("traits")
    for index, trait in enumerate(traits if isinstance(traits, list) else []):
        _, target = follow(data, jsonptr.join(node.pointer, "traits", index), trait)
        if isinstance(target, dict):
            found.append(target)
    return found


def ref_sites(data: JSONValue) -> list[tuple[str, str]]:
    """``(pointer of the holding object, reference)`` of every ``$ref`` of an AsyncAPI document."""
    return list(iter_refs(data, NAME_MAPS))
