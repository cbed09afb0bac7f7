"""An in-process ``apigov serve`` over a directory registry, an HTTP backend talking to it, and the
check that every request and answer the tests exchange with it follows ``openapi.yaml``."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.http import HttpBackend
from apigov.registry.tokens import FileTokenStore, create_token
from apigov.server.app import ServerSettings, create_app

SPEC_PATH = Path(__file__).resolve().parents[3] / "apigov" / "server" / "openapi.yaml"
_URI = "urn:apigov:registry-api"


@cache
def spec() -> dict[str, Any]:
    data = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def _registry() -> Registry:  # type: ignore[type-arg]
    return Registry().with_resource(_URI, Resource.from_contents(spec(), default_specification=DRAFT202012))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _validate(pointer: str, instance: object) -> list[str]:
    validator = Draft202012Validator({"$ref": f"{_URI}#{pointer}"}, registry=_registry())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def _operation(method: str, path: str) -> tuple[str, str]:
    """The spec's path template and method for a request (AssertionError when undocumented)."""
    for template, item in spec()["paths"].items():
        pattern = "^" + re.sub(r"\\{[a-z]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, method.lower()
    raise AssertionError(f"{method} {path} is not in openapi.yaml")


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


INVALID = {"apigov_test_invalid": True}
"""``extensions=INVALID`` marks a request a test sends to be refused: its body is not checked, and its
answer only when the path is a documented one."""


def check_request(request: httpx.Request) -> None:
    if request.extensions.get("apigov_test_invalid"):
        return
    template, method = _operation(request.method, request.url.path)
    operation = spec()["paths"][template][method]
    body = request.read()
    if "requestBody" in operation and body:
        pointer = f"/paths/{_escape(template)}/{method}/requestBody/content/application~1json/schema"
        errors = _validate(pointer, json.loads(body))
        assert not errors, f"request {request.method} {request.url.path} breaks the contract: {errors}"


def check_response(response: httpx.Response) -> None:
    request = response.request
    try:
        template, method = _operation(request.method, request.url.path)
    except AssertionError:
        if request.extensions.get("apigov_test_invalid"):
            return
        raise
    responses = spec()["paths"][template][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{request.method} {request.url.path} answered undocumented {status}"
    documented = _deref(responses[status])
    media = response.headers.get("content-type", "").split(";")[0].strip()
    content = documented.get("content", {})
    assert media in content, (
        f"{request.method} {request.url.path} {status}: undocumented media type {media!r}"
    )
    if media.endswith("json"):
        raw = responses[status]
        if "$ref" in raw:
            pointer = raw["$ref"].removeprefix("#") + f"/content/{_escape(media)}/schema"
        else:
            pointer = (
                f"/paths/{_escape(template)}/{method}/responses/{status}/content/{_escape(media)}/schema"
            )
        errors = _validate(pointer, json.loads(response.read()))
        assert not errors, f"{request.method} {request.url.path} {status} breaks the contract: {errors}"


class AppTransport(httpx.BaseTransport):
    """A synchronous httpx transport that hands each request to an ASGI app (a new event loop each)."""

    def __init__(self, app: object) -> None:
        self._inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> tuple[int, httpx.Headers, bytes]:
            forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._inner.handle_async_request(forwarded)
            return response.status_code, response.headers, await response.aread()

        status, headers, content = asyncio.run(send())
        return httpx.Response(status, headers=headers, content=content, request=request)


def checked_client(app: object, base_url: str = "http://registry.test") -> httpx.Client:
    """A client of ``app`` that checks every request and answer against ``openapi.yaml``."""
    return httpx.Client(
        transport=AppTransport(app),
        base_url=base_url,
        event_hooks={"request": [check_request], "response": [check_response]},
    )


def served(root: Path, settings: ServerSettings | None = None) -> tuple[httpx.Client, dict[str, str]]:
    """A checked client of an in-process server over ``root`` and one token per scope."""
    store = FileTokenStore.for_registry(root)
    tokens = {
        scope: create_token(store, name=f"test-{scope}", scope=scope, created_at="2026-11-21T08:00:00Z").token
        for scope in ("read", "publish", "admin")
    }
    app = create_app(DirectoryBackend(root), store, settings)
    return checked_client(app), tokens


def http_backend(tmp: Path) -> HttpBackend:
    """The HTTP backend, with an admin token, over an in-process server on ``tmp/contracts``."""
    client, tokens = served(tmp / "contracts")
    return HttpBackend("http://registry.test", token=tokens["admin"], client=client)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def walk(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under ``root`` but the token file and locks, with its bytes (to see that nothing changed)."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".apigov-tokens") and path.name != ".lock":
            yield str(path.relative_to(root)), path.read_bytes()
