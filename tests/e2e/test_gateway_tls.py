"""TLS termination and the HTTP -> HTTPS redirect, in the real gateways (a self-signed certificate)."""

from __future__ import annotations

import http.client
import json
import shutil
import ssl
import subprocess
import sys
import time
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


def certificate(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (needed to make a test certificate)")
    cert, key = folder / "gw.pem", folder / "gw.pem.key"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.mark.parametrize(
    "target",
    [
        "envoy",
        "nginx",
        pytest.param("haproxy", marks=pytest.mark.slow),
        pytest.param("caddy", marks=pytest.mark.slow),
        pytest.param("traefik", marks=pytest.mark.slow),
    ],
)
def test_tls_termination_and_redirect(target: str, tmp_path: Path) -> None:
    cert, key = certificate(tmp_path)
    if target == "haproxy":  # HAProxy reads the key from the certificate file (or CERT.key beside it)
        cert.write_text(cert.read_text() + key.read_text())
    stub_port, port, plain = gw.free_port(), gw.free_port(), gw.free_port()
    (tmp_path / "pets.json").write_text(json.dumps(SPEC))
    (tmp_path / "apigov.yaml").write_text(
        "gateway:\n"
        f"  listen: 127.0.0.1:{port}\n"
        f"  tls: {{certificate: {cert}, key: {key}, redirect-from: {plain}}}\n"
        "  services:\n    pets:\n      contract: pets.json\n"
        f"      upstreams: [127.0.0.1:{stub_port}]\n"
    )
    result = apigov("generate", "gateway", "-t", target, "-o", "out", "pets.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tls" not in result.stderr
    stub = gw.start_logged(
        [sys.executable, str(gw.STUB), "--service", "pets", "--replica", "1", "--port", str(stub_port)],
        tmp_path / "stub.log",
    )
    proxy = gw.start_gateway(target, tmp_path / "out", tmp_path)
    try:
        gw.wait_http(stub_port, stub, "stub", tmp_path / "stub.log")
        gw.wait_http(plain, proxy, target, tmp_path / f"{target}-1.log")
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        for attempt in range(100):  # Traefik loads routers and certificates after it listens
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
            try:
                conn.request("GET", "/pets?x=1")
                reply = conn.getresponse()
                body = reply.read().decode()
            except (ssl.SSLError, ConnectionError):
                if target != "traefik" or attempt == 99:
                    raise
                time.sleep(0.1)
                continue
            finally:
                conn.close()
            if reply.status != 404 or target != "traefik":
                break
            time.sleep(0.1)
        assert reply.status == 200, body
        assert json.loads(body)["path"] == "/pets?x=1"
        redirect = gw.request(plain, "GET", "/pets?x=1")
        assert redirect.status in (301, 302, 307, 308)
        assert redirect.headers["location"].startswith("https://")
        assert redirect.headers["location"].endswith(f":{port}/pets?x=1")
    finally:
        gw.stop_process(proxy)
        gw.stop_process(stub, kill=True)
