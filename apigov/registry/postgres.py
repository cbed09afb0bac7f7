"""The PostgreSQL backend: one registry shared by many publishers on many machines.

Select it with a ``postgresql://`` (or ``postgres://``) location: ``--registry``,
``APIGOV_REGISTRY`` or ``registry:`` in ``apigov.yaml``. Needs ``psycopg`` 3 (the ``postgres``
extra: ``pip install 'apigov[postgres]'``).

Schema (in the PostgreSQL schema ``apigov``, created by the migrations below)::

    apigov.schema_migrations  version (PK), name, applied_at        one row per migration applied
    apigov.subjects           id, name (unique, checked), kind, mode (checked), undecided
                              (``breaking`` or ``warning``, migration 30)
    apigov.versions           subject_id (FK) + major/minor/patch (PK), format, content,
                              digest (checked against the content), meta (JSON object),
                              deprecated_at, deprecation_reason, stored_at, seq (the order
                              versions were stored in, across the registry)
    apigov.tokens             name (PK), scope (checked), digest (unique, sha256:<hex>),
                              created_at: the bearer tokens of ``apigov serve``, as hashes only

Triggers notify the channel ``apigov_changes`` with a subject's name whenever it or one of its
versions changes (migration 4), so a server can remember subjects until they change
(:meth:`PostgresBackend.watch_changes`).

**Migrations** are the numbered steps of :mod:`apigov.registry.migrations` (shared with the
directory backend; :data:`MIGRATIONS` holds their SQL). A backend reads the recorded numbers when
it first connects; when steps are missing it applies them, in number order, in one transaction
under a transaction-level advisory lock, re-reading what is recorded after taking the lock, so
any number of processes starting at once apply each step exactly once and the others wait for
it. A database that records a number this apigov does not know (migrated by a newer apigov) is
refused, never written to.

**Writes** are single transactions. :meth:`PostgresBackend.put_version` locks the subject's row
(``SELECT ... FOR UPDATE``; a new subject's row is inserted with ``ON CONFLICT DO NOTHING`` and
then locked the same way), then compares the latest version with the caller's, checks and
inserts: that is the compare-and-set. Writers of one subject queue on that row lock, writers of
different subjects do not meet. A publisher that dies mid-transaction (SIGKILL, a lost machine)
leaves nothing: PostgreSQL rolls the transaction back when its connection drops and the next
writer gets the lock. The constraints hold the invariants even against other writers: subject
name grammar, known kinds and modes, one row per ``(subject, version)``, the digest is the
sha256 of the stored bytes, metadata is a JSON object; and triggers: a subject's versions only
grow (checked under the subject's row lock) and a stored version never changes (only its
deprecation may).

Errors: a server that cannot be reached is :class:`BackendUnavailable` naming the URL without
its password; serialisation failures and deadlocks are retried, then reported as
:class:`StaleLatest` so the publish logic judges again.

Test hook: with ``APIGOV_REGISTRY_TEST_PAUSE=STEP:FILE`` a writer creates ``FILE`` and sleeps at
``STEP`` (``subject-locked``, ``version-inserted``, ``migration-applied``: inside the
transaction, before the commit), so a test can kill it there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import MappingProxyType
from typing import Final, LiteralString, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb

from apigov.core.errors import (
    BackendUnavailable,
    InputError,
    RegistryError,
    StaleLatest,
    UnknownSubject,
)
from apigov.core.findings import Level
from apigov.registry import migrations as registry_migrations
from apigov.registry.base import (
    Deprecation,
    NewVersion,
    PutResult,
    RegistryBackend,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    check_put,
    check_subject,
    parse_undecided,
    settle_put,
)
from apigov.registry.crash_hook import pause as _pause
from apigov.registry.postgres_tokens import PostgresTokenStore
from apigov.schema.modes import Mode

__all__ = ["MIGRATIONS", "SCHEMES", "PostgresBackend", "PostgresTokenStore", "redact_url"]

SCHEMES: Final = ("postgresql://", "postgres://")
_T = TypeVar("_T")

MIGRATIONS: Final[tuple[tuple[int, str, LiteralString], ...]] = tuple(
    (m.number, m.name, m.postgres) for m in registry_migrations.MIGRATIONS
)
"""``(number, name, SQL)`` of every migration (:mod:`apigov.registry.migrations`), in number order."""

_SCHEMA_SQL: Final = "CREATE SCHEMA IF NOT EXISTS apigov"
_LEDGER_SQL: Final = """
CREATE TABLE IF NOT EXISTS apigov.schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)"""
_MIGRATION_LOCK: Final = 0x61706967_6F76  # "apigov": one advisory lock key for schema changes
_CONNECT_TIMEOUT: Final = 10
_LOCK_TIMEOUT: Final = 30.0
"""Seconds a write waits for a subject another publisher is writing."""
_IDLE_IN_TRANSACTION_TIMEOUT: Final = 60.0
"""Seconds after which the server ends a session that stopped inside a transaction (a publisher
hung or cut off mid-publish), releasing its lock."""
_RETRIES: Final = 5
_CHANNEL: Final = "apigov_changes"
_SUBJECT_CACHE_MAX: Final = 10_000
_LISTEN_CHECK: Final = 5.0
"""Seconds between echoes through the connection that listens for changes."""

_LIST_SQL: Final = """
SELECT s.name, s.kind, s.mode, s.undecided,
       (SELECT string_agg(v.major || '.' || v.minor || '.' || v.patch, ',' ORDER BY v.major, v.minor, v.patch)
        FROM apigov.versions v WHERE v.subject_id = s.id),
       (SELECT jsonb_object_agg(v.major || '.' || v.minor || '.' || v.patch,
                                jsonb_build_array(v.deprecated_at, v.deprecation_reason))
        FROM apigov.versions v WHERE v.subject_id = s.id AND v.deprecated_at IS NOT NULL)
FROM apigov.subjects s
"""
"""Subjects with their versions (``1.0.0,1.1.0``, ascending) and deprecations, one row each."""
_LIST_COLUMNS: Final = 6
"""The columns of a :data:`_LIST_SQL` row."""


def redact_url(url: str) -> str:
    """``url`` without its password (in the user part or as a ``password=`` parameter)."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hosts = netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}@{hosts}" if user else hosts
        query = parts.query
        if query:
            pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() != "password"]
            query = urlencode(pairs)
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return url.split("://", 1)[0] + "://(unparseable URL)"


def _password_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        password = parts.password
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key.lower() == "password":
                password = value
    except ValueError:
        return None
    return password or None


class PostgresBackend(RegistryBackend):
    """A :class:`~apigov.registry.base.RegistryBackend` on a PostgreSQL database.

    Safe to share between threads (a server's request handlers): each operation takes a
    connection from a small pool of its own (at most ``max_connections`` open at once, opened on
    first use, a broken one replaced). :meth:`close` (or ``with``) closes them.
    """

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: int = _CONNECT_TIMEOUT,
        lock_timeout: float = _LOCK_TIMEOUT,
        max_connections: int = 8,
    ) -> None:
        if not url.lower().startswith(SCHEMES):
            raise RegistryError(f"not a PostgreSQL URL: {redact_url(url)!r}")
        self._url = url
        self._shown = redact_url(url)
        self._password = _password_of(url)
        self._connect_timeout = connect_timeout
        self._lock_timeout = lock_timeout
        self._idle: list[psycopg.Connection[TupleRow]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, max_connections))
        self._migrated = False
        # subjects remembered while a listener hears every change (see watch_changes)
        self._subjects: dict[str, SubjectInfo] = {}
        self._generation = 0
        self._listening = False
        self._watching: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def location(self) -> str:
        return self._shown

    def close(self) -> None:
        """Close the idle connections (one in use is closed when its operation ends)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __del__(self) -> None:
        for conn in getattr(self, "_idle", ()):
            conn.close()

    def __enter__(self) -> PostgresBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_watching()
        self.close()

    # ------------------------------------------------------------------ connection

    def _unavailable(self, exc: BaseException) -> BackendUnavailable:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if self._password:
            detail = detail.replace(self._password, "***")
        return BackendUnavailable(
            f"cannot reach the PostgreSQL registry at {self._shown}: {detail}",
            hint="check that the server is running and the URL, user and password are right",
        )

    def _connect(self) -> psycopg.Connection[TupleRow]:
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=self._connect_timeout,
                application_name="apigov",
            )
        except psycopg.Error as exc:
            raise self._unavailable(exc) from None
        try:
            conn.execute(
                "SELECT set_config('lock_timeout', %s, false),"
                " set_config('idle_in_transaction_session_timeout', %s, false)",
                (f"{round(self._lock_timeout * 1000)}ms", f"{round(_IDLE_IN_TRANSACTION_TIMEOUT * 1000)}ms"),
            )
        except psycopg.Error as exc:
            conn.close()
            raise self._unavailable(exc) from None
        if not self._migrated:
            try:
                self._migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._migrated = True
        return conn

    @contextmanager
    def _connection(
        self, used: list[psycopg.Connection[TupleRow] | None]
    ) -> Iterator[psycopg.Connection[TupleRow]]:
        """A connection for one operation, put back afterwards when it is healthy and idle;
        ``used[0]`` is set to it when it was kept from an earlier operation."""
        with self._slots:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is not None and (conn.closed or conn.broken):
                conn.close()
                conn = None
            used[0] = conn
            if conn is None:
                conn = self._connect()
            try:
                yield conn
            finally:
                if conn.closed or conn.broken or conn.info.transaction_status != TransactionStatus.IDLE:
                    conn.close()
                else:
                    with self._lock:
                        self._idle.append(conn)

    def _run(self, operation: Callable[[psycopg.Connection[TupleRow]], _T]) -> _T:
        """Run ``operation`` on the connection, mapping driver errors. A transaction that lost to
        a concurrent one (serialisation failure, deadlock) is retried, then reported as stale; a
        kept connection found broken (server restarted, idle connection dropped) is replaced once.
        Repeating an operation is safe: reads are reads, and a repeated ``put_version`` whose
        first attempt did commit finds its own version and answers ``UNCHANGED``."""
        reopened = False
        for attempt in range(_RETRIES):
            kept: list[psycopg.Connection[TupleRow] | None] = [None]
            try:
                with self._connection(kept) as conn:
                    return operation(conn)
            except (pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as exc:
                if attempt == _RETRIES - 1:
                    raise StaleLatest(
                        f"the registry at {self._shown} kept refusing the write as concurrent: "
                        + " ".join(str(exc).split()),
                        hint="another publish came first; judge against the new latest and retry",
                    ) from None
                time.sleep(0.005 * (attempt + 1))
            except pg_errors.LockNotAvailable:
                raise RegistryError(
                    f"another publisher has been writing to the registry at {self._shown} for more "
                    f"than {self._lock_timeout:g} s",
                    hint="try again; a publisher that hung is cut off by the server after "
                    f"{_IDLE_IN_TRANSACTION_TIMEOUT:g} s",
                ) from None
            except pg_errors.InsufficientPrivilege as exc:
                raise RegistryError(
                    f"the PostgreSQL registry at {self._shown} refused access: " + " ".join(str(exc).split()),
                    hint="grant the user CREATE on the database (for the first start) and rights on schema apigov",
                ) from None
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if kept[0] is not None and kept[0].broken and not reopened:
                    reopened = True  # the server dropped it (restart, idle timeout): so the others
                    self.close()
                    continue
                raise self._unavailable(exc) from None
            except psycopg.DataError as exc:  # a value PostgreSQL cannot hold (a NUL in text): bad input
                raise InputError(
                    "the PostgreSQL registry cannot store this value: " + " ".join(str(exc).split())
                ) from None
            except psycopg.Error as exc:
                raise RegistryError(
                    f"the PostgreSQL registry at {self._shown} failed: " + " ".join(str(exc).split())
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------ migrations

    @staticmethod
    def _applied(conn: psycopg.Connection[TupleRow]) -> set[int] | None:
        """The migration numbers recorded, ``None`` when the ledger does not exist yet."""
        row = conn.execute("SELECT to_regclass('apigov.schema_migrations') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return None
        return {int(r[0]) for r in conn.execute("SELECT version FROM apigov.schema_migrations")}

    def _migrate(self, conn: psycopg.Connection[TupleRow]) -> None:
        """Apply every migration not recorded, in number order (gaps allowed: numbers are reserved
        per issue), in one transaction under the advisory lock; refuse a newer apigov's schema."""
        known = {number for number, _, _ in MIGRATIONS}
        applied = self._applied(conn)
        if applied is None or known - applied:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                conn.execute(_SCHEMA_SQL)
                conn.execute(_LEDGER_SQL)
                applied = {int(r[0]) for r in conn.execute("SELECT version FROM apigov.schema_migrations")}
                for number, name, sql in MIGRATIONS:
                    if number in applied:
                        continue
                    if sql:
                        conn.execute(sql)
                    conn.execute(
                        "INSERT INTO apigov.schema_migrations (version, name) VALUES (%s, %s)",
                        (number, name),
                    )
                    _pause("migration-applied")
                applied = self._applied(conn) or set()
        newer = sorted(applied - known)
        if newer:
            raise RegistryError(
                f"the PostgreSQL registry at {self._shown} has schema version {newer[-1]}; "
                f"this apigov knows up to {max(known)}",
                hint="upgrade apigov",
            )

    # ------------------------------------------------------------------ reading

    def list_subjects(self) -> Sequence[SubjectInfo]:
        def read(conn: psycopg.Connection[TupleRow]) -> list[SubjectInfo]:
            rows = conn.execute(_LIST_SQL + " ORDER BY s.name").fetchall()
            seen: dict[str, SemVer] = {}
            return [self._info(row, seen) for row in rows]

        return self._run(read)

    def subject(self, name: str) -> SubjectInfo:
        check_subject(name)

        def read(conn: psycopg.Connection[TupleRow]) -> SubjectInfo:
            row = conn.execute(_LIST_SQL + " WHERE s.name = %s", (name,)).fetchone()
            if row is None:
                raise self._unknown(name)
            return self._info(row)

        with self._lock:
            generation = self._generation
        info = self._run(read)
        with self._lock:  # kept only when no change was heard while it was read
            if self._listening and self._generation == generation:
                if len(self._subjects) >= _SUBJECT_CACHE_MAX:
                    self._subjects.clear()
                self._subjects[name] = info
        return info

    # ------------------------------------------------------------------ the subject cache

    def watch_changes(self) -> None:
        """Start remembering subjects (for :meth:`peek_subject`), for a long-running server.

        A daemon thread keeps a connection listening (``LISTEN``) on ``apigov_changes``; triggers
        (migration 4) notify it of every change to a subject or its versions, by any writer, and
        it forgets that subject. Subjects are remembered only while that connection is heard: an
        echo sent through the channel every :data:`_LISTEN_CHECK` s must come back; when one does
        not, or the connection drops, everything is forgotten and nothing is remembered until it
        is heard again. A subject read while a
        change was heard is not remembered, so an older read never overwrites a newer change.
        Replicas therefore disagree only for the moment a notification takes to arrive.
        """
        with self._lock:
            if self._watching is not None:
                return
            self._stopping.clear()
            self._watching = threading.Thread(target=self._listen, name="apigov-listen", daemon=True)
        self._watching.start()

    def stop_watching(self) -> None:
        """Stop the listener of :meth:`watch_changes` (within a few seconds) and forget subjects."""
        self._stopping.set()
        with self._lock:
            self._watching = None
        self._forget(None, listening=False)

    def peek_subject(self, name: str) -> SubjectInfo | None:
        """The subject as last read, when it is remembered (never asks the database)."""
        with self._lock:
            return self._subjects.get(name) if self._listening else None

    def _forget(self, name: str | None, *, listening: bool | None = None) -> None:
        with self._lock:
            self._generation += 1
            if listening is not None:
                self._listening = listening
            if name:
                self._subjects.pop(name, None)
            else:
                self._subjects.clear()

    def _listen(self) -> None:
        # a payload no subject can have (names start with [a-z0-9]): this listener's own echo
        echo = f"~echo-{os.getpid()}-{id(self)}"
        while not self._stopping.is_set():
            try:
                with psycopg.connect(
                    self._url,
                    autocommit=True,
                    connect_timeout=self._connect_timeout,
                    application_name="apigov-listen",
                    keepalives=1,
                    keepalives_idle=5,
                    keepalives_interval=2,
                    keepalives_count=3,
                ) as conn:
                    conn.execute("LISTEN " + _CHANNEL)
                    self._hear(conn, echo)
            except (psycopg.Error, _Deaf):
                pass
            finally:
                self._forget(None, listening=False)
            self._stopping.wait(1.0)

    def _hear(self, conn: psycopg.Connection[TupleRow], echo: str) -> None:
        """Forget what changes, every :data:`_LISTEN_CHECK` s sending an echo through the
        channel. Subjects are remembered only once the first echo came back, and not after one
        fails to (a pooler that does not pass notifications on, a connection gone quiet)."""
        listening = False
        while not self._stopping.is_set():
            conn.execute("SELECT pg_notify(%s, %s)", (_CHANNEL, echo))
            heard = False
            for note in conn.notifies(timeout=_LISTEN_CHECK):
                if note.payload != echo:
                    self._forget(note.payload)
                elif not heard:
                    heard = True
                    if not listening:
                        listening = True
                        self._forget(None, listening=True)
            if not heard:
                raise _Deaf

    def get_version(self, subject: str, version: SemVer) -> StoredVersion:
        check_subject(subject)

        def read(conn: psycopg.Connection[TupleRow]) -> StoredVersion:
            row = conn.execute(
                "SELECT s.kind, v.format, v.content, v.digest, v.meta FROM apigov.subjects s"
                " LEFT JOIN apigov.versions v ON v.subject_id = s.id"
                " AND (v.major, v.minor, v.patch) = (%s, %s, %s) WHERE s.name = %s",
                (version.major, version.minor, version.patch, subject),
            ).fetchone()
            if row is None:
                raise self._unknown(subject)
            kind, content_format, content, digest, meta = row
            if content is None:
                raise self._no_version(subject, version)
            try:
                if not isinstance(meta, dict):
                    raise ValueError("the metadata is not an object")
                parsed = VersionMeta.from_json(meta)
            except ValueError as exc:
                raise RegistryError(
                    f"the metadata of {subject}@{version} in {self._shown} is unreadable: {exc}"
                ) from exc
            return StoredVersion(
                subject=subject,
                version=version,
                kind=str(kind),
                format=str(content_format),
                content=bytes(content),
                digest=str(digest),
                meta=parsed,
            )

        return self._run(read)

    # ------------------------------------------------------------------ writing

    def store_version(self, new: NewVersion) -> PutResult:
        subject, version = new.subject, new.version
        check_put(new)
        key = (version.major, version.minor, version.patch)

        def write(conn: psycopg.Connection[TupleRow]) -> PutResult:
            with conn.transaction():
                locked = conn.execute(
                    "SELECT id, kind FROM apigov.subjects WHERE name = %s FOR UPDATE", (subject,)
                ).fetchone()
                if locked is None and new.expected_latest is None:
                    conn.execute(
                        "INSERT INTO apigov.subjects (name, kind, mode) VALUES (%s, %s, %s)"
                        " ON CONFLICT (name) DO NOTHING",
                        (subject, new.kind, new.mode.value),
                    )
                    locked = conn.execute(
                        "SELECT id, kind FROM apigov.subjects WHERE name = %s FOR UPDATE", (subject,)
                    ).fetchone()
                _pause("subject-locked")
                latest: SemVer | None = None
                stored_digest: object = None
                if locked is not None:
                    subject_id = locked[0]
                    row = conn.execute(
                        "SELECT major, minor, patch FROM apigov.versions WHERE subject_id = %s"
                        " ORDER BY major DESC, minor DESC, patch DESC LIMIT 1",
                        (subject_id,),
                    ).fetchone()
                    if row is not None:
                        latest = SemVer(*(int(part) for part in row))
                    found = conn.execute(
                        "SELECT digest FROM apigov.versions"
                        " WHERE subject_id = %s AND (major, minor, patch) = (%s, %s, %s)",
                        (subject_id, *key),
                    ).fetchone()
                    stored_digest = found[0] if found is not None else None
                settled = settle_put(
                    new,
                    latest=latest,
                    stored_digest=str(stored_digest) if stored_digest is not None else None,
                    stored_kind=str(locked[1]) if locked is not None else None,
                    source=self._shown,
                )
                if settled is not None:
                    return settled
                assert locked is not None  # a missing subject with expected None was created above
                subject_id = locked[0]
                try:
                    conn.execute(
                        "INSERT INTO apigov.versions"
                        " (subject_id, major, minor, patch, format, content, digest, meta)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        (
                            subject_id,
                            *key,
                            new.content_format,
                            new.content,
                            new.digest,
                            Jsonb(new.meta.to_json()),
                        ),
                    )
                except pg_errors.CheckViolation as exc:
                    constraint = exc.diag.constraint_name or "a constraint"
                    raise RegistryError(
                        f"{subject}@{version} was refused by the registry ({constraint}: "
                        f"{exc.diag.message_primary or 'check violation'})",
                        hint="the digest must be sha256:<hex> of the content"
                        if constraint.startswith("version_digest")
                        else "versions of a subject only grow and never change",
                    ) from None
                _pause("version-inserted")
            return PutResult.CREATED

        try:
            return self._run(write)
        finally:
            self._forget(subject)  # this process reads its own writes at once, not when it hears them

    def set_mode(self, subject: str, mode: Mode) -> None:
        self._set(subject, "UPDATE apigov.subjects SET mode = %s WHERE name = %s RETURNING id", mode.value)

    def set_undecided(self, subject: str, level: Level) -> None:
        sql: LiteralString = "UPDATE apigov.subjects SET undecided = %s WHERE name = %s RETURNING id"
        self._set(subject, sql, parse_undecided(level.value).value)

    def _set(self, subject: str, sql: LiteralString, value: str) -> None:
        """One setting of the subject's row (``sql`` updates it and returns the row's id)."""
        check_subject(subject)

        def write(conn: psycopg.Connection[TupleRow]) -> None:
            if conn.execute(sql, (value, subject)).fetchone() is None:
                raise self._unknown(subject)

        try:
            self._run(write)
        finally:
            self._forget(subject)

    def deprecate(self, subject: str, version: SemVer, deprecation: Deprecation | None) -> None:
        check_subject(subject)
        at, reason = (deprecation.at, deprecation.reason) if deprecation is not None else (None, None)

        def write(conn: psycopg.Connection[TupleRow]) -> None:
            with conn.transaction():
                row = conn.execute("SELECT id FROM apigov.subjects WHERE name = %s", (subject,)).fetchone()
                if row is None:
                    raise self._unknown(subject)
                updated = conn.execute(
                    "UPDATE apigov.versions SET deprecated_at = %s, deprecation_reason = %s"
                    " WHERE subject_id = %s AND (major, minor, patch) = (%s, %s, %s) RETURNING 1",
                    (at, reason, row[0], version.major, version.minor, version.patch),
                ).fetchone()
                if updated is None:
                    raise self._no_version(subject, version)

        try:
            self._run(write)
        finally:
            self._forget(subject)

    # ------------------------------------------------------------------ tokens

    def token_store(self) -> PostgresTokenStore:
        """The tokens of ``apigov serve``, kept in ``apigov.tokens`` (so every replica sees them)."""
        return PostgresTokenStore(self)

    # ------------------------------------------------------------------ helpers

    def _unknown(self, name: str) -> UnknownSubject:
        return UnknownSubject(
            f"unknown subject {name!r} in the registry at {self._shown}",
            hint="'apigov registry list' shows the subjects",
        )

    def _no_version(self, subject: str, version: SemVer) -> UnknownSubject:
        return UnknownSubject(
            f"subject {subject!r} has no version {version}",
            source=self._shown,
            hint=f"'apigov registry versions {subject}' lists them",
        )

    @staticmethod
    def _info(row: TupleRow, seen: dict[str, SemVer] | None = None) -> SubjectInfo:
        name, kind, mode, undecided, versions, marks = row
        seen = {} if seen is None else seen
        parsed: list[SemVer] = []
        for text in versions.split(",") if versions else ():
            version = seen.get(text)
            if version is None:  # most subjects share most version numbers: build each once
                major, minor, patch = text.split(".")
                version = seen[text] = SemVer(int(major), int(minor), int(patch))
            parsed.append(version)
        deprecated = {
            str(text): Deprecation(at=str(pair[0]), reason=str(pair[1]))
            for text, pair in (marks or {}).items()
        }
        return SubjectInfo(
            name=name,
            kind=kind,
            mode=Mode(mode),
            versions=tuple(parsed),
            deprecated=MappingProxyType(deprecated),
            undecided=Level(undecided),
        )


class _Deaf(Exception):
    """The listener's echo did not come back: notifications are not arriving."""
