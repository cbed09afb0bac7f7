"""Fuzz runs of a PostgreSQL registry: ``apigov.fuzz_runs`` (migration 20), through the registry
backend's connections. A row is inserted once (its id is the record's sha256) and a trigger
refuses every UPDATE and DELETE."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb

from apigov.fuzz.store import check_record, newest_first, record_id
from apigov.registry.base import check_subject, parse_version
from apigov.registry.postgres import PostgresBackend

__all__ = ["PostgresFuzzStore"]

Conn = psycopg.Connection[TupleRow]


class PostgresFuzzStore:
    def __init__(self, backend: PostgresBackend) -> None:
        self.backend = backend

    @property
    def location(self) -> str:
        return self.backend.location

    def add(self, record: dict[str, Any]) -> str:
        record = check_record(record)
        rid = record_id(record)
        contract = record["contract"]

        def write(conn: Conn) -> None:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO apigov.fuzz_runs (id, subject, version, ended_at, passed, record)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (
                        rid,
                        contract["subject"],
                        contract["version"],
                        record["ended_at"],
                        record["passed"],
                        Jsonb(record),
                    ),
                )

        self.backend._run(write)
        return rid

    def runs(self, subject: str, version: str) -> list[dict[str, Any]]:
        subject = check_subject(subject)
        version = str(parse_version(version))

        def read(conn: Conn) -> list[dict[str, Any]]:
            rows = conn.execute(
                "SELECT id, record FROM apigov.fuzz_runs WHERE subject = %s AND version = %s",
                (subject, version),
            ).fetchall()
            return [{"id": row[0], **row[1]} for row in rows]

        return newest_first(self.backend._run(read))
