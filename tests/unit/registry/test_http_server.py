"""``apigov serve`` in process: scopes, names, size limits, the publish policy, logs and metrics.

Every request and answer here goes through ``_http_support.checked_client``, which fails the
test when one does not follow ``apigov/server/openapi.yaml``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import shutil
from pathlib import Path

import httpx
import pytest

from apigov.config.project import Config
from apigov.registry.base import Deprecation, SemVer, VersionMeta
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.publish import PublishRequest, publish
from apigov.registry.tokens import FileTokenStore
from apigov.schema.modes import Mode
from apigov.server.app import ServerSettings, create_app
from apigov.server.observe import JsonFormatter
from tests.unit.registry._http_support import INVALID, bearer, checked_client, served, walk
from tests.unit.server._asgi import http_scope

ORDERS_V1 = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: An order.
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  total: {type: number}
"""
ORDERS_ADDED = ORDERS_V1.replace(
    "      responses:",
    "        - {name: expand, in: query, required: false, schema: {type: string}}\n      responses:",
)
ORDERS_BROKEN = ORDERS_V1.replace(
    "{name: id, in: path, required: true, schema: {type: string}}",
    "{name: id, in: path, required: true, schema: {type: integer}}",
)


@pytest.fixture
def server(tmp_path: Path) -> tuple[httpx.Client, dict[str, str], Path]:
    client, tokens = served(tmp_path / "reg")
    return client, tokens, tmp_path / "reg"


def _publish(
    client: httpx.Client,
    token: str | None,
    content: str,
    subject: str = "orders-api",
    invalid: bool = False,
    **more: object,
) -> httpx.Response:
    return client.post(
        f"/v1/subjects/{subject}/publish",
        json={"content": content, "source": "orders.yaml", **more},
        headers=bearer(token) if token else {},
        extensions=INVALID if invalid else None,
    )


def test_health_and_metrics(server: tuple[httpx.Client, dict[str, str], Path]) -> None:
    client, _, _ = server
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ready"}
    client.get("/v1/subjects")
    metrics = client.get("/metrics").text
    assert 'apigov_http_requests_total{method="GET",operation="listSubjects",status="401"} 1' in metrics
    assert 'apigov_http_request_duration_seconds_count{operation="live"} 1' in metrics


def test_reads_need_a_token_unless_anonymous_read(tmp_path: Path) -> None:
    client, tokens = served(tmp_path / "reg")
    answer = client.get("/v1/subjects")
    assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["type"] == "urn:apigov:problem:unauthorized"
    assert client.get("/v1/subjects", headers=bearer(tokens["read"])).json() == {"subjects": []}
    assert client.get("/v1/subjects", headers={"Authorization": "Basic eDp5"}).status_code == 401
    open_client, _ = served(tmp_path / "open", ServerSettings(anonymous_read=True))
    assert open_client.get("/v1/subjects").status_code == 200
    assert open_client.get("/v1/subjects", headers=bearer("apigov_wrong")).status_code == 401
    assert _publish(open_client, None, ORDERS_V1).status_code == 401


def test_writes_without_a_token_or_with_a_small_scope_change_nothing(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, root = server
    assert _publish(client, tokens["publish"], ORDERS_V1).status_code == 201
    before = list(walk(root))
    put = {
        "kind": "openapi",
        "format": "yaml",
        "content": "x: 1\n",
        "digest": "sha256:" + "0" * 64,
        "meta": {"published_at": "t", "publisher": "p"},
        "expected_latest": "1.0.0",
    }
    for headers, status in (({}, 401), (bearer("apigov_" + "A" * 43), 401), (bearer(tokens["read"]), 403)):
        assert _publish(client, None, ORDERS_ADDED).status_code == 401
        assert (
            client.post(
                "/v1/subjects/orders-api/publish", json={"content": ORDERS_ADDED}, headers=headers
            ).status_code
            == status
        )
        assert (
            client.put("/v1/subjects/orders-api/versions/2.0.0", json=put, headers=headers).status_code
            == status
        )
        assert (
            client.put("/v1/subjects/orders-api/mode", json={"mode": "NONE"}, headers=headers).status_code
            == status
        )
        assert (
            client.delete("/v1/subjects/orders-api/versions/1.0.0/deprecation", headers=headers).status_code
            == status
        )
    publisher = bearer(tokens["publish"])
    assert (
        client.put("/v1/subjects/orders-api/versions/2.0.0", json=put, headers=publisher).status_code == 403
    )
    assert (
        client.put("/v1/subjects/orders-api/mode", json={"mode": "NONE"}, headers=publisher).status_code
        == 403
    )
    forbidden = client.put("/v1/subjects/orders-api/versions/1.0.0/deprecation", json={}, headers=publisher)
    assert forbidden.status_code == 403 and "scope admin" in forbidden.json()["detail"]
    assert list(walk(root)) == before


@pytest.mark.parametrize(
    "path",
    [
        "/v1/subjects/..%2F..%2Fetc/publish",
        "/v1/subjects/../../etc/publish",
        "/v1/subjects/../publish",
        "/v1/subjects/../../tmp",
        "/v1/subjects/..",
        "/v1/subjects/.lock/publish",
        "/v1/subjects/Orders/publish",
        "/v1/subjects/%2E%2E/publish",
        "/v1/subjects/" + "a" * 201 + "/publish",
    ],
)
def test_subject_names_outside_the_grammar_are_refused(
    server: tuple[httpx.Client, dict[str, str], Path], path: str
) -> None:
    client, tokens, root = server
    # raw paths: httpx would normalise the dot segments away
    request = client.build_request(
        "POST",
        "http://registry.test/",
        json={"content": ORDERS_V1},
        headers=bearer(tokens["admin"]),
        extensions=INVALID,
    )
    request.url = request.url.copy_with(raw_path=path.encode())
    answer = client.send(request)
    assert answer.status_code in (400, 404, 405), (path, answer.status_code, answer.text)
    assert not list(walk(root.parent)) or all(".." not in name for name, _ in walk(root.parent))
    assert not (root.parent / "etc").exists() and not (root.parent.parent / "etc").exists()
    assert list(DirectoryBackend(root).list_subjects()) == []


def test_a_body_over_the_limit_is_refused_from_its_length(tmp_path: Path) -> None:
    client, tokens = served(tmp_path / "reg", ServerSettings(max_body=2048))
    answer = _publish(client, tokens["publish"], ORDERS_V1 + "#" * 4096)
    assert answer.status_code == 413 and answer.json()["type"] == "urn:apigov:problem:too-large"
    assert not (tmp_path / "reg" / "orders-api").exists()


def test_a_streamed_body_is_cut_off_at_the_limit_without_reading_the_rest(tmp_path: Path) -> None:
    store = FileTokenStore.for_registry(tmp_path)
    from apigov.registry.tokens import create_token

    token = create_token(store, name="p", scope="publish", created_at="t").token
    app = create_app(DirectoryBackend(tmp_path / "reg"), store, ServerSettings(max_body=4096))
    chunk = b" " * 1024
    total_chunks = 1000
    pulled = 0
    answer: dict[str, object] = {}

    async def receive() -> dict[str, object]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < total_chunks}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    headers = [
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
        (b"transfer-encoding", b"chunked"),
    ]
    scope = http_scope("POST", "/v1/subjects/orders-api/publish", headers)
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert answer["status"] == 413
    assert pulled <= 5 < total_chunks


def test_publish_through_the_policy_refuses_what_apigov_publish_refuses(
    server: tuple[httpx.Client, dict[str, str], Path], tmp_path: Path
) -> None:
    client, tokens, root = server
    token = tokens["publish"]
    first = _publish(client, token, ORDERS_V1, labels={"team": "orders"}, git_sha="abc123")
    assert first.status_code == 201, first.text
    assert (first.json()["status"], first.json()["version"]) == ("published", "1.0.0")
    again = _publish(client, token, ORDERS_V1)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    added = _publish(client, token, ORDERS_ADDED)
    assert added.status_code == 201 and added.json()["version"] == "1.1.0"
    more = ORDERS_ADDED.replace("name: expand,", "name: fields,")
    dry = _publish(client, token, more, dry_run=True)
    assert dry.status_code == 200 and (dry.json()["status"], dry.json()["version"]) == ("dry-run", "1.2.0")
    refused = _publish(client, token, ORDERS_BROKEN)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"] == "urn:apigov:problem:publish-refused"
    served_ids = sorted(c["id"] for f in problem["outcome"]["failures"] for c in f["changes"])
    assert served_ids
    # the same publish judged locally by the library finds the same breaking changes
    local_root = tmp_path / "local"
    shutil.copytree(root, local_root)
    local_file = tmp_path / "orders.yaml"
    local_file.write_text(ORDERS_BROKEN)
    local = publish(
        DirectoryBackend(local_root),
        PublishRequest(file=local_file, subject="orders-api"),
        Config(root=tmp_path),
    )
    assert local.refused
    assert local.judgement is not None
    assert (
        sorted(c.id for f in local.judgement.failures for c in f.changes if c.level == "breaking")
        == served_ids
    )
    stored = client.get("/v1/subjects/orders-api/versions/latest", headers=bearer(token))
    assert stored.json()["version"] == "1.1.0"
    assert stored.headers["etag"] == f'"{stored.json()["digest"]}"'
    meta = client.get("/v1/subjects/orders-api/versions/1.0.0", headers=bearer(token)).json()["meta"]
    assert (meta["source"], meta["git_sha"], meta["labels"], meta["publisher"]) == (
        "orders.yaml",
        "abc123",
        {"team": "orders"},
        "token:test-publish",
    )
    assert client.get("/v1/subjects/orders-api/versions/9.0.0", headers=bearer(token)).status_code == 404
    missing = client.get("/v1/subjects/payments-api", headers=bearer(token))
    assert missing.status_code == 404 and "payments-api" in missing.json()["detail"]
    assert str(root) not in missing.text  # the server's paths are not the clients' business


def test_invalid_contracts_and_bodies_are_client_errors(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, root = server
    token = tokens["publish"]
    for text in ("not: [valid", "just: a mapping\n", ""):
        answer = _publish(client, token, text)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"].startswith("orders.yaml")
        assert "apigov-serve-" not in answer.text
    assert _publish(client, token, ORDERS_V1, version="1.0", invalid=True).status_code == 400
    assert _publish(client, token, ORDERS_V1, bump="huge", invalid=True).status_code == 400
    raw = client.post(
        "/v1/subjects/x/publish",
        content=b"[1]",
        headers={**bearer(token), "Content-Type": "application/json"},
        extensions=INVALID,
    )
    assert raw.status_code == 400
    assert list(DirectoryBackend(root).list_subjects()) == []


def test_logs_are_json_lines_that_never_hold_a_token(
    server: tuple[httpx.Client, dict[str, str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    client, tokens, _ = server
    caplog.set_level(logging.INFO, logger="apigov.server")
    _publish(client, tokens["publish"], ORDERS_V1)
    client.get("/v1/subjects?token=" + tokens["admin"], headers=bearer(tokens["read"]))
    client.get("/v1/subjects", headers=bearer("apigov_" + "Z" * 43))
    client.post(
        "/v1/subjects/orders-api/publish", json={"content": tokens["admin"]}, headers=bearer(tokens["read"])
    )
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert len(lines) >= 4
    events = [json.loads(line) for line in lines]
    requests = [e for e in events if e["event"] == "request"]
    assert {e["token"] for e in requests} >= {"test-publish", "test-read", None}
    assert all({"method", "path", "status", "duration_ms", "request_id"} <= set(e) for e in requests)
    text = "\n".join(lines)
    for token in [*tokens.values(), "Z" * 43]:
        assert token not in text


def test_a_replica_serves_what_another_replica_wrote(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, root = server
    token = tokens["publish"]
    assert _publish(client, token, ORDERS_V1).status_code == 201
    latest = "/v1/subjects/orders-api/versions/latest"
    assert client.get(latest, headers=bearer(token)).json()["version"] == "1.0.0"
    other = DirectoryBackend(root)  # another replica (or process) on the same registry
    content = ORDERS_ADDED.encode()
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    meta = VersionMeta(published_at="2026-11-21T09:00:00Z", publisher="elsewhere")
    other.put_version(
        "orders-api",
        SemVer(1, 1, 0),
        kind="openapi",
        content_format="yaml",
        content=content,
        digest=digest,
        meta=meta,
        expected_latest=SemVer(1, 0, 0),
    )
    answer = client.get(latest, headers=bearer(token)).json()
    assert (answer["version"], answer["digest"], answer["content"]) == ("1.1.0", digest, ORDERS_ADDED)
    other.deprecate("orders-api", SemVer(1, 1, 0), Deprecation(at="2026-11-21T09:01:00Z", reason="use 2"))
    assert client.get(latest, headers=bearer(token)).json()["deprecated"]["reason"] == "use 2"
    other.set_mode("orders-api", Mode.NONE)
    assert client.get("/v1/subjects/orders-api", headers=bearer(token)).json()["mode"] == "NONE"


def test_the_http_backend_refuses_bad_urls_and_tokens_before_sending_anything() -> None:
    from apigov.core.errors import InputError
    from apigov.registry.http import HttpBackend

    for url in ("ftp://x", "http://", "http://user:secret@host", "http://host/?token=x"):
        with pytest.raises(InputError) as caught:
            HttpBackend(url, token="apigov_x")
        assert "secret" not in str(caught.value)
    with pytest.raises(InputError, match="APIGOV_TOKEN"):
        HttpBackend("http://127.0.0.1:1", token="apigov_x\r\nX-Evil: 1")


def test_an_upload_cannot_reach_the_servers_files_or_the_network(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("type: string\ndescription: the server's secret\n")
    store = FileTokenStore.for_registry(tmp_path / "reg")
    from apigov.registry.tokens import create_token

    token = create_token(store, name="p", scope="publish", created_at="t").token
    lenient = Config(root=tmp_path, allow_remote_refs=True, allow_ref_outside=True)
    app = create_app(DirectoryBackend(tmp_path / "reg"), store, None, lenient)
    client = checked_client(app)
    for ref in (str(secret), "../secret.yaml", f"file://{secret}", "http://127.0.0.1:1/x.yaml"):
        content = ORDERS_V1.replace("schema: {type: string}", f"schema: {{$ref: '{ref}'}}")
        answer = _publish(client, token, content)
        assert answer.status_code == 422, (ref, answer.text)
        assert "the server's secret" not in answer.text
    assert list(DirectoryBackend(tmp_path / "reg").list_subjects()) == []


@pytest.mark.parametrize(
    "body",
    [
        {"content": ORDERS_V1, "labels": {"team": "x" * 1001}},
        {"content": ORDERS_V1, "publisher": "p" * 201},
        {"content": ORDERS_V1, "mode": "SIDEWAYS"},
        {"content": ORDERS_V1, "dry_run": "yes"},
        {"content": 7},
    ],
)
def test_bodies_outside_the_contract_are_refused(
    server: tuple[httpx.Client, dict[str, str], Path], body: dict[str, object]
) -> None:
    client, tokens, root = server
    answer = client.post(
        "/v1/subjects/orders-api/publish", json=body, headers=bearer(tokens["publish"]), extensions=INVALID
    )
    assert answer.status_code == 400, answer.text
    assert list(DirectoryBackend(root).list_subjects()) == []


def test_the_publisher_is_the_token_whatever_the_client_claims(
    server: tuple[httpx.Client, dict[str, str], Path],
) -> None:
    client, tokens, _ = server
    published = _publish(client, tokens["publish"], ORDERS_V1, publisher="alice@victim.example")
    assert published.status_code == 201, published.text
    meta = client.get("/v1/subjects/orders-api/versions/1.0.0", headers=bearer(tokens["publish"])).json()[
        "meta"
    ]
    assert meta["publisher"] == "token:test-publish for alice@victim.example"
