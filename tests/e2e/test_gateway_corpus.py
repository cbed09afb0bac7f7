"""The GitHub REST API description (about 870 operations): every target's config passes the
gateway's own validation (nginx -t, haproxy -c, caddy validate, envoy --mode validate, Traefik
starting without an ERR line, decK's schema, the Gateway API models). Slow stage."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from tests._corpus import corpus_dir
from tests.e2e import _gateways as gw
from tests.e2e._cli import apigov

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SPEC = "github/2022-07-18_v6.7.1.json"


@pytest.mark.parametrize("target", ["nginx", "envoy", "haproxy", "caddy", "traefik", "kong", "httproute"])
def test_github_config_passes_the_gateways_own_validation(target: str, tmp_path: Path) -> None:
    spec = corpus_dir() / SPEC
    port = gw.free_port()
    (tmp_path / "apigov.yaml").write_text(
        yaml.safe_dump(
            {
                "gateway": {
                    "listen": f"127.0.0.1:{port}",
                    "services": {
                        "github": {
                            "contract": str(spec),
                            "upstreams": ["127.0.0.1:9001", "127.0.0.1:9002"],
                            "health-check": {"path": "/healthz"},
                            "timeout": "5s",
                            "retries": 1,
                            "max-body": "10m",
                        }
                    },
                }
            }
        )
    )
    result = apigov("generate", "gateway", "-t", target, "-o", "out", str(spec), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    if target == "kong":
        from tests.e2e.test_gateway_offline import kong_errors

        assert kong_errors(yaml.safe_load((out / "kong.yaml").read_text())) == []
    elif target == "httproute":
        from tests.e2e.test_gateway_offline import validate_httproutes

        objects = list(yaml.safe_load_all((out / "httproutes.yaml").read_text()))
        assert all(len(o["spec"]["rules"]) <= 16 for o in objects)
        validate_httproutes(objects)
    elif target == "traefik":
        proxy = gw.start_gateway(target, out, tmp_path)
        try:
            gw.wait_http(port, proxy, target, tmp_path / "traefik-1.log")
            # the file provider loads ~870 routers: wait until /zen is routed (no upstream: 502/503)
            deadline = time.monotonic() + 30
            reply = gw.request(port, "GET", "/zen")
            while reply.status == 404 and time.monotonic() < deadline:
                time.sleep(0.1)
                reply = gw.request(port, "GET", "/zen")
            assert reply.status in (502, 503), reply
            gw.assert_no_errors(target, tmp_path / "traefik-1.log")
        finally:
            gw.stop_process(proxy)
    else:
        gw.validate(target, out, tmp_path / "work")
    assert json.dumps(result.stderr).count("internal error") == 0
