"""asyncapi-structure-invalid and asyncapi-reference-invalid: AsyncAPI 2.x and 3.0 structure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import pytest
import yaml

from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint import rules_asyncapi
from apigov.lint.structure.asyncapi import RULES
from tests.unit.lint._family_lint import lint, memory_context, mutations, nested, run

STRUCTURE: Final = "asyncapi-structure-invalid"
REFERENCE: Final = "asyncapi-reference-invalid"

VALID_2: Final = """\
asyncapi: 2.6.0
id: urn:example:orders
info:
  title: Orders events
  version: 1.2.0
  description: Order lifecycle events.
  contact: {name: Orders team, email: orders@example.com}
  license: {name: Apache 2.0, url: https://www.apache.org/licenses/LICENSE-2.0}
defaultContentType: application/json
tags: [{name: orders}]
servers:
  production:
    url: broker.example.com:{port}
    protocol: kafka-secure
    description: Production cluster
    variables:
      port: {default: "9093", enum: ["9093"]}
    security: [{saslScram: []}]
    bindings: {kafka: {schemaRegistryUrl: https://registry.example.com}}
channels:
  orders/{orderId}/created:
    description: An order was created.
    servers: [production]
    parameters:
      orderId:
        description: The order id.
        schema: {type: string, format: uuid}
        location: $message.payload#/id
    subscribe:
      operationId: onOrderCreated
      summary: Order created
      tags: [{name: orders}]
      traits: [{$ref: "#/components/operationTraits/kafka"}]
      message:
        $ref: "#/components/messages/OrderCreated"
  orders/cancelled:
    description: Cancellations.
    publish:
      operationId: cancelOrder
      message:
        oneOf:
          - $ref: "#/components/messages/OrderCancelled"
          - name: OrderCancelledAvro
            schemaFormat: application/vnd.apache.avro;version=1.9.0
            contentType: application/avro
            payload:
              type: record
              name: OrderCancelled
              namespace: com.example
              fields:
                - {name: id, type: string}
                - {name: reason, type: ["null", string], default: null}
          - name: OrderCancelledOpenAPI
            schemaFormat: application/vnd.oai.openapi;version=3.0.0
            payload: {type: object, nullable: true}
          - name: OrderCancelledProto
            schemaFormat: application/vnd.google.protobuf;version=3
            payload: "message Cancelled { string id = 1; }"
components:
  messages:
    OrderCreated:
      name: OrderCreated
      messageId: orderCreated
      title: Order created
      contentType: application/json
      traits: [{$ref: "#/components/messageTraits/common"}]
      headers:
        type: object
        properties:
          correlationId: {type: string}
      correlationId: {location: "$message.header#/correlationId"}
      payload:
        $ref: "#/components/schemas/Order"
      examples:
        - name: simple
          headers: {correlationId: abc}
          payload: {id: "o-1", total: 12.5}
    OrderCancelled:
      name: OrderCancelled
      payload:
        type: object
        properties:
          id: {type: string}
  schemas:
    Order:
      type: object
      required: [id, total]
      discriminator: kind
      properties:
        id: {type: string}
        total: {type: number, minimum: 0}
        parent: {$ref: "#/components/schemas/Order"}
  securitySchemes:
    saslScram: {type: scramSha256}
  operationTraits:
    kafka: {bindings: {kafka: {groupId: {type: string}}}}
  messageTraits:
    common: {headers: {type: object}}
x-owner: orders-team
"""

VALID_3: Final = """\
asyncapi: 3.0.0
info:
  title: Orders events
  version: 2.0.0
  contact: {name: Orders team}
  tags: [{name: orders}]
  externalDocs: {url: https://docs.example.com}
defaultContentType: application/json
servers:
  production:
    host: broker.example.com:{port}
    protocol: kafka-secure
    pathname: /v1
    variables:
      port: {default: "9093"}
    security: [{$ref: "#/components/securitySchemes/scram"}]
channels:
  orderCreated:
    address: orders.{orderId}.created
    title: Order created
    description: Orders created.
    servers: [{$ref: "#/servers/production"}]
    parameters:
      orderId: {description: The order id., location: $message.payload#/id}
    messages:
      created: {$ref: "#/components/messages/OrderCreated"}
      createdAvro:
        name: OrderCreatedAvro
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema:
            type: record
            name: OrderCreated
            namespace: com.example
            fields:
              - {name: id, type: {type: string, logicalType: uuid}}
              - {name: at, type: {type: long, logicalType: timestamp-millis}}
  replies:
    address: null
    messages:
      ack: {name: Ack, payload: {type: object}}
  shared: {$ref: "#/components/channels/shared"}
operations:
  publishOrderCreated:
    action: send
    channel: {$ref: "#/channels/orderCreated"}
    messages:
      - $ref: "#/channels/orderCreated/messages/created"
    reply:
      channel: {$ref: "#/channels/replies"}
      messages: [{$ref: "#/channels/replies/messages/ack"}]
      address: {location: "$message.header#/replyTo"}
  receiveAck:
    action: receive
    channel: {$ref: "#/channels/replies"}
    traits: [{$ref: "#/components/operationTraits/kafka"}]
components:
  channels:
    shared:
      address: shared
      messages:
        note: {$ref: "#/components/messages/Note"}
  operations:
    listen:
      action: receive
      channel: {$ref: "#/components/channels/shared"}
      messages: [{$ref: "#/components/channels/shared/messages/note"}]
  messages:
    OrderCreated:
      name: OrderCreated
      contentType: application/json
      headers:
        type: object
        properties:
          replyTo: {type: string}
      payload:
        schemaFormat: application/schema+json;version=draft-07
        schema:
          $ref: "#/components/schemas/Order"
      examples:
        - payload: {id: o-1}
    Note:
      name: Note
      payload:
        schemaFormat: application/schema+json;version=2020-12
        schema: {type: object, prefixItems: [{type: string}]}
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
    Legacy:
      schemaFormat: application/vnd.aai.asyncapi+json;version=3.0.0
      schema: {type: string}
  securitySchemes:
    scram: {type: scramSha256}
  operationTraits:
    kafka: {bindings: {kafka: {groupId: {type: string}}}}
"""


def _doc(text: str) -> dict[str, JSONValue]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _findings(tmp_path: Path, document: object) -> list[tuple[str, str, str]]:
    found = lint(tmp_path, document, RULES)
    return sorted((f.rule_id, f.location.pointer, f.level.value) for f in found)


@pytest.mark.parametrize("text", [VALID_2, VALID_3], ids=["2.6", "3.0"])
def test_realistic_documents_are_valid(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


def test_older_2x_minor_versions_are_read_the_same(tmp_path: Path) -> None:
    assert _findings(tmp_path, VALID_2.replace("asyncapi: 2.6.0", "asyncapi: 2.0.0")) == []


MINIMAL_2: Final = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\n"
MINIMAL_3: Final = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"

BAD: Final[list[tuple[str, str, list[tuple[str, str]]]]] = [
    ("version-number", "asyncapi: 3.0\ninfo: {title: T, version: '1'}\n", [(STRUCTURE, "/asyncapi")]),
    (
        "version-short",
        "asyncapi: '2.6'\ninfo: {title: T, version: '1'}\nchannels: {}\n",
        [(STRUCTURE, "/asyncapi")],
    ),
    ("no-info", "asyncapi: 3.0.0\n", [(STRUCTURE, "")]),
    ("info-not-object", "asyncapi: 3.0.0\ninfo: [1]\n", [(STRUCTURE, "/info")]),
    ("info-title", "asyncapi: 3.0.0\ninfo: {title: 5, version: '1'}\n", [(STRUCTURE, "/info/title")]),
    ("info-version-missing", "asyncapi: 3.0.0\ninfo: {title: T}\n", [(STRUCTURE, "/info")]),
    (
        "info-version-number",
        "asyncapi: 3.0.0\ninfo: {title: T, version: 1}\n",
        [(STRUCTURE, "/info/version")],
    ),
    (
        "info-unknown",
        MINIMAL_3.replace("version: '1'", "version: '1', versio: x"),
        [(STRUCTURE, "/info/versio")],
    ),
    (
        "license-name",
        MINIMAL_3.replace("version: '1'", "version: '1', license: {url: u}"),
        [(STRUCTURE, "/info/license")],
    ),
    ("2x-no-channels", "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n", [(STRUCTURE, "")]),
    (
        "2x-channels-list",
        "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: []\n",
        [(STRUCTURE, "/channels")],
    ),
    ("unknown-top-level", MINIMAL_3 + "foo: bar\nx-fine: 1\n", [(STRUCTURE, "/foo")]),
    ("3x-root-tags", MINIMAL_3 + "tags: []\n", [(STRUCTURE, "/tags")]),
    ("2x-server-url", MINIMAL_2 + "servers: {s: {protocol: kafka}}\n", [(STRUCTURE, "/servers/s")]),
    (
        "3x-server-host",
        MINIMAL_3 + "servers: {s: {url: x, protocol: kafka}}\n",
        [(STRUCTURE, "/servers/s"), (STRUCTURE, "/servers/s/url")],
    ),
    ("server-not-object", MINIMAL_3 + "servers: {s: 5}\n", [(STRUCTURE, "/servers/s")]),
    (
        "server-variable",
        MINIMAL_3 + "servers: {s: {host: '{h}', protocol: p}}\n",
        [(REFERENCE, "/servers/s/host")],
    ),
    (
        "2x-operation-without-message",
        MINIMAL_2.replace("channels: {}", "channels: {a: {publish: {operationId: x}}}"),
        [(STRUCTURE, "/channels/a/publish")],
    ),
    (
        "2x-operation-typo",
        MINIMAL_2.replace(
            "channels: {}", "channels: {a: {publish: {message: {payload: {}}, operationid: x}}}"
        ),
        [(STRUCTURE, "/channels/a/publish/operationid")],
    ),
    (
        "2x-channel-typo",
        MINIMAL_2.replace("channels: {}", "channels: {a: {subcribe: {message: {payload: {}}}}}"),
        [(STRUCTURE, "/channels/a/subcribe")],
    ),
    (
        "2x-operation-not-object",
        MINIMAL_2.replace("channels: {}", "channels: {a: {subscribe: 3}}"),
        [(STRUCTURE, "/channels/a/subscribe")],
    ),
    (
        "2x-oneof-not-list",
        MINIMAL_2.replace("channels: {}", "channels: {a: {subscribe: {message: {oneOf: {}}}}}"),
        [(STRUCTURE, "/channels/a/subscribe/message/oneOf")],
    ),
    (
        "2x-oneof-item",
        MINIMAL_2.replace(
            "channels: {}", "channels: {a: {subscribe: {message: {oneOf: [{payload: {}}, 5]}}}}"
        ),
        [(STRUCTURE, "/channels/a/subscribe/message/oneOf/1")],
    ),
    (
        "2x-undeclared-parameter",
        MINIMAL_2.replace("channels: {}", "channels: {'a/{id}': {}}"),
        [(REFERENCE, "/channels/a~1{id}")],
    ),
    (
        "2x-unused-parameter",
        MINIMAL_2.replace("channels: {}", "channels: {a: {parameters: {id: {}}}}"),
        [(REFERENCE, "/channels/a/parameters/id")],
    ),
    (
        "2x-parameter-schema",
        MINIMAL_2.replace("channels: {}", "channels: {'a/{id}': {parameters: {id: {schema: {type: nope}}}}}"),
        [(STRUCTURE, "/channels/a~1{id}/parameters/id/schema/type")],
    ),
    (
        "2x-channel-server-missing",
        MINIMAL_2.replace(
            "channels: {}", "servers: {s: {url: u, protocol: p}}\nchannels: {a: {servers: [s, t]}}"
        ),
        [(REFERENCE, "/channels/a/servers/1")],
    ),
    (
        "2x-message-typo",
        MINIMAL_2.replace(
            "channels: {}", "channels: {}\ncomponents: {messages: {M: {payload: {}, schemaformat: x}}}"
        ),
        [(STRUCTURE, "/components/messages/M/schemaformat")],
    ),
    (
        "2x-schema-format-not-string",
        MINIMAL_2.replace(
            "channels: {}", "channels: {}\ncomponents: {messages: {M: {payload: {}, schemaFormat: 1}}}"
        ),
        [(STRUCTURE, "/components/messages/M/schemaFormat")],
    ),
    (
        "2x-content-type",
        MINIMAL_2.replace("channels: {}", "channels: {}\ncomponents: {messages: {M: {contentType: [json]}}}"),
        [(STRUCTURE, "/components/messages/M/contentType")],
    ),
    (
        "2x-headers-not-object-schema",
        MINIMAL_2.replace(
            "channels: {}", "channels: {}\ncomponents: {messages: {M: {headers: {type: array}}}}"
        ),
        [(STRUCTURE, "/components/messages/M/headers/type")],
    ),
    (
        "2x-headers-ref-not-object-schema",
        MINIMAL_2.replace(
            "channels: {}",
            "channels: {}\ncomponents:\n  messages: {M: {headers: {$ref: '#/components/schemas/H'}}}\n"
            "  schemas: {H: {type: string}}",
        ),
        [(STRUCTURE, "/components/schemas/H/type")],
    ),
    (
        "2x-payload-schema",
        MINIMAL_2.replace(
            "channels: {}",
            "channels: {}\ncomponents: {messages: {M: {payload: {properties: {a: {minimum: x}}}}}}",
        ),
        [(STRUCTURE, "/components/messages/M/payload/properties/a/minimum")],
    ),
    (
        "2x-avro-payload",
        MINIMAL_2.replace(
            "channels: {}",
            "channels: {}\ncomponents: {messages: {M: {schemaFormat: application/vnd.apache.avro;version=1.9.0, "
            "payload: {type: record, name: R, fields: [{name: a, type: int, default: x}]}}}}",
        ),
        [(STRUCTURE, "/components/messages/M/payload/fields/0/default")],
    ),
    (
        "2x-openapi-payload",
        MINIMAL_2.replace(
            "channels: {}",
            "channels: {}\ncomponents: {messages: {M: {schemaFormat: application/vnd.oai.openapi;version=3.0.0, payload: [1]}}}",
        ),
        [(STRUCTURE, "/components/messages/M/payload")],
    ),
    (
        "2x-correlation-id",
        MINIMAL_2.replace(
            "channels: {}", "channels: {}\ncomponents: {messages: {M: {correlationId: {description: x}}}}"
        ),
        [(STRUCTURE, "/components/messages/M/correlationId")],
    ),
    (
        "2x-example-not-object",
        MINIMAL_2.replace("channels: {}", "channels: {}\ncomponents: {messages: {M: {examples: [3]}}}"),
        [(STRUCTURE, "/components/messages/M/examples/0")],
    ),
    (
        "components-section-not-map",
        MINIMAL_3 + "components: {messages: []}\n",
        [(STRUCTURE, "/components/messages")],
    ),
    (
        "components-unknown-section",
        MINIMAL_3 + "components: {things: {}}\n",
        [(STRUCTURE, "/components/things")],
    ),
    (
        "component-name",
        MINIMAL_3 + "components: {schemas: {'bad name': {type: string}}}\n",
        [(STRUCTURE, "/components/schemas/bad name")],
    ),
    (
        "tag-without-name",
        MINIMAL_3.replace("version: '1'", "version: '1', tags: [{description: x}]"),
        [(STRUCTURE, "/info/tags/0")],
    ),
    (
        "external-docs-url",
        MINIMAL_3.replace("version: '1'", "version: '1', externalDocs: {description: x}"),
        [(STRUCTURE, "/info/externalDocs")],
    ),
    (
        "3x-channel-address",
        MINIMAL_3 + "channels: {a: {address: 5}}\n",
        [(STRUCTURE, "/channels/a/address")],
    ),
    (
        "3x-channel-messages-not-map",
        MINIMAL_3 + "channels: {a: {address: a, messages: [1]}}\n",
        [(STRUCTURE, "/channels/a/messages")],
    ),
    (
        "3x-message-not-object",
        MINIMAL_3 + "channels: {a: {address: a, messages: {m: 7}}}\n",
        [(STRUCTURE, "/channels/a/messages/m")],
    ),
    (
        "3x-undeclared-parameter",
        MINIMAL_3 + "channels: {a: {address: 'a.{id}'}}\n",
        [(REFERENCE, "/channels/a/address")],
    ),
    (
        "3x-unused-parameter",
        MINIMAL_3 + "channels: {a: {address: null, parameters: {id: {}}}}\n",
        [(REFERENCE, "/channels/a/parameters/id")],
    ),
    (
        "3x-channel-server-outside-servers",
        MINIMAL_3 + "channels: {a: {servers: [{$ref: '#/components/servers/s'}]}}\n"
        "components: {servers: {s: {host: h, protocol: p}}}\n",
        [(REFERENCE, "/channels/a/servers/0/$ref")],
    ),
    (
        "3x-operation-action",
        MINIMAL_3
        + "channels: {a: {}}\noperations: {o: {action: publish, channel: {$ref: '#/channels/a'}}}\n",
        [(STRUCTURE, "/operations/o/action")],
    ),
    (
        "3x-operation-required",
        MINIMAL_3 + "operations: {o: {title: x}}\n",
        [(STRUCTURE, "/operations/o"), (STRUCTURE, "/operations/o")],
    ),
    (
        "3x-operation-channel-inline",
        MINIMAL_3 + "operations: {o: {action: send, channel: {address: a}}}\n",
        [(STRUCTURE, "/operations/o/channel")],
    ),
    (
        "3x-operation-channel-in-components",
        MINIMAL_3
        + "components: {channels: {c: {}}}\noperations: {o: {action: send, channel: {$ref: '#/components/channels/c'}}}\n",
        [(REFERENCE, "/operations/o/channel/$ref")],
    ),
    (
        "3x-operation-channel-not-a-channel",
        MINIMAL_3 + "channels: {a: {}}\noperations: {o: {action: send, channel: {$ref: '#/info'}}}\n",
        [(REFERENCE, "/operations/o/channel/$ref")],
    ),
    (
        "3x-operation-channel-dangling",
        MINIMAL_3 + "operations: {o: {action: send, channel: {$ref: '#/channels/nope'}}}\n",
        [(REFERENCE, "/operations/o/channel/$ref")],
    ),
    (
        "3x-operation-message-of-other-channel",
        MINIMAL_3 + "channels:\n  a: {messages: {m: {payload: {}}}}\n  b: {messages: {n: {payload: {}}}}\n"
        "operations: {o: {action: send, channel: {$ref: '#/channels/a'}, messages: [{$ref: '#/channels/b/messages/n'}]}}\n",
        [(REFERENCE, "/operations/o/messages/0/$ref")],
    ),
    (
        "3x-operation-message-from-components",
        MINIMAL_3 + "channels: {a: {messages: {m: {$ref: '#/components/messages/M'}}}}\n"
        "components: {messages: {M: {payload: {}}}}\n"
        "operations: {o: {action: send, channel: {$ref: '#/channels/a'}, messages: [{$ref: '#/components/messages/M'}]}}\n",
        [(REFERENCE, "/operations/o/messages/0/$ref")],
    ),
    (
        "3x-operation-message-inline",
        MINIMAL_3
        + "channels: {a: {}}\noperations: {o: {action: send, channel: {$ref: '#/channels/a'}, messages: [{payload: {}}]}}\n",
        [(STRUCTURE, "/operations/o/messages/0")],
    ),
    (
        "3x-reply-message-of-other-channel",
        MINIMAL_3 + "channels:\n  a: {messages: {m: {payload: {}}}}\n  b: {messages: {n: {payload: {}}}}\n"
        "operations: {o: {action: send, channel: {$ref: '#/channels/a'}, "
        "reply: {channel: {$ref: '#/channels/b'}, messages: [{$ref: '#/channels/a/messages/m'}]}}}\n",
        [(REFERENCE, "/operations/o/reply/messages/0/$ref")],
    ),
    (
        "3x-reply-address",
        MINIMAL_3
        + "channels: {a: {}}\noperations: {o: {action: send, channel: {$ref: '#/channels/a'}, reply: {address: {}}}}\n",
        [(STRUCTURE, "/operations/o/reply/address")],
    ),
    (
        "3x-message-schema-format-on-message",
        MINIMAL_3 + "components: {messages: {M: {schemaFormat: x, payload: {}}}}\n",
        [(STRUCTURE, "/components/messages/M/schemaFormat")],
    ),
    (
        "3x-multi-format-without-schema",
        MINIMAL_3 + "components: {messages: {M: {payload: {schemaFormat: application/json}}}}\n",
        [(STRUCTURE, "/components/messages/M/payload")],
    ),
    (
        "3x-multi-format-format-not-string",
        MINIMAL_3 + "components: {messages: {M: {payload: {schemaFormat: 1, schema: {}}}}}\n",
        [(STRUCTURE, "/components/messages/M/payload/schemaFormat")],
    ),
    (
        "3x-multi-format-json-schema-draft",
        MINIMAL_3
        + "components: {messages: {M: {payload: {schemaFormat: 'application/schema+json;version=draft-04', "
        "schema: {properties: {a: true}}}}}}\n",
        [(STRUCTURE, "/components/messages/M/payload/schema/properties/a")],
    ),
    (
        "3x-headers-multi-format-avro",
        MINIMAL_3
        + "components: {messages: {M: {headers: {schemaFormat: application/vnd.apache.avro;version=1.9.0, "
        "schema: {type: record, fields: []}}}}}\n",
        [(STRUCTURE, "/components/messages/M/headers/schema")],
    ),
    (
        "3x-component-schema-multi-format",
        MINIMAL_3
        + "components: {schemas: {S: {schemaFormat: application/vnd.apache.avro;version=1.9.0, schema: {type: enum}}}}\n",
        [(STRUCTURE, "/components/schemas/S/schema")] * 2,  # no name, no symbols
    ),
    (
        "dangling-ref",
        MINIMAL_3 + "components: {messages: {M: {payload: {$ref: '#/components/schemas/Nope'}}}}\n",
        [(REFERENCE, "/components/messages/M/payload/$ref")],
    ),
    (
        "dangling-headers-ref",
        MINIMAL_3 + "components: {messages: {M: {headers: {$ref: '#/components/schemas/Nope'}}}}\n",
        [(REFERENCE, "/components/messages/M/headers/$ref")],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD, ids=[c for c, _, _ in BAD])
def test_problems_are_reported_at_their_pointer(
    tmp_path: Path, case: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _findings(tmp_path, text) == sorted((rule, pointer, "error") for rule, pointer in expected), case


def test_deep_payload_nesting_terminates(tmp_path: Path) -> None:
    document = _doc(MINIMAL_3)
    document["components"] = {"schemas": {"Deep": nested(60, {"type": "string", "minLength": -1}, "not")}}
    findings = _findings(tmp_path, document)
    assert len(findings) == 1 and findings[0][1].endswith("/not/minLength")


def test_a_recursive_payload_terminates(tmp_path: Path) -> None:
    document = _doc(MINIMAL_3)
    document["components"] = {
        "messages": {
            "M": {"payload": {"$ref": "#/components/schemas/Node"}, "examples": [{"payload": {"next": {}}}]}
        },
        "schemas": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
        },
    }
    assert (
        lint(tmp_path, json.dumps(document), RULES + rules_asyncapi.RULES, name="doc.json") != []
    )  # info rules
    assert _findings(tmp_path, document) == []


@pytest.mark.parametrize(
    ("text", "kind"), [(VALID_2, Kind.ASYNCAPI_2), (VALID_3, Kind.ASYNCAPI_3)], ids=["2.6", "3.0"]
)
def test_hostile_values_anywhere_never_crash(text: str, kind: Kind) -> None:
    for mutated in mutations(_doc(text), limit=30):
        run(memory_context(mutated, kind), RULES + rules_asyncapi.RULES)


def test_a_document_that_is_not_an_object_is_reported() -> None:
    findings = run(memory_context([1, 2], Kind.ASYNCAPI_3), RULES + rules_asyncapi.RULES)
    assert [(f.rule_id, f.location.pointer) for f in findings] == [(STRUCTURE, "")]


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert lint(tmp_path, {"type": "record", "name": "R", "fields": []}, RULES, name="r.avsc") == []
