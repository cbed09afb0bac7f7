"""The fuzz-run stores (directory and PostgreSQL): content-addressed, immutable, newest first,
bad records refused; the --require-fuzz gate over them; migration 20 applied once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import psycopg
import pytest

from apigov.core.errors import InputError
from apigov.fuzz.gate import require_fuzz
from apigov.fuzz.store import FuzzRunStore, record_id, store_of
from apigov.registry.filesystem import DirectoryBackend
from tests._postgres import fresh_database
from tests.unit.fuzz._records import run_record


def _postgres(tmp: Path) -> tuple[FuzzRunStore, str]:
    from apigov.registry.postgres import PostgresBackend

    url = fresh_database()
    return store_of(PostgresBackend(url)), url


def _directory(tmp: Path) -> tuple[FuzzRunStore, str]:
    return store_of(DirectoryBackend(tmp / "contracts")), str(tmp / "contracts")


STORES: Final[dict[str, Callable[[Path], tuple[FuzzRunStore, str]]]] = {
    "directory": _directory,
    "postgres": _postgres,
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[FuzzRunStore, str]:
    return STORES[request.param](tmp_path)


def test_records_are_content_addressed_and_listed_newest_first(store: tuple[FuzzRunStore, str]) -> None:
    runs, _ = store
    first = run_record(ended="2026-12-05T10:00:01Z")
    second = run_record(ended="2026-12-05T11:00:01Z", service="1.5.0", passed=False)
    assert runs.add(first) == record_id(first)
    assert runs.add(first) == record_id(first)  # the same record again: stored once
    runs.add(second)
    listed = runs.runs("orders", "1.0.0")
    assert [r["id"] for r in listed] == [record_id(second), record_id(first)]
    assert {k: v for k, v in listed[1].items() if k != "id"} == first
    assert runs.runs("orders", "2.0.0") == []


def test_a_malformed_record_is_refused_and_nothing_is_stored(store: tuple[FuzzRunStore, str]) -> None:
    runs, _ = store
    bad = run_record()
    bad["passed"] = False  # but no failures
    with pytest.raises(InputError, match="passed exactly when"):
        runs.add(bad)
    for field, value in (("ended_at", "yesterday"), ("checks", "all"), ("apigov", "fuzz/1")):
        with pytest.raises(InputError):
            runs.add({**run_record(), field: value})
    with pytest.raises(InputError):
        runs.add(
            {
                **run_record(),
                "contract": {"subject": "../x", "version": "1.0.0", "digest": "sha256:" + "0" * 64},
            }
        )
    assert runs.runs("orders", "1.0.0") == []


def test_the_gate_takes_the_newest_run_of_the_contract_version(store: tuple[FuzzRunStore, str]) -> None:
    runs, location = store
    verdict = require_fuzz(runs, location, "orders", "1.4.0", "orders@1.0.0")
    assert not verdict.ok and "no fuzz run of orders@1.0.0 is recorded" in verdict.reason
    good = run_record()
    runs.add(good)
    verdict = require_fuzz(runs, location, "orders", "1.4.0", "orders@1.0.0")
    assert verdict.ok, verdict.reason
    assert f"fuzz run {record_id(good)[:12]} of orders@1.0.0" in verdict.reason
    narrow = {**run_record(ended="2026-12-05T12:00:00Z"), "checks": ["not_a_server_error"]}
    runs.add(narrow)
    verdict = require_fuzz(runs, location, "orders", "1.4.0", "orders@1.0.0")
    assert not verdict.ok and "without the default check(s) status_code_conformance" in verdict.reason
    runs.add(run_record(ended="2026-12-05T13:00:00Z", service="1.5.0", passed=False))
    verdict = require_fuzz(runs, location, "orders", "1.5.0", "orders@1.0.0")
    assert not verdict.ok and "failed with 1 failure(s)" in verdict.reason


def test_postgres_applies_migration_20_once_and_refuses_changing_a_run(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apigov.registry import postgres
    from apigov.registry.postgres import PostgresBackend

    released = postgres.MIGRATIONS
    monkeypatch.setattr(postgres, "MIGRATIONS", tuple(m for m in released if m[0] != 20))
    with PostgresBackend(postgres_url) as backend:
        backend.list_subjects()
    monkeypatch.setattr(postgres, "MIGRATIONS", released)
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            store_of(backend).add(run_record())
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        count = conn.execute("SELECT count(*) FROM apigov.schema_migrations WHERE version = 20").fetchone()
        assert count is not None and count[0] == 1
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            conn.execute("UPDATE apigov.fuzz_runs SET passed = NOT passed")
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            conn.execute("DELETE FROM apigov.fuzz_runs")


def test_a_directory_registry_records_migration_20(tmp_path: Path) -> None:
    import json

    runs = store_of(DirectoryBackend(tmp_path / "contracts"))
    runs.add(run_record())
    ledger = json.loads((tmp_path / "contracts" / ".apigov-migrations.json").read_text())
    assert [m["number"] for m in ledger["applied"]].count(20) == 1


def test_the_gate_maps_a_service_version_to_the_contract_version_it_was_fuzzed_with(
    store: tuple[FuzzRunStore, str], tmp_path: Path
) -> None:
    import subprocess
    import sys

    runs, location = store
    spec = tmp_path / "orders.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n")
    for version in ("1.0.0", "1.1.0"):
        done = subprocess.run(
            [sys.executable, "-m", "apigov", "publish", str(spec), "-s", "orders", "--version", version, "-r", location],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    runs.add(run_record(version="1.0.0", service="2.0.0", passed=False))
    runs.add(run_record(version="1.1.0", service="2.1.0", ended="2026-12-05T09:00:00Z"))
    verdict = require_fuzz(runs, location, "orders", "2.1.0", None)
    assert verdict.ok and verdict.contract == "orders@1.1.0", verdict.reason
    verdict = require_fuzz(runs, location, "orders", "2.0.0", None)
    assert not verdict.ok and verdict.contract == "orders@1.0.0" and "failed" in verdict.reason
    verdict = require_fuzz(runs, location, "orders", "3.0.0", None)
    assert not verdict.ok and "service version 3.0.0" in verdict.reason


def test_a_built_record_is_valid_and_carries_no_curl_body_or_credentials() -> None:
    from apigov.fuzz.model import DEFAULT_CHECKS, Failure, FuzzResult, OperationOutcome
    from apigov.fuzz.record import ContractId, build_record
    from apigov.fuzz.store import check_record

    failure = Failure(
        "GET /orders", "not_a_server_error", "ST100", "Server error", "boom", "curl -H 'Authorization: Bearer s3'",
        "ab12", example='{"secret": 1}',
    )  # fmt: skip
    result = FuzzResult(
        "orders.yaml", "http://user:s3@127.0.0.1:8001/api?key=s3", 1, DEFAULT_CHECKS, ("examples",), 1,
        (OperationOutcome("GET /orders", {"not_a_server_error": False}),), (), known=((failure, "ticket 12"),),
    )  # fmt: skip
    record = build_record(
        result, ContractId("orders", "1.0.0", "sha256:" + "1" * 64), service_version="1.4.0", max_examples=2,
        started_at="2026-12-05T10:00:00.000001Z", ended_at="2026-12-05T10:00:01.000001Z",
    )  # fmt: skip
    assert check_record(record) == record
    assert record["base_url"] == "http://127.0.0.1:8001/api"
    assert record["known"] == [
        {
            "operation": "GET /orders",
            "check": "not_a_server_error",
            "fingerprint": "ab12",
            "reason": "ticket 12",
        }
    ]
    assert "s3" not in str(record) and "secret" not in str(record) and record["passed"] is True
