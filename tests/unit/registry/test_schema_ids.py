"""Global schema ids (apigov/registry/schema_ids.py) on the directory and PostgreSQL backends:
one id per distinct digest, stable, never reused, race-free, copied as they are, and the
migration (number 25) that makes their storage, applied once."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from apigov.core.errors import RegistryError
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.migrations import ledger
from apigov.registry.postgres import PostgresBackend
from apigov.registry.schema_ids import DirectorySchemaIds, PostgresSchemaIds, SchemaIds, schema_ids_for


def digest(n: int) -> str:
    return "sha256:" + hashlib.sha256(str(n).encode()).hexdigest()


@pytest.fixture(params=["directory", "postgresql"])
def make_ids(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], SchemaIds]]:
    """A factory of independent handles on one fresh registry's ids (as separate servers have)."""
    if request.param == "directory":
        yield lambda: schema_ids_for(DirectoryBackend(tmp_path / "registry"))
        return
    url = request.getfixturevalue("postgres_url")
    backends: list[PostgresBackend] = []

    def make() -> SchemaIds:
        backends.append(PostgresBackend(url))
        return schema_ids_for(backends[-1])

    yield make
    for backend in backends:
        backend.close()


def test_one_id_per_digest_stable_across_handles(make_ids: Callable[[], SchemaIds]) -> None:
    ids = make_ids()
    assert ids.find(digest(1)) is None
    first, second = ids.assign(digest(1)), ids.assign(digest(2))
    assert (first, second) == (1, 2)
    assert ids.assign(digest(1)) == 1
    other = make_ids()
    assert other.find(digest(2)) == 2
    assert other.digest_of(1) == digest(1)
    assert other.digest_of(99) is None
    assert other.all_ids() == {1: digest(1), 2: digest(2)}


def test_copied_ids_are_kept_and_new_ones_continue_above(make_ids: Callable[[], SchemaIds]) -> None:
    ids = make_ids()
    ids.put(7, digest(7))
    ids.put(7, digest(7))  # a repeated copy changes nothing
    with pytest.raises(RegistryError, match="already names another schema"):
        ids.put(7, digest(8))
    with pytest.raises(RegistryError, match="already has schema id 7"):
        ids.put(9, digest(7))
    assert ids.assign(digest(100)) == 8
    with pytest.raises(RegistryError, match="invalid digest"):
        ids.assign("sha256:nothex")


def test_settings_round_trip(make_ids: Callable[[], SchemaIds]) -> None:
    ids = make_ids()
    assert ids.setting("compatibility") is None
    ids.set_setting("compatibility", "FULL")
    ids.set_setting("mode", "READONLY")
    assert make_ids().setting("compatibility") == "FULL"
    assert make_ids().setting("mode") == "READONLY"
    with pytest.raises(RegistryError):
        ids.set_setting("other", "x")


def test_concurrent_assignment_gives_each_digest_one_id(make_ids: Callable[[], SchemaIds]) -> None:
    """8 clients x 50 registrations, half of them of digests another client registers too."""
    handles = [make_ids() for _ in range(8)]
    results: list[dict[str, int]] = [{} for _ in handles]
    errors: list[Exception] = []

    def client(index: int) -> None:
        try:
            for n in range(50):
                d = digest(n if n % 2 == 0 else 1000 * index + n)  # even: shared by every client
                results[index][d] = handles[index].assign(d)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    merged: dict[str, int] = {}
    for found in results:
        for d, schema_id in found.items():
            assert merged.setdefault(d, schema_id) == schema_id, "one digest got two ids"
    assert len(set(merged.values())) == len(merged) == 25 + 8 * 25
    assert make_ids().all_ids() == {v: k for k, v in merged.items()}


def test_directory_ids_are_one_file_each_and_migration_25_is_recorded(tmp_path: Path) -> None:
    root = tmp_path / "registry"
    ids = DirectorySchemaIds(root)
    ids.assign(digest(1))
    assert json.loads((root / "_confluent" / "ids" / "1.json").read_text()) == {"id": 1, "digest": digest(1)}
    assert 25 in ledger.applied(root)
    assert DirectoryBackend(root).list_subjects() == []  # _confluent is no subject


def test_postgres_migration_25_applies_once_and_ids_are_immutable(postgres_url: str) -> None:
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            PostgresSchemaIds(backend).assign(digest(1))
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute(
            "SELECT count(*) FROM apigov.schema_migrations WHERE version = 25"
        ).fetchone() == (1,)
        with pytest.raises(psycopg.errors.RaiseException, match="never changed or reused"):
            conn.execute("DELETE FROM apigov.confluent_ids")
