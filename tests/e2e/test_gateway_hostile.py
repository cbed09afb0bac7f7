"""Hostile spec text never escapes into gateway config syntax.

Path characters RFC 3986 allows (``; $ ' ( ) * + , = : @ ! &``) are routed, escaped per target, and
the real gateway still validates the config (and matches the literal path, nothing else); what
cannot be routed (``}``, ``{{``, newlines, quotes, NUL, spaces, backslashes) or cannot be written
safely is refused with exit 2 and nothing written.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

from tests.e2e import _gateways as gw
from tests.e2e._cli import apigov, assert_input_error
from tests.e2e._gateways import validate

pytestmark = pytest.mark.e2e

TARGETS = ["nginx", "envoy", "haproxy", "caddy", "traefik"]
ALL_TARGETS = [*TARGETS, "kong", "httproute"]
ODD = "/a;b$c'd(e)*f+g,h=i:j@k!l&m~n.o"
GATEWAY = """\
gateway:
  listen: 127.0.0.1:8080
  services:
    evil:
      contract: evil.yaml
      upstreams: [127.0.0.1:9001]
"""


def spec(paths: dict[str, object], extra: dict[str, object] | None = None) -> str:
    doc: dict[str, object] = {
        "openapi": "3.1.0",
        "info": {"title": "Evil", "version": "1"},
        "servers": [{"url": "https://evil.example.com/base$x;y"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "query": {"type": "apiKey", "in": "query", "name": "api_key"},
            }
        },
        **(extra or {}),
    }
    return json.dumps(doc)


def ok(op_id: str, **more: object) -> dict[str, object]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}, **more}


def project(tmp: Path, text: str) -> Path:
    (tmp / "evil.json").write_text(text)
    (tmp / "apigov.yaml").write_text("contracts: [evil.json]\n" + GATEWAY.replace("evil.yaml", "evil.json"))
    return tmp


@pytest.mark.parametrize(
    "target", ["nginx", "envoy", *(pytest.param(t, marks=pytest.mark.slow) for t in TARGETS[2:])]
)
def test_odd_but_legal_paths_and_names_stay_data(target: str, tmp_path: Path) -> None:
    hostile_id = 'x"; proxy_pass http://evil; #{{ 7*7 }}\n}\x00'
    paths = {
        ODD: {
            "get": ok(hostile_id, deprecated=True, **{"x-sunset": "2030-01-01", "x-successor": "/v2/a;b$c'd"})
        },
        ODD + "/{id}": {"post": ok("second", security=[{"key": [], "query": []}, {"query": []}])},
        "/dollar/$host/{p}.json": {"get": ok("third")},
    }
    root = project(tmp_path, spec(paths))
    stub_port, port = gw.free_port(), gw.free_port()
    config = (root / "apigov.yaml").read_text().replace("127.0.0.1:9001", f"127.0.0.1:{stub_port}")
    (root / "apigov.yaml").write_text(config.replace("127.0.0.1:8080", f"127.0.0.1:{port}"))
    result = apigov("generate", "gateway", "-t", target, "-o", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    validate(target, root / "out", tmp_path / "work")
    text = next((root / "out").iterdir()).read_text()
    assert "\x00" not in text
    # the real gateway routes the odd literal path, and nothing near it
    stub = gw.start_logged(
        [sys.executable, str(gw.STUB), "--service", "evil", "--replica", "1", "--port", str(stub_port)],
        tmp_path / "stub.log",
    )
    proxy = gw.start_gateway(target, root / "out", tmp_path / "work")
    try:
        gw.wait_http(stub_port, stub, "the stub upstream", tmp_path / "stub.log")
        gw.wait_http(port, proxy, target, tmp_path / "work" / f"{target}-1.log")
        if target == "traefik":
            gw.wait_routes(port, "/base$x;y" + ODD, {})
            gw.assert_no_errors(target, tmp_path / "work" / "traefik-1.log")
        reply = gw.request(port, "GET", "/base$x;y" + ODD + "?q=$1")
        assert reply.status == 200, reply.body
        assert json.loads(reply.body)["path"] == "/base$x;y" + ODD + "?q=$1"
        quote = "%27" if target == "haproxy" else "'"  # HAProxy cannot write ' in a header value
        assert reply.headers["link"] == f'</v2/a;b$c{quote}d>; rel="successor-version"'
        assert gw.request(port, "GET", "/base$x;y" + ODD.replace("$", "X")).status == 404
        assert gw.request(port, "GET", "/base$x;y/dollar/$host/p.json").status == 200
        assert gw.request(port, "GET", "/base$x;y/dollar/$host/p.jsonx").status == 404
        assert gw.request(port, "POST", "/base$x;y" + ODD + "/1").status == (
            404 if target == "traefik" else 401
        )
        assert gw.request(port, "POST", "/base$x;y" + ODD + "/1?api_key=k").status == 200
    finally:
        gw.stop_process(proxy)
        gw.stop_process(stub, kill=True)


def test_route_regexes_match_the_literal_path_only() -> None:
    from generators.gateway.model import Piece, Route

    segments = tuple((Piece(part),) for part in ODD.strip("/").split("/"))
    route = Route("evil", ODD, (*segments, (Piece("id", param=True),)), ())
    pattern = re.compile(route.regex())
    assert pattern.match(ODD + "/42")
    assert not pattern.match(ODD.replace("$", "x") + "/42")
    assert not pattern.match(ODD.replace(".", "X") + "/42")
    assert not pattern.match(ODD + "/42/more")
    assert set(route.regex()) <= set(
        "^$/-_?+[]\\x0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    )


@pytest.mark.parametrize(
    ("paths", "extra", "words"),
    [
        ({"/a}b": {"get": ok("a")}}, None, ["path character '}'"]),
        ({"/a{{b}}": {"get": ok("a")}}, None, ["cannot be routed"]),
        ({"/a\nb": {"get": ok("a")}}, None, ["path character '\\n'"]),
        ({'/a"b': {"get": ok("a")}}, None, ["path character '\"'"]),
        ({"/a\x00b": {"get": ok("a")}}, None, ["path character '\\x00'"]),
        ({"/a b": {"get": ok("a")}}, None, ["path character ' '"]),
        ({"/a\\b": {"get": ok("a")}}, None, ["path character"]),
        ({"/a/{p;q}": {"get": ok("a")}}, None, ["path parameter name"]),
        ({"/a": {"get": ok("a", **{"x-apigov-timeout": "1s; proxy_pass http://evil"})}}, None, ["duration"]),
        ({"/a": {"get": ok("a", deprecated=True, **{"x-sunset": "2030-01-01\nX: y"})}}, None, ["date"]),
        ({"/a": {"get": ok("a", deprecated=True, **{"x-successor": '/b"; evil'})}}, None, ["x-successor"]),
        (
            {"/a": {"get": ok("a", security=[{"bad": []}])}},
            {
                "components": {
                    "securitySchemes": {"bad": {"type": "apiKey", "in": "header", "name": "X\r\nEvil: 1"}}
                }
            },
            ["apiKey name"],
        ),
    ],
)
def test_what_cannot_be_written_safely_is_refused(
    tmp_path: Path, paths: dict[str, object], extra: dict[str, object] | None, words: list[str]
) -> None:
    """Refused by the shared model, before any target renders (one target is enough here)."""
    root = project(tmp_path, spec(paths, extra))
    result = apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root)
    assert_input_error(result, *words)
    assert not (root / "out").exists()


@pytest.mark.parametrize("target", ALL_TARGETS)
def test_every_target_refuses_an_unroutable_path(target: str, tmp_path: Path) -> None:
    root = project(tmp_path, spec({"/a}\n;b": {"get": ok("a")}}))
    assert_input_error(apigov("generate", "gateway", "-t", target, "-o", "out", cwd=root), "path character")
    assert not (root / "out").exists()


def test_nginx_refuses_a_credential_it_cannot_name(tmp_path: Path) -> None:
    extra = {"components": {"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "X$Key"}}}}
    root = project(tmp_path, spec({"/a": {"get": ok("a", security=[{"k": []}])}}, extra))
    assert_input_error(
        apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root), "nginx cannot read"
    )
    assert apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root).returncode == 0
    validate("envoy", root / "out", tmp_path / "work")


def test_settings_values_are_validated(tmp_path: Path) -> None:
    root = project(tmp_path, spec({"/a": {"get": ok("a")}}))
    bad = GATEWAY.replace("upstreams: [127.0.0.1:9001]", 'upstreams: ["127.0.0.1:9001; evil"]')
    (root / "apigov.yaml").write_text(
        "contracts: [evil.json]\n" + textwrap.dedent(bad).replace("evil.yaml", "evil.json")
    )
    assert_input_error(apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root), "HOST:PORT")


@pytest.mark.parametrize("target", ["kong", "httproute"])
def test_offline_targets_keep_odd_paths_and_names_as_data(target: str, tmp_path: Path) -> None:
    from tests.e2e.test_gateway_offline import kong_errors, validate_httproutes

    hostile_id = 'x"; {{ 7*7 }}\n}\x00'
    paths = {
        ODD: {
            "get": ok(hostile_id, deprecated=True, **{"x-sunset": "2030-01-01", "x-successor": "/v2/a;b$c'd"})
        },
        ODD + "/{id}": {"post": ok("second", security=[{"key": []}])},
    }
    root = project(tmp_path, spec(paths))
    result = apigov("generate", "gateway", "-t", target, "-o", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    import yaml

    text = next((root / "out").iterdir()).read_text()
    documents = list(yaml.safe_load_all(text))
    if target == "kong":
        assert kong_errors(documents[0]) == []
        paths_seen = [p for s in documents[0]["services"] for r in s["routes"] for p in r["paths"]]
        regexes = [re.compile(p[1:]) for p in paths_seen if p.startswith("~")]
        assert len({r.pattern for r in regexes if r.match("/base$x;y" + ODD)}) == 1  # the literal route only
        assert not any(r.match("/base$x;y" + ODD.replace("$", "X")) for r in regexes)
        assert all(
            set(r.pattern)
            <= set("^$/-_?+[]\\x0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            for r in regexes
        )
    else:
        validate_httproutes(documents)
        values = [m["path"]["value"] for o in documents for r in o["spec"]["rules"] for m in r["matches"]]
        assert "/base$x;y" + ODD in values  # an Exact match keeps the literal path, as data
    assert "\x00" not in text
