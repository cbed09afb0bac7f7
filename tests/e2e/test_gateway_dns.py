"""Upstreams named by hostname (``dns: true``): the real gateways resolve them and route."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.e2e import _gateways as gw
from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}}},
}


@pytest.mark.parametrize(
    "target",
    ["envoy", *(pytest.param(t, marks=pytest.mark.slow) for t in ("nginx", "haproxy", "caddy", "traefik"))],
)
def test_hostname_upstreams(target: str, tmp_path: Path) -> None:
    stub_port, port = gw.free_port(), gw.free_port()
    (tmp_path / "pets.json").write_text(json.dumps(SPEC))
    (tmp_path / "apigov.yaml").write_text(
        f"gateway:\n  listen: 127.0.0.1:{port}\n  services:\n    pets:\n      contract: pets.json\n"
        f"      upstreams: [localhost:{stub_port}]\n      dns: true\n"
    )
    result = apigov("generate", "gateway", "-t", target, "-o", "out", "pets.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stub = gw.start_logged(
        [sys.executable, str(gw.STUB), "--service", "pets", "--replica", "1", "--port", str(stub_port)],
        tmp_path / "stub.log",
    )
    proxy = gw.start_gateway(target, tmp_path / "out", tmp_path)
    try:
        gw.wait_http(stub_port, stub, "stub", tmp_path / "stub.log")
        gw.wait_http(port, proxy, target, tmp_path / f"{target}-1.log")
        if target == "traefik":
            gw.wait_routes(port, "/pets", {})
        reply = gw.request(port, "GET", "/pets?x=1")
        assert reply.status == 200, reply.body
        assert json.loads(reply.body)["path"] == "/pets?x=1"
    finally:
        gw.stop_process(proxy)
        gw.stop_process(stub, kill=True)
