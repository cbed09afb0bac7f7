"""The registry API (``/v1/subjects/...``; the contract: ``apigov/server/openapi.yaml``).

Every handler checks the caller's scope first (:meth:`~apigov.server._http.Shared.authorize`),
then the subject and version names, then reads a body of at most ``max_body`` bytes. Backend
calls run in worker threads. Errors are problem documents.

Published versions are immutable, so the router keeps the ones it served in a bounded cache
(:class:`_VersionCache`). A subject's index (its latest version, mode, undecided level, deprecations) is read
from the backend on every request, so replicas never disagree for longer than a request, with
two exceptions that are as safe: a directory registry's index is kept while its file is the same
file, and a backend that hears every change (PostgreSQL's ``peek_subject``, see
:meth:`~apigov.registry.postgres.PostgresBackend.watch_changes`) answers from its memory until a
change is heard.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.core.errors import DocumentError, InputError
from apigov.core.findings import Level
from apigov.registry.base import (
    KINDS,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    parse_mode,
    parse_undecided,
)
from apigov.registry.filesystem import SUBJECT_FILE, DirectoryBackend
from apigov.registry.present import outcome_json, subject_json
from apigov.registry.provenance import now
from apigov.registry.publish import BUMP_CHOICES, PublishOutcome, PublishRequest, publish
from apigov.schema.modes import Mode
from apigov.server._http import (
    Problem,
    Shared,
    body_field,
    endpoint,
    json_response,
    path_subject,
    version_of,
)
from apigov.server.observe import log_event

__all__ = ["routes", "subject_json", "version_json"]

_CACHE_BYTES: Final = 64 * 1024 * 1024
_MAX_SUBJECTS: Final = 10_000


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


class _RegistryApi:
    """The handlers of the registry API (``/v1/subjects/...``) over the shared plumbing."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.backend, self.config, self.metrics = shared.backend, shared.config, shared.metrics
        self.cache = _VersionCache()
        # uploaded contracts are bundled already: their $ref never leave the upload, whatever
        # apigov.yaml allows the server's own commands
        self.contained = dataclasses.replace(shared.config, allow_remote_refs=False, allow_ref_outside=False)
        self.subjects: dict[str, tuple[tuple[int, int, int], SubjectInfo]] = {}
        # a memory-only look-up of a backend that remembers (PostgreSQL)
        peek_subject = getattr(shared.backend, "peek_subject", None)
        self.peek_subject: Callable[[str], SubjectInfo | None] | None = (
            peek_subject if callable(peek_subject) else None
        )

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

    async def list_subjects(self, request: Request) -> Response:
        await self.shared.authorize(request, "read")
        subjects = await self.shared.call(self.backend.list_subjects)
        return json_response({"subjects": [subject_json(s) for s in subjects]})

    async def get_subject(self, request: Request) -> Response:
        await self.shared.authorize(request, "read")
        info = await self.shared.call(self.backend.subject, path_subject(request))
        return json_response(subject_json(info))

    async def get_version(self, request: Request) -> Response:
        await self.shared.authorize(request, "read")
        subject = path_subject(request)
        text = str(request.path_params["version"])
        info: SubjectInfo | None = self.peek_subject(subject) if self.peek_subject is not None else None
        wanted = None if text == "latest" else version_of(text)
        if info is None or (wanted is not None and wanted not in info.versions):
            # not remembered, or remembered before that version arrived: ask the backend
            info = await self.shared.read(self.subject_info, subject)
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
            stored = await self.shared.read(self.backend.get_version, subject, version)
            encoded = orjson.dumps(version_json(stored, info))
            if not info.deprecated:
                self.cache.put(stored, encoded)
        etag = f'"{stored.digest}"'
        return Response(encoded, 200, {"ETag": etag}, media_type="application/json")

    async def put_version(self, request: Request) -> Response:
        record = await self.shared.authorize(request, "admin")
        subject = path_subject(request)
        self.shared.may_write(record, subject)
        version = version_of(str(request.path_params["version"]))
        body = await self.shared.body(request, "putVersion")
        kind = body_field(body, "kind", str, required=True)
        content_format = body_field(body, "format", str, required=True)
        content = body_field(body, "content", str, required=True).encode("utf-8")
        digest = body_field(body, "digest", str, required=True)
        if kind not in KINDS or content_format not in ("yaml", "json"):
            raise Problem(400, "invalid-request", "unknown kind or format")
        if digest != "sha256:" + hashlib.sha256(content).hexdigest():
            raise Problem(400, "digest-mismatch", "the digest is not the sha256 of the content")
        meta_data = body_field(body, "meta", dict, required=True)
        try:
            meta = VersionMeta.from_json(meta_data)
        except ValueError as exc:
            raise Problem(400, "invalid-request", f"invalid meta: {exc}") from None
        expected_text = body_field(body, "expected_latest", str)
        expected = version_of(expected_text) if expected_text is not None else None
        mode_text = body_field(body, "mode", str)
        try:
            mode = parse_mode(mode_text) if mode_text is not None else None
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        extra = {"mode": mode} if mode is not None else {}
        result = await self.shared.call(
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
        return json_response(
            {"result": result.value, "subject": subject, "version": str(version)}, 201 if created else 200
        )

    async def publish(self, request: Request) -> Response:
        record = await self.shared.authorize(request, "publish")
        subject = path_subject(request)
        self.shared.may_write(record, subject)
        body = await self.shared.body(request, "publish")
        content = body_field(body, "content", str, required=True)
        content_format = body_field(body, "format", str) or "yaml"
        if content_format not in ("yaml", "json"):
            raise Problem(400, "invalid-request", "'format' must be yaml or json")
        version = body_field(body, "version", str)
        if version is not None:
            version_of(version)
        bump = body_field(body, "bump", str) or "auto"
        if bump not in BUMP_CHOICES:
            raise Problem(400, "invalid-request", "'bump' must be one of " + ", ".join(BUMP_CHOICES))
        if version is not None and bump != "auto":
            raise Problem(400, "invalid-request", "give 'version' or 'bump', not both")
        mode_text = body_field(body, "mode", str)
        try:
            mode = parse_mode(mode_text) if mode_text is not None else None
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        # who published is the token, whatever the client says; its claim is kept beside it
        who = f"token:{record.name}" if record is not None else "anonymous"
        claimed = body_field(body, "publisher", str)
        if claimed:
            who += f" for {claimed}"
        outcome: PublishOutcome = await self.shared.call(
            self._publish,
            subject=subject,
            text=content,
            content_format=content_format,
            version=version,
            bump=bump,
            dry_run=bool(body_field(body, "dry_run", bool)),
            mode=mode,
            labels=_labels(body.get("labels")),
            publisher=who[:200],
            git_sha=body_field(body, "git_sha", str),
            git_branch=body_field(body, "git_branch", str),
            source=body_field(body, "source", str),
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
        return json_response(data, 201 if outcome.status == "published" else 200)

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
        return await self._set_setting(request, "setMode", "mode", parse_mode, self.backend.set_mode)

    async def set_undecided(self, request: Request) -> Response:
        """How the subject's publishes count a change apigov cannot decide (the scope of ``set_mode``)."""
        return await self._set_setting(
            request, "setUndecided", "undecided", parse_undecided, self.backend.set_undecided
        )

    async def _set_setting(
        self,
        request: Request,
        operation: str,
        name: str,
        parse: Callable[[str], Mode | Level],
        store: Callable[[str, Any], None],
    ) -> Response:
        """Set one of the subject's settings (``name`` in the body; admin scope, like the mode)."""
        record = await self.shared.authorize(request, "admin")
        subject = path_subject(request)
        self.shared.may_write(record, subject)
        body = await self.shared.body(request, operation)
        try:
            value = parse(body_field(body, name, str, required=True))
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        await self.shared.call(store, subject, value)
        log_event(f"{name}-set", logging.INFO, subject=subject, **{name: value.value})
        return json_response(subject_json(await self.shared.call(self.backend.subject, subject)))

    async def deprecation(self, request: Request) -> Response:
        from apigov.registry.base import Deprecation

        record = await self.shared.authorize(request, "admin")
        subject = path_subject(request)
        self.shared.may_write(record, subject)
        version = version_of(str(request.path_params["version"]))
        if request.method == "DELETE":
            mark = None
        else:
            body = await self.shared.body(request, "deprecateVersion")
            reason = body_field(body, "reason", str) or ""
            at = body_field(body, "at", str) or now()
            mark = Deprecation(at=at[:40], reason=" ".join(reason.split())[:1000])
        await self.shared.call(self.backend.deprecate, subject, version, mark)
        log_event("deprecation-set" if mark else "deprecation-removed", subject=subject, version=str(version))
        return json_response(subject_json(await self.shared.call(self.backend.subject, subject)))


def routes(shared: Shared) -> list[Route]:
    """The registry API's routes (operation ids as in ``openapi.yaml``)."""
    api = _RegistryApi(shared)

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

    return [
        Route("/v1/subjects", endpoint("listSubjects", api.list_subjects), methods=["GET"]),
        Route("/v1/subjects/{subject}", endpoint("getSubject", api.get_subject), methods=["GET"]),
        Route("/v1/subjects/{subject}/mode", endpoint("setMode", api.set_mode), methods=["PUT"]),
        Route(
            "/v1/subjects/{subject}/undecided", endpoint("setUndecided", api.set_undecided), methods=["PUT"]
        ),
        Route("/v1/subjects/{subject}/publish", endpoint("publish", api.publish), methods=["POST"]),
        Route(
            "/v1/subjects/{subject}/versions/{version}",
            endpoint("getVersion", version),
            methods=["GET", "PUT"],
        ),
        Route(
            "/v1/subjects/{subject}/versions/{version}/deprecation",
            endpoint("deprecation", deprecation),
            methods=["PUT", "DELETE"],
        ),
    ]
