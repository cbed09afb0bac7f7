"""Bearer tokens of ``apigov serve``: scopes, hashing, and where they are kept.

A token is ``apigov_`` followed by 43 URL-safe base64 characters (32 random bytes). It is shown
once, by ``apigov token create``; the registry keeps only its sha256, the name and the scope, so a
leaked token store gives nobody a usable token. Looking a token up hashes it and compares the
digest with :func:`hmac.compare_digest`.

Scopes are ordered: ``read`` (list and fetch), ``publish`` (also publish through the policy),
``admin`` (also raw version writes, modes, deprecations). A token grants its scope and the ones
below it.

Storage sits behind :class:`TokenStore`: :class:`FileTokenStore` keeps a JSON file with 0600
permissions beside a directory registry (``<registry>/.apigov-tokens.json``); a PostgreSQL
registry keeps a table (its backend provides the store). The server re-reads the file when it
changes, so tokens created while replicas run are honoured by all of them.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol, runtime_checkable

from apigov.core.atomic import write_bytes_atomic
from apigov.core.errors import BackendUnavailable, ConfigError, InputError, RegistryError
from apigov.registry.base import check_subject
from apigov.registry.filesystem import _GITIGNORE, DirectoryBackend

__all__ = [
    "PREFIX",
    "SCOPES",
    "TOKEN_FILE",
    "FileTokenStore",
    "NewToken",
    "TokenRecord",
    "TokenStore",
    "check_scope",
    "create_token",
    "grants",
    "hash_token",
    "token_store_of",
    "write_refusal",
]

PREFIX: Final = "apigov_"
SCOPES: Final = ("read", "publish", "admin")
"""Ordered: each scope grants the ones before it."""
TOKEN_FILE: Final = ".apigov-tokens.json"  # noqa: S105 - a file name
_SCHEMA: Final = "apigov-tokens/1"
_NAME_MAX: Final = 100
_MAX_FILE: Final = 4 * 1024 * 1024


def hash_token(token: str) -> str:
    """``sha256:<hex>`` of the token's UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def grants(held: str, needed: str) -> bool:
    """Whether a token of scope ``held`` may do what needs ``needed``."""
    return held in SCOPES and SCOPES.index(held) >= SCOPES.index(needed)


def check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise InputError(f"unknown token scope {scope[:40]!r}", hint="use one of " + ", ".join(SCOPES))
    return scope


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """What is stored about a token (never the token itself)."""

    name: str
    scope: str
    digest: str
    created_at: str
    pacticipants: tuple[str, ...] = ()
    """When not empty, the only pacticipants this token may write for in the Pact Broker API
    (publish their pacts, record their deployments and verification results)."""
    subjects: tuple[str, ...] = ()
    """When not empty, the only subjects this token may write (publish, raw versions, modes,
    deprecations, Confluent registrations and configs) on every API."""

    @property
    def limited(self) -> bool:
        """Whether the token may write only what its limits name (see :func:`write_refusal`)."""
        return bool(self.pacticipants or self.subjects)


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: ``token`` is shown once and never stored."""

    token: str
    record: TokenRecord


@runtime_checkable
class TokenStore(Protocol):
    """Where token records live."""

    def add(self, record: TokenRecord) -> None:
        """Store a record (raises ``InputError`` when its name is taken)."""
        ...

    def records(self) -> Sequence[TokenRecord]:
        """Every record, sorted by name."""
        ...

    def revoke(self, name: str) -> bool:
        """Remove the record named ``name``; ``False`` when there was none."""
        ...

    def lookup(self, token: str) -> TokenRecord | None:
        """The record of ``token``, or ``None`` (constant-time digest comparison)."""
        ...


def write_refusal(
    record: TokenRecord | None, *, subjects: Sequence[str] = (), pacticipants: Sequence[str] = ()
) -> str | None:
    """Why ``record`` may not make a write of ``subjects`` and ``pacticipants``, or ``None``.

    A token without limits writes anything its scope allows. A limited token (``--subject`` or
    ``--pacticipant`` given at creation) writes only what its limits name: every subject and
    pacticipant of the write must be among them, and a write that names neither (a global
    setting, a new environment) is refused.
    """
    if record is None or not record.limited:
        return None
    outside = [s for s in subjects if s not in record.subjects]
    outside += [p for p in pacticipants if p not in record.pacticipants]
    if not outside and (subjects or pacticipants):
        return None
    allowed = ", ".join([*record.subjects, *record.pacticipants])
    return f"this token may write only for {allowed}, not for {', '.join(outside) or 'this'}"


def _check_name(name: str) -> str:
    if not name or len(name) > _NAME_MAX or not all(ch.isprintable() and not ch.isspace() for ch in name):
        raise InputError(
            f"invalid token name {name[:40]!r}",
            hint=f"use 1 to {_NAME_MAX} printable characters without spaces, such as ci-orders",
        )
    return name


def create_token(
    store: TokenStore,
    *,
    name: str,
    scope: str,
    created_at: str,
    pacticipants: Sequence[str] = (),
    subjects: Sequence[str] = (),
) -> NewToken:
    """Make a new random token of ``scope`` (limited to ``pacticipants`` and ``subjects`` when
    given), store its hash under ``name`` and return it."""
    check_scope(scope)
    _check_name(name)
    for pacticipant in pacticipants:
        _check_name(pacticipant)
    for subject in subjects:
        check_subject(subject)
    token = PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    record = TokenRecord(
        name=name,
        scope=scope,
        digest=hash_token(token),
        created_at=created_at,
        pacticipants=tuple(dict.fromkeys(pacticipants)),
        subjects=tuple(dict.fromkeys(subjects)),
    )
    store.add(record)
    return NewToken(token=token, record=record)


def _ignore_in_git(root: Path) -> None:
    """Keep the token file and its lock out of version control (a line in ``root/.gitignore``)."""
    ignore = root / ".gitignore"
    line = f"{TOKEN_FILE}*"
    try:
        # a new .gitignore holds the directory backend's lines too (it writes one only when missing)
        text = ignore.read_text(encoding="utf-8") if ignore.exists() else _GITIGNORE
        if line not in text.splitlines():
            ignore.write_text(text + ("" if not text or text.endswith("\n") else "\n") + line + "\n", "utf-8")
    except OSError:
        pass  # a read-only checkout: the tokens still work


def token_store_of(backend: object) -> TokenStore:
    """A directory registry's token file, or the store a backend provides through a
    ``token_store()`` method (a database registry keeps its tokens in the database, so every
    replica sees the same ones)."""
    if isinstance(backend, DirectoryBackend):
        return FileTokenStore.for_registry(backend.root)
    where = getattr(backend, "location", "this registry")
    provider = getattr(backend, "token_store", None)
    store = provider() if callable(provider) else None
    if not isinstance(store, TokenStore):
        raise BackendUnavailable(
            f"the registry at {where} keeps no tokens",
            hint="create tokens where the registry is stored (a directory or a postgresql:// URL)",
        )
    return store


class FileTokenStore:
    """Token records in a 0600 JSON file (``<registry>/.apigov-tokens.json``).

    Writes take an ``flock`` on ``<file>.lock`` and replace the file by a rename; readers cache the
    parsed file and re-read it when its size, mtime or inode change.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._by_digest: dict[str, TokenRecord] = {}

    @classmethod
    def for_registry(cls, root: Path) -> FileTokenStore:
        return cls(root / TOKEN_FILE)

    # ------------------------------------------------------------------ reading

    def _load(self) -> dict[str, TokenRecord]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._by_digest = None, {}
            return self._by_digest
        except OSError as exc:
            raise RegistryError(
                f"cannot read the token file: {exc.strerror or exc}", source=str(self.path)
            ) from exc
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if stamp == self._stamp:
            return self._by_digest
        records = self._parse()
        self._by_digest = {r.digest: r for r in records}
        self._stamp = stamp
        return self._by_digest

    def _parse(self) -> list[TokenRecord]:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(_MAX_FILE + 1)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise RegistryError(
                f"cannot read the token file: {exc.strerror or exc}", source=str(self.path)
            ) from exc
        try:
            if len(raw) > _MAX_FILE:
                raise ValueError("the file is too large")
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("apigov") != _SCHEMA:
                raise ValueError(f'expected an object with "apigov": "{_SCHEMA}"')
            items = data.get("tokens")
            if not isinstance(items, list):
                raise ValueError("tokens must be a list")
            records = []
            for item in items:
                if not isinstance(item, dict) or not all(
                    isinstance(item.get(k), str) for k in ("name", "scope", "digest", "created_at")
                ):
                    raise ValueError("each token needs name, scope, digest and created_at")
                if item["scope"] not in SCOPES:
                    raise ValueError(f"unknown scope {item['scope']!r}")
                limited = item.get("pacticipants", [])
                if not isinstance(limited, list) or not all(isinstance(p, str) for p in limited):
                    raise ValueError("pacticipants must be a list of names")
                subjects = item.get("subjects", [])
                if not isinstance(subjects, list) or not all(isinstance(p, str) for p in subjects):
                    raise ValueError("subjects must be a list of names")
                records.append(
                    TokenRecord(
                        item["name"],
                        item["scope"],
                        item["digest"],
                        item["created_at"],
                        tuple(limited),
                        tuple(subjects),
                    )
                )
        except ValueError as exc:
            raise ConfigError(
                f"the token file is not valid: {exc}", source=str(self.path), hint="restore or remove it"
            ) from exc
        return records

    def records(self) -> Sequence[TokenRecord]:
        return sorted(self._parse(), key=lambda r: r.name)

    def lookup(self, token: str) -> TokenRecord | None:
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        found = self._load().get(digest)
        if found is None or not hmac.compare_digest(found.digest, digest):
            return None
        return found

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[TokenRecord]]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.path.parent)
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise RegistryError(
                f"cannot write the token file: {exc.strerror or exc}", source=str(self.path)
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            records = self._parse()
            yield records
            self._write(records)
        finally:
            os.close(fd)

    def _write(self, records: list[TokenRecord]) -> None:
        data = {
            "apigov": _SCHEMA,
            "tokens": [
                {"name": r.name, "scope": r.scope, "digest": r.digest, "created_at": r.created_at}
                | ({"pacticipants": list(r.pacticipants)} if r.pacticipants else {})
                | ({"subjects": list(r.subjects)} if r.subjects else {})
                for r in sorted(records, key=lambda r: r.name)
            ],
        }
        write_bytes_atomic(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"), private=True)

    def add(self, record: TokenRecord) -> None:
        with self._locked() as records:
            if any(r.name == record.name for r in records):
                raise InputError(
                    f"a token named {record.name!r} exists",
                    hint="choose another --name, or revoke the old token first",
                )
            records.append(record)

    def revoke(self, name: str) -> bool:
        with self._locked() as records:
            before = len(records)
            records[:] = [r for r in records if r.name != name]
            return len(records) != before
