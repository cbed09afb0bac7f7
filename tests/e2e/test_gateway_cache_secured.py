"""Shared caches in the real gateways never mix clients' answers: on nginx and HAProxy a secured
GET marked cacheable reaches the upstream for every request (two different bearer tokens get
their own answers), while a public cacheable GET is answered from the gateway's cache."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tests.e2e import _gateways as gw

pytestmark = pytest.mark.e2e

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "x-apigov-cache": "30s",
                "security": [],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/me/{id}": {
            "get": {
                "operationId": "getMe",
                "x-apigov-cache": "30s",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


class _Counting(BaseHTTPRequestHandler):
    """Answers with the path, the caller's Authorization and the hit count of the path."""

    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        answer = {"path": self.path, "auth": self.headers.get("Authorization"), "hit": self.hits[self.path]}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        # the upstream itself calls every answer cacheable (HAProxy caches nothing without it):
        # the gateway alone must keep the secured ones out of its shared cache
        self.send_header("Cache-Control", "max-age=30")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[tuple[int, dict[str, int]]]:
    hits: dict[str, int] = {}
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1]), hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("target", ["nginx", "haproxy"])
def test_secured_answers_are_not_shared_between_clients(
    target: str, tmp_path: Path, upstream: tuple[int, dict[str, int]]
) -> None:
    gw.require(target, f"apt-get install {target} (.ci/setup/gateways.sh)")
    port, hits = upstream
    listen = gw.free_port()
    (tmp_path / "pets.json").write_text(json.dumps(SPEC))
    config = {
        "contracts": ["pets.json"],
        "gateway": {
            "listen": f"127.0.0.1:{listen}",
            "services": {"pets": {"contract": "pets.json", "upstreams": [f"127.0.0.1:{port}"]}},
        },
    }
    (tmp_path / "apigov.yaml").write_text(yaml.safe_dump(config))
    warnings = gw.generate(tmp_path / "apigov.yaml", target, tmp_path / "out")
    assert "GET /me/{id}: cache: not cached: secured responses are not cached" in warnings
    assert "GET /pets/{id}: cache" not in warnings
    gw.validate(target, tmp_path / "out", tmp_path)
    proc = gw.start_gateway(target, tmp_path / "out", tmp_path)
    try:
        gw.wait_http(listen, proc, target, tmp_path / f"{target}-1.log")
        alice = gw.request(listen, "GET", "/me/1", {"Authorization": "Bearer alice"})
        bob = gw.request(listen, "GET", "/me/1", {"Authorization": "Bearer bob"})
        assert alice.status == bob.status == 200, (alice.body, bob.body)
        assert json.loads(alice.body)["auth"] == "Bearer alice"
        assert json.loads(bob.body)["auth"] == "Bearer bob"  # not alice's cached answer
        assert hits["/me/1"] == 2
        assert "x-cache-status" not in bob.headers
        first = gw.request(listen, "GET", "/pets/7", {})
        second = gw.request(listen, "GET", "/pets/7", {})
        assert first.status == second.status == 200 and second.body == first.body
        assert hits["/pets/7"] == 1  # the public answer came from the gateway's cache
        if target == "nginx":
            assert second.headers["x-cache-status"] == "HIT"
    finally:
        gw.stop_process(proc)
