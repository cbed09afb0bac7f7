"""AsyncAPI governance rules: one triggering and one safe document per rule."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Final

import pytest

from apigov.lint.rules_asyncapi import INSECURE_PROTOCOLS, RULES
from tests.unit.lint._family_lint import hits, lint

CLEAN_2: Final = """\
asyncapi: 2.6.0
info:
  title: Orders
  version: "1.0.0"
  contact: {name: Orders team}
servers:
  production: {url: broker.example.com, protocol: kafka-secure}
channels:
  orders:
    description: Order events.
    subscribe:
      operationId: onOrder
      message: {$ref: "#/components/messages/Order"}
    publish:
      traits: [{$ref: "#/components/operationTraits/named"}]
      message:
        oneOf:
          - {$ref: "#/components/messages/Order"}
          - name: Ping
            payload: {type: object}
components:
  operationTraits:
    named: {operationId: placeOrder}
  messageTraits:
    named: {name: Order}
  messages:
    Order:
      traits: [{$ref: "#/components/messageTraits/named"}]
      headers: {type: object, properties: {id: {type: string}}}
      payload: {$ref: "#/components/schemas/Order"}
      examples:
        - headers: {id: h-1}
          payload: {id: o-1, lines: [{sku: A}]}
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: string}
        lines: {type: array, items: {$ref: "#/components/schemas/Line"}}
    Line:
      type: object
      properties: {sku: {type: string}}
"""

CLEAN_3: Final = """\
asyncapi: 3.0.0
info:
  title: Orders
  version: "1.0.0"
  contact: {name: Orders team}
servers:
  production: {host: broker.example.com, protocol: wss}
channels:
  orders:
    address: orders
    description: Order events.
    messages:
      order: {$ref: "#/components/messages/Order"}
  shared: {$ref: "#/components/channels/Shared"}
operations:
  send:
    action: send
    channel: {$ref: "#/channels/orders"}
    messages: [{$ref: "#/channels/orders/messages/order"}]
components:
  channels:
    Shared:
      address: shared
      description: Shared events.
      messages:
        ping: {name: Ping, payload: {type: object}}
  messages:
    Order:
      name: Order
      payload:
        schemaFormat: application/schema+json;version=draft-07
        schema: {$ref: "#/components/schemas/Order"}
      examples:
        - payload: {id: o-1}
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
"""


def _hits(tmp_path: Path, text: str, rule_id: str) -> list[tuple[str, str]]:
    return hits(lint(tmp_path, text, RULES), rule_id)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
@pytest.mark.parametrize("text", [CLEAN_2, CLEAN_3], ids=["2.6", "3.0"])
def test_careful_documents_are_clean(tmp_path: Path, text: str, rule_id: str) -> None:
    assert _hits(tmp_path, text, rule_id) == []


def test_message_payload_missing(tmp_path: Path) -> None:
    text = CLEAN_3.replace("ping: {name: Ping, payload: {type: object}}", "ping: {name: Ping}")
    assert _hits(tmp_path, text, "asyncapi-message-payload-missing") == [
        ("/components/channels/Shared/messages/ping", "error")
    ]


def test_message_payload_missing_in_a_2x_one_of(tmp_path: Path) -> None:
    text = CLEAN_2.replace("            payload: {type: object}\n", "")
    assert _hits(tmp_path, text, "asyncapi-message-payload-missing") == [
        ("/channels/orders/publish/message/oneOf/1", "error")
    ]


def test_operation_id_missing(tmp_path: Path) -> None:
    text = CLEAN_2.replace("      operationId: onOrder\n", "")
    assert _hits(tmp_path, text, "asyncapi-operation-id-missing") == [
        ("/channels/orders/subscribe", "warning")
    ]


def test_operation_id_is_not_asked_of_3x_operations(tmp_path: Path) -> None:
    assert _hits(tmp_path, CLEAN_3, "asyncapi-operation-id-missing") == []


def test_message_name_missing(tmp_path: Path) -> None:
    text = CLEAN_2.replace("          - name: Ping\n            payload", "          - payload")
    assert _hits(tmp_path, text, "asyncapi-message-name-missing") == [
        ("/channels/orders/publish/message/oneOf/1", "info")
    ]


@pytest.mark.parametrize("protocol", sorted(INSECURE_PROTOCOLS))
def test_server_protocol_insecure(tmp_path: Path, protocol: str) -> None:
    text = CLEAN_3.replace("protocol: wss", f"protocol: {protocol.upper()}")
    assert _hits(tmp_path, text, "asyncapi-server-protocol-insecure") == [
        ("/servers/production/protocol", "warning")
    ]


@pytest.mark.parametrize(
    "protocol", ["https", "amqps", "secure-mqtt", "mqtts", "kafka-secure", "googlepubsub", "sqs"]
)
def test_secure_or_unjudged_protocols(tmp_path: Path, protocol: str) -> None:
    text = CLEAN_3.replace("protocol: wss", f"protocol: {protocol}")
    assert _hits(tmp_path, text, "asyncapi-server-protocol-insecure") == []


def test_channel_description_missing(tmp_path: Path) -> None:
    text = CLEAN_3.replace("      description: Shared events.\n", "")
    assert _hits(tmp_path, text, "asyncapi-channel-description-missing") == [
        ("/components/channels/Shared", "info")
    ]


def test_info_contact_missing(tmp_path: Path) -> None:
    text = CLEAN_2.replace("  contact: {name: Orders team}\n", "")
    assert _hits(tmp_path, text, "asyncapi-info-contact-missing") == [("/info", "info")]


def test_message_example_invalid_2x(tmp_path: Path) -> None:
    text = CLEAN_2.replace("headers: {id: h-1}", "headers: {id: 1}").replace(
        "lines: [{sku: A}]", "lines: [{sku: 7}]"
    )
    assert _hits(tmp_path, text, "asyncapi-message-example-invalid") == [
        ("/components/messages/Order/examples/0/headers/id", "error"),
        ("/components/messages/Order/examples/0/payload/lines/0/sku", "error"),
    ]


def test_message_example_invalid_3x_multi_format(tmp_path: Path) -> None:
    text = CLEAN_3.replace("payload: {id: o-1}", "payload: {id: [o-1]}")
    assert _hits(tmp_path, text, "asyncapi-message-example-invalid") == [
        ("/components/messages/Order/examples/0/payload/id", "error")
    ]


def test_examples_of_avro_payloads_are_not_validated(tmp_path: Path) -> None:
    text = CLEAN_3.replace(
        'schemaFormat: application/schema+json;version=draft-07\n        schema: {$ref: "#/components/schemas/Order"}',
        "schemaFormat: application/vnd.apache.avro;version=1.9.0\n        schema: {type: record, name: O, fields: []}",
    ).replace("payload: {id: o-1}", "payload: 5")
    assert _hits(tmp_path, text, "asyncapi-message-example-invalid") == []


def test_example_validation_never_uses_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    text = CLEAN_3.replace(
        "properties:\n        id: {type: string}",
        "properties:\n        id: {$dynamicRef: 'https://example.invalid/s.json'}",
    )
    assert _hits(tmp_path, text, "asyncapi-message-example-invalid") == []


def test_component_unused(tmp_path: Path) -> None:
    text = CLEAN_3 + "    Old: {type: object, properties: {line: {$ref: '#/components/schemas/OldLine'}}}\n"
    text += "    OldLine: {type: object, properties: {self: {$ref: '#/components/schemas/OldLine'}}}\n"
    text = text.replace('  shared: {$ref: "#/components/channels/Shared"}\n', "")
    assert _hits(tmp_path, text, "asyncapi-component-unused") == [
        ("/components/channels/Shared", "warning"),
        ("/components/schemas/Old", "warning"),
        ("/components/schemas/OldLine", "warning"),  # used only by an unused component
    ]


def test_component_unused_2x_message(tmp_path: Path) -> None:
    text = CLEAN_2 + "  x-spare: 1\n"
    text = text.replace(
        "  messages:\n    Order:", "  messages:\n    Spare: {payload: {type: string}}\n    Order:"
    )
    assert _hits(tmp_path, text, "asyncapi-component-unused") == [("/components/messages/Spare", "warning")]


def test_components_used_from_operations_count(tmp_path: Path) -> None:
    text = CLEAN_3.replace('  shared: {$ref: "#/components/channels/Shared"}\n', "").replace(
        "components:\n",
        "components:\n  operations:\n    listen: {action: receive, channel: {$ref: '#/components/channels/Shared'}}\n",
    )
    assert _hits(tmp_path, text, "asyncapi-component-unused") == []


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert lint(tmp_path, {"type": "record", "name": "R", "fields": []}, RULES, name="r.avsc") == []
