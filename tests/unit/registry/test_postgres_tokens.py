"""Tokens of ``apigov serve`` kept in a PostgreSQL registry (``apigov.tokens``, migration 3)."""

from __future__ import annotations

import json

import psycopg
import pytest

from apigov.cli.main import run
from apigov.core.errors import InputError
from apigov.registry.location import open_token_store
from apigov.registry.postgres import PostgresBackend, PostgresTokenStore
from apigov.registry.tokens import PREFIX, TokenRecord, TokenStore, create_token

CREATED = "2026-11-21T09:00:00Z"


def test_a_token_is_stored_only_as_its_hash_and_found_by_it(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        store = backend.token_store()
        assert isinstance(store, TokenStore)
        made = create_token(store, name="ci", scope="publish", created_at=CREATED)
        assert made.token.startswith(PREFIX)
        assert store.lookup(made.token) == made.record
        assert store.lookup(made.token[:-1] + ("A" if made.token[-1] != "A" else "B")) is None
        assert store.lookup("not-a-token") is None
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT name, scope, digest, created_at FROM apigov.tokens").fetchall()
        dump = json.dumps([list(r) for r in rows])
    assert rows == [("ci", "publish", made.record.digest, CREATED)]
    assert made.token not in dump and made.token[len(PREFIX) :] not in dump


def test_names_are_unique_and_records_sorted(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        store = backend.token_store()
        create_token(store, name="zz", scope="read", created_at=CREATED)
        create_token(store, name="aa", scope="admin", created_at=CREATED)
        with pytest.raises(InputError, match="a token named 'zz' exists"):
            create_token(store, name="zz", scope="read", created_at=CREATED)
        assert [(r.name, r.scope) for r in store.records()] == [("aa", "admin"), ("zz", "read")]


def test_the_database_refuses_a_record_that_is_not_a_hash(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        backend.list_subjects()  # migrated
    with psycopg.connect(postgres_url) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO apigov.tokens VALUES ('x', 'read', %s, 'now')", (PREFIX + "plain-token-text",)
        )


def test_a_revoked_token_is_refused_by_other_stores_within_the_cache_time(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigov.registry import postgres, postgres_tokens

    clock = [1000.0]
    monkeypatch.setattr(postgres.time, "monotonic", lambda: clock[0])
    with PostgresBackend(postgres_url) as one, PostgresBackend(postgres_url) as two:
        serving, admin = one.token_store(), two.token_store()
        made = create_token(admin, name="ci", scope="read", created_at=CREATED)
        assert serving.peek(made.token) is None  # nothing remembered before a look-up
        assert serving.lookup(made.token) == made.record
        assert serving.peek(made.token) == made.record
        assert admin.revoke("ci") is True
        assert admin.revoke("ci") is False
        assert admin.lookup(made.token) is None  # the store that revoked forgets at once
        assert serving.lookup(made.token) == made.record  # remembered, for at most the cache time
        clock[0] += postgres_tokens.TOKEN_TTL + 0.01
        assert serving.peek(made.token) is None
        assert serving.lookup(made.token) is None


def test_a_token_made_by_another_process_is_found_at_once(postgres_url: str) -> None:
    with PostgresBackend(postgres_url) as backend:
        store = backend.token_store()
        assert store.lookup(PREFIX + "x" * 43) is None
        other = PostgresTokenStore(PostgresBackend(postgres_url))
        made = create_token(other, name="late", scope="read", created_at=CREATED)
        assert store.lookup(made.token) == made.record


def test_token_cli_create_list_revoke_on_postgresql(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["token", "create", "--scope", "publish", "--name", "ci", "-r", postgres_url]) == 0
    token = capsys.readouterr().out.strip()
    store = open_token_store(postgres_url)
    found = store.lookup(token)
    assert isinstance(found, TokenRecord) and (found.name, found.scope) == ("ci", "publish")
    assert run(["token", "list", "-r", postgres_url, "--format", "json"]) == 0
    listing = capsys.readouterr().out
    assert '"ci"' in listing and token not in listing
    assert run(["token", "create", "--scope", "read", "--name", "ci", "-r", postgres_url]) == 2
    assert "a token named 'ci' exists" in capsys.readouterr().err
    assert run(["token", "revoke", "ci", "-r", postgres_url]) == 0
    assert run(["token", "revoke", "ci", "-r", postgres_url]) == 2
    assert open_token_store(postgres_url).lookup(token) is None


def test_migration_16_gives_tokens_made_before_it_no_subject_limit_once(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigov.registry import postgres

    released = postgres.MIGRATIONS
    monkeypatch.setattr(postgres, "MIGRATIONS", tuple(m for m in released if m[0] != 16))
    with PostgresBackend(postgres_url) as backend:
        backend.list_subjects()
    digest = "sha256:" + "1" * 64
    with psycopg.connect(postgres_url) as conn:  # a token as an apigov before migration 16 wrote it
        conn.execute(
            "INSERT INTO apigov.tokens (name, scope, digest, created_at, pacticipants)"
            " VALUES ('old', 'admin', %s, 't', '{web}')",
            (digest,),
        )
    monkeypatch.setattr(postgres, "MIGRATIONS", released)
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            store = backend.token_store()
            (found,) = [r for r in store.records() if r.name == "old"]
            assert found.digest == digest and found.subjects == () and found.pacticipants == ("web",)
            new = create_token(store, name=f"new-{_}", scope="publish", created_at=CREATED, subjects=["orders-api"])
            assert store.lookup(new.token) == new.record and new.record.subjects == ("orders-api",)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM apigov.schema_migrations WHERE version = 16").fetchone() == (1,)
