"""Structural validation of AsyncAPI 2.x and 3.0 documents: apigov's own checks.

No schema file is copied from the AsyncAPI project: the checks below state the required
structure of each object directly (see each rule's doc), plus the references between objects
that a JSON schema cannot express (3.0 operations and their channel's messages, channel
parameters and addresses, server variables). Message payloads are validated for their
``schemaFormat``: AsyncAPI Schema and JSON Schema against the draft's meta-schema, Avro with
apigov's Avro rules, OpenAPI schemas for being objects; other formats are left alone.

Everything is computed in one pass (:func:`issues_of`, cached on the context); the two rules
report their share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.core.text import shown
from apigov.documents.kinds import Kind
from apigov.lint._asyncapi import (
    Model,
    Node,
    SchemaFormat,
    SchemaSite,
    message_schema,
    model_of,
    ref_sites,
    schema_site,
)
from apigov.lint._doc import rule_doc
from apigov.lint._schema_walk import (
    broken_local_refs,
    follow,
    is_ref,
    local_pointer,
    lookup,
    metaschema_errors,
)
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule
from apigov.schema.avro_parse import iter_structural

STRUCTURE: Final = "asyncapi-structure-invalid"
REFERENCE: Final = "asyncapi-reference-invalid"
#: At most this many errors are reported per rule and document; the rest are counted.
MAX_ERRORS: Final = 200

_VERSION_RE: Final = re.compile(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\Z")
_COMPONENT_NAME_RE: Final = re.compile(r"[A-Za-z0-9.\-_]+\Z")
_PLACEHOLDER_RE: Final = re.compile(r"\{([^{}]*)\}")
_ACTIONS: Final = ("send", "receive")


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


_INFO: Final = _keys("title", "version", "description", "termsOfService", "contact", "license")
_SECURITY_ETC: Final = _keys("security", "tags", "bindings")
_COMPONENTS: Final = _keys(
    "schemas", "servers", "channels", "serverVariables", "messages", "securitySchemes", "parameters",
    "correlationIds", "operationTraits", "messageTraits", "serverBindings", "channelBindings",
    "operationBindings", "messageBindings",
)  # fmt: skip
_MESSAGE: Final = _keys(
    "contentType", "headers", "payload", "correlationId", "tags", "summary", "name", "title",
    "description", "externalDocs", "examples", "bindings", "traits",
)  # fmt: skip
#: The properties each object may have (besides ``x-`` extensions), per major version.
KNOWN_KEYS: Final[dict[tuple[str, Kind], frozenset[str]]] = {
    ("document", Kind.ASYNCAPI_2): _keys(
        "asyncapi",
        "id",
        "info",
        "servers",
        "defaultContentType",
        "channels",
        "components",
        "tags",
        "externalDocs",
    ),
    ("document", Kind.ASYNCAPI_3): _keys(
        "asyncapi", "id", "info", "servers", "defaultContentType", "channels", "operations", "components"
    ),
    ("info", Kind.ASYNCAPI_2): _INFO,
    ("info", Kind.ASYNCAPI_3): _INFO | {"tags", "externalDocs"},
    ("server", Kind.ASYNCAPI_2): _SECURITY_ETC
    | {"url", "protocol", "protocolVersion", "description", "variables"},
    ("server", Kind.ASYNCAPI_3): _SECURITY_ETC
    | {"host", "protocol", "protocolVersion", "pathname", "description", "title", "summary", "variables"}
    | {"externalDocs"},
    ("channel", Kind.ASYNCAPI_2): _keys(
        "$ref", "description", "servers", "subscribe", "publish", "parameters", "bindings", "deprecated"
    ),
    ("channel", Kind.ASYNCAPI_3): _keys(
        "address",
        "messages",
        "title",
        "summary",
        "description",
        "servers",
        "parameters",
        "tags",
        "externalDocs",
        "bindings",
    ),
    ("operation", Kind.ASYNCAPI_2): _SECURITY_ETC
    | {"traits", "summary", "description", "externalDocs", "operationId", "message"},
    ("operation", Kind.ASYNCAPI_3): _SECURITY_ETC
    | {"action", "channel", "title", "summary", "description", "externalDocs", "traits", "messages", "reply"},
    ("message", Kind.ASYNCAPI_2): _MESSAGE | {"schemaFormat", "messageId", "deprecated"},
    ("message", Kind.ASYNCAPI_3): _MESSAGE,
    ("components", Kind.ASYNCAPI_2): _COMPONENTS,
    ("components", Kind.ASYNCAPI_3): _COMPONENTS
    | {"operations", "replies", "replyAddresses", "externalDocs", "tags"},
    ("Multi Format Schema", Kind.ASYNCAPI_3): _keys("schemaFormat", "schema"),
    ("operation reply", Kind.ASYNCAPI_3): _keys("address", "channel", "messages"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    rule: str
    pointer: str
    message: str


def _placeholders(text: str) -> list[str]:
    return _PLACEHOLDER_RE.findall(text)


@dataclass(slots=True)
class _Checker:
    data: dict[str, JSONValue]
    model: Model
    issues: list[Issue] = field(default_factory=list)
    validated: set[str] = field(default_factory=set)

    @property
    def v3(self) -> bool:
        return self.model.kind is Kind.ASYNCAPI_3

    def error(self, pointer: str, message: str, rule: str = STRUCTURE) -> None:
        self.issues.append(Issue(rule, pointer, message))

    # ------------------------------------------------------------------ field helpers

    def known_keys(self, pointer: str, value: dict[str, JSONValue], what: str) -> None:
        allowed = KNOWN_KEYS[(what, self.model.kind)]
        for key in value:
            if key not in allowed and not key.startswith("x-"):
                self.error(
                    jsonptr.join(pointer, key),
                    f"unknown property {key!r} in the {what} (extensions start with x-)",
                )

    def required(self, pointer: str, value: dict[str, JSONValue], *keys: str) -> None:
        for key in keys:
            if key not in value:
                self.error(pointer, f"missing required property {key!r}")

    def typed(self, pointer: str, value: dict[str, JSONValue], kind: type, noun: str, *keys: str) -> None:
        for key in keys:
            if key in value and not isinstance(value[key], kind):
                self.error(jsonptr.join(pointer, key), f"{key!r} must be {noun}, not {shown(value[key])}")

    def strings(self, pointer: str, value: dict[str, JSONValue], *keys: str) -> None:
        self.typed(pointer, value, str, "a string", *keys)

    def obj(self, pointer: str, value: dict[str, JSONValue], key: str) -> dict[str, JSONValue] | None:
        """``value[key]`` (references followed) when it is an object; an error when it is not."""
        if key not in value:
            return None
        _, target = follow(self.data, jsonptr.join(pointer, key), value[key])
        if isinstance(target, dict):
            return None if is_ref(target) else target
        self.error(jsonptr.join(pointer, key), f"{key!r} must be an object, not {shown(target)}")
        return None

    def items(
        self, pointer: str, value: dict[str, JSONValue], key: str, noun: str
    ) -> list[tuple[str, JSONValue]]:
        """The ``(pointer, item)`` of a list property (an error when it is not a list)."""
        found = value.get(key)
        if found is None and key not in value:
            return []
        if not isinstance(found, list):
            self.error(jsonptr.join(pointer, key), f"{key!r} must be a list of {noun}")
            return []
        return [(jsonptr.join(pointer, key, index), item) for index, item in enumerate(found)]

    def objects_list(self, pointer: str, value: dict[str, JSONValue], key: str, noun: str) -> None:
        for at, item in self.items(pointer, value, key, noun):
            if not isinstance(item, dict):
                self.error(at, f"each item of {key!r} must be an object ({noun})")

    def tags(self, pointer: str, value: dict[str, JSONValue]) -> None:
        for at, tag in self.items(pointer, value, "tags", "Tag objects"):
            _, target = follow(self.data, at, tag)
            if is_ref(target):
                continue
            if not isinstance(target, dict) or not isinstance(target.get("name"), str):
                self.error(at, "a tag is an object with a string 'name'")

    def external_docs(self, pointer: str, value: dict[str, JSONValue]) -> None:
        docs = self.obj(pointer, value, "externalDocs")
        if docs is not None and not isinstance(docs.get("url"), str):
            self.error(jsonptr.join(pointer, "externalDocs"), "externalDocs needs a string 'url'")

    def common(self, pointer: str, value: dict[str, JSONValue], what: str) -> None:
        """Unknown keys, descriptions, tags, external docs and bindings, which most objects share."""
        self.known_keys(pointer, value, what)
        self.strings(pointer, value, "title", "summary", "description")
        if "tags" in KNOWN_KEYS[(what, self.model.kind)]:
            self.tags(pointer, value)
        self.external_docs(pointer, value)
        self.obj(pointer, value, "bindings")

    # ------------------------------------------------------------------ document

    def document(self) -> None:
        data = self.data
        self.known_keys("", data, "document")
        self.required("", data, "asyncapi", "info", *(() if self.v3 else ("channels",)))
        version = data.get("asyncapi")
        if "asyncapi" in data and not (isinstance(version, str) and _VERSION_RE.match(version)):
            example = "3.0.0" if self.v3 else "2.6.0"
            self.error(
                "/asyncapi", f"'asyncapi' must be a version string such as '{example}', not {shown(version)}"
            )
        self.strings("", data, "id", "defaultContentType")
        info = self.obj("", data, "info")
        if info is not None:
            self.info(info)
        if not self.v3:
            self.tags("", data)
            self.external_docs("", data)
        self.components()
        for pointer, message in self.model.problems:
            self.error(pointer, message)

    def info(self, info: dict[str, JSONValue]) -> None:
        self.known_keys("/info", info, "info")
        self.required("/info", info, "title", "version")
        self.strings("/info", info, "title", "version", "description", "termsOfService")
        contact = self.obj("/info", info, "contact")
        if contact is not None:
            self.strings("/info/contact", contact, "name", "url", "email")
        license_ = self.obj("/info", info, "license")
        if license_ is not None:
            self.required("/info/license", license_, "name")
            self.strings("/info/license", license_, "name", "url")
        if self.v3:
            self.tags("/info", info)
            self.external_docs("/info", info)

    def components(self) -> None:
        components = self.obj("", self.data, "components")
        if components is None:
            return
        self.known_keys("/components", components, "components")
        allowed = KNOWN_KEYS[("components", self.model.kind)]
        for section, entries in components.items():
            if section not in allowed:
                continue
            at = jsonptr.join("/components", section)
            if not isinstance(entries, dict):
                self.error(at, f"components/{section} must be a map of names to objects")
                continue
            for name in entries:
                if not _COMPONENT_NAME_RE.match(name):
                    self.error(
                        jsonptr.join(at, name),
                        f"component name {name!r} may only use letters, digits, '.', '-' and '_'",
                    )

    # ------------------------------------------------------------------ servers

    def server(self, node: Node) -> None:
        pointer, value = node.pointer, node.value
        self.common(pointer, value, "server")
        needed = ("host", "protocol") if self.v3 else ("url", "protocol")
        self.required(pointer, value, *needed)
        self.strings(pointer, value, *needed, "protocolVersion", "pathname")
        self.objects_list(pointer, value, "security", "security requirements")
        variables = self.obj(pointer, value, "variables")
        declared = set(variables or {})
        for name, variable in (variables or {}).items():
            at, target = follow(self.data, jsonptr.join(pointer, "variables", name), variable)
            if not isinstance(target, dict):
                self.error(at, f"server variable {name!r} must be an object")
                continue
            self.strings(at, target, "default", "description")
            self.items(at, target, "enum", "strings")
        for key in ("url", "host", "pathname"):
            text = value.get(key)
            for name in _placeholders(text) if isinstance(text, str) else []:
                if name not in declared:
                    self.error(
                        jsonptr.join(pointer, key),
                        f"server variable {{{name}}} is not declared in 'variables'",
                        REFERENCE,
                    )

    # ------------------------------------------------------------------ channels

    def channel(self, node: Node) -> None:
        pointer, value = node.pointer, node.value
        self.common(pointer, value, "channel")
        if self.v3 and value.get("address") is not None and not isinstance(value.get("address"), str):
            self.error(jsonptr.join(pointer, "address"), "'address' must be a string or null")
        if not self.v3:
            self.typed(pointer, value, bool, "true or false", "deprecated")
        self.channel_servers(pointer, value)
        declared = self.parameters(pointer, value)
        if self.v3:
            address = value.get("address")
            self.address(
                pointer,
                address if isinstance(address, str) else None,
                jsonptr.join(pointer, "address"),
                declared,
            )
        elif node.root:
            self.address(pointer, node.key, pointer, declared)

    def channel_servers(self, pointer: str, value: dict[str, JSONValue]) -> None:
        root_servers = self.data.get("servers")
        names = set(root_servers) if isinstance(root_servers, dict) else set()
        for at, item in self.items(
            pointer, value, "servers", "server references" if self.v3 else "server names"
        ):
            if not self.v3:
                if not isinstance(item, str):
                    self.error(at, "a channel's servers are server names (strings)")
                elif item not in names:
                    self.error(at, f"server {item!r} is not defined in 'servers'", REFERENCE)
                continue
            if not is_ref(item):
                self.error(at, "a channel's servers are $ref to servers in 'servers'")
                continue
            assert isinstance(item, dict)
            target = local_pointer(str(item["$ref"]))
            if target is not None and lookup(self.data, target) is not None:
                tokens = jsonptr.split(target)
                if len(tokens) != 2 or tokens[0] != "servers":
                    self.error(
                        jsonptr.join(at, "$ref"),
                        "a channel's servers must point to a server in /servers",
                        REFERENCE,
                    )

    def parameters(self, pointer: str, value: dict[str, JSONValue]) -> set[str]:
        """Validate a channel's parameters; return the declared names."""
        parameters = self.obj(pointer, value, "parameters")
        for name, parameter in (parameters or {}).items():
            at, target = follow(self.data, jsonptr.join(pointer, "parameters", name), parameter)
            if is_ref(target):
                continue
            if not isinstance(target, dict):
                self.error(at, f"parameter {name!r} must be an object")
                continue
            self.strings(at, target, "description", "location", "default")
            if self.v3:
                self.items(at, target, "enum", "strings")
                self.items(at, target, "examples", "strings")
            elif "schema" in target:
                self.schema(
                    schema_site(self.data, self.model.kind, jsonptr.join(at, "schema"), target["schema"])
                )
        return set(parameters or {})

    def address(self, pointer: str, address: str | None, address_at: str, declared: set[str]) -> None:
        """Every ``{parameter}`` of the address is declared, and every declared one is used."""
        used = _placeholders(address) if address is not None else []
        for name in used:
            if name not in declared:
                self.error(
                    address_at,
                    f"parameter {{{name}}} of the address is not declared in 'parameters'",
                    REFERENCE,
                )
        for name in sorted(declared - set(used)):
            where = (
                f"the address {address!r}" if address is not None else "the channel's address (it has none)"
            )
            self.error(
                jsonptr.join(pointer, "parameters", name),
                f"parameter {name!r} is not used in {where}",
                REFERENCE,
            )

    # ------------------------------------------------------------------ operations

    def operation(self, node: Node) -> None:
        pointer, value = node.pointer, node.value
        self.common(pointer, value, "operation")
        self.objects_list(pointer, value, "traits", "operation traits")
        self.objects_list(pointer, value, "security", "security requirements")
        if not self.v3:
            self.strings(pointer, value, "operationId")
            self.required(pointer, value, "message")
            return
        self.required(pointer, value, "action", "channel")
        if "action" in value and value["action"] not in _ACTIONS:
            self.error(
                jsonptr.join(pointer, "action"),
                f"'action' must be send or receive, not {shown(value['action'])}",
            )
        channel = self.channel_ref(pointer, value, node.root)
        self.message_refs(pointer, value, channel)
        reply = self.obj(pointer, value, "reply")
        if reply is not None:
            self.reply(jsonptr.join(pointer, "reply"), reply, node.root)

    def reply(self, pointer: str, reply: dict[str, JSONValue], root: bool) -> None:
        self.known_keys(pointer, reply, "operation reply")
        address = self.obj(pointer, reply, "address")
        if address is not None and not isinstance(address.get("location"), str):
            self.error(jsonptr.join(pointer, "address"), "a reply address needs a string 'location'")
        channel = self.channel_ref(pointer, reply, root) if "channel" in reply else None
        self.message_refs(pointer, reply, channel)

    def channel_ref(self, pointer: str, value: dict[str, JSONValue], root: bool) -> str | None:
        """The pointer of the channel an operation (or reply) names, when it names one properly."""
        ref = value.get("channel")
        at = jsonptr.join(pointer, "channel")
        if ref is None:
            return None
        if not is_ref(ref):
            self.error(at, "'channel' must be a $ref to a channel")
            return None
        assert isinstance(ref, dict)
        target = local_pointer(str(ref["$ref"]))
        if target is None or lookup(self.data, target) is None:
            return None  # broken: reported with every other unresolved reference
        tokens = jsonptr.split(target)
        in_channels = len(tokens) == 2 and tokens[0] == "channels"
        in_components = len(tokens) == 3 and tokens[:2] == ["components", "channels"]
        if not (in_channels or (in_components and not root)):
            where = "/channels" if root else "/channels or /components/channels"
            self.error(jsonptr.join(at, "$ref"), f"'channel' must point to a channel in {where}", REFERENCE)
            return None
        return target

    def message_refs(self, pointer: str, value: dict[str, JSONValue], channel: str | None) -> None:
        """An operation's messages are references to messages of its channel."""
        prefix = [*jsonptr.split(channel), "messages"] if channel is not None else None
        for at, item in self.items(pointer, value, "messages", "$ref to messages"):
            if not is_ref(item):
                self.error(at, "each of 'messages' must be a $ref to a message of the operation's channel")
                continue
            assert isinstance(item, dict)
            target = local_pointer(str(item["$ref"]))
            if prefix is None or target is None or lookup(self.data, target) is None:
                continue
            tokens = jsonptr.split(target)
            if len(tokens) != len(prefix) + 1 or tokens[: len(prefix)] != prefix:
                self.error(
                    jsonptr.join(at, "$ref"),
                    f"message {item['$ref']!r} is not one of the messages of channel {jsonptr.to_fragment(channel or '')}",
                    REFERENCE,
                )

    # ------------------------------------------------------------------ messages and schemas

    def message(self, node: Node) -> None:
        pointer, value = node.pointer, node.value
        self.common(pointer, value, "message")
        self.strings(pointer, value, "contentType", "name", "messageId", "schemaFormat")
        self.typed(pointer, value, bool, "true or false", "deprecated")
        self.objects_list(pointer, value, "traits", "message traits")
        correlation = self.obj(pointer, value, "correlationId")
        if correlation is not None and not isinstance(correlation.get("location"), str):
            self.error(jsonptr.join(pointer, "correlationId"), "a correlation ID needs a string 'location'")
        for at, example in self.items(pointer, value, "examples", "Message Example objects"):
            if not isinstance(example, dict):
                self.error(at, "a message example is an object with 'payload' and/or 'headers'")
                continue
            self.strings(at, example, "name", "summary")
            self.obj(at, example, "headers")
        for key in ("payload", "headers"):
            site = message_schema(self.data, self.model.kind, node, key)
            if site is not None and self.schema(site) and key == "headers":
                self.headers(site)

    def schema(self, site: SchemaSite | None) -> bool:
        """Validate a schema for its format, once per location; ``False`` when it has no schema."""
        if site is None:
            return False
        if site.wrapper is not None and not self.multi_format(site.wrapper):
            return False
        if site.pointer in self.validated:
            return True
        self.validated.add(site.pointer)
        if site.json_like:
            for pointer, message in metaschema_errors(site.schema, site.pointer, site.draft):
                self.error(pointer, message)
        elif site.format is SchemaFormat.AVRO:
            for issue in iter_structural(site.schema, site.pointer):
                self.error(issue.pointer, f"Avro schema: {issue.message}")
        elif site.format is SchemaFormat.OPENAPI and not isinstance(site.schema, dict):
            self.error(site.pointer, "an OpenAPI schema must be an object")
        return True

    def multi_format(self, pointer: str) -> bool:
        wrapper = lookup(self.data, pointer)
        if not isinstance(wrapper, dict):
            return False
        self.known_keys(pointer, wrapper, "Multi Format Schema")
        if not isinstance(wrapper.get("schemaFormat"), str):
            self.error(jsonptr.join(pointer, "schemaFormat"), "'schemaFormat' must be a media type string")
            return False
        if "schema" not in wrapper:
            self.error(pointer, "a Multi Format Schema needs 'schema'")
            return False
        return True

    def headers(self, site: SchemaSite) -> None:
        if not site.json_like:
            return
        schema = site.schema
        if isinstance(schema, bool):
            self.error(site.pointer, "message headers must be an object schema")
        elif isinstance(schema, dict) and schema.get("type", "object") != "object":
            self.error(jsonptr.join(site.pointer, "type"), "message headers must be a schema of type object")

    def component_schemas(self) -> None:
        schemas = lookup(self.data, "/components/schemas")
        for name, value in schemas.items() if isinstance(schemas, dict) else []:
            self.schema(
                schema_site(self.data, self.model.kind, jsonptr.join("/components/schemas", name), value)
            )

    # ------------------------------------------------------------------ everything

    def run(self, ref_sites: Iterable[tuple[str, str]]) -> list[Issue]:
        self.document()
        for server in self.model.servers:
            self.server(server)
        for channel in self.model.channels:
            self.channel(channel)
        for operation in self.model.operations:
            self.operation(operation)
        for message in self.model.messages:
            self.message(message)
        self.component_schemas()
        for pointer, message_text in broken_local_refs(self.data, ref_sites):
            self.error(pointer, message_text, REFERENCE)
        return list(dict.fromkeys(self.issues))


def issues_of(ctx: LintContext) -> list[Issue]:
    """Every structural and reference problem of the AsyncAPI document under check."""
    model = model_of(ctx)
    if model is None:
        return []
    cached = ctx.cached("asyncapi-issues")
    if isinstance(cached, list):
        return cached
    data = ctx.data
    if not isinstance(data, dict):
        issues = [Issue(STRUCTURE, "", "an AsyncAPI document must be an object")]
    else:
        issues = _Checker(data, model).run(ref_sites(data))
    ctx.remember("asyncapi-issues", issues)
    return issues


def _report(ctx: LintContext, rule: str) -> Iterator[Finding]:
    selected = [issue for issue in issues_of(ctx) if issue.rule == rule]
    for issue in selected[:MAX_ERRORS]:
        yield ctx.finding(issue.message, issue.pointer)
    if len(selected) > MAX_ERRORS:
        yield ctx.finding(f"{len(selected) - MAX_ERRORS} more errors are not shown", "")


def asyncapi_structure_invalid(ctx: LintContext) -> Iterator[Finding]:
    yield from _report(ctx, STRUCTURE)


def asyncapi_reference_invalid(ctx: LintContext) -> Iterator[Finding]:
    yield from _report(ctx, REFERENCE)


RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id=STRUCTURE,
        level=Level.ERROR,
        families=("asyncapi",),
        summary="The document does not have the structure AsyncAPI 2.x / 3.0 requires.",
        check=asyncapi_structure_invalid,
        structural=True,
        doc=rule_doc(
            checks="""\
                The required structure of the AsyncAPI version the document declares: `asyncapi` is a
                version string; `info` has a string `title` and `version`; 2.x `channels` is a map
                of channel names to Channel Items whose `publish`/`subscribe` operations have a
                `message`; 3.0 channels have an `address` (string or null) and a `messages` map,
                3.0 operations an `action` (send or receive), a `channel` that is a `$ref` and
                `messages` that are `$ref`; servers have `url` and `protocol` (2.x) or `host` and
                `protocol` (3.0); `components` sections are maps with names made of letters,
                digits, `.`, `-`, `_`; messages have string `contentType`/`schemaFormat`,
                object-typed `headers` and valid examples; a 3.0 Multi Format Schema has a string
                `schemaFormat` and a `schema`. Properties the specification does not define (and
                that do not start with `x-`) are errors in the document, `info`, servers, channels,
                operations, messages and `components`. Payload and headers schemas are validated
                for their `schemaFormat`: the AsyncAPI Schema and JSON Schema against the draft's
                meta-schema (draft-07 unless a JSON Schema `version` says otherwise), Avro
                (`application/vnd.apache.avro...`) against the Avro specification's rules,
                OpenAPI schemas for being objects; other formats are not checked.
                """,
            why="""\
                Code generators, brokers' schema registries and documentation tools read the
                document with the specification's structure in mind; a misspelt or misplaced
                property is silently ignored by some and fatal to others.
                """,
            example="""\
                asyncapi: 3.0.0
                info: {title: Orders, version: "1.0.0"}
                operations:
                  onOrderCreated:
                    action: publish          # must be send or receive
                    channel: {$ref: "#/channels/orders"}
                """,
            fix="Follow the message at the pointer it gives. This rule cannot be switched off.",
        ),
    ),
    LintRule(
        id=REFERENCE,
        level=Level.ERROR,
        families=("asyncapi",),
        summary="References between AsyncAPI objects resolve and point where the specification says.",
        check=asyncapi_reference_invalid,
        structural=True,
        doc=rule_doc(
            checks="""\
                Every same-document `$ref` resolves; a 3.0 operation's `channel` points to a channel
                in `/channels` (or, for operations in `components`, in `/components/channels`), and
                its `messages` (and its reply's) are messages of that channel; 3.0 channel `servers`
                point to `/servers`, 2.x channel `servers` name servers that exist; every
                `{parameter}` of a channel address (the 2.x channel name) is declared in
                `parameters` and every declared parameter appears in the address; every
                `{variable}` of a server `url`/`host`/`pathname` is declared in `variables`.
                """,
            why="""\
                An operation that sends a message its channel does not carry, or an address whose
                parameters nobody describes, produces code that publishes to the wrong place or
                cannot build the address at all.
                """,
            example="""\
                channels:
                  order:
                    address: orders.{orderId}      # orderId is not declared in parameters
                    messages: {created: {$ref: "#/components/messages/OrderCreated"}}
                operations:
                  send:
                    action: send
                    channel: {$ref: "#/channels/order"}
                    messages: [{$ref: "#/components/messages/OrderCreated"}]   # not via the channel
                """,
            fix="""\
                Declare the parameter or variable (or remove it from the address), and reference a
                channel's messages through the channel: `$ref: '#/channels/order/messages/created'`.
                This rule cannot be switched off.
                """,
        ),
    ),
)
