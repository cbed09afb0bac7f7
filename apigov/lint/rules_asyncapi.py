"""Governance rules for AsyncAPI 2.x and 3.0 documents.

Each check reads the index of :mod:`apigov.lint._asyncapi` (servers, channels, operations and
messages at their definition sites) and yields findings; the document's structure is already
known to be valid when these run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._asyncapi import Node, message_examples, message_schema, model_of, ref_sites, with_traits
from apigov.lint._doc import rule_factory
from apigov.lint._schema_walk import InstanceValidator, local_pointer, lookup
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

ASYNCAPI: Final = ("asyncapi",)
#: Protocols that carry traffic in clear text, each with the encrypted protocol to use instead.
#: Protocols not listed (googlepubsub, sqs, sns, jms, ibmmq, solace, nats ...) are not judged:
#: their encryption is configured outside the protocol name.
INSECURE_PROTOCOLS: Final[dict[str, str]] = {
    "http": "https",
    "ws": "wss",
    "mqtt": "secure-mqtt (or mqtts)",
    "amqp": "amqps",
    "kafka": "kafka-secure",
    "stomp": "stomps",
    "redis": "rediss",
    "pulsar": "pulsar+ssl",
}


def _text(value: JSONValue) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _has(ctx: LintContext, node: Node, key: str) -> bool:
    """Whether an operation or message, or one of its traits, sets ``key``."""
    return any(_text(part.get(key)) for part in with_traits(ctx.data, node))


def asyncapi_message_payload_missing(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    for message in model.messages if model else []:
        if "payload" not in message.value:
            yield ctx.finding(f"message {message.key!r} has no payload", message.pointer)


def asyncapi_operation_id_missing(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    if model is None or model.kind is not Kind.ASYNCAPI_2:
        return  # 3.0 operations are named by their key in `operations`
    for operation in model.operations:
        if not _has(ctx, operation, "operationId"):
            yield ctx.finding(f"operation {operation.key!r} has no operationId", operation.pointer)


def asyncapi_message_name_missing(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    for message in model.messages if model else []:
        if not _has(ctx, message, "name"):
            yield ctx.finding(f"message {message.key!r} has no name", message.pointer)


def asyncapi_server_protocol_insecure(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    for server in model.servers if model else []:
        protocol = server.value.get("protocol")
        secure = INSECURE_PROTOCOLS.get(protocol.strip().lower()) if isinstance(protocol, str) else None
        if secure is not None:
            yield ctx.finding(
                f"server {server.key!r} uses {protocol}, which is not encrypted; use {secure}",
                jsonptr.join(server.pointer, "protocol"),
            )


def asyncapi_channel_description_missing(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    for channel in model.channels if model else []:
        if not _text(channel.value.get("description")):
            yield ctx.finding(f"channel {channel.key!r} has no description", channel.pointer)


def asyncapi_info_contact_missing(ctx: LintContext) -> Iterator[Finding]:
    if model_of(ctx) is None:
        return
    info = lookup(ctx.data, "/info")
    if isinstance(info, dict) and not info.get("contact"):
        yield ctx.finding("info has no contact (who owns these events?)", "/info")


def asyncapi_message_example_invalid(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    validators: dict[Kind, InstanceValidator] = {}
    for message in model.messages if model else []:
        examples = list(message_examples(message))
        for key in ("payload", "headers") if examples else ():
            site = message_schema(ctx.data, ctx.kind, message, key)
            if site is None or not site.json_like:
                continue  # Avro, OpenAPI and other formats are not validated here
            for at, example in examples:
                if key not in example:
                    continue
                if site.draft not in validators:
                    validators[site.draft] = InstanceValidator(ctx.data, site.draft)
                validator = validators[site.draft]
                error = validator.error(site.pointer, example[key], jsonptr.join(at, key))
                if error is not None:
                    yield ctx.finding(
                        f"example {key} does not match the message's {key} schema: {error.message}",
                        error.pointer,
                    )


def _component(pointer: str) -> str | None:
    """The ``/components/<section>/<name>`` a pointer is inside, if any."""
    tokens = jsonptr.split(pointer)
    if len(tokens) >= 3 and tokens[0] == "components":
        return jsonptr.join("/components", tokens[1], tokens[2])
    return None


def asyncapi_component_unused(ctx: LintContext) -> Iterator[Finding]:
    model = model_of(ctx)
    if model is None:
        return
    sections = (
        ("messages", "schemas", "channels") if model.kind is Kind.ASYNCAPI_3 else ("messages", "schemas")
    )
    tracked = {jsonptr.join("/components", section) for section in sections}
    edges: dict[str | None, set[str]] = {}
    for site_pointer, ref in ref_sites(ctx.data):
        target = local_pointer(ref)
        used = _component(target) if target is not None else None
        if used is None or used.rsplit("/", 1)[0] not in tracked:
            continue
        user = _component(site_pointer)
        if user is not None and user.rsplit("/", 1)[0] not in tracked:
            user = None  # a section not judged here (operations, traits ...) counts as a use
        edges.setdefault(user, set()).add(used)
    reached: set[str] = set()
    pending = list(edges.get(None, ()))
    while pending:
        current = pending.pop()
        if current not in reached:
            reached.add(current)
            pending.extend(edges.get(current, ()))
    for container in sorted(tracked):
        entries = lookup(ctx.data, container)
        for name in entries if isinstance(entries, dict) else {}:
            pointer = jsonptr.join(container, name)
            if pointer not in reached:
                yield ctx.finding(
                    f"component {container[len('/components/') :]}/{name} is never referenced", pointer
                )


_rule: Final = rule_factory(*ASYNCAPI)


_INSECURE_LIST: Final = ", ".join(f"{plain} (use {secure})" for plain, secure in INSECURE_PROTOCOLS.items())

RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "asyncapi-message-payload-missing",
        Level.ERROR,
        "Every message defines its payload.",
        asyncapi_message_payload_missing,
        checks="Each message (in channels, operations and `components/messages`) has a `payload`.",
        why="The payload is the contract: without it consumers cannot generate models, validate "
        "events or know what a change breaks.",
        example="components:\n  messages:\n    OrderCreated:\n      name: OrderCreated   # no payload",
        fix="Add `payload` with a schema (`$ref` to `components/schemas` keeps it reusable).",
    ),
    _rule(
        "asyncapi-operation-id-missing",
        Level.WARNING,
        "Every 2.x operation has an operationId.",
        asyncapi_operation_id_missing,
        checks="Each AsyncAPI 2.x `publish`/`subscribe` operation has an `operationId`, itself or "
        "through a trait. (3.0 operations are named by their key in `operations`.)",
        why="Code generators name functions after it, and changelogs and ignore files identify "
        "operations by it; without one, tools invent unstable names from the channel.",
        example="channels:\n  orders:\n    subscribe:          # no operationId\n"
        "      message: {$ref: '#/components/messages/Order'}",
        fix="Add a unique, stable `operationId` such as `onOrderCreated`.",
    ),
    _rule(
        "asyncapi-message-name-missing",
        Level.INFO,
        "Every message has a machine-friendly name.",
        asyncapi_message_name_missing,
        checks="Each message has a `name`, itself or through a trait.",
        why="Generators name classes and handlers after the message name, and documentation lists "
        "messages by it; unnamed messages become `AnonymousMessage1`.",
        example="components:\n  messages:\n    OrderCreated:\n      payload: {type: object}",
        fix="Add `name: OrderCreated`.",
    ),
    _rule(
        "asyncapi-server-protocol-insecure",
        Level.WARNING,
        "Servers use an encrypted protocol.",
        asyncapi_server_protocol_insecure,
        checks=f"No server uses a clear-text protocol. Flagged: {_INSECURE_LIST}. Other protocols "
        "(googlepubsub, sqs, sns, jms, ibmmq, solace, nats ...) are not judged, since their "
        "encryption is configured elsewhere.",
        why="Events carry business data and credentials; on a clear-text protocol anyone on the "
        "path can read or alter them.",
        example="servers:\n  production:\n    host: broker.example.com:9092\n    protocol: kafka",
        fix="Use the encrypted variant (`kafka-secure`, `wss`, `amqps` ...). Scope the rule off "
        "for local development servers in apigov.yaml if they must stay plain.",
    ),
    _rule(
        "asyncapi-channel-description-missing",
        Level.INFO,
        "Every channel has a description.",
        asyncapi_channel_description_missing,
        checks="Each channel has a non-empty `description`.",
        why="The channel is what consumers subscribe to; its description says what flows through "
        "it and when, which the address alone does not.",
        example="channels:\n  orders/created:\n    subscribe:\n      message: {$ref: '#/components/messages/Order'}",
        fix="Add `description:` saying which events the channel carries and when they are sent.",
    ),
    _rule(
        "asyncapi-info-contact-missing",
        Level.INFO,
        "The document names a contact.",
        asyncapi_info_contact_missing,
        checks="`info` has a `contact`.",
        why="Consumers of events need to know which team owns them when a contract changes or breaks.",
        example='info:\n  title: Orders\n  version: "1.0.0"',
        fix="Add `contact` with the owning team's `name`, `email` or `url`.",
    ),
    _rule(
        "asyncapi-message-example-invalid",
        Level.ERROR,
        "Message examples validate against the message's payload and headers schemas.",
        asyncapi_message_example_invalid,
        checks="For each message example, `payload` validates against the message payload schema and "
        "`headers` against the headers schema, when they are AsyncAPI Schema or JSON Schema "
        "(formats not asserted; `$ref` resolved in the document, never over the network). The "
        "finding points inside the example, where it fails.",
        why="Examples become documentation, mocks and test fixtures; an invalid one teaches "
        "producers to send events that consumers reject.",
        example="payload: {type: object, required: [id], properties: {id: {type: string}}}\n"
        "examples:\n  - payload: {id: 42}",
        fix="Correct the example, or the schema if the example shows the real events.",
    ),
    _rule(
        "asyncapi-component-unused",
        Level.WARNING,
        "Every message, schema and (3.0) channel component is used.",
        asyncapi_component_unused,
        checks="Each entry of `components/messages`, `components/schemas` and, in 3.0, "
        "`components/channels` is referenced from outside the components or from another used "
        "component. References from sections not judged here (operations, traits ...) count.",
        why="Unused components are dead contract: readers cannot tell whether they are events "
        "that are sent or leftovers, and they drift from reality unnoticed.",
        example="components:\n  schemas:\n    OldOrder: {type: object}   # nothing refers to it",
        fix="Remove the component, or reference it where it is meant to be used.",
    ),
)
