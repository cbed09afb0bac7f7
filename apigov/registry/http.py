"""The HTTP backend: a client of ``apigov serve`` behind the :class:`RegistryBackend` interface.

``--registry https://registry.example.com`` (or ``APIGOV_REGISTRY``) selects it; the bearer
token comes from ``APIGOV_TOKEN``. Every operation is one request (the raw
:meth:`HttpBackend.put_version` is the server's compare-and-set), so it behaves like the
backend the server runs on. ``apigov publish`` through it sends the bundled contract to the
server's publish endpoint (:class:`~apigov.registry.publish.RemotePublisher`), where the policy
judges it; a refusal comes back with the same changes.

Answers map back to the error tree: 404 ``UnknownSubject``, 409 ``version-exists``
``VersionExists``, ``stale-latest`` ``StaleLatest``, other 409 ``RegistryError``, 400/422
``InputError``, 401/403 ``RegistryError`` naming ``APIGOV_TOKEN``, 5xx and connection failures
``BackendUnavailable``. httpx is imported only here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit, urlunsplit

from apigov.core.errors import (
    BackendUnavailable,
    InputError,
    RegistryError,
    StaleLatest,
    UnknownSubject,
    VersionExists,
)
from apigov.core.findings import Level
from apigov.registry.base import (
    DEFAULT_UNDECIDED,
    Change,
    Deprecation,
    NewVersion,
    PutResult,
    RegistryBackend,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    check_subject,
    digest_of,
    parse_mode,
    parse_undecided,
    parse_version,
)
from apigov.registry.policy import Comparison, Judgement
from apigov.registry.publish import PublishOutcome, PublishRequest
from apigov.schema.modes import Mode

if TYPE_CHECKING:
    import httpx

__all__ = ["TOKEN_ENV", "HttpBackend"]

TOKEN_ENV: Final = "APIGOV_TOKEN"  # noqa: S105 - the variable's name, not a token
_TIMEOUT: Final = 60.0


class _Refused(RegistryError):
    """The server's policy refused a publish (its outcome travels with the error)."""

    def __init__(self, message: str, *, outcome: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.outcome = outcome


def _display(url: str) -> str:
    """``url`` without user info, query or fragment (never shows credentials)."""
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port
    except ValueError:
        return url.split("://", 1)[0] + "://(unparsable URL)"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class HttpBackend(RegistryBackend):
    """A :class:`~apigov.registry.base.RegistryBackend` over the REST API of ``apigov serve``."""

    def __init__(self, url: str, *, token: str | None = None, client: httpx.Client | None = None) -> None:
        import httpx

        try:
            parts = urlsplit(url)
            _ = parts.hostname, parts.port
        except ValueError as exc:
            raise InputError(
                f"invalid registry URL {_display(url)!r}: {exc}", hint="write http(s)://HOST[:PORT]"
            ) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"invalid registry URL {_display(url)!r}", hint="write http(s)://HOST[:PORT]")
        if parts.username or parts.password or parts.query:
            raise InputError(
                "the registry URL must not hold credentials or a query",
                hint=f"give the token in {TOKEN_ENV}",
            )
        self.base = _display(url)
        token = token if token is not None else os.environ.get(TOKEN_ENV, "").strip() or None
        headers = {"Accept": "application/json", "User-Agent": "apigov"}
        if token and (
            len(token) > 500 or not all(ch.isascii() and ch.isprintable() and ch != " " for ch in token)
        ):
            raise InputError(f"{TOKEN_ENV} holds characters no token has", hint="copy the token again")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = client or httpx.Client(base_url=self.base, headers=headers, timeout=_TIMEOUT)
        if client is not None:
            self._client.headers.update(headers)

    @property
    def location(self) -> str:
        return self.base

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ transport

    def _request(self, method: str, path: str, body: Mapping[str, object] | None = None) -> tuple[int, Any]:
        import httpx

        try:
            response = self._client.request(
                method,
                path,
                content=json.dumps(body).encode("utf-8") if body is not None else None,
                headers={"Content-Type": "application/json"} if body is not None else None,
            )
        except httpx.HTTPError as exc:
            raise BackendUnavailable(
                f"cannot reach the registry at {self.base}: {exc.__class__.__name__}",
                hint="check the URL and that 'apigov serve' runs there",
            ) from None
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = None
        if response.status_code < 400:
            return response.status_code, data
        raise self._error(response.status_code, data)

    def _error(self, status: int, data: object) -> Exception:
        problem = data if isinstance(data, dict) else {}
        code = str(problem.get("type", "")).rpartition(":")[2]
        detail = " ".join(str(problem.get("detail", "") or f"HTTP {status}").split())[:500]
        where = f"registry {self.base}: "
        if status == 409 and code == "publish-refused" and isinstance(problem.get("outcome"), dict):
            return _Refused(where + detail, outcome=problem["outcome"])
        if status == 404:
            return UnknownSubject(where + detail)
        if status == 401:
            return RegistryError(
                where + detail, hint=f"set {TOKEN_ENV} to a token from 'apigov token create'"
            )
        if status == 403:
            return RegistryError(where + detail, hint=f"use a token of a larger scope in {TOKEN_ENV}")
        if status == 409 and code == "version-exists":
            return VersionExists(where + detail)
        if status == 409 and code == "stale-latest":
            return StaleLatest(where + detail)
        if status in (400, 413, 422):
            return InputError(where + detail)
        if status >= 500:
            return BackendUnavailable(where + detail)
        if status == 405:
            return RegistryError(
                where + detail, hint="the server may predate this request: upgrade apigov serve"
            )
        return RegistryError(where + detail)

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _info(data: Mapping[str, Any]) -> SubjectInfo:
        deprecated = {
            str(v): Deprecation(at=str(d.get("at", "")), reason=str(d.get("reason", "")))
            for v, d in (data.get("deprecated") or {}).items()
            if isinstance(d, dict)
        }
        return SubjectInfo(
            name=str(data["subject"]),
            kind=str(data["kind"]),
            mode=Mode.parse(str(data["mode"])),
            versions=tuple(sorted(parse_version(str(v)) for v in data["versions"])),
            deprecated=MappingProxyType(deprecated),
            # a server older than migration 30 does not say: its registry refuses undecided changes
            undecided=parse_undecided(str(data.get("undecided", DEFAULT_UNDECIDED.value))),
        )

    def _read(self, path: str) -> Any:
        try:
            return self._request("GET", path)[1]
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"registry {self.base}: unexpected answer: {exc}") from None

    def list_subjects(self) -> Sequence[SubjectInfo]:
        data = self._read("/v1/subjects")
        try:
            return sorted((self._info(item) for item in data["subjects"]), key=lambda s: s.name)
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"registry {self.base}: unexpected answer: {exc}") from None

    def subject(self, name: str) -> SubjectInfo:
        data = self._read(f"/v1/subjects/{check_subject(name)}")
        try:
            return self._info(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"registry {self.base}: unexpected answer: {exc}") from None

    def get_version(self, subject: str, version: SemVer) -> StoredVersion:
        data = self._read(f"/v1/subjects/{check_subject(subject)}/versions/{version}")
        try:
            stored = StoredVersion(
                subject=str(data["subject"]),
                version=parse_version(str(data["version"])),
                kind=str(data["kind"]),
                format=str(data["format"]),
                content=str(data["content"]).encode("utf-8"),
                digest=str(data["digest"]),
                meta=VersionMeta.from_json(data["meta"]),
            )
        except (KeyError, TypeError, ValueError, InputError) as exc:
            raise RegistryError(f"registry {self.base}: unexpected answer: {exc}") from None
        # the answer is untrusted: it names what was asked for, and its content is what it claims
        if (stored.subject, stored.version) != (subject, version) or digest_of(
            stored.content
        ) != stored.digest:
            raise RegistryError(
                f"registry {self.base}: the answer for {subject}@{version} is not that version "
                "(another subject or version, or content that does not match its digest)",
                hint="check the registry URL; use https:// for a remote registry",
            )
        return stored

    # ------------------------------------------------------------------ writing

    def store_version(self, new: NewVersion) -> PutResult:
        check_subject(new.subject)
        try:
            text = new.content.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the content is not UTF-8 text") from None
        status, _ = self._request(
            "PUT",
            f"/v1/subjects/{new.subject}/versions/{new.version}",
            {
                "kind": new.kind,
                "format": new.content_format,
                "content": text,
                "digest": new.digest,
                "meta": new.meta.to_json(),
                "expected_latest": str(new.expected_latest) if new.expected_latest is not None else None,
                "mode": new.mode.value,
            },
        )
        return PutResult.CREATED if status == 201 else PutResult.UNCHANGED

    def set_mode(self, subject: str, mode: Mode) -> None:
        self._request("PUT", f"/v1/subjects/{check_subject(subject)}/mode", {"mode": mode.value})

    def set_undecided(self, subject: str, level: Level) -> None:
        body = {"undecided": parse_undecided(level.value).value}
        try:
            self._request("PUT", f"/v1/subjects/{check_subject(subject)}/undecided", body)
        except UnknownSubject:
            self.subject(subject)  # raises UnknownSubject when it is the subject that is missing
            raise RegistryError(
                f"registry {self.base}: the server has no per-subject undecided level (registry API 1.1.0)",
                hint="upgrade apigov serve there",
            ) from None

    def deprecate(self, subject: str, version: SemVer, deprecation: Deprecation | None) -> None:
        path = f"/v1/subjects/{check_subject(subject)}/versions/{version}/deprecation"
        if deprecation is None:
            self._request("DELETE", path)
        else:
            self._request("PUT", path, {"at": deprecation.at, "reason": deprecation.reason})

    # ------------------------------------------------------------------ publishing

    def publish_content(self, request: PublishRequest, content_format: str, content: bytes) -> PublishOutcome:
        """Send a bundled contract to the server's publish endpoint; the server's policy decides."""
        body: dict[str, object] = {
            "content": content.decode("utf-8"),
            "format": content_format,
            "bump": request.bump,
            "dry_run": request.dry_run,
            "labels": dict(request.labels),
            "source": request.source or str(request.file),
        }
        for key, value in (
            ("version", request.version),
            ("mode", request.mode.value if request.mode else None),
            ("publisher", request.publisher or os.environ.get("APIGOV_PUBLISHER", "").strip() or None),
            ("git_sha", request.git_sha or os.environ.get("GITHUB_SHA") or os.environ.get("CI_COMMIT_SHA")),
            ("git_branch", request.git_branch),
        ):
            if value:
                body[key] = value
        if body.get("version") is not None:
            body.pop("bump")
        try:
            _, data = self._request("POST", f"/v1/subjects/{check_subject(request.subject)}/publish", body)
        except _Refused as refused:
            data = refused.outcome
        try:
            return _outcome(data)
        except (KeyError, TypeError, ValueError, InputError) as exc:
            raise RegistryError(f"registry {self.base}: unexpected publish answer: {exc}") from None


def _changes(items: Sequence[Mapping[str, Any]]) -> tuple[Change, ...]:
    return tuple(
        Change(
            str(c["id"]),
            str(c["level"]),
            str(c["message"]),
            str(c["example"]) if c.get("example") else None,
            undecided=c.get("undecided") is True,
        )
        for c in items
    )


def _outcome(data: Mapping[str, Any]) -> PublishOutcome:
    """A :class:`PublishOutcome` from the server's JSON (so ``apigov publish`` renders it as usual)."""
    failures = tuple(
        Comparison(
            against=str(f["against"]),
            direction=str(f["direction"]),
            breaking=True,
            changes=_changes(f["changes"]),
        )
        for f in data["failures"]
    )
    changes = _changes(data["changes"])
    required = data.get("required_bump")
    judgement = (
        Judgement(required_bump=str(required), failures=failures, changes=changes) if required else None
    )
    version, previous = data.get("version"), data.get("previous")
    return PublishOutcome(
        status=str(data["status"]),
        subject=str(data["subject"]),
        kind=str(data["kind"]),
        mode=parse_mode(str(data["mode"])),
        version=parse_version(version) if version else None,
        previous=parse_version(previous) if previous else None,
        digest=str(data["digest"]),
        required_bump=str(required) if required else None,
        reasons=tuple(str(r) for r in data["reasons"]),
        judgement=judgement,
    )
