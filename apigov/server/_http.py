"""What every router of ``apigov serve`` shares: settings, problem documents, authentication,
bounded request bodies checked against the API's contract, and backend calls off the event loop.

A router (:mod:`apigov.server.routers`) receives one :class:`Shared` and never re-implements any
of this, so every API the server grows answers errors, limits and tokens the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from apigov.config.project import Config
from apigov.core.errors import (
    ApigovError,
    BackendUnavailable,
    InputError,
    RegistryError,
    StaleLatest,
    UnknownSubject,
    VersionExists,
)
from apigov.registry.base import RegistryBackend, SemVer, check_subject, parse_version
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore, TokenRecord, TokenStore, grants, write_refusal
from apigov.server.limits import RateLimiter
from apigov.server.observe import Metrics

__all__ = [
    "DEFAULT_MAX_BODY",
    "SPEC_PATH",
    "ASGIApp",
    "MalformedBody",
    "Problem",
    "ServerSettings",
    "Shared",
    "endpoint",
    "json_object",
    "json_response",
    "media_type",
    "read_body",
    "request_schemas",
    "unique_keys",
]

DEFAULT_MAX_BODY: Final = 10 * 1024 * 1024
_PROBLEM: Final = "application/problem+json"
SPEC_PATH: Final = Path(__file__).with_name("openapi.yaml")
"""The API's contract (OpenAPI 3.1)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ServerSettings:
    anonymous_read: bool = False
    """Answer reads without a token."""
    max_body: int = DEFAULT_MAX_BODY
    """Largest request body in bytes (413 above it)."""
    confluent_prefix: str = "/confluent"
    """Where the Confluent Schema Registry API is mounted (``""``: at the root)."""
    header_timeout: float = 10.0
    """Seconds a connection has to send a request's headers (from its opening, or from the
    previous answer on a kept-alive connection); then it is closed."""
    body_timeout: float = 60.0
    """Seconds a request's body has to arrive after its headers (408 and closed after that)."""
    max_connections: int = 1000
    """Open connections at most (lowered to fit the process's file-descriptor limit); above it, the
    connection waiting longest for its headers is closed, else the new one gets 503."""
    max_in_flight: int = 256
    """Requests answered at once at most; above it 503 with ``Retry-After`` (health checks and
    metrics are never refused)."""
    rate_limit: float = 200.0
    """Requests per second per token (anonymous reads: per client address); 0: no limit."""
    rate_burst: int = 2000
    """Requests a token may send at once above its rate (producers restarting together)."""
    ui: bool = True
    """Serve the web UI under ``/ui`` (:mod:`apigov.server.routers.ui`)."""
    public_url: str | None = None
    """The origin browsers reach the server at (``https://registry.example.com``, lower case, no
    path), when a proxy in front terminates TLS or rewrites ``Host``; ``None``: the request's."""


class Problem(Exception):
    """An error answer: a problem document with ``type`` ``urn:apigov:problem:<code>``."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        outcome: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.outcome, self.headers = outcome, headers

    def response(self) -> Response:
        body: dict[str, object] = {
            "type": f"urn:apigov:problem:{self.code}",
            "title": self.code.replace("-", " "),
            "status": self.status,
            "detail": self.detail,
        }
        if self.outcome is not None:
            body["outcome"] = dict(self.outcome)
        return Response(orjson.dumps(body), self.status, dict(self.headers or {}), media_type=_PROBLEM)


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(name: str, handler: Handler) -> Handler:
    """``handler`` named ``name`` (the operation id the logs and metrics show), answering a
    :class:`Problem` as its problem document."""

    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except Problem as problem:
            return problem.response()

    answer.__name__ = name
    return answer


def json_response(value: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), status, dict(headers or {}), media_type="application/json")


def library_problem(exc: ApigovError, location: str = "") -> Problem:
    """The problem for a library error (the store's own location, a server path or URL, is not
    shown to clients)."""
    text = str(exc)
    if location:
        text = (
            text.replace(f"{location}: ", "").replace(f" at {location}", "").replace(location, "the registry")
        )
    if isinstance(exc, UnknownSubject):
        return Problem(404, "not-found", text)
    if isinstance(exc, VersionExists):
        return Problem(409, "version-exists", text)
    if isinstance(exc, StaleLatest):
        return Problem(409, "stale-latest", text)
    if isinstance(exc, BackendUnavailable):
        return Problem(503, "backend-unavailable", text)
    if isinstance(exc, RegistryError):
        if "not above" in text:
            return Problem(409, "not-above-latest", text)
        if " holds " in text:
            return Problem(409, "kind-mismatch", text)
        return Problem(409, "registry-refused", text)
    return Problem(400, "invalid-request", text)


def path_subject(request: Request) -> str:
    try:
        return check_subject(str(request.path_params["subject"]))
    except InputError as exc:
        raise Problem(400, "invalid-subject", str(exc)) from None


def version_of(text: str) -> SemVer:
    try:
        return parse_version(text)
    except InputError as exc:
        raise Problem(400, "invalid-version", str(exc)) from None


def body_field(body: Mapping[str, object], key: str, kind: type, *, required: bool = False) -> Any:
    value = body.get(key)
    if value is None:
        if required:
            raise Problem(400, "invalid-request", f"the body needs {key!r}")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Problem(400, "invalid-request", f"{key!r} must be a {kind.__name__}")
    return value


def _basic_password(credentials: str) -> str:
    """The password of HTTP Basic ``credentials`` (``""`` when they are not ``base64(user:password)``)."""
    import base64
    import binascii

    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return decoded.partition(":")[2]


def media_type(request: Request) -> tuple[str | None, str | None]:
    """The request's media type and charset, lower-cased (``None`` when not given)."""
    header = request.headers.get("content-type")
    if header is None:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused (413 :class:`Problem`) as soon as it is known to exceed ``limit``
    bytes: from ``Content-Length`` before any byte is read, else while it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.strip().isdigit():
            raise Problem(400, "invalid-request", "invalid Content-Length")
        if int(declared) > limit:
            raise Problem(413, "too-large", f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise Problem(413, "too-large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class MalformedBody(ValueError):
    """A request body that is not one JSON object: not JSON (``not_json``), a key given twice
    in one object, or another JSON value."""

    def __init__(self, message: str, *, not_json: bool) -> None:
        super().__init__(message)
        self.not_json = not_json


def unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``object_pairs_hook`` for :func:`json.loads`: an object, or :class:`MalformedBody` when a
    key appears twice in it."""
    made = dict(pairs)
    if len(made) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise MalformedBody(f"the key {key[:80]!r} appears twice in one object", not_json=True)
            seen.add(key)
    return made


def json_object(raw: bytes, *, empty: dict[str, object] | None = None) -> dict[str, object]:
    """``raw`` parsed as one JSON object (``empty`` for no bytes, when given). A key given twice
    in one object is refused, never silently resolved to one of its values."""
    import json

    if not raw and empty is not None:
        return dict(empty)
    try:
        data = orjson.loads(raw)  # strict (UTF-8, no NaN) and fast: the one parse that must pass
    except orjson.JSONDecodeError:
        raise MalformedBody("the body is not JSON", not_json=True) from None
    if not isinstance(data, dict):
        raise MalformedBody("the body must be a JSON object", not_json=False)
    if raw.count(b":") > len(data):  # more than one object (or a colon in a string): look for repeats
        json.loads(raw, object_pairs_hook=unique_keys)
    return data


class RequestSchemas:
    """Validators of the request bodies ``openapi.yaml`` describes, by operation id."""

    def __init__(self) -> None:
        import yaml
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
        uri = "urn:apigov:registry-api"
        registry: Registry[Any] = Registry().with_resource(
            uri, Resource.from_contents(spec, default_specification=DRAFT202012)
        )
        self._validators: dict[str, Any] = {}
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "requestBody" not in operation:
                    continue
                escaped = path.replace("~", "~0").replace("/", "~1")
                pointer = f"/paths/{escaped}/{method}/requestBody/content/application~1json/schema"
                self._validators[operation["operationId"]] = Draft202012Validator(
                    {"$ref": f"{uri}#{pointer}"}, registry=registry
                )

    def first_error(self, operation: str, body: object) -> str | None:
        error = next(iter(self._validators[operation].iter_errors(body)), None)
        if error is None:
            return None
        where = "/".join(str(part) for part in error.absolute_path) or "the body"
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        return f"{where}: {message}"


@functools.cache
def request_schemas() -> RequestSchemas:
    return RequestSchemas()


@dataclass(slots=True)
class Shared:
    """The backend, token store, settings, configuration and metrics every router uses, with
    the one way to authorize a request, read its body and call the backend."""

    backend: RegistryBackend
    tokens: TokenStore
    settings: ServerSettings
    config: Config
    metrics: Metrics
    peek_token: Callable[[str], TokenRecord | None] | None = field(init=False)
    """A store's memory-only token look-up (PostgreSQL: tokens found in the last second)."""
    inline_reads: bool = field(init=False)
    rates: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.rates = RateLimiter(self.settings.rate_limit, self.settings.rate_burst)
        peek = getattr(self.tokens, "peek", None)
        self.peek_token = peek if callable(peek) else None
        self.inline_reads = isinstance(self.backend, DirectoryBackend)

    async def authorize(self, request: Request, needed: str) -> TokenRecord | None:
        header = request.headers.get("authorization")
        if header is None:
            if needed == "read" and self.settings.anonymous_read:
                client = request.client
                self.limit_rate(f"anonymous:{client.host if client else '?'}")
                return None
            raise Problem(
                401, "unauthorized", "a bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "basic":  # what Kafka clients send: any user name, the token as password
            token = _basic_password(token)
            scheme = "bearer"
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(
                401,
                "unauthorized",
                "use 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if isinstance(self.tokens, FileTokenStore):  # a stat, and a read when the file changed
            record = self.tokens.lookup(token.strip())
        else:  # a store behind a server: from its memory, else off the event loop
            record = self.peek_token(token.strip()) if self.peek_token is not None else None
            if record is None:
                record = await self.call(self.tokens.lookup, token.strip())
        if record is None:
            raise Problem(
                401,
                "unauthorized",
                "unknown or revoked token",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        request.scope["apigov.token"] = record.name
        self.limit_rate(f"token:{record.name}")
        if not grants(record.scope, needed):
            raise Problem(
                403, "forbidden", f"this needs a token of scope {needed}; the token has scope {record.scope}"
            )
        return record

    def limit_rate(self, key: str) -> None:
        """Refuse (429 with ``Retry-After``) a request above ``key``'s rate and burst."""
        wait = self.rates.take(key)
        if wait is not None:
            raise Problem(
                429,
                "rate-limited",
                f"more than {self.settings.rate_limit:g} requests per second (burst "
                f"{self.settings.rate_burst}); retry in {wait} s",
                headers={"Retry-After": str(wait)},
            )

    @staticmethod
    def may_write(record: TokenRecord | None, *subjects: str) -> None:
        """Refuse (403) a write of ``subjects`` by a token limited to other subjects (or to
        pacticipants only); ``subjects`` empty: a write of no subject, refused to every limited
        token."""
        refusal = write_refusal(record, subjects=subjects)
        if refusal is not None:
            raise Problem(403, "forbidden", refusal)

    async def body(self, request: Request, operation: str) -> dict[str, object]:
        """The JSON object of the request (``Content-Type: application/json``, no key twice),
        checked against the operation's schema in ``openapi.yaml``."""
        media, charset = media_type(request)
        if media != "application/json" or charset not in (None, "utf-8"):
            shown = "no Content-Type" if media is None else f"Content-Type {media[:80]!r}"
            raise Problem(415, "unsupported-media-type", f"{shown}: send the body as application/json")
        try:
            data = json_object(await read_body(request, self.settings.max_body))
        except MalformedBody as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        error = request_schemas().first_error(operation, data)
        if error is not None:
            raise Problem(400, "invalid-request", error)
        return data

    async def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func`` in a worker thread; a library error becomes its problem document."""
        try:
            return await run_in_threadpool(func, *args, **kwargs)
        except ApigovError as exc:
            raise library_problem(exc, self.backend.location) from None

    async def read(self, func: Callable[..., Any], *args: Any) -> Any:
        """A read: in the event loop for a local directory (a few small files, each read whole,
        cheaper than a thread hop), in a worker thread for backends that talk to a server."""
        if not self.inline_reads:
            return await self.call(func, *args)
        try:
            return func(*args)
        except ApigovError as exc:
            raise library_problem(exc, self.backend.location) from None
