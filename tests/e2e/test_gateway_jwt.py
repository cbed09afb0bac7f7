"""Full JWT validation where the target can (Envoy's jwt_authn, from gateway.jwt in apigov.yaml),
proven with HS256 tokens signed here; other targets say they only check a token's presence."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
from pathlib import Path

import pytest

from tests.e2e import _gateways as gw
from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

SECRET = b"apigov-test-secret-apigov-test-secret"
ISSUER = "https://id.example.com"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(secret: bytes = SECRET, **claims: object) -> str:
    body = {"iss": ISSUER, "aud": "shop", "sub": "u1", "exp": int(time.time()) + 600, **claims}
    signing = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': 'k1'}).encode())}.{b64(json.dumps(body).encode())}"
    signature = hmac.new(secret, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{b64(signature)}"


def project(tmp: Path, port: int, stub_port: int) -> Path:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "partner": {"type": "oauth2", "flows": {}},
            }
        },
        "security": [{"bearerAuth": []}],
        "paths": {
            "/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}},
            "/partners": {
                "get": {
                    "operationId": "listPartners",
                    "security": [{"bearerAuth": []}, {"partner": []}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }
    (tmp / "pets.json").write_text(json.dumps(spec))
    jwks = {"keys": [{"kty": "oct", "kid": "k1", "alg": "HS256", "k": b64(SECRET)}]}
    (tmp / "jwks.json").write_text(json.dumps(jwks))
    (tmp / "apigov.yaml").write_text(
        f"gateway:\n  listen: 127.0.0.1:{port}\n"
        f"  jwt:\n    bearerAuth: {{issuer: '{ISSUER}', audiences: [shop], jwks-file: {tmp / 'jwks.json'}}}\n"
        f"  services:\n    pets:\n      contract: pets.json\n      upstreams: [127.0.0.1:{stub_port}]\n"
    )
    return tmp


def test_envoy_validates_jwts(tmp_path: Path) -> None:
    port, stub_port = gw.free_port(), gw.free_port()
    root = project(tmp_path, port, stub_port)
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", "pets.json", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "envoy: GET /partners: jwt: a Bearer scheme of this operation has no jwt settings" in result.stderr
    assert "GET /pets: jwt" not in result.stderr
    stub = gw.start_logged(
        [sys.executable, str(gw.STUB), "--service", "pets", "--replica", "1", "--port", str(stub_port)],
        tmp_path / "stub.log",
    )
    proxy = gw.start_gateway("envoy", root / "out", tmp_path)
    try:
        gw.wait_http(stub_port, stub, "stub", tmp_path / "stub.log")
        gw.wait_http(port, proxy, "envoy", tmp_path / "envoy-1.log")

        def status(value: str | None, path: str = "/pets") -> int:
            headers = {"Authorization": f"Bearer {value}"} if value is not None else {}
            return gw.request(port, "GET", path, headers).status

        assert status(token()) == 200
        assert status(None) == 401
        assert status("not-a-jwt") == 401
        assert status(token(secret=b"another-secret-another-secret-xx")) == 401
        assert status(token(exp=int(time.time()) - 600)) == 401  # beyond the 60 s clock skew
        assert status(token(iss="https://evil.example.com")) == 401
        assert status(token(aud="someone-else")) in (401, 403)
        assert status("not-a-jwt", "/partners") == 200  # presence only, as the warning said
    finally:
        gw.stop_process(proxy)
        gw.stop_process(stub, kill=True)


@pytest.mark.parametrize("target", ["nginx", "haproxy", "caddy", "traefik", "kong", "httproute"])
def test_targets_without_jwt_validation_warn(target: str, tmp_path: Path) -> None:
    import yaml

    from generators.base import Contract, GenerateRequest, get

    root = project(tmp_path, 8080, 9001)
    settings = yaml.safe_load((root / "apigov.yaml").read_text())["gateway"]
    spec = json.loads((root / "pets.json").read_text())
    request = GenerateRequest(contracts=(Contract("pets.json", "openapi-3.1", spec),), settings=settings)
    warnings = [str(w) for w in get(target, "gateway").generate(request).warnings]
    assert (
        f"{target}: GET /pets: jwt: {target} cannot validate JWTs here; only the presence of a Bearer token is checked"
        in warnings
    )
