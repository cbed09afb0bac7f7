"""The web UI's server time on a large PostgreSQL registry: `python benchmarks/ui.py`.

Targets (issue 19), p95 of the server's own time (the app in-process, no network):
catalog page and subject page < 150 ms with 5,000 subjects x 20 versions; the diff page of the
largest shop diff (orders-api 1.0.0 -> 2.0.0) < 300 ms; the graph of 200 services < 1 s.

The registry: a fresh database on ``APIGOV_TEST_POSTGRES_URL`` when it is set, else on a
throwaway server started from the local binaries (as the tests do). 5,000 OpenAPI subjects
(``svc-NNNN-api``) of 20 versions each, every version a distinct document (its own digest),
written in bulk with the rows ``put_version`` writes (the table constraints check them); the shop
registry published through the backend on top (for the diff); and pacts between 200 services
(``svc-NNNN``, one to three providers each, three interactions per pact), each verified and
deployed to production. Pages are asked in a random order (fixed seed), 60 times each; the first
request of a page that caches an immutable result (a diff, a laid-out graph) is reported apart
as "cold", the target is judged on the p95 of all requests including it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SUBJECTS = 5_000
VERSIONS = 20
SERVICES = 200
RUNS = 60


def _document(subject: str, minor: int) -> bytes:
    paths = {
        f"/items/{{id}}/part{i}": {
            "get": {
                "operationId": f"getPart{i}",
                "summary": f"Part {i} of an item",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "string"}, "size": {"type": "integer"}},
                                }
                            }
                        },
                    }
                },
            }
        }
        for i in range(min(minor, 4) + 1)
    }
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": f"{subject} service",
            "version": f"1.{minor}.0",
            "description": f"Version {minor} of the {subject} service's API.",
            "contact": {"name": f"team-{subject[4:8]}"},
            "x-owner": f"team-{subject[4:8]}",
        },
        "tags": [{"name": f"domain-{int(subject[4:8]) % 40}"}],
        "paths": paths,
    }
    return json.dumps(document, indent=2).encode()


def _meta(previous: str | None, bump: str) -> dict[str, object]:
    return {
        "published_at": "2026-12-05T08:00:00Z",
        "publisher": "bench@example.com",
        "git_sha": "ab" * 20,
        "git_branch": "main",
        "labels": {},
        "source": "openapi.json",
        "previous": previous,
        "bump": bump,
        "changes": [{"id": "new-optional-request-parameter", "level": "info", "message": "a part added"}]
        if previous
        else [],
    }


def fill(url: str) -> None:
    """The contracts, in one transaction (COPY), then the shop and the pacts through the stores."""
    import psycopg
    from psycopg.types.json import Jsonb

    from apigov.registry.postgres import PostgresBackend

    with PostgresBackend(url) as backend:
        backend.list_subjects()  # creates the schema
    with psycopg.connect(url) as conn, conn.transaction():
        with conn.cursor().copy("COPY apigov.subjects (name, kind, mode) FROM STDIN") as copy:
            for index in range(SUBJECTS):
                copy.write_row((f"svc-{index:04d}-api", "openapi", "BACKWARD"))
        ids = dict(conn.execute("SELECT name, id FROM apigov.subjects").fetchall())
        columns = "subject_id, major, minor, patch, format, content, digest, meta"
        with conn.cursor().copy(f"COPY apigov.versions ({columns}) FROM STDIN") as copy:
            for minor in range(VERSIONS):
                for index in range(SUBJECTS):
                    name = f"svc-{index:04d}-api"
                    content = _document(name, minor)
                    digest = "sha256:" + hashlib.sha256(content).hexdigest()
                    meta = _meta(f"1.{minor - 1}.0" if minor else None, "minor" if minor else "none")
                    copy.write_row((ids[name], 1, minor, 0, "json", content, digest, Jsonb(meta)))
        conn.execute("ANALYZE apigov.subjects")
        conn.execute("ANALYZE apigov.versions")
    with PostgresBackend(url) as backend:
        from tests.e2e.ui._shop import load_shop

        load_shop(backend)
        _pacts(backend)


def _pacts(backend: object) -> None:
    from apigov.contract.model import PactState, Verification, parse_pact
    from apigov.contract.store import pact_store_of

    chooser = random.Random(19)
    parsed = []
    for index in range(SERVICES):
        providers = {chooser.randrange(SERVICES) for _ in range(chooser.randint(1, 3))} - {index}
        for provider in sorted(providers):
            pact = {
                "consumer": {"name": f"svc-{index:04d}"},
                "provider": {"name": f"svc-{provider:04d}"},
                "interactions": [
                    {
                        "description": f"reads part {i}",
                        "request": {"method": "GET", "path": f"/items/x{index}/part{i}"},
                        "response": {"status": 200, "body": {"id": f"x{index}"}},
                    }
                    for i in range(3)
                ],
                "metadata": {"pactSpecification": {"version": "3.0.0"}},
            }
            parsed.append(parse_pact(json.dumps(pact).encode()))
    store = pact_store_of(backend)

    def step(state: PactState) -> None:
        for pact in parsed:
            state.publish(pact, "1.0.0", branch="main", at="2026-12-05T08:00:00Z")
            state.record_verification(
                Verification(
                    pact.digest,
                    pact.consumer,
                    pact.provider,
                    "1.0.0",
                    True,
                    verified_at="2026-12-05T08:10:00Z",
                )
            )
        for index in range(SERVICES):
            state.record_deployment(f"svc-{index:04d}", "1.0.0", "production", at="2026-12-05T08:20:00Z")

    store.change({p.digest: p.canonical for p in parsed}, step)


@contextlib.contextmanager
def _database() -> Iterator[str]:
    import psycopg

    url = os.environ.get("APIGOV_TEST_POSTGRES_URL", "").strip()
    with contextlib.ExitStack() as stack:
        if not url:
            from tests._postgres import throwaway_server

            url = stack.enter_context(throwaway_server())
        name = f"apigov_bench_ui_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.rsplit("/", 1)[0] + "/" + name
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def measure(url: str) -> list[bool]:
    from starlette.testclient import TestClient

    from apigov.config.project import Config
    from apigov.registry.postgres import PostgresBackend
    from apigov.registry.tokens import FileTokenStore
    from apigov.server.app import ServerSettings, create_app
    from tests.e2e.ui._shop import SHOP

    chooser = random.Random(5)
    results = []
    with PostgresBackend(url) as backend:
        tokens = FileTokenStore(Path(os.devnull))
        app = create_app(backend, tokens, ServerSettings(anonymous_read=True), Config(root=SHOP))
        with TestClient(app) as client:
            pages = {
                "catalog page (50 of 5,008, random pages)": (
                    lambda: f"/ui/?page={chooser.randint(1, SUBJECTS // 50)}",
                    0.150,
                ),
                "catalog search (a tag, 125 matches)": (
                    lambda: f"/ui/?q=domain-{chooser.randrange(40)}",
                    0.150,
                ),
                "subject page (random subject and version)": (
                    lambda: (
                        f"/ui/subjects/svc-{chooser.randrange(SUBJECTS):04d}-api/versions/1.{chooser.randrange(VERSIONS)}.0"
                    ),
                    0.150,
                ),
                "diff page orders-api 1.0.0 -> 2.0.0": (
                    lambda: "/ui/subjects/orders-api/diff/1.0.0/2.0.0",
                    0.300,
                ),
                "graph of 200 services (production)": (lambda: "/ui/graph?environment=production", 1.0),
            }
            for name, (make, target) in pages.items():
                times = []
                for _ in range(RUNS):
                    path = make()
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(f"{path}: {response.status_code} {response.text[-300:]}")
                p95 = _p95(times)
                passed = p95 < target
                results.append(passed)
                print(
                    f"{name:<46} p95 {p95 * 1000:7.1f} ms  median {statistics.median(times) * 1000:7.1f} ms  "
                    f"first {times[0] * 1000:7.1f} ms  target < {target * 1000:.0f} ms  {'ok' if passed else 'MISSED'}"
                )
    return results


def main() -> list[bool]:
    print(f"web UI on PostgreSQL: {SUBJECTS} subjects x {VERSIONS} versions, {SERVICES} services in pacts")
    with _database() as url:
        started = time.perf_counter()
        fill(url)
        print(f"(registry filled in {time.perf_counter() - started:.1f} s)")
        return measure(url)


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
