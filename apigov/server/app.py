"""The ASGI app of ``apigov serve`` (the contract: ``openapi.yaml`` beside this file).

Every handler checks the caller's scope first (:mod:`apigov.registry.tokens`), then the subject
and version names (:func:`~apigov.registry.base.check_subject`), then reads a body of at most
``max_body`` bytes, counted while it streams in (a larger ``Content-Length`` is refused before
anything is read). Backend calls run in worker threads. Errors are problem documents.

Published versions are immutable, so the server keeps the ones it served in a bounded cache
(:class:`_VersionCache`). A subject's index (its latest version, mode, deprecations) is read
from the backend on every request, so replicas never disagree for longer than a request, with
two exceptions that are as safe: a directory registry's index is kept while its file is the same
file, and a backend that hears every change (PostgreSQL's ``peek_subject``, see
:meth:`~apigov.registry.postgres.PostgresBackend.watch_changes`) answers from its memory until a
change is heard. Likewise a token store's ``peek`` (PostgreSQL: tokens found in the last second)
spares a database query per request.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import tempfile
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.config.project import Config
from apigov.core.errors import (
    ApigovError,
    BackendUnavailable,
    DocumentError,
    InputError,
    RegistryError,
    StaleLatest,
    UnknownSubject,
    VersionExists,
)
from apigov.registry.base import (
    KINDS,
    RegistryBackend,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    check_subject,
    parse_mode,
    parse_version,
)
from apigov.registry.filesystem import SUBJECT_FILE, DirectoryBackend
from apigov.registry.present import outcome_json
from apigov.registry.provenance import now
from apigov.registry.publish import BUMP_CHOICES, PublishOutcome, PublishRequest, publish
from apigov.registry.tokens import FileTokenStore, TokenRecord, TokenStore, grants
from apigov.server.observe import Metrics, log_event

__all__ = ["DEFAULT_MAX_BODY", "ServerSettings", "create_app", "outcome_json", "subject_json", "version_json"]

DEFAULT_MAX_BODY: Final = 10 * 1024 * 1024
_CACHE_BYTES: Final = 64 * 1024 * 1024
_MAX_SUBJECTS: Final = 10_000
_PROBE: Final = "apigov-readiness-probe"
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


def _json(value: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), status, dict(headers or {}), media_type="application/json")


# ---------------------------------------------------------------------- JSON shapes


def subject_json(info: SubjectInfo) -> dict[str, object]:
    return {
        "subject": info.name,
        "kind": info.kind,
        "mode": info.mode.value,
        "latest": str(info.latest) if info.latest else None,
        "versions": [str(v) for v in info.versions],
        "deprecated": {v: {"at": d.at, "reason": d.reason} for v, d in sorted(info.deprecated.items())},
    }


def version_json(stored: StoredVersion, info: SubjectInfo) -> dict[str, object]:
    deprecation = info.deprecated.get(str(stored.version))
    return {
        "subject": stored.subject,
        "version": str(stored.version),
        "kind": stored.kind,
        "format": stored.format,
        "digest": stored.digest,
        "content": stored.content.decode("utf-8", "replace"),
        "meta": stored.meta.to_json(),
        "deprecated": {"at": deprecation.at, "reason": deprecation.reason} if deprecation else None,
    }


# ---------------------------------------------------------------------- request helpers


def _subject(request: Request) -> str:
    try:
        return check_subject(str(request.path_params["subject"]))
    except InputError as exc:
        raise Problem(400, "invalid-subject", str(exc)) from None


def _version(text: str) -> SemVer:
    try:
        return parse_version(text)
    except InputError as exc:
        raise Problem(400, "invalid-version", str(exc)) from None


def _error(exc: ApigovError, location: str = "") -> Problem:
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


def _field(body: Mapping[str, object], key: str, kind: type, *, required: bool = False) -> Any:
    value = body.get(key)
    if value is None:
        if required:
            raise Problem(400, "invalid-request", f"the body needs {key!r}")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Problem(400, "invalid-request", f"{key!r} must be a {kind.__name__}")
    return value


def _labels(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise Problem(400, "invalid-request", "'labels' must map strings to strings")
    if len(value) > 100:
        raise Problem(400, "invalid-request", "at most 100 labels")
    return dict(value)


class _RequestSchemas:
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
def _request_schemas() -> _RequestSchemas:
    return _RequestSchemas()


class _VersionCache:
    """Immutable versions by (subject, version, digest), at most ``limit`` content bytes (LRU)."""

    def __init__(self, limit: int = _CACHE_BYTES) -> None:
        self.limit, self.size = limit, 0
        self._items: OrderedDict[tuple[str, str], tuple[StoredVersion, bytes]] = OrderedDict()

    def get(self, subject: str, version: SemVer) -> tuple[StoredVersion, bytes] | None:
        key = (subject, str(version))
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, stored: StoredVersion, encoded: bytes) -> None:
        if len(encoded) > self.limit // 4:
            return
        key = (stored.subject, str(stored.version))
        if key in self._items:
            return
        self._items[key] = (stored, encoded)
        self.size += len(encoded)
        while self.size > self.limit:
            _, (_, dropped) = self._items.popitem(last=False)
            self.size -= len(dropped)


# ---------------------------------------------------------------------- the app


class _Api:
    def __init__(
        self,
        backend: RegistryBackend,
        tokens: TokenStore,
        settings: ServerSettings,
        config: Config,
        metrics: Metrics,
    ) -> None:
        self.backend, self.tokens, self.settings, self.config = backend, tokens, settings, config
        self.metrics = metrics
        self.cache = _VersionCache()
        # uploaded contracts are bundled already: their $ref never leave the upload, whatever
        # apigov.yaml allows the server's own commands
        self.contained = dataclasses.replace(config, allow_remote_refs=False, allow_ref_outside=False)
        self.inline_reads = isinstance(backend, DirectoryBackend)
        self.subjects: dict[str, tuple[tuple[int, int, int], SubjectInfo]] = {}
        # optional memory-only look-ups of a store or backend that remembers (PostgreSQL)
        peek_token = getattr(tokens, "peek", None)
        self.peek_token: Callable[[str], TokenRecord | None] | None = (
            peek_token if callable(peek_token) else None
        )
        peek_subject = getattr(backend, "peek_subject", None)
        self.peek_subject: Callable[[str], SubjectInfo | None] | None = (
            peek_subject if callable(peek_subject) else None
        )

    # -- auth and bodies

    async def authorize(self, request: Request, needed: str) -> TokenRecord | None:
        header = request.headers.get("authorization")
        if header is None:
            if needed == "read" and self.settings.anonymous_read:
                return None
            raise Problem(
                401, "unauthorized", "a bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
            )
        scheme, _, token = header.partition(" ")
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
        if not grants(record.scope, needed):
            raise Problem(
                403, "forbidden", f"this needs a token of scope {needed}; the token has scope {record.scope}"
            )
        return record

    async def body(self, request: Request, operation: str) -> dict[str, object]:
        """The JSON object of the request, checked against the operation's schema in ``openapi.yaml``."""
        limit = self.settings.max_body
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > limit:
                    raise Problem(413, "too-large", f"the body is larger than {limit} bytes")
            except ValueError:
                raise Problem(400, "invalid-request", "invalid Content-Length") from None
        chunks: list[bytes] = []
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise Problem(413, "too-large", f"the body is larger than {limit} bytes")
            chunks.append(chunk)
        try:
            data = orjson.loads(b"".join(chunks))
        except orjson.JSONDecodeError:
            raise Problem(400, "invalid-request", "the body is not JSON") from None
        if not isinstance(data, dict):
            raise Problem(400, "invalid-request", "the body must be a JSON object")
        error = _request_schemas().first_error(operation, data)
        if error is not None:
            raise Problem(400, "invalid-request", error)
        return data

    async def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await run_in_threadpool(func, *args, **kwargs)
        except ApigovError as exc:
            raise _error(exc, self.backend.location) from None

    def subject_info(self, name: str) -> SubjectInfo:
        """``backend.subject(name)``; for a directory registry remembered while its ``subject.json``
        is the same file (every write replaces it by a rename: a new inode), so a replica never
        serves an index another replica has replaced."""
        if not isinstance(self.backend, DirectoryBackend):
            return self.backend.subject(name)
        try:
            stat = (self.backend.root / name / SUBJECT_FILE).stat()
        except OSError:
            return self.backend.subject(name)  # the backend says what is wrong
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        known = self.subjects.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        info = self.backend.subject(name)
        if len(self.subjects) >= _MAX_SUBJECTS:
            self.subjects.clear()
        self.subjects[name] = (stamp, info)
        return info

    async def read(self, func: Callable[..., Any], *args: Any) -> Any:
        """A read: in the event loop for a local directory (a few small files, each read whole,
        cheaper than a thread hop), in a worker thread for backends that talk to a server."""
        if not self.inline_reads:
            return await self.call(func, *args)
        try:
            return func(*args)
        except ApigovError as exc:
            raise _error(exc, self.backend.location) from None

    # -- handlers

    async def live(self, request: Request) -> Response:
        return _json({"status": "ok"})

    async def ready(self, request: Request) -> Response:
        try:  # one cheap look-up, whatever the size of the registry
            await run_in_threadpool(self.backend.subject, _PROBE)
        except UnknownSubject:
            pass
        except ApigovError:  # the detail (a path, a database host) is for the logs, not for anyone
            logging.getLogger("apigov.serve").warning("readiness check failed", exc_info=True)
            raise Problem(503, "backend-unavailable", "the registry's store cannot be reached") from None
        return _json({"status": "ready"})

    async def metrics_endpoint(self, request: Request) -> Response:
        return Response(self.metrics.render(), media_type="text/plain; version=0.0.4")

    async def list_subjects(self, request: Request) -> Response:
        await self.authorize(request, "read")
        subjects = await self.call(self.backend.list_subjects)
        return _json({"subjects": [subject_json(s) for s in subjects]})

    async def get_subject(self, request: Request) -> Response:
        await self.authorize(request, "read")
        info = await self.call(self.backend.subject, _subject(request))
        return _json(subject_json(info))

    async def get_version(self, request: Request) -> Response:
        await self.authorize(request, "read")
        subject = _subject(request)
        text = str(request.path_params["version"])
        info: SubjectInfo | None = self.peek_subject(subject) if self.peek_subject is not None else None
        wanted = None if text == "latest" else _version(text)
        if info is None or (wanted is not None and wanted not in info.versions):
            # not remembered, or remembered before that version arrived: ask the backend
            info = await self.read(self.subject_info, subject)
        if wanted is None:
            if info.latest is None:
                raise Problem(404, "not-found", f"subject {subject!r} has no versions")
            version = info.latest
        else:
            version = wanted
            if version not in info.versions:
                raise Problem(404, "not-found", f"subject {subject!r} has no version {version}")
        cached = self.cache.get(subject, version)
        if cached is not None and not info.deprecated:
            stored, encoded = cached
        else:
            stored = await self.read(self.backend.get_version, subject, version)
            encoded = orjson.dumps(version_json(stored, info))
            if not info.deprecated:
                self.cache.put(stored, encoded)
        etag = f'"{stored.digest}"'
        return Response(encoded, 200, {"ETag": etag}, media_type="application/json")

    async def put_version(self, request: Request) -> Response:
        await self.authorize(request, "admin")
        subject = _subject(request)
        version = _version(str(request.path_params["version"]))
        body = await self.body(request, "putVersion")
        kind = _field(body, "kind", str, required=True)
        content_format = _field(body, "format", str, required=True)
        content = _field(body, "content", str, required=True).encode("utf-8")
        digest = _field(body, "digest", str, required=True)
        if kind not in KINDS or content_format not in ("yaml", "json"):
            raise Problem(400, "invalid-request", "unknown kind or format")
        if digest != "sha256:" + hashlib.sha256(content).hexdigest():
            raise Problem(400, "digest-mismatch", "the digest is not the sha256 of the content")
        meta_data = _field(body, "meta", dict, required=True)
        try:
            meta = VersionMeta.from_json(meta_data)
        except ValueError as exc:
            raise Problem(400, "invalid-request", f"invalid meta: {exc}") from None
        expected_text = _field(body, "expected_latest", str)
        expected = _version(expected_text) if expected_text is not None else None
        mode_text = _field(body, "mode", str)
        try:
            mode = parse_mode(mode_text) if mode_text is not None else None
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        extra = {"mode": mode} if mode is not None else {}
        result = await self.call(
            self.backend.put_version,
            subject,
            version,
            kind=kind,
            content_format=content_format,
            content=content,
            digest=digest,
            meta=meta,
            expected_latest=expected,
            **extra,
        )
        created = result.value == "created"
        log_event("version-stored" if created else "version-unchanged", subject=subject, version=str(version))
        return _json(
            {"result": result.value, "subject": subject, "version": str(version)}, 201 if created else 200
        )

    async def publish(self, request: Request) -> Response:
        record = await self.authorize(request, "publish")
        subject = _subject(request)
        body = await self.body(request, "publish")
        content = _field(body, "content", str, required=True)
        content_format = _field(body, "format", str) or "yaml"
        if content_format not in ("yaml", "json"):
            raise Problem(400, "invalid-request", "'format' must be yaml or json")
        version = _field(body, "version", str)
        if version is not None:
            _version(version)
        bump = _field(body, "bump", str) or "auto"
        if bump not in BUMP_CHOICES:
            raise Problem(400, "invalid-request", "'bump' must be one of " + ", ".join(BUMP_CHOICES))
        if version is not None and bump != "auto":
            raise Problem(400, "invalid-request", "give 'version' or 'bump', not both")
        mode_text = _field(body, "mode", str)
        try:
            mode = parse_mode(mode_text) if mode_text is not None else None
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        # who published is the token, whatever the client says; its claim is kept beside it
        who = f"token:{record.name}" if record is not None else "anonymous"
        claimed = _field(body, "publisher", str)
        if claimed:
            who += f" for {claimed}"
        outcome: PublishOutcome = await self.call(
            self._publish,
            subject=subject,
            text=content,
            content_format=content_format,
            version=version,
            bump=bump,
            dry_run=bool(_field(body, "dry_run", bool)),
            mode=mode,
            labels=_labels(body.get("labels")),
            publisher=who[:200],
            git_sha=_field(body, "git_sha", str),
            git_branch=_field(body, "git_branch", str),
            source=_field(body, "source", str),
        )
        self.metrics.publish(outcome.status)
        log_event(
            "publish",
            subject=subject,
            status=outcome.status,
            version=str(outcome.version) if outcome.version else None,
            attempts=outcome.attempts,
        )
        data = outcome_json(outcome)
        if outcome.refused:
            detail = "; ".join(outcome.reasons) or "the publish policy refused the contract"
            raise Problem(409, "publish-refused", detail, outcome=data)
        return _json(data, 201 if outcome.status == "published" else 200)

    def _publish(
        self, *, subject: str, text: str, content_format: str, source: str | None, **rest: Any
    ) -> PublishOutcome:
        suffix = ".json" if content_format == "json" else ".yaml"
        with tempfile.TemporaryDirectory(prefix="apigov-serve-") as temp:
            path = Path(temp) / f"contract{suffix}"
            path.write_text(text, encoding="utf-8")
            request = PublishRequest(
                file=path,
                subject=subject,
                source=(source or f"{subject}{suffix}")[:1000],
                labels=MappingProxyType(rest.pop("labels")),
                **rest,
            )
            try:
                return publish(self.backend, request, self.contained)
            except DocumentError as exc:  # named as the client named the file, never the temporary path
                text = str(exc).replace(str(path), request.source or path.name).replace(temp, ".")
                raise Problem(422, "invalid-contract", text) from None

    async def set_mode(self, request: Request) -> Response:
        await self.authorize(request, "admin")
        subject = _subject(request)
        body = await self.body(request, "setMode")
        try:
            mode = parse_mode(_field(body, "mode", str, required=True))
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        await self.call(self.backend.set_mode, subject, mode)
        log_event("mode-set", subject=subject, mode=mode.value)
        return _json(subject_json(await self.call(self.backend.subject, subject)))

    async def deprecation(self, request: Request) -> Response:
        from apigov.registry.base import Deprecation

        await self.authorize(request, "admin")
        subject = _subject(request)
        version = _version(str(request.path_params["version"]))
        if request.method == "DELETE":
            mark = None
        else:
            body = await self.body(request, "deprecateVersion")
            reason = _field(body, "reason", str) or ""
            at = _field(body, "at", str) or now()
            mark = Deprecation(at=at[:40], reason=" ".join(reason.split())[:1000])
        await self.call(self.backend.deprecate, subject, version, mark)
        log_event("deprecation-set" if mark else "deprecation-removed", subject=subject, version=str(version))
        return _json(subject_json(await self.call(self.backend.subject, subject)))


class _Observe:
    """Pure ASGI middleware: request id, one JSON log line and the metrics of every request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        status = 500
        sent = 0

        async def wrapped(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        self.metrics.in_flight += 1
        try:
            await self.app(scope, receive, wrapped)
        finally:
            self.metrics.in_flight -= 1
            seconds = time.perf_counter() - start
            operation = str(
                scope.get("apigov.operation") or getattr(scope.get("endpoint"), "__name__", "unmatched")
            )
            self.metrics.request(scope["method"], operation, status, seconds)
            log_event(
                "request",
                logging.WARNING if status >= 500 else logging.INFO,
                method=scope["method"],
                path=scope.get("path", ""),
                operation=operation,
                status=status,
                duration_ms=round(seconds * 1000, 3),
                bytes=sent,
                request_id=request_id,
                token=scope.get("apigov.token"),
            )


def create_app(
    backend: RegistryBackend,
    tokens: TokenStore,
    settings: ServerSettings | None = None,
    config: Config | None = None,
) -> ASGIApp:
    """The ASGI app serving ``backend`` (see the module docstring)."""
    metrics = Metrics()
    _request_schemas()  # load the contract now: a broken package fails at start, not at a request
    api = _Api(backend, tokens, settings or ServerSettings(), config or Config(root=Path.cwd()), metrics)

    def named(
        name: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except Problem as problem:
                return problem.response()

        endpoint.__name__ = name
        return endpoint

    async def version(request: Request) -> Response:
        if request.method == "PUT":
            request.scope["apigov.operation"] = "putVersion"
            return await api.put_version(request)
        return await api.get_version(request)

    async def deprecation(request: Request) -> Response:
        request.scope["apigov.operation"] = (
            "deprecateVersion" if request.method == "PUT" else "undeprecateVersion"
        )
        return await api.deprecation(request)

    routes = [
        Route("/health/live", named("live", api.live), methods=["GET"]),
        Route("/health/ready", named("ready", api.ready), methods=["GET"]),
        Route("/metrics", named("metrics", api.metrics_endpoint), methods=["GET"]),
        Route("/v1/subjects", named("listSubjects", api.list_subjects), methods=["GET"]),
        Route("/v1/subjects/{subject}", named("getSubject", api.get_subject), methods=["GET"]),
        Route("/v1/subjects/{subject}/mode", named("setMode", api.set_mode), methods=["PUT"]),
        Route("/v1/subjects/{subject}/publish", named("publish", api.publish), methods=["POST"]),
        Route(
            "/v1/subjects/{subject}/versions/{version}", named("getVersion", version), methods=["GET", "PUT"]
        ),
        Route(
            "/v1/subjects/{subject}/versions/{version}/deprecation",
            named("deprecation", deprecation),
            methods=["PUT", "DELETE"],
        ),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        problem = Problem(exc.status_code, code, str(exc.detail), headers=exc.headers)
        return problem.response()

    async def internal_error(request: Request, exc: Exception) -> Response:
        log_event("internal-error", logging.ERROR, error=f"{exc.__class__.__name__}: {exc}")
        return Problem(500, "internal-error", "internal error; the server log has the details").response()

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
    with contextlib.suppress(AttributeError):
        app.state.metrics = metrics
    return _Observe(app, metrics)
