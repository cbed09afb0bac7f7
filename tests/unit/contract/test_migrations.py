"""Migrations 5, 6, 10 and 15 (pacts, token pacticipants, verifications, deployments) reach a
PostgreSQL registry made before them, once, with the registry's data kept."""

from __future__ import annotations

import psycopg
import pytest

from apigov.contract.store import pact_store_of
from apigov.registry import postgres
from apigov.registry.postgres import PostgresBackend
from apigov.registry.tokens import token_store_of

_MINE = (5, 6, 7, 10, 15)


def test_a_registry_made_before_the_pact_migrations_gets_them_once(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = postgres.MIGRATIONS
    monkeypatch.setattr(postgres, "MIGRATIONS", tuple(m for m in released if m[0] not in _MINE))
    with PostgresBackend(postgres_url) as backend:
        backend.list_subjects()
    with psycopg.connect(postgres_url) as conn:  # a token as an older apigov wrote it
        conn.execute(
            "INSERT INTO apigov.tokens (name, scope, digest, created_at) VALUES ('old', 'read', %s, 't')",
            ("sha256:" + "0" * 64,),
        )
    monkeypatch.setattr(postgres, "MIGRATIONS", released)
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            assert pact_store_of(backend).snapshot().publications == {}
            assert [r.pacticipants for r in token_store_of(backend).records()] == [()]
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT version, count(*) FROM apigov.schema_migrations GROUP BY 1 ORDER BY 1").fetchall()
    assert [n for n, _ in rows] == [m[0] for m in released] and all(c == 1 for _, c in rows)
    assert set(_MINE) <= {n for n, _ in rows}


def test_postgres_refuses_changing_a_published_pact_or_a_content_that_does_not_match_its_digest(postgres_url: str) -> None:
    from apigov.contract.publish import publish_pacts
    from tests.unit.contract._pacts import pact

    with PostgresBackend(postgres_url) as backend:
        publish_pacts(pact_store_of(backend), [("p.json", pact())], consumer_version="1", at="t")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            conn.execute("UPDATE apigov.pact_publications SET digest = digest")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO apigov.pact_contents (digest, content) VALUES (%s, 'x')", ("0" * 64,))
