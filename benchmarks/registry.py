"""`apigov registry list` on a large directory registry, with its baselines measured in the same run.

Target (issue 5): 1,000 subjects x 20 versions listed in under 1 s wall on the directory backend.
The registry is made once per run: one subject of 20 versions published through the directory
backend, then copied under 999 more names (the same files a publish writes).

PostgreSQL half (the same target): a fresh database on ``APIGOV_TEST_POSTGRES_URL`` when it is
set, else on a throwaway server started from the local binaries (as the tests do), migrated by
the backend itself and filled in bulk with the rows ``put_version`` writes (real contracts, sha256
digests, metadata), which the table constraints check. Its baselines: ``apigov --version``
(start-up) and ``python -c 'import psycopg'`` (the driver alone); CPU time is shown beside wall
time, which on a busy machine mostly measures waiting for a core.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from benchmarks._timing import APIGOV, compile_bytecode, row, wall

SUBJECTS = 1_000
VERSIONS = 20
SCANDIR = (
    "import os, sys\n"
    "n = 0\n"
    "for e in os.scandir(sys.argv[1]):\n"
    "    if e.is_dir():\n"
    "        n += sum(1 for _ in os.scandir(e.path))\n"
)


def build(root: Path) -> None:
    from apigov.registry.base import SemVer, VersionMeta
    from apigov.registry.filesystem import DirectoryBackend

    backend = DirectoryBackend(root)
    previous = None
    for minor in range(VERSIONS):
        version = SemVer(1, minor, 0)
        schema = {"type": "string", "enum": [f"v{i}" for i in range(minor + 1)]}
        content = (json.dumps(schema, indent=2) + "\n").encode()
        backend.put_version(
            "subject-0000",
            version,
            kind="jsonschema",
            content_format="json",
            content=content,
            digest=f"sha256:{minor:064x}",
            meta=VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="bench"),
            expected_latest=previous,
        )
        previous = version
    template = root / "subject-0000"
    index = json.loads((template / "subject.json").read_text())
    for number in range(1, SUBJECTS):
        name = f"subject-{number:04d}"
        shutil.copytree(template, root / name)
        index["subject"] = name
        (root / name / "subject.json").write_text(json.dumps(index, indent=2) + "\n")


def _meta(previous: str | None, bump: str) -> dict[str, object]:
    return {
        "published_at": "2026-11-21T08:00:00Z",
        "publisher": "bench@example.com",
        "git_sha": "0" * 40,
        "git_branch": "main",
        "labels": {"team": "bench"},
        "source": "schema.json",
        "previous": previous,
        "bump": bump,
        "changes": [],
    }


@contextlib.contextmanager
def _server() -> Iterator[str]:
    url = os.environ.get("APIGOV_TEST_POSTGRES_URL", "").strip()
    if url:
        yield url
        return
    from tests._postgres import throwaway_server

    with throwaway_server() as started:
        yield started


def fill_postgres(url: str) -> None:
    """``SUBJECTS`` subjects of ``VERSIONS`` JSON Schema versions each, in one transaction."""
    import psycopg
    from psycopg.types.json import Jsonb

    from apigov.registry.postgres import PostgresBackend

    with PostgresBackend(url) as backend:
        backend.list_subjects()  # creates the schema
    with psycopg.connect(url) as conn, conn.transaction():
        ids = [
            conn.execute(
                "INSERT INTO apigov.subjects (name, kind, mode) VALUES (%s, 'jsonschema', 'BACKWARD') RETURNING id",
                (f"service-{index:04d}-events",),
            ).fetchone()[0]
            for index in range(SUBJECTS)
        ]
        rows = []
        for minor in range(VERSIONS):
            content = json.dumps(
                {"type": "object", "properties": {f"field{i}": {"type": "string"} for i in range(minor + 1)}},
                indent=2,
            ).encode()
            digest = "sha256:" + hashlib.sha256(content).hexdigest()
            meta = Jsonb(_meta(f"1.{minor - 1}.0" if minor else None, "minor" if minor else "none"))
            rows.extend((subject_id, 1, minor, 0, "json", content, digest, meta) for subject_id in ids)
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO apigov.versions (subject_id, major, minor, patch, format, content, digest, meta)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        conn.execute("ANALYZE apigov.subjects")
        conn.execute("ANALYZE apigov.versions")


def cpu(argv: Sequence[str], runs: int = 5) -> float:
    """Median CPU time (user + system) of ``argv``: what the command costs when the machine is
    busy with other work, where wall time mostly measures waiting for a core."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, capture_output=True, check=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def postgres_rows() -> list[bool]:
    import psycopg

    with _server() as server:
        name = f"apigov_bench_{os.getpid()}"
        base = server.rsplit("/", 1)[0]
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = f"{base}/{name}"
            fill_postgres(url)
            version = wall([*APIGOV, "--version"])
            driver = wall([sys.executable, "-c", "import psycopg"])
            listed = wall([*APIGOV, "registry", "list", "--registry", url], ok=(0,))
            as_json = wall([*APIGOV, "registry", "list", "--registry", url, "--format", "json"], ok=(0,))
            cpu_version = cpu([*APIGOV, "--version"])
            cpu_listed = cpu([*APIGOV, "registry", "list", "--registry", url])
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    results = [listed < 1.0, as_json < 1.0]
    label = f"{SUBJECTS} x {VERSIONS}"
    print(
        row(f"registry list, PostgreSQL ({label})", listed, "apigov --version", version, "< 1 s", results[0])
    )
    print(
        row(
            f"registry list -f json, PostgreSQL ({label})",
            as_json,
            "apigov --version",
            version,
            "< 1 s",
            results[1],
        )
    )
    print(row("  of which the driver import:", driver, "python -c 'import psycopg'", driver, "-", True))
    print(
        row(
            "  CPU time of registry list:", cpu_listed, "CPU time of apigov --version", cpu_version, "-", True
        )
    )
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return results


def main() -> list[bool]:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="apigov-bench-registry-") as temp:
        root = Path(temp) / "contracts"
        build(root)
        python_only = wall([sys.executable, "-c", "pass"])
        scandir = wall([sys.executable, "-c", SCANDIR, str(root)])
        listing = wall([*APIGOV, "registry", "list", "--registry", str(root)])
        as_json = wall([*APIGOV, "registry", "list", "--registry", str(root), "--format", "json"])
    results = [listing < 1.0, as_json < 1.0]
    name = f"apigov registry list ({SUBJECTS} x {VERSIONS})"
    print(row(name, listing, "python -c pass", python_only, "< 1 s", results[0]))
    print(row("  --format json", as_json, "os.scandir of the tree", scandir, "< 1 s", results[1]))
    return results + postgres_rows()


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
