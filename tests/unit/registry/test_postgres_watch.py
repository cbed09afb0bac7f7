"""A server's memory of PostgreSQL subjects: kept until a change is heard, and only while heard."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest

from apigov.registry.base import Deprecation, SemVer, VersionMeta
from apigov.registry.postgres import PostgresBackend
from apigov.schema.modes import Mode

V1, V2 = SemVer(1, 0, 0), SemVer(1, 1, 0)
META = VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="tester")


def _put(
    backend: PostgresBackend, version: SemVer, expected: SemVer | None, subject: str = "orders-api"
) -> None:
    content = f"version: {version}\n".encode()
    backend.put_version(
        subject,
        version,
        kind="openapi",
        content_format="yaml",
        content=content,
        digest="sha256:" + hashlib.sha256(content).hexdigest(),
        meta=META,
        expected_latest=expected,
    )


def _eventually(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_nothing_is_remembered_without_watching(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        _put(backend, V1, None)
        backend.subject("orders-api")
        assert backend.peek_subject("orders-api") is None


def test_a_subject_is_remembered_until_another_writer_changes_it(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as server, PostgresBackend(postgres_url) as other:
        _put(other, V1, None)
        _put(other, V1, None, subject="payments-api")
        server.watch_changes()
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
        server.subject("payments-api")
        remembered = server.peek_subject("orders-api")
        assert remembered is not None and remembered.latest == V1
        _put(other, V2, V1)  # another process (a replica, a CLI) publishes
        assert _eventually(lambda: server.peek_subject("orders-api") is None)
        assert server.peek_subject("payments-api") is not None  # other subjects stay remembered
        assert server.subject("orders-api").latest == V2
        assert server.peek_subject("orders-api") == server.subject("orders-api")
        for change in (
            lambda: other.set_mode("orders-api", Mode.FULL),
            lambda: other.deprecate("orders-api", V1, Deprecation(at="2026-11-21", reason="use 1.1")),
        ):
            server.subject("orders-api")
            assert server.peek_subject("orders-api") is not None
            change()
            assert _eventually(lambda: server.peek_subject("orders-api") is None)
        info = server.subject("orders-api")
        assert info.mode is Mode.FULL and "1.0.0" in info.deprecated


def test_its_own_writes_are_forgotten_at_once(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as server:
        _put(server, V1, None)
        server.watch_changes()
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
        _put(server, V2, V1)
        assert server.peek_subject("orders-api") is None


def test_nothing_is_remembered_while_the_listener_is_cut_off(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as server:
        _put(server, V1, None)
        server.watch_changes()
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'apigov-listen' AND datname = current_database()"
            )
            assert _eventually(lambda: server.peek_subject("orders-api") is None)
            # while it is cut off nothing is remembered; once it listens again, subjects are
            server.subject("orders-api")
            assert _eventually(
                lambda: (
                    server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
                )
            )
            (listeners,) = admin.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = 'apigov-listen' AND datname = current_database()"
            ).fetchone() or (0,)
        assert listeners == 1


def test_a_read_that_overlaps_a_change_is_not_remembered(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as server:
        _put(server, V1, None)
        server.watch_changes()
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
        server._forget("orders-api")
        original = server._run

        def change_heard_meanwhile(operation: Callable[..., object]) -> object:
            result = original(operation)
            server._forget("payments-api")  # any change heard between the read and the keeping
            return result

        server._run = change_heard_meanwhile  # type: ignore[method-assign]
        server.subject("orders-api")
        assert server.peek_subject("orders-api") is None


def test_a_listener_whose_echo_stops_coming_back_stops_remembering(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As behind a connection pooler that does not pass notifications on: LISTEN succeeds, the
    connection answers, but nothing is heard."""
    from apigov.registry import postgres

    monkeypatch.setattr(postgres, "_LISTEN_CHECK", 0.2)
    with PostgresBackend(postgres_url) as server:
        _put(server, V1, None)
        server.watch_changes()
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
        real = psycopg.Connection.notifies

        def deaf(
            self: psycopg.Connection[object], *, timeout: float | None = None, **_: object
        ) -> Iterator[object]:
            time.sleep(timeout or 0)
            return iter(())

        monkeypatch.setattr(psycopg.Connection, "notifies", deaf)
        assert _eventually(lambda: server.peek_subject("orders-api") is None, seconds=3)
        for _ in range(10):  # and nothing is remembered while it stays deaf
            server.subject("orders-api")
            assert server.peek_subject("orders-api") is None
            time.sleep(0.05)
        monkeypatch.setattr(psycopg.Connection, "notifies", real)
        assert _eventually(
            lambda: server.subject("orders-api") is not None and server.peek_subject("orders-api") is not None
        )
