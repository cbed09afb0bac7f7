"""The backends' schema migrations: one numbered list (apigov/registry/migrations/), applied once
each, in number order, gaps allowed, on PostgreSQL (apigov.schema_migrations) and on a directory
registry (.apigov-migrations.json); a registry a newer apigov migrated is refused."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import psycopg
import pytest

from apigov.core.errors import RegistryError
from apigov.core.findings import Level
from apigov.registry import migrations, postgres
from apigov.registry.base import SemVer, VersionMeta
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.migrations import MIGRATIONS, Migration, ledger
from apigov.registry.postgres import PostgresBackend

META = VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="tester")


def _publish(backend: DirectoryBackend | PostgresBackend, subject: str = "orders-api") -> None:
    content = b"one: 1\n"
    backend.put_version(
        subject,
        SemVer(1, 0, 0),
        kind="openapi",
        content_format="yaml",
        content=content,
        digest="sha256:" + hashlib.sha256(content).hexdigest(),
        meta=META,
        expected_latest=None,
    )


def _made_dir(name: str) -> Migration:
    def step(root: Path) -> None:
        (root / name).mkdir(exist_ok=True)
        with (root / name / "runs").open("a") as handle:
            handle.write("x")

    return Migration(number=int(name.split("-")[1]), name=name, postgres="", directory=step)


def test_the_list_is_numbered_by_file_name_in_order() -> None:
    folder = Path(migrations.__file__).parent
    files = sorted(p.stem for p in folder.glob("m[0-9][0-9][0-9][0-9]_*.py"))
    assert [int(re.match(r"m(\d{4})_", f).group(1)) for f in files] == [m.number for m in MIGRATIONS]  # type: ignore[union-attr]
    assert [m.number for m in MIGRATIONS][:4] == [1, 2, 3, 4]  # released: never renumbered
    assert all(m.name and m.name == m.name.strip() for m in MIGRATIONS)
    assert tuple((m.number, m.name, m.postgres) for m in MIGRATIONS) == postgres.MIGRATIONS


def test_a_directory_registry_records_its_migrations_at_the_first_write_only(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    reader = DirectoryBackend(root)
    assert reader.list_subjects() == []
    assert not (root / ledger.LEDGER_FILE).exists()  # readers never write
    _publish(DirectoryBackend(root))
    document = json.loads((root / ledger.LEDGER_FILE).read_text())
    assert document["apigov"] == "registry-migrations/1"
    assert [(e["number"], e["name"]) for e in document["applied"]] == [(m.number, m.name) for m in MIGRATIONS]
    before = (root / ledger.LEDGER_FILE).read_bytes()
    backend = DirectoryBackend(root)
    backend.set_mode("orders-api", backend.subject("orders-api").mode)
    assert (root / ledger.LEDGER_FILE).read_bytes() == before  # nothing applied twice
    assert [info.name for info in DirectoryBackend(root).list_subjects()] == ["orders-api"]  # not a subject


def test_directory_migrations_apply_once_in_number_order_with_gaps(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    later = [_made_dir("step-990")]
    assert ledger.migrate(root, [*MIGRATIONS, *later]) == [*(m.number for m in MIGRATIONS), 990]
    assert ledger.migrate(root, [*MIGRATIONS, *later]) == []
    assert (root / "step-990" / "runs").read_text() == "x"
    # a lower number merged after a higher one was applied (numbers are reserved per issue)
    both = [*MIGRATIONS, _made_dir("step-985"), *later]
    assert ledger.migrate(root, both) == [985]
    assert ledger.migrate(root, both) == []
    assert ledger.applied(root) == [*(m.number for m in MIGRATIONS), 985, 990]
    assert (root / "step-985" / "runs").read_text() == "x"


def test_a_directory_registry_migrated_by_a_newer_apigov_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    ledger.migrate(root, [*MIGRATIONS, _made_dir("step-999")])
    with pytest.raises(RegistryError, match="records migration 999"):
        DirectoryBackend(root).list_subjects()
    with pytest.raises(RegistryError, match="records migration 999"):
        _publish(DirectoryBackend(root))


def test_a_damaged_ledger_is_one_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    (root / ledger.LEDGER_FILE).write_text('{"apigov": "something else"}')
    with pytest.raises(RegistryError, match="not a valid migrations ledger"):
        DirectoryBackend(root).list_subjects()


def test_postgres_applies_a_later_migration_once_and_a_lower_one_merged_after_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with PostgresBackend(postgres_url) as backend:
        _publish(backend)
    released = postgres.MIGRATIONS
    monkeypatch.setattr(
        postgres,
        "MIGRATIONS",
        (*released, (990, "later", "CREATE TABLE apigov.later (id integer PRIMARY KEY)")),
    )
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            assert backend.subject("orders-api").versions == (SemVer(1, 0, 0),)
    monkeypatch.setattr(
        postgres,
        "MIGRATIONS",
        (
            *released,
            (985, "merged after", "CREATE TABLE apigov.merged_after (id integer PRIMARY KEY)"),
            (990, "later", "CREATE TABLE apigov.later (id integer PRIMARY KEY)"),
        ),
    )
    for _ in range(2):
        with PostgresBackend(postgres_url) as backend:
            backend.list_subjects()
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT version, count(*) FROM apigov.schema_migrations GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert rows == [(number, 1) for number in [*(m[0] for m in released), 985, 990]]
        assert conn.execute("SELECT to_regclass('apigov.merged_after') IS NOT NULL").fetchone() == (True,)


def test_postgres_upgrade_to_the_subject_undecided_level(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database migrated before 30 gains the column: its subjects read as ``breaking``, settable."""
    released = postgres.MIGRATIONS
    before = tuple(m for m in released if m[0] < 30)
    assert len(before) == len(released) - 1  # 30 is the undecided level
    monkeypatch.setattr(postgres, "MIGRATIONS", before)
    with PostgresBackend(postgres_url) as backend:
        _publish(backend)
    with psycopg.connect(postgres_url) as conn:
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'apigov' AND table_name = 'subjects'"
        ).fetchall()
        assert ("undecided",) not in columns
    monkeypatch.setattr(postgres, "MIGRATIONS", released)
    with PostgresBackend(postgres_url) as backend:
        info = backend.subject("orders-api")
        assert (info.undecided, info.versions) == (Level.BREAKING, (SemVer(1, 0, 0),))
        backend.set_undecided("orders-api", Level.WARNING)
    with PostgresBackend(postgres_url) as backend:
        assert backend.subject("orders-api").undecided is Level.WARNING
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute(
            "SELECT count(*) FROM apigov.schema_migrations WHERE version = 30"
        ).fetchone() == (1,)
        with pytest.raises(psycopg.errors.CheckViolation):  # the column holds the two levels only
            conn.execute("UPDATE apigov.subjects SET undecided = 'info'")


def test_a_directory_registry_of_the_previous_version_reads_and_upgrades(tmp_path: Path) -> None:
    """A registry last written before migration 30: read as is, migrated at the next write."""
    root = tmp_path / "contracts"
    _publish(DirectoryBackend(root))
    written = json.loads((root / ledger.LEDGER_FILE).read_text())  # as the previous version left it
    written["applied"] = [e for e in written["applied"] if e["number"] != 30]
    (root / ledger.LEDGER_FILE).write_text(json.dumps(written))
    assert "undecided" not in json.loads((root / "orders-api" / "subject.json").read_text())
    assert 30 not in ledger.applied(root)
    assert DirectoryBackend(root).subject("orders-api").undecided is Level.BREAKING
    assert 30 not in ledger.applied(root)  # readers never write
    DirectoryBackend(root).set_undecided("orders-api", Level.WARNING)
    assert 30 in ledger.applied(root)
    assert DirectoryBackend(root).subject("orders-api").undecided is Level.WARNING
