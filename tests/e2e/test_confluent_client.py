"""The Confluent Schema Registry API of a real ``apigov serve`` process, driven by the real
Kafka client (PyPI ``confluent-kafka[avro,schemaregistry]``; no broker: serializers talk to the
registry directly), on the directory and PostgreSQL backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e._server import REGISTRIES, Server, make_token, running_servers

try:
    from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
    from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
    from confluent_kafka.schema_registry.error import SchemaRegistryError
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext
except ImportError:  # pragma: no cover - the dev extra installs it
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise
    pytest.skip("confluent-kafka[avro,schemaregistry] is not installed", allow_module_level=True)

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop" / "events"
ORDER_V1 = {
    "type": "record",
    "name": "Order",
    "namespace": "shop.orders",
    "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}],
}


def _order(*extra: dict[str, Any]) -> str:
    return json.dumps({**ORDER_V1, "fields": [*ORDER_V1["fields"], *extra]})


@pytest.fixture(params=sorted(REGISTRIES))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, str, str]]:
    location = REGISTRIES[request.param](tmp_path)
    token = make_token(location, "admin", "kafka")
    with running_servers(location, tmp_path) as servers:
        yield servers[0], location, token


_OPEN: list[SchemaRegistryClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def _client(server: Server, token: str) -> SchemaRegistryClient:
    client = SchemaRegistryClient(
        {"url": server.url + "/confluent", "basic.auth.user.info": f"producer:{token}"}
    )
    _OPEN.append(client)
    return client


def _ctx(topic: str) -> SerializationContext:
    return SerializationContext(topic, MessageField.VALUE)


def _apigov(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "apigov", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_serializers_register_read_and_judge_through_apigov(served: tuple[Server, str, str]) -> None:
    server, location, token = served
    client = _client(server, token)

    # Avro: the serializer registers on first use; the bytes carry the id it got back
    data = AvroSerializer(client, _order())({"id": "o-1", "amount": 42}, _ctx("orders"))
    assert data is not None and data[0] == 0
    schema_id = int.from_bytes(data[1:5], "big")
    latest = client.get_latest_version("orders-value")
    assert (latest.version, latest.schema_id) == (1, schema_id)
    fresh = _client(server, token)  # a consumer in another process: nothing cached
    assert AvroDeserializer(fresh)(data, _ctx("orders")) == {"id": "o-1", "amount": 42}
    assert json.loads(fresh.get_schema(schema_id).schema_str) == ORDER_V1

    # BACKWARD (the default): a field without a default breaks old data, one with a default does not
    breaking = Schema(_order({"name": "note", "type": "string"}), "AVRO")
    compatible = Schema(_order({"name": "note", "type": "string", "default": ""}), "AVRO")
    assert client.test_compatibility("orders-value", breaking) is False
    assert client.test_compatibility("orders-value", compatible) is True
    verbose = httpx.post(
        server.url + "/confluent/compatibility/subjects/orders-value/versions/1?verbose=true",
        json={"schema": breaking.schema_str},
        auth=("x", token),
        timeout=60,
    ).json()
    assert verbose["is_compatible"] is False
    assert any(m.startswith("avro-") and "note" in m for m in verbose["messages"]), verbose
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema("orders-value", breaking)
    assert refused.value.http_status_code == 409
    assert "BACKWARD" in refused.value.error_message
    second = client.register_schema("orders-value", compatible)
    assert second > schema_id
    assert client.register_schema("orders-value", compatible) == second  # identical: same id, no version
    found = client.lookup_schema("orders-value", compatible)
    assert (found.version, found.schema_id) == (2, second)
    assert client.get_versions("orders-value") == [1, 2]

    # the same history through apigov: 1.0.0 then a minor bump, published by the token
    history = json.loads(_apigov("registry", "versions", "orders-value", "-r", location, "-f", "json"))
    assert [v["version"] for v in history["versions"]] == ["1.0.0", "1.1.0"]

    assert client.set_compatibility("orders-value", "FULL") == {"compatibility": "FULL"}
    assert client.get_compatibility("orders-value") == "FULL"

    # JSON Schema through JSONSerializer / JSONDeserializer
    event_schema = json.dumps(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Ping",
            "type": "object",
            "properties": {"at": {"type": "string"}},
            "required": ["at"],
        }
    )
    payload = JSONSerializer(event_schema, client)({"at": "now"}, _ctx("pings"))
    assert payload is not None
    assert JSONDeserializer(None, schema_registry_client=_client(server, token))(payload, _ctx("pings")) == {
        "at": "now"
    }
    assert client.get_latest_version("pings-value").schema.schema_type == "JSON"

    # schema references: a named type from another subject
    address = {
        "type": "record",
        "name": "Address",
        "namespace": "shop",
        "fields": [{"name": "city", "type": "string"}],
    }
    ref_version = client.register_schema("shop.address-value", Schema(json.dumps(address), "AVRO"))
    assert ref_version > 0
    customer = json.dumps(
        {
            "type": "record",
            "name": "Customer",
            "namespace": "shop",
            "fields": [{"name": "home", "type": "shop.Address"}],
        }
    )
    with_ref = Schema(customer, "AVRO", [SchemaReference("shop.Address", "shop.address-value", 1)])
    customer_id = client.register_schema("customers-value", with_ref)
    assert client.lookup_schema("customers-value", with_ref).schema_id == customer_id
    # a JSON Schema reference: the referenced schema is embedded under $defs of the stored version
    money = {"type": "object", "properties": {"cents": {"type": "integer"}}, "required": ["cents"]}
    client.register_schema("shop.money-value", Schema(json.dumps(money), "JSON"))
    invoice = json.dumps({"type": "object", "properties": {"total": {"$ref": "money.json"}}})
    json_ref = Schema(invoice, "JSON", [SchemaReference("money.json", "shop.money-value", 1)])
    invoice_id = client.register_schema("invoices-value", json_ref)
    assert client.lookup_schema("invoices-value", json_ref).schema_id == invoice_id
    stored = json.loads(client.get_schema(invoice_id).schema_str)
    assert stored["properties"]["total"] == {"$ref": "#/$defs/ref-money.json"}
    assert stored["$defs"]["ref-money.json"] == money
    missing = Schema(customer, "AVRO", [SchemaReference("shop.Address", "shop.address-value", 9)])
    with pytest.raises(SchemaRegistryError) as bad_ref:
        client.register_schema("customers2-value", missing)
    assert bad_ref.value.error_code == 42201


def digest_of_schema(client: SchemaRegistryClient, schema_id: int) -> str:
    from apigov.registry.base import digest_of

    return digest_of(client.get_schema(schema_id).schema_str.encode("utf-8"))


def test_shop_events_published_with_apigov_are_read_by_the_deserializer(
    served: tuple[Server, str, str], tmp_path: Path
) -> None:
    server, location, token = served
    subject = "shop.inventory.inventory-reserved-value"
    _apigov(
        "publish", str(SHOP / "v1" / "avro" / "inventory-reserved.avsc"), "--subject", subject, "-r", location
    )
    _apigov(
        "publish",
        str(SHOP / "v1" / "schemas" / "order-created.json"),
        "--subject",
        "shop.orders.order-created-value",
        "-r",
        location,
    )
    client = _client(server, token)
    assert {"shop.orders.order-created-value", subject} <= set(client.get_subjects())
    serializer = AvroSerializer(
        client, None, conf={"auto.register.schemas": False, "use.latest.version": True}
    )
    event = {
        "eventId": str(uuid.uuid4()),
        "occurredAt": 1_700_000_000_000,
        "reservationId": str(uuid.uuid4()),
    }
    schema = json.loads(client.get_latest_version(subject).schema.schema_str)
    for field in schema["fields"]:  # fill the rest from the schema itself
        if field["name"] not in event:
            event[field["name"]] = _sample(field["type"])
    data = serializer(event, _ctx("shop.inventory.inventory-reserved"))
    assert data is not None
    read = AvroDeserializer(_client(server, token))(data, _ctx("shop.inventory.inventory-reserved"))
    assert read is not None and read["warehouseId"] == event["warehouseId"]
    order = client.get_latest_version("shop.orders.order-created-value")
    assert order.schema.schema_type == "JSON"
    assert json.loads(client.get_schema(order.schema_id).schema_str)["title"] == "OrderCreated"

    # the ids travel: copied from the server (the HTTP backend reads them) into a new directory
    copy = tmp_path / "copy"
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "registry", "copy", server.url, str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "APIGOV_TOKEN": token},
    )
    assert done.returncode == 0, done.stderr
    assert "2 schema ids" in done.stdout
    from apigov.registry.filesystem import DirectoryBackend
    from apigov.registry.schema_ids import schema_ids_for

    copied = schema_ids_for(DirectoryBackend(copy)).all_ids()
    assert copied[order.schema_id] == digest_of_schema(client, order.schema_id)
    verified = _apigov("registry", "verify", "-r", str(copy))
    assert "0 problems" in verified


def _sample(avro_type: Any) -> Any:
    if isinstance(avro_type, list):
        return None if "null" in avro_type else _sample(avro_type[0])
    if isinstance(avro_type, dict):
        if avro_type.get("logicalType") == "uuid":
            return str(uuid.uuid4())
        if avro_type["type"] == "array":
            return [_sample(avro_type["items"])]
        if avro_type["type"] == "record":
            return {f["name"]: _sample(f["type"]) for f in avro_type["fields"]}
        if avro_type["type"] == "enum":
            return avro_type["symbols"][0]
        return _sample(avro_type["type"])
    return {"string": "WH-BER-01", "int": 1, "long": 1, "boolean": True, "double": 1.0, "float": 1.0}.get(
        avro_type
    )


def test_bad_input_is_refused_in_confluent_shape_and_nothing_is_stored(
    served: tuple[Server, str, str],
) -> None:
    server, _location, token = served
    base = server.url + "/confluent"
    auth = ("anyone", token)
    media = {"Content-Type": "application/vnd.schemaregistry.v1+json"}

    def post(path: str, body: object, headers: dict[str, str] = media) -> httpx.Response:
        return httpx.post(base + path, content=json.dumps(body), headers=headers, auth=auth, timeout=30)

    cases = [
        (post("/subjects/a-value/versions", {"schema": '{"type": "record", "name": "X"}'}), 422, 42201),
        (post("/subjects/a-value/versions", {"schema": "{not json"}), 422, 42201),
        (
            post(
                "/subjects/a-value/versions", {"schema": '{"type": "object"}', "schemaType": "JSON", "x": 1}
            ),
            None,
            None,
        ),
        (post("/subjects/b-value/versions", {"schema": '"string"', "schemaType": "PROTOBUF"}), 422, 42201),
        (
            post(
                "/subjects/b-value/versions",
                {"schema": '"string"', "references": [{"name": "n", "subject": "nope", "version": 1}]},
            ),
            422,
            42201,
        ),
        (post("/subjects/..%2Fetc/versions", {"schema": '"string"'}), 422, 42208),
        (post("/subjects/Bad%01Name/versions", {"schema": '"string"'}), 422, 42208),
        (httpx.get(base + "/subjects/a-value/versions/0", auth=auth), 422, 42202),
        (httpx.get(base + "/subjects/a-value/versions/-2", auth=auth), 422, 42202),
        (
            post("/subjects/b-value/versions", {"schema": '"string"'}, {"Content-Type": "text/plain"}),
            415,
            415,
        ),
        (post("/subjects/b-value/versions", {"schema": '"' + "x" * (11 * 1024 * 1024) + '"'}), 413, 413),
        (httpx.get(base + "/subjects", auth=("anyone", "wrong")), 401, 40101),
        (httpx.get(base + "/schemas/ids/999", auth=auth), 404, 40403),
        (httpx.get(base + "/subjects/nope-value/versions", auth=auth), 404, 40401),
        (httpx.delete(base + "/subjects/a-value", auth=auth), 422, 42205),
    ]
    cases.append((httpx.get(base + "/subjects/a-value/versions/99", auth=auth), 404, 40402))
    cases.append((httpx.get(base + "/subjects/a-value/versions/latest/schema", auth=auth), 200, None))
    for response, status, code in cases:
        if status is None:
            continue
        if code is None:
            assert response.status_code == status and response.json() == {"type": "object"}
            continue
        assert response.status_code == status, response.text
        assert response.json()["error_code"] == code, response.text
        assert "Traceback" not in response.text
    invalid = cases[0][0].json()["message"]
    assert "\n" not in invalid and invalid.startswith("Invalid schema")
    listed = httpx.get(base + "/subjects", auth=auth).json()
    assert listed == ["a-value"]  # only the valid JSON Schema was stored
    assert httpx.get(base + "/subjects/b-value/versions", auth=auth).json()["error_code"] == 40401


def test_a_change_apigov_cannot_decide_is_refused_unless_the_mode_is_none(
    served: tuple[Server, str, str],
) -> None:
    server, _location, token = served
    client = _client(server, token)

    def pattern(regex: str) -> Schema:
        return Schema(
            json.dumps({"type": "object", "properties": {"code": {"type": "string", "pattern": regex}}}),
            "JSON",
        )

    client.register_schema("codes-value", pattern("^a+$"))
    doubtful = pattern("^(a|b)+$")
    assert client.test_compatibility("codes-value", doubtful) is False
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema("codes-value", doubtful)
    assert refused.value.http_status_code == 409
    assert "cannot show" in refused.value.error_message
    verbose = httpx.post(
        server.url + "/confluent/compatibility/subjects/codes-value/versions/latest?verbose=true",
        json={"schema": doubtful.schema_str, "schemaType": "JSON"},
        auth=("x", token),
    ).json()
    assert verbose["is_compatible"] is False
    assert any("cannot decide" in m for m in verbose["messages"])
    client.set_compatibility("codes-value", "NONE")
    assert client.register_schema("codes-value", doubtful) > 0


def test_a_subject_relaxed_to_warning_registers_a_change_apigov_cannot_decide(
    served: tuple[Server, str, str],
) -> None:
    """``apigov registry set-undecided S warning``: the undecided change is registered, and still
    said: the compatibility check's messages, the version's recorded changes."""
    server, _location, token = served
    client = _client(server, token)

    def pattern(regex: str) -> Schema:
        return Schema(
            json.dumps({"type": "object", "properties": {"code": {"type": "string", "pattern": regex}}}),
            "JSON",
        )

    client.register_schema("codes-value", pattern("^a+$"))
    admin = {"Authorization": f"Bearer {token}"}
    relaxed = httpx.put(
        server.url + "/v1/subjects/codes-value/undecided", json={"undecided": "warning"}, headers=admin
    )
    assert relaxed.status_code == 200 and relaxed.json()["undecided"] == "warning", relaxed.text
    doubtful = pattern("^(a|b)+$")
    assert client.test_compatibility("codes-value", doubtful) is True
    verbose = httpx.post(
        server.url + "/confluent/compatibility/subjects/codes-value/versions/latest?verbose=true",
        json={"schema": doubtful.schema_str, "schemaType": "JSON"},
        auth=("x", token),
    ).json()
    assert verbose["is_compatible"] is True
    assert any("cannot decide whether new readers are affected" in m for m in verbose["messages"])
    assert client.register_schema("codes-value", doubtful) > 0
    stored = httpx.get(server.url + "/v1/subjects/codes-value/versions/latest", headers=admin).json()
    [change] = stored["meta"]["changes"]
    assert (change["level"], change["undecided"]) == ("warning", True)
    assert "cannot decide" in change["message"]
    # back to breaking: the next undecided change is refused again, with the reason
    httpx.put(
        server.url + "/v1/subjects/codes-value/undecided", json={"undecided": "breaking"}, headers=admin
    )
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema("codes-value", pattern("^(a|b|c)+$"))
    assert refused.value.http_status_code == 409
    assert "cannot decide" in refused.value.error_message


def test_scopes_mode_and_only_event_subjects(served: tuple[Server, str, str]) -> None:
    server, location, admin = served
    base = server.url + "/confluent"
    publisher = make_token(location, "publish", "producer")
    reader = make_token(location, "read", "consumer")
    _apigov(
        "publish",
        str(SHOP.parent / "orders" / "v1" / "openapi.yaml"),
        "--subject",
        "orders-api",
        "-r",
        location,
    )
    schema = {"schema": json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}]})}
    with httpx.Client(timeout=60) as http:
        # OpenAPI subjects are not part of the Confluent view
        assert http.get(base + "/subjects", auth=("u", reader)).json() == []
        assert (
            http.get(base + "/subjects/orders-api/versions", auth=("u", reader)).json()["error_code"] == 40401
        )
        # read cannot register; publish can; config and mode need admin; Bearer works too
        denied = http.post(base + "/subjects/a-value/versions", json=schema, auth=("u", reader))
        assert (denied.status_code, denied.json()["error_code"]) == (403, 40301)
        assert http.post(base + "/subjects/a-value/versions", json=schema, auth=("u", publisher)).json() == {
            "id": 1
        }
        for path, body in (("/config", {"compatibility": "FULL"}), ("/mode", {"mode": "READONLY"})):
            refused = http.put(base + path, json=body, auth=("u", publisher))
            assert (refused.status_code, refused.json()["error_code"]) == (403, 40301)
        bearer = {"Authorization": f"Bearer {admin}"}
        assert http.put(base + "/config", json={"compatibility": "FULL"}, headers=bearer).json() == {
            "compatibility": "FULL"
        }
        assert http.get(base + "/config", headers=bearer).json() == {"compatibilityLevel": "FULL"}
        assert (
            http.put(base + "/config", json={"compatibility": "SIDEWAYS"}, headers=bearer).json()[
                "error_code"
            ]
            == 42203
        )
        assert http.put(base + "/mode", json={"mode": "READONLY"}, headers=bearer).json() == {
            "mode": "READONLY"
        }
        other = {"schema": json.dumps({"type": "record", "name": "B", "fields": []})}
        frozen = http.post(base + "/subjects/b-value/versions", json=other, auth=("u", publisher))
        assert (frozen.status_code, frozen.json()["error_code"]) == (422, 42205)
        # an identical registration still answers in READONLY (it writes nothing)
        assert http.post(base + "/subjects/a-value/versions", json=schema, auth=("u", publisher)).json() == {
            "id": 1
        }
        http.put(base + "/mode", json={"mode": "READWRITE"}, headers=bearer)
        # a new subject starts with the registry-wide level
        assert (
            http.post(base + "/subjects/b-value/versions", json=other, auth=("u", publisher)).status_code
            == 200
        )
        assert http.get(base + "/config/b-value", headers=bearer).json() == {"compatibilityLevel": "FULL"}
        types = http.get(base + "/schemas/types", auth=("u", reader))
        assert types.json() == ["AVRO", "JSON"]
        assert types.headers["content-type"].startswith("application/vnd.schemaregistry.v1+json")
        plain = http.get(base + "/schemas/types", auth=("u", reader), headers={"Accept": "application/json"})
        assert plain.headers["content-type"] == "application/json" and plain.json() == ["AVRO", "JSON"]


def test_subject_names_in_any_case_work_through_the_real_serializers(served: tuple[Server, str, str]) -> None:
    """Kafka topics and record names keep their case (``Shop.Orders-value``,
    ``TopicRecordNameStrategy``'s ``Shop.Orders-shop.orders.Order``): Confluent takes any such
    subject, so apigov does, stored under a reversible lower-case name."""
    server, location, token = served
    client = _client(server, token)
    data = AvroSerializer(client, _order())({"id": "o-1", "amount": 1}, _ctx("Shop.Orders"))
    assert data is not None
    assert AvroDeserializer(_client(server, token))(data, _ctx("Shop.Orders")) == {"id": "o-1", "amount": 1}
    assert "Shop.Orders-value" in client.get_subjects()
    latest = client.get_latest_version("Shop.Orders-value")
    assert latest.version == 1 and latest.subject == "Shop.Orders-value"
    other = client.register_schema("shop.orders-value", Schema(_order(), "AVRO"))  # another subject
    assert other == latest.schema_id  # the same content: the same global id
    assert sorted(client.get_subjects()) == ["Shop.Orders-value", "shop.orders-value"]
    listing = json.loads(_apigov("registry", "list", "-r", location, "--format", "json"))
    assert sorted(s["subject"] for s in listing["subjects"]) == [
        "cf--_shop._orders-value",
        "shop.orders-value",
    ]
    with pytest.raises(SchemaRegistryError) as unknown:
        client.get_latest_version("SHOP.orders-value")
    assert unknown.value.http_status_code == 404


def test_verbose_messages_show_a_bounded_counter_example_around_the_field(
    served: tuple[Server, str, str],
) -> None:
    # a wide record: the whole counter-example would be thousands of characters long
    server, _location, token = served
    names = [f"field{index:03d}" for index in range(200)]

    def wide(kind_of_last: str) -> str:
        properties = {name: {"type": "string"} for name in names}
        properties["zz_amount"] = {"type": kind_of_last}
        return json.dumps({"type": "object", "properties": properties, "required": [*names, "zz_amount"]})

    client = _client(server, token)
    client.register_schema("wide-value", Schema(wide("string"), "JSON"))
    verbose = httpx.post(
        server.url + "/confluent/compatibility/subjects/wide-value/versions/latest?verbose=true",
        json={"schema": wide("integer"), "schemaType": "JSON"},
        auth=("x", token),
        timeout=60,
    ).json()
    assert verbose["is_compatible"] is False
    (message,) = [m for m in verbose["messages"] if "zz_amount" in m and "e.g." in m]
    example = message.split("; e.g. ", 1)[1]
    assert "zz_amount" in example and len(example) < 200, message
