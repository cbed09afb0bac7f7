"""What is particular to the PostgreSQL backend: migrations, constraints, connections, races.

(The backend contract itself runs on PostgreSQL from ``test_backend_contract.py``.)
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable

import psycopg
import pytest
from psycopg import sql

from apigov.core.errors import BackendUnavailable, RegistryError, StaleLatest, UnknownSubject
from apigov.registry.base import PutResult, SemVer, VersionMeta
from apigov.registry.location import open_backend
from apigov.registry.postgres import MIGRATIONS, PostgresBackend, redact_url

V1, V2 = SemVer(1, 0, 0), SemVer(1, 1, 0)
META = VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="tester")


def _digest(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


def _put(
    backend: PostgresBackend,
    version: SemVer,
    content: bytes,
    expected: SemVer | None,
    digest: str | None = None,
) -> PutResult:
    return backend.put_version(
        "orders-api",
        version,
        kind="openapi",
        content_format="yaml",
        content=content,
        digest=digest or _digest(content),
        meta=META,
        expected_latest=expected,
    )


def _all_at_once(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(0..count-1)`` in threads released together; their results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://apigov:s3cret@db.example:5432/registry",
            "postgresql://apigov@db.example:5432/registry",
        ),
        ("postgresql://apigov@db.example/registry", "postgresql://apigov@db.example/registry"),
        ("postgres://:s3cret@db.example/registry", "postgres://db.example/registry"),
        (
            "postgresql://db.example/registry?user=a&password=s3cret&sslmode=require",
            "postgresql://db.example/registry?user=a&sslmode=require",
        ),
    ],
)
def test_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert PostgresBackend(url).location == shown


def test_an_unreachable_server_is_one_clear_error_without_the_password() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = open_backend(f"postgresql://apigov:s3cret@127.0.0.1:{port}/registry")
    with pytest.raises(BackendUnavailable) as caught:
        backend.list_subjects()
    text = str(caught.value)
    assert f"postgresql://apigov@127.0.0.1:{port}/registry" in text
    assert "s3cret" not in text
    assert "\n" not in text


def test_a_user_without_rights_gets_one_clear_error_without_the_password(postgres_url: str) -> None:
    role = f"apigov_reader_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 's3cret'").format(sql.Identifier(role)))
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(sql.Identifier(role)))
    backend = PostgresBackend(postgres_url.replace("://postgres@", f"://{role}:s3cret@"))
    try:
        with pytest.raises(RegistryError) as caught:  # may not create the schema on first use
            backend.list_subjects()
        assert "refused access" in str(caught.value)
        assert "s3cret" not in str(caught.value)
        assert "\n" not in str(caught.value)
    finally:
        backend.close()
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_migrations_are_recorded_once_and_rerunning_them_changes_nothing(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        assert list(backend.list_subjects()) == []
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT version, name FROM apigov.schema_migrations ORDER BY version").fetchall()
    assert rows == [(version, name) for version, name, _ in MIGRATIONS]


def test_migrations_are_safe_when_many_processes_start_at_once(postgres_url: str) -> None:
    def start(_: int) -> object:
        with PostgresBackend(postgres_url) as backend:
            return list(backend.list_subjects())

    results = _all_at_once(8, start)
    assert results == [[]] * 8, [r for r in results if r != []]
    with psycopg.connect(postgres_url) as conn:
        counts = conn.execute(
            "SELECT version, count(*) FROM apigov.schema_migrations GROUP BY version ORDER BY version"
        ).fetchall()
    assert counts == [(version, 1) for version, _, _ in MIGRATIONS]


def test_a_registry_migrated_by_a_newer_apigov_is_refused(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        backend.list_subjects()
    with psycopg.connect(postgres_url) as conn:
        conn.execute("INSERT INTO apigov.schema_migrations (version, name) VALUES (999, 'from the future')")
    with PostgresBackend(postgres_url) as backend, pytest.raises(RegistryError, match="schema version 999"):
        backend.list_subjects()


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        (
            "INSERT INTO apigov.subjects (name, kind, mode) VALUES ('../etc', 'openapi', 'NONE')",
            "subject_name_grammar",
        ),
        ("INSERT INTO apigov.subjects (name, kind, mode) VALUES ('x', 'wsdl', 'NONE')", "subject_kind_known"),
        (
            "INSERT INTO apigov.subjects (name, kind, mode) VALUES ('x', 'openapi', 'SIDEWAYS')",
            "subject_mode_known",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " SELECT id, 9, 0, 0, 'yaml', 'x', 'sha256:' || repeat('0', 64), '{}' FROM apigov.subjects",
            "version_digest_matches",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " SELECT id, 9, 0, 0, 'yaml', 'x', 'md5:abc', '{}' FROM apigov.subjects",
            "version_digest_format",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " SELECT id, 9, 0, 0, 'yaml', 'x', 'sha256:' || encode(sha256('x'), 'hex'), '[]' FROM apigov.subjects",
            "version_meta_object",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " VALUES (12345, 9, 0, 0, 'yaml', 'x', 'sha256:' || encode(sha256('x'), 'hex'), '{}')",
            "versions_subject_id_fkey",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " SELECT id, 1, 0, 0, 'yaml', 'x', 'sha256:' || encode(sha256('x'), 'hex'), '{}' FROM apigov.subjects",
            "version_grows",
        ),
        (
            "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
            " SELECT id, 0, 9, 0, 'yaml', 'x', 'sha256:' || encode(sha256('x'), 'hex'), '{}' FROM apigov.subjects",
            "version_grows",
        ),
        (
            "UPDATE apigov.versions SET content = 'x', digest = 'sha256:' || encode(sha256('x'), 'hex')",
            "version_immutable",
        ),
        ("UPDATE apigov.versions SET meta = '{}'", "version_immutable"),
    ],
)
def test_the_database_itself_refuses_what_would_corrupt_the_registry(
    postgres_url: str, statement: str, constraint: str
) -> None:
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
    with psycopg.connect(postgres_url) as conn, pytest.raises(psycopg.errors.IntegrityError) as caught:
        conn.execute(statement)  # type: ignore[arg-type]
    assert caught.value.diag.constraint_name == constraint


def test_a_digest_that_does_not_match_the_content_is_refused(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        with pytest.raises(RegistryError, match="version_digest_matches"):
            _put(backend, V1, b"one: 1\n", None, digest=_digest(b"other"))
        assert list(backend.list_subjects()) == []  # the new subject's row went with the transaction


def test_only_one_of_many_racing_first_publishes_wins(postgres_url: str) -> None:
    def publish(index: int) -> object:
        with PostgresBackend(postgres_url) as backend:
            return _put(backend, V1, f"worker: {index}\n".encode(), None)

    results = _all_at_once(8, publish)
    assert Counter(type(r).__name__ for r in results) == {"PutResult": 1, "StaleLatest": 7}, results
    winner = next(i for i, r in enumerate(results) if r is PutResult.CREATED)
    with PostgresBackend(postgres_url) as backend:
        assert backend.subject("orders-api").versions == (V1,)
        assert backend.get_version("orders-api", V1).content == f"worker: {winner}\n".encode()


def test_racing_publishes_of_the_next_version_are_serialised(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)

    def publish(index: int) -> object:
        with PostgresBackend(postgres_url) as backend:
            return _put(backend, SemVer(1, index + 1, 0), f"worker: {index}\n".encode(), V1)

    results = _all_at_once(6, publish)
    assert sum(r is PutResult.CREATED for r in results) == 1, results
    assert all(isinstance(r, StaleLatest) for r in results if r is not PutResult.CREATED), results
    with PostgresBackend(postgres_url) as backend:
        assert len(backend.subject("orders-api").versions) == 2


def test_a_dropped_connection_is_replaced(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'apigov' AND datname = current_database()"
            ).fetchall()
        assert dropped == [(True,)]
        assert backend.subject("orders-api").versions == (V1,)
        assert _put(backend, V2, b"two: 2\n", V1) is PutResult.CREATED


def test_listing_is_one_query_that_keeps_versions_and_deprecations(postgres_url: str) -> None:
    from apigov.registry.base import Deprecation

    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
        _put(backend, SemVer(1, 10, 0), b"ten: 10\n", V1)
        backend.deprecate("orders-api", V1, Deprecation(at="2026-11-21T09:00:00Z", reason="use 1.10"))
        (info,) = backend.list_subjects()
    assert info.versions == (V1, SemVer(1, 10, 0))  # numeric order, not text order
    assert dict(info.deprecated) == {"1.0.0": Deprecation(at="2026-11-21T09:00:00Z", reason="use 1.10")}


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_postgres_binaries_skip_locally_and_fail_under_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    from tests import _postgres

    monkeypatch.setattr(_postgres, "find_binary", lambda name: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="PostgreSQL"), _postgres.throwaway_server():
        pass


def test_listing_a_thousand_subjects_of_twenty_versions_is_fast(postgres_url: str) -> None:
    import time

    from benchmarks.registry import SUBJECTS, VERSIONS, fill_postgres

    fill_postgres(postgres_url)
    with PostgresBackend(postgres_url) as backend:
        backend.subject("service-0000-events")  # connected and migrated
        elapsed = []
        for _ in range(3):  # the best of three: other work on a busy machine only ever adds time
            started = time.perf_counter()
            listed = backend.list_subjects()
            elapsed.append(time.perf_counter() - started)
    assert len(listed) == SUBJECTS
    assert all(info.versions == tuple(SemVer(1, m, 0) for m in range(VERSIONS)) for info in listed)
    assert min(elapsed) < 0.5, f"list_subjects took {elapsed} s"


def test_one_backend_can_be_shared_by_many_threads(postgres_url: str) -> None:
    with PostgresBackend(postgres_url, max_connections=3) as backend:

        def work(index: int) -> object:
            subject = f"subject-{index % 4}"
            for _ in range(50):  # until this thread's compare-and-set wins
                try:
                    latest = backend.subject(subject).latest
                except UnknownSubject:
                    latest = None
                version = SemVer(1, 0, 0) if latest is None else latest.bump("minor")
                content = f"writer: {index}\n".encode()
                try:
                    backend.put_version(
                        subject,
                        version,
                        kind="openapi",
                        content_format="yaml",
                        content=content,
                        digest=_digest(content),
                        meta=META,
                        expected_latest=latest,
                    )
                except StaleLatest:
                    continue
                return version
            raise AssertionError("never won")

        results = _all_at_once(16, work)
        assert all(isinstance(r, SemVer) for r in results), results
        listed = {info.name: info.versions for info in backend.list_subjects()}
        with psycopg.connect(postgres_url) as admin:
            (opened,) = admin.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = 'apigov' AND datname = current_database()"
            ).fetchone()
    assert {name: len(versions) for name, versions in listed.items()} == {f"subject-{i}": 4 for i in range(4)}
    assert 1 <= opened <= 3


def test_a_registry_of_an_older_schema_is_upgraded_in_place(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigov.registry import postgres

    monkeypatch.setattr(postgres, "MIGRATIONS", MIGRATIONS[:1])
    with PostgresBackend(postgres_url) as old:
        _put(old, V1, b"one: 1\n", None)
    monkeypatch.setattr(postgres, "MIGRATIONS", MIGRATIONS)
    with PostgresBackend(postgres_url) as new:
        assert new.subject("orders-api").versions == (V1,)
        assert _put(new, V2, b"two: 2\n", V1) is PutResult.CREATED
    with psycopg.connect(postgres_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM apigov.schema_migrations ORDER BY 1")]
        assert versions == [m[0] for m in MIGRATIONS]
        with pytest.raises(psycopg.errors.IntegrityError, match="never changes"):
            conn.execute("UPDATE apigov.versions SET meta = '{}'")


def test_a_subject_held_too_long_by_another_writer_is_one_clear_error(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
    with psycopg.connect(postgres_url) as holder, PostgresBackend(postgres_url, lock_timeout=0.3) as backend:
        holder.execute("SELECT 1 FROM apigov.subjects WHERE name = 'orders-api' FOR UPDATE")  # and keeps it
        with pytest.raises(
            RegistryError, match=r"another publisher has been writing .* for more than 0\.3 s"
        ):
            _put(backend, V2, b"two: 2\n", V1)
        assert backend.subject("orders-api").versions == (V1,)  # reads never wait
        holder.rollback()
        assert _put(backend, V2, b"two: 2\n", V1) is PutResult.CREATED


def test_a_value_postgresql_cannot_hold_is_an_input_error(postgres_url: str) -> None:
    # a NUL in a deprecation reason: text PostgreSQL refuses, so the caller's input (400 / exit 2),
    # not a registry failure (409); nothing is written
    from apigov.core.errors import InputError, RegistryError
    from apigov.registry.base import Deprecation

    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, b"one: 1\n", None)
        with pytest.raises(InputError, match="cannot store this value") as refused:
            backend.deprecate("orders-api", V1, Deprecation(at="2026-11-21T09:00:00Z", reason="a\x00b"))
        assert not isinstance(refused.value, RegistryError)
        assert dict(backend.subject("orders-api").deprecated) == {}
