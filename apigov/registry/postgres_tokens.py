"""The tokens of ``apigov serve`` in a PostgreSQL registry: the table ``apigov.tokens``.

Beside :mod:`apigov.registry.postgres` (whose connections, retries and migrations it uses) so that
the subject store and the token store each stay one concern.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final, Protocol, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import TupleRow

from apigov.core.errors import InputError, RegistryError
from apigov.registry.tokens import PREFIX, TokenRecord, hash_token

__all__ = ["TOKEN_TTL", "PostgresTokenStore"]

TOKEN_TTL: Final = 1.0
"""Seconds a server trusts a token it found without asking the database again: a token revoked
elsewhere is refused by every replica at most this long after the revocation."""
_TOKEN_CACHE_MAX: Final = 1024
_T = TypeVar("_T")


class _Database(Protocol):
    """What the token store uses of :class:`~apigov.registry.postgres.PostgresBackend`."""

    def _run(self, operation: Callable[[psycopg.Connection[TupleRow]], _T]) -> _T: ...


class PostgresTokenStore:
    """A :class:`~apigov.registry.tokens.TokenStore` in the table ``apigov.tokens`` (name, scope,
    sha256 digest, creation time: never the token itself).

    :meth:`lookup` remembers the tokens it found for :data:`TOKEN_TTL` seconds (at most
    :data:`_TOKEN_CACHE_MAX` of them), so a server does not ask the database on every request;
    :meth:`peek` answers from that memory alone. An unknown token is never remembered: a token
    created a moment ago works at once.
    """

    def __init__(self, backend: _Database) -> None:
        self._backend = backend
        self._known: dict[str, tuple[float, TokenRecord]] = {}
        self._lock = threading.Lock()

    def add(self, record: TokenRecord) -> None:
        def write(conn: psycopg.Connection[TupleRow]) -> None:
            try:
                conn.execute(
                    "INSERT INTO apigov.tokens (name, scope, digest, created_at, pacticipants, subjects)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    (
                        record.name,
                        record.scope,
                        record.digest,
                        record.created_at,
                        list(record.pacticipants),
                        list(record.subjects),
                    ),
                )
            except pg_errors.UniqueViolation as exc:
                if exc.diag.constraint_name == "tokens_pkey":
                    raise InputError(
                        f"a token named {record.name!r} exists",
                        hint="choose another --name, or revoke the old token first",
                    ) from None
                raise RegistryError("a token with the same digest exists", hint="create another") from None

        self._backend._run(write)

    def records(self) -> Sequence[TokenRecord]:
        def read(conn: psycopg.Connection[TupleRow]) -> list[TokenRecord]:
            rows = conn.execute(
                "SELECT name, scope, digest, created_at, pacticipants, subjects FROM apigov.tokens ORDER BY name"
            )
            return [
                TokenRecord(str(n), str(s), str(d), str(c), tuple(p), tuple(j)) for n, s, d, c, p, j in rows
            ]

        return self._backend._run(read)

    def revoke(self, name: str) -> bool:
        def write(conn: psycopg.Connection[TupleRow]) -> bool:
            row = conn.execute(
                "DELETE FROM apigov.tokens WHERE name = %s RETURNING digest", (name,)
            ).fetchone()
            return row is not None

        revoked = self._backend._run(write)
        with self._lock:
            self._known = {d: kept for d, kept in self._known.items() if kept[1].name != name}
        return revoked

    def peek(self, token: str) -> TokenRecord | None:
        """The record of ``token`` when :meth:`lookup` found it less than :data:`TOKEN_TTL` s ago."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        with self._lock:
            kept = self._known.get(digest)
        if kept is None or kept[0] < time.monotonic() or not hmac.compare_digest(kept[1].digest, digest):
            return None
        return kept[1]

    def lookup(self, token: str) -> TokenRecord | None:
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        known = self.peek(token)
        if known is not None:
            return known
        digest = hash_token(token)

        def read(conn: psycopg.Connection[TupleRow]) -> TupleRow | None:
            return conn.execute(
                "SELECT name, scope, digest, created_at, pacticipants, subjects FROM apigov.tokens"
                " WHERE digest = %s",
                (digest,),
            ).fetchone()

        row = self._backend._run(read)
        if row is None or not hmac.compare_digest(str(row[2]), digest):
            return None
        record = TokenRecord(str(row[0]), str(row[1]), str(row[2]), str(row[3]), tuple(row[4]), tuple(row[5]))
        with self._lock:
            if len(self._known) >= _TOKEN_CACHE_MAX:
                self._known.clear()
            self._known[digest] = (time.monotonic() + TOKEN_TTL, record)
        return record
