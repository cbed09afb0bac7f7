"""Request bodies on every API of ``apigov serve``: a key given twice in one object is refused (never
"last one wins"), and the media type is the one each API's clients send — ``application/json``
only on apigov's own API (415 problem documents), the Confluent serializers' types on the
Confluent API and JSON types on the Pact Broker API, each refusal in the body shape its clients
read."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from apigov.registry.filesystem import DirectoryBackend
from apigov.server._http import MalformedBody, json_object
from tests.unit.registry._http_support import INVALID, bearer, served
from tests.unit.server._asgi import http_scope

ORDERS = "openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n"
AVRO = json.dumps({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]})


@pytest.fixture
def server(tmp_path: Path) -> tuple[httpx.Client, dict[str, str], Path]:
    client, tokens = served(tmp_path / "reg")
    return client, tokens, tmp_path / "reg"


@pytest.mark.parametrize(
    ("raw", "repeated"),
    [
        (b'{"a": 1, "a": 2}', "a"),
        (b'{"x": {"b": true, "b": false}}', "b"),
        (b'{"x": [{"c": 1}, {"c": 1, "c": 1}]}', "c"),
        (b'{"\\u0061": 1, "a": 2}', "a"),  # the same key spelt twice
    ],
)
def test_a_key_given_twice_is_refused(raw: bytes, repeated: str) -> None:
    with pytest.raises(MalformedBody, match=f"the key '{repeated}' appears twice"):
        json_object(raw)


@pytest.mark.parametrize(
    "raw", [b'{"a": "b: c", "d": {"a": 1}}', b'{"a": 1}', b'{"x": [{"c": 1}, {"c": 2}]}']
)
def test_keys_repeated_only_across_objects_are_fine(raw: bytes) -> None:
    assert json_object(raw) == json.loads(raw)


def test_a_publish_with_a_repeated_key_stores_nothing(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, root = server
    body = f'{{"content": {json.dumps(ORDERS)}, "format": "yaml", "format": "json"}}'.encode()
    answer = client.post(
        "/v1/subjects/orders-api/publish",
        content=body,
        headers={**bearer(tokens["publish"]), "Content-Type": "application/json"},
        extensions=INVALID,
    )
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "'format' appears twice" in answer.json()["detail"]
    assert list(DirectoryBackend(root).list_subjects()) == []


@pytest.mark.parametrize(
    "media",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", "json"],
)
def test_apigovs_api_takes_only_application_json(
    server: tuple[httpx.Client, dict[str, str], Path], media: str | None
) -> None:
    client, tokens, root = server
    headers = bearer(tokens["admin"]) | ({"Content-Type": media} if media else {})
    body = json.dumps({"content": ORDERS}).encode()
    for path, method in (
        ("/v1/subjects/orders-api/publish", "POST"),
        ("/v1/subjects/orders-api/mode", "PUT"),
        ("/v1/subjects/orders-api/versions/1.0.0/deprecation", "PUT"),
    ):
        answer = client.request(method, path, content=body, headers=headers, extensions=INVALID)
        assert answer.status_code == 415, (path, answer.text)
        problem = answer.json()
        assert problem["type"] == "urn:apigov:problem:unsupported-media-type"
        assert "application/json" in problem["detail"]
    assert list(DirectoryBackend(root).list_subjects()) == []


@pytest.mark.parametrize("media", ["application/json", "Application/JSON; charset=UTF-8"])
def test_application_json_in_any_spelling_is_taken(
    server: tuple[httpx.Client, dict[str, str], Path], media: str
) -> None:
    client, tokens, _ = server
    answer = client.post(
        "/v1/subjects/orders-api/publish",
        content=json.dumps({"content": ORDERS}).encode(),
        headers={**bearer(tokens["publish"]), "Content-Type": media},
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    "media",
    [
        "application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json",
        "application/json",
        "application/json; charset=utf-8",
        None,  # Confluent's own registry takes a body without a Content-Type as JSON
    ],
)
def test_the_confluent_api_takes_what_serializers_send(
    server: tuple[httpx.Client, dict[str, str], Path], media: str | None
) -> None:
    client, tokens, _ = server
    headers = bearer(tokens["publish"]) | ({"Content-Type": media} if media else {})
    answer = client.post(
        "/confluent/subjects/orders-value/versions",
        content=json.dumps({"schema": AVRO}).encode(),
        headers=headers,
        extensions=INVALID,
    )
    assert answer.status_code == 200, answer.text
    assert isinstance(answer.json()["id"], int)


def test_the_confluent_api_refuses_in_its_own_shape(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, root = server
    headers = {**bearer(tokens["publish"]), "Content-Type": "application/vnd.schemaregistry.v1+json"}
    twice = client.post(
        "/confluent/subjects/orders-value/versions",
        content=f'{{"schema": {json.dumps(AVRO)}, "schemaType": "JSON", "schemaType": "AVRO"}}'.encode(),
        headers=headers,
        extensions=INVALID,
    )
    assert twice.status_code == 400
    assert twice.json() == {"error_code": 400, "message": "the key 'schemaType' appears twice in one object"}
    text = client.post(
        "/confluent/subjects/orders-value/versions",
        content=json.dumps({"schema": AVRO}).encode(),
        headers={**headers, "Content-Type": "text/plain"},
        extensions=INVALID,
    )
    assert text.status_code == 415 and text.json()["error_code"] == 415
    inner = client.post(  # the schema text is JSON too: a key twice there is no schema either
        "/confluent/subjects/orders-value/versions",
        content=json.dumps({"schema": AVRO[:-1] + ', "name": "Other"}'}).encode(),
        headers=headers,
        extensions=INVALID,
    )
    assert inner.status_code == 422
    assert inner.json() == {
        "error_code": 42201,
        "message": "Invalid schema: the key 'name' appears twice in one object",
    }
    assert list(DirectoryBackend(root).list_subjects()) == []


def test_the_pact_broker_api_refuses_in_its_own_shape(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, _ = server
    pact = {
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    path = "/pact/pacts/provider/orders/consumer/web/version/1.0.0"
    raw = json.dumps(pact)[:-1] + ', "consumer": {"name": "evil"}}'
    twice = client.put(
        path,
        content=raw.encode(),
        headers={**bearer(tokens["publish"]), "Content-Type": "application/json"},
        extensions=INVALID,
    )
    assert twice.status_code == 400
    assert "'consumer' appears twice" in twice.json()["errors"]["pact"][0]
    text = client.put(
        path,
        content=json.dumps(pact).encode(),
        headers={**bearer(tokens["publish"]), "Content-Type": "text/plain"},
        extensions=INVALID,
    )
    assert text.status_code == 415 and "application/json" in text.json()["error"]["message"]
    fine = client.put(
        path,
        content=json.dumps(pact).encode(),
        headers={**bearer(tokens["publish"]), "Content-Type": "application/json"},
        extensions=INVALID,
    )
    assert fine.status_code == 201, fine.text


def test_a_client_gone_mid_body_is_a_client_event_not_a_server_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio
    import logging

    from apigov.registry.tokens import FileTokenStore, create_token
    from apigov.server.app import create_app

    store = FileTokenStore.for_registry(tmp_path)
    token = create_token(store, name="p", scope="publish", created_at="t").token
    app = create_app(DirectoryBackend(tmp_path / "reg"), store)
    messages = iter([{"type": "http.request", "body": b'{"content": "ope', "more_body": True}])
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    headers = [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json")]
    scope = http_scope("POST", "/v1/subjects/orders-api/publish", headers)
    caplog.set_level(logging.INFO, logger="apigov.server")
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    metrics = app.metrics.render()  # type: ignore[attr-defined]
    assert 'operation="publish",status="499"' in metrics
    assert 'status="500"' not in metrics
    events = [(r.getMessage(), getattr(r, "fields", {})) for r in caplog.records]
    assert "internal-error" not in [event for event, _ in events]
    request = next(fields for event, fields in events if event == "request")
    assert request["status"] == 499
    assert not any(r.exc_info for r in caplog.records)
