"""Serialise one shop event to Kafka bytes and read it back through Confluent's serializers,
against the registry of `apigov serve` (no Kafka broker is needed: serializers talk only to the
registry). Used by examples/demo.sh: python roundtrip.py URL TOKEN SUBJECT."""

from __future__ import annotations

import json
import sys
import uuid

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main(url: str, token: str, subject: str) -> int:
    topic = subject.removesuffix("-value")
    context = SerializationContext(topic, MessageField.VALUE)
    event = {
        "eventId": str(uuid.uuid4()),
        "occurredAt": 1_764_000_000_000,
        "reservationId": str(uuid.uuid4()),
        "orderId": "ord_01JD3M4Q7A2B3C4D5E6F7G8H9J",
        "warehouseId": "WH-BER-01",
    }
    with SchemaRegistryClient({"url": url, "basic.auth.user.info": f"demo:{token}"}) as producer_side:
        latest = producer_side.get_latest_version(subject)
        for field in json.loads(latest.schema.schema_str)["fields"]:
            event.setdefault(field["name"], _example(field))
        serializer = AvroSerializer(
            producer_side, None, conf={"auto.register.schemas": False, "use.latest.version": True}
        )
        data = serializer(event, context)
    assert data is not None
    print(f"{subject} v{latest.version} (schema id {latest.schema_id}): {len(data)} bytes {data[:12].hex()}...")
    print(f"magic byte {data[0]}, schema id in the bytes {int.from_bytes(data[1:5], 'big')}")
    with SchemaRegistryClient({"url": url, "basic.auth.user.info": f"demo:{token}"}) as consumer_side:
        read = AvroDeserializer(consumer_side)(data, context)
    assert read is not None and str(read["eventId"]) == event["eventId"], read  # logical types come back typed
    assert read["orderId"] == event["orderId"] and read["warehouseId"] == event["warehouseId"], read
    print(f"read back by a fresh deserializer: orderId={read['orderId']} warehouseId={read['warehouseId']}")
    return 0


def _example(field: dict[str, object]) -> object:
    kind = field["type"]
    if isinstance(kind, list):
        return None
    if isinstance(kind, dict):
        if kind.get("type") == "array":
            return []
        if kind.get("type") == "enum":
            return kind["symbols"][0]  # type: ignore[index]
        kind = kind.get("type")
    return {"string": "x", "int": 1, "long": 1, "boolean": False, "double": 0.0, "float": 0.0}.get(str(kind))


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
