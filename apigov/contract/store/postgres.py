"""Pacts of a PostgreSQL registry: the tables of migrations 5 (pact_contents,
pacticipant_versions, pact_publications), 10 (pact_verifications) and 15 (environments,
deployments), reached through the registry backend's connections.

Reads keep the last state in memory with the generation it was read at (migration 7's counter,
bumped by every change): a snapshot asks only for the generation (one short query), and within
:data:`_TRUST` seconds of the last answer not even that; a change made through this store is seen
at once, one made elsewhere at most :data:`_TRUST` seconds later.

A change is one transaction under a transaction-level advisory lock of its own (pact writes are
rare next to reads; one at a time keeps the rules of :class:`~apigov.contract.model.PactState`
simple and the same as the directory store's): it reads the state, applies the step, and writes
what the step added or changed. A writer that dies mid-transaction leaves nothing. The
constraints and the trigger of migration 5 hold even against other writers: a published pact
never changes, a content's digest is the sha256 of its bytes.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Final, TypeVar

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb

from apigov.contract.model import (
    Deployment,
    Environment,
    Failure,
    PacticipantVersion,
    PactPublication,
    PactState,
    Verification,
)
from apigov.core.errors import UnknownSubject
from apigov.registry.postgres import PostgresBackend

__all__ = ["PostgresPactStore"]

T = TypeVar("T")
_LOCK: Final = 0x61706967_7061  # "apigpa": pact writes
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")
_TRUST: Final = 0.25
"""Seconds a snapshot is answered from memory without asking for the generation."""
Conn = psycopg.Connection[TupleRow]


def _load(conn: Conn) -> PactState:
    state = PactState()
    for row in conn.execute(
        "SELECT pacticipant, version, branches, tags, build_url, created_at, seq FROM apigov.pacticipant_versions"
    ):
        state.versions[(row[0], row[1])] = PacticipantVersion(
            row[0], row[1], tuple(row[2]), tuple(row[3]), row[4], row[5], int(row[6])
        )
    for row in conn.execute(
        "SELECT consumer, provider, consumer_version, digest, published_at, seq FROM apigov.pact_publications"
    ):
        state.publications[(row[0], row[1], row[2])] = PactPublication(
            row[0], row[1], row[2], row[3], row[4], int(row[5])
        )
    for row in conn.execute(
        "SELECT digest, consumer, provider, provider_version, success, failures, verifier, build_url,"
        " verified_at, id FROM apigov.pact_verifications ORDER BY id"
    ):
        failures = tuple(Failure(str(f["interaction"]), str(f["message"])) for f in row[5])
        state.verifications.append(
            Verification(
                row[0], row[1], row[2], row[3], row[4], failures, row[6], row[7], row[8], int(row[9])
            )
        )
    for row in conn.execute("SELECT name, display_name, production, created_at FROM apigov.environments"):
        state.environments[row[0]] = Environment(row[0], row[1], row[2], row[3])
    for row in conn.execute(
        "SELECT pacticipant, version, environment, kind, instance, started_at, ended_at, id"
        " FROM apigov.deployments ORDER BY id"
    ):
        state.deployments.append(
            Deployment(row[0], row[1], row[2], row[3], row[4], row[5], row[6], int(row[7]))
        )
    return state


def _save(conn: Conn, before: PactState, after: PactState) -> None:
    for key, v in after.versions.items():
        old = before.versions.get(key)
        if old is None:
            conn.execute(
                "INSERT INTO apigov.pacticipant_versions"
                " (pacticipant, version, branches, tags, build_url, created_at, seq)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (v.pacticipant, v.version, list(v.branches), list(v.tags), v.build_url, v.created_at, v.seq),
            )
        elif old != v:
            conn.execute(
                "UPDATE apigov.pacticipant_versions SET branches = %s, tags = %s, build_url = %s"
                " WHERE pacticipant = %s AND version = %s",
                (list(v.branches), list(v.tags), v.build_url, v.pacticipant, v.version),
            )
    for pkey, p in after.publications.items():
        if pkey not in before.publications:
            conn.execute(
                "INSERT INTO apigov.pact_publications"
                " (consumer, provider, consumer_version, digest, published_at, seq)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (p.consumer, p.provider, p.consumer_version, p.digest, p.published_at, p.seq),
            )
    for name, e in after.environments.items():
        if name not in before.environments:
            conn.execute(
                "INSERT INTO apigov.environments (name, display_name, production, created_at)"
                " VALUES (%s, %s, %s, %s)",
                (e.name, e.display_name, e.production, e.created_at),
            )
    known = {v.id for v in before.verifications}
    for r in after.verifications:
        if r.id not in known:
            conn.execute(
                "INSERT INTO apigov.pact_verifications (id, digest, consumer, provider, provider_version,"
                " success, failures, verifier, build_url, verified_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    r.id,
                    r.digest,
                    r.consumer,
                    r.provider,
                    r.provider_version,
                    r.success,
                    Jsonb([f.to_json() for f in r.failures]),
                    r.verifier,
                    r.build_url,
                    r.verified_at,
                ),
            )
    old_deployments = {d.id: d for d in before.deployments}
    for d in after.deployments:
        was = old_deployments.get(d.id)
        if was is None:
            conn.execute(
                "INSERT INTO apigov.deployments"
                " (id, pacticipant, version, environment, kind, instance, started_at, ended_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (d.id, d.pacticipant, d.version, d.environment, d.kind, d.instance, d.started_at, d.ended_at),
            )
        elif was.ended_at != d.ended_at:
            conn.execute("UPDATE apigov.deployments SET ended_at = %s WHERE id = %s", (d.ended_at, d.id))


class PostgresPactStore:
    def __init__(self, backend: PostgresBackend) -> None:
        self.backend = backend
        self._lock = threading.Lock()
        self._kept: tuple[int, float, PactState] | None = None  # generation, checked at, state

    @property
    def location(self) -> str:
        return self.backend.location

    def peek(self) -> PactState | None:
        """The state from memory when it was checked less than :data:`_TRUST` s ago (no I/O)."""
        with self._lock:
            kept = self._kept
        if kept is not None and time.monotonic() - kept[1] < _TRUST:
            return kept[2].copy()
        return None

    def snapshot(self) -> PactState:
        with self._lock:
            kept = self._kept
        now = time.monotonic()
        if kept is not None and now - kept[1] < _TRUST:
            return kept[2].copy()

        def read(conn: Conn) -> tuple[int, PactState | None]:
            row = conn.execute("SELECT generation FROM apigov.pact_generation").fetchone()
            generation = int(row[0]) if row else -1
            if kept is not None and kept[0] == generation:
                return generation, None
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                row = conn.execute("SELECT generation FROM apigov.pact_generation").fetchone()
                return (int(row[0]) if row else -1), _load(conn)

        generation, state = self.backend._run(read)
        if state is None:
            assert kept is not None
            state = kept[2]
        with self._lock:
            self._kept = (generation, now, state)
        return state.copy()

    def content(self, digest: str) -> bytes:
        if not _DIGEST.fullmatch(digest):
            raise UnknownSubject(f"no pact has the content {digest[:70]!r}")

        def read(conn: Conn) -> bytes | None:
            row = conn.execute(
                "SELECT content FROM apigov.pact_contents WHERE digest = %s", (digest,)
            ).fetchone()
            return None if row is None else bytes(row[0])

        found = self.backend._run(read)
        if found is None:
            raise UnknownSubject(f"no pact has the content {digest[:12]}")
        return found

    def change(self, contents: dict[str, bytes], step: Callable[[PactState], T]) -> T:
        def write(conn: Conn) -> T:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                before = _load(conn)
                after = before.copy()
                result = step(after)
                for digest, data in contents.items():
                    conn.execute(
                        "INSERT INTO apigov.pact_contents (digest, content) VALUES (%s, %s)"
                        " ON CONFLICT (digest) DO NOTHING",
                        (digest, data),
                    )
                _save(conn, before, after)
                conn.execute("UPDATE apigov.pact_generation SET generation = generation + 1")
                return result

        try:
            return self.backend._run(write)
        finally:
            with self._lock:
                self._kept = None
