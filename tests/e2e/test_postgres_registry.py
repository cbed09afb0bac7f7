"""The PostgreSQL registry through real processes: the CLI, concurrent publishers (the same
publisher processes as the directory backend's test, ``tests.e2e._publisher``), killed publishers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from tests.e2e._cli import apigov, assert_input_error

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
PUBLISHES = 50

pytestmark = pytest.mark.e2e

SPEC_V1 = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      responses:
        '200': {description: ok}
"""
SPEC_V2 = (
    SPEC_V1
    + """\
  /orders/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
"""
)


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        **extra,
    }


def _audit(url: str) -> dict[str, list[str]]:
    """Read the tables directly: every version's bytes match its digest and parse, the versions
    of each subject are distinct, and no transaction is left open holding a lock."""
    found: dict[str, list[str]] = {}
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT s.name, v.major, v.minor, v.patch, v.format, v.content, v.digest, v.meta"
            " FROM apigov.subjects s JOIN apigov.versions v ON v.subject_id = s.id"
            " ORDER BY s.name, v.major, v.minor, v.patch"
        ).fetchall()
        idle = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
            " AND datname = current_database()"
        ).fetchone()
    assert idle == (0,)
    for name, major, minor, patch, fmt, content, digest, meta in rows:
        assert "sha256:" + hashlib.sha256(content).hexdigest() == digest
        if fmt == "json":
            json.loads(content)
        assert isinstance(meta, dict)
        assert meta["publisher"]
        found.setdefault(name, []).append(f"{major}.{minor}.{patch}")
    for name, versions in found.items():
        assert len(set(versions)) == len(versions), name
    return found


def test_publish_and_read_through_every_way_of_naming_the_registry(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(SPEC_V1)
    (tmp_path / "v2.yaml").write_text(SPEC_V2)
    first = apigov("publish", "v1.yaml", "-s", "orders-api", "--registry", postgres_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "published orders-api@1.0.0" in first.stdout
    second = apigov(
        "publish", "v2.yaml", "-s", "orders-api", cwd=tmp_path, env={"APIGOV_REGISTRY": postgres_url}
    )
    assert second.returncode == 0, second.stderr
    assert "published orders-api@1.1.0" in second.stdout
    (tmp_path / "apigov.yaml").write_text(f"registry: {postgres_url}\n")
    listed = apigov("registry", "list", "-f", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    (subject,) = json.loads(listed.stdout)["subjects"]
    assert (subject["subject"], subject["latest"]) == ("orders-api", "1.1.0")
    shown = apigov("registry", "show", "orders-api@1.0.0", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "/orders:" in shown.stdout
    diff = apigov("diff", "orders-api@1.0.0", "orders-api@latest", "-f", "json", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["breaking"] is False
    moded = apigov("registry", "set-mode", "orders-api", "full-transitive", cwd=tmp_path)
    assert moded.returncode == 0, moded.stderr
    marked = apigov("registry", "deprecate", "orders-api@1.0.0", "--reason", "use 1.1", cwd=tmp_path)
    assert marked.returncode == 0, marked.stderr
    listed = apigov("registry", "list", "-f", "json", cwd=tmp_path)
    (subject,) = json.loads(listed.stdout)["subjects"]
    assert subject["mode"] == "FULL_TRANSITIVE"
    assert subject["deprecated"]["1.0.0"]["reason"] == "use 1.1"
    unknown = apigov("registry", "versions", "payments-api", cwd=tmp_path)
    assert_input_error(unknown, "unknown subject 'payments-api'", "postgresql://postgres@")
    assert _audit(postgres_url) == {"orders-api": ["1.0.0", "1.1.0"]}


def test_an_unreachable_registry_is_one_line_without_the_password(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = apigov(
        "registry", "list", "-r", f"postgresql://ci:hunter2@127.0.0.1:{port}/registry", cwd=tmp_path
    )
    assert_input_error(
        result, "cannot reach the PostgreSQL registry", f"postgresql://ci@127.0.0.1:{port}/registry"
    )
    assert "hunter2" not in result.stderr


@pytest.mark.slow  # concurrent publisher processes (make test-slow)
def test_concurrent_publishers_lose_nothing_and_store_each_version_once(
    postgres_url: str, tmp_path: Path
) -> None:
    logs = [tmp_path / f"worker-{w}.jsonl" for w in range(WORKERS)]
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.e2e._publisher",
                postgres_url,
                str(w),
                str(PUBLISHES),
                str(logs[w]),
            ],
            cwd=ROOT,
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    elapsed = time.monotonic() - started
    records = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    assert len(records) == WORKERS * PUBLISHES
    errors = [r for r in records if r["status"] == "error"]
    assert not errors, errors[:5]
    for record in records:
        if record["status"] == "refused":  # every refusal explained
            assert record["reasons"], record
            assert all(isinstance(r, str) and r for r in record["reasons"])
    stored = _audit(postgres_url)
    published = [r for r in records if r["status"] == "published"]
    # every accepted version is stored exactly once, with the content its publisher sent
    keys = Counter((r["subject"], r["version"]) for r in published)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    with psycopg.connect(postgres_url) as conn:
        digests = {
            (name, f"{a}.{b}.{c}"): digest
            for name, a, b, c, digest in conn.execute(
                "SELECT s.name, v.major, v.minor, v.patch, v.digest"
                " FROM apigov.subjects s JOIN apigov.versions v ON v.subject_id = s.id"
            )
        }
    for record in published:
        assert digests[record["subject"], record["version"]] == record["digest"], record
    # nothing is stored that no publisher was told it published
    assert sum(len(v) for v in stored.values()) == len(published)
    # versions grow in the order they were stored
    with psycopg.connect(postgres_url) as conn:
        order = conn.execute(
            "SELECT s.name, array_agg(ARRAY[v.major, v.minor, v.patch] ORDER BY v.seq)"
            " FROM apigov.subjects s JOIN apigov.versions v ON v.subject_id = s.id GROUP BY s.name"
        ).fetchall()
    for name, versions in order:
        assert versions == sorted(versions), name
    assert len(stored["free"]) == sum(1 for r in records if r["subject"] == "free")
    fixed = [r for r in records if r["subject"] == "fixed"]
    assert {r["status"] for r in fixed} <= {"published", "unchanged", "refused"}
    assert any(r["status"] == "unchanged" for r in fixed)
    grow = [r for r in records if r["subject"] == "grow"]
    assert any(r["status"] == "published" for r in grow)
    for record in grow:
        if record["status"] == "refused":
            assert any("breaks BACKWARD" in reason for reason in record["reasons"]), record
    print(
        f"{WORKERS} x {PUBLISHES} publishes on PostgreSQL in {elapsed:.1f} s: {Counter(r['status'] for r in records)}"
    )


@pytest.mark.parametrize("step", ["subject-locked", "version-inserted"])
def test_a_publisher_killed_mid_publish_leaves_the_registry_consistent(
    postgres_url: str, tmp_path: Path, step: str
) -> None:
    (tmp_path / "v1.yaml").write_text(SPEC_V1)
    (tmp_path / "v2.yaml").write_text(SPEC_V2)
    first = apigov("publish", "v1.yaml", "-s", "orders-api", "-r", postgres_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    marker = tmp_path / "paused"
    victim = subprocess.Popen(
        [sys.executable, "-m", "apigov", "publish", "v2.yaml", "-s", "orders-api", "-r", postgres_url],
        cwd=tmp_path,
        env=_env(APIGOV_REGISTRY_TEST_PAUSE=f"{step}:{marker}", NO_COLOR="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert victim.poll() is None, "the publisher ended before reaching the pause"
        assert time.monotonic() < deadline, "the publisher never reached the pause"
        time.sleep(0.02)
    # the victim holds the subject's row lock: a second publisher queues behind it ...
    waiting = subprocess.Popen(
        [sys.executable, "-m", "apigov", "publish", "v2.yaml", "-s", "orders-api", "-r", postgres_url],
        cwd=tmp_path,
        env=_env(NO_COLOR="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        while conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone() != (1,):
            assert waiting.poll() is None, waiting.communicate()
            assert time.monotonic() < deadline + 60, "the second publisher never waited for the lock"
            time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    # ... and goes on once the dead publisher's transaction is rolled back
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "published orders-api@1.1.0" in out
    assert _audit(postgres_url) == {"orders-api": ["1.0.0", "1.1.0"]}
    listed = apigov("registry", "versions", "orders-api", "-r", postgres_url, "-f", "json")
    assert listed.returncode == 0, listed.stderr
    assert [v["version"] for v in json.loads(listed.stdout)["versions"]] == ["1.0.0", "1.1.0"]


def test_a_publisher_killed_mid_publish_blocks_nobody_afterwards(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(SPEC_V1)
    (tmp_path / "v2.yaml").write_text(SPEC_V2)
    marker = tmp_path / "paused"
    victim = subprocess.Popen(
        [sys.executable, "-m", "apigov", "publish", "v1.yaml", "-s", "orders-api", "-r", postgres_url],
        cwd=tmp_path,
        env=_env(APIGOV_REGISTRY_TEST_PAUSE=f"version-inserted:{marker}"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert victim.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    # the first version of a new subject was never committed: the subject does not exist
    listed = apigov("registry", "list", "-r", postgres_url, "-f", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["subjects"] == []
    again = apigov("publish", "v1.yaml", "-s", "orders-api", "-r", postgres_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "published orders-api@1.0.0" in again.stdout
    assert _audit(postgres_url) == {"orders-api": ["1.0.0"]}


def test_a_process_killed_while_migrating_leaves_no_half_made_schema(
    postgres_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "paused"
    victim = subprocess.Popen(
        [sys.executable, "-m", "apigov", "registry", "list", "-r", postgres_url],
        env=_env(APIGOV_REGISTRY_TEST_PAUSE=f"migration-applied:{marker}"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert victim.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for _ in range(200):  # the server rolls back once it notices the connection is gone
            if not conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'apigov'"
            ).fetchone()[0]:
                break
            time.sleep(0.05)
        assert conn.execute("SELECT to_regnamespace('apigov')").fetchone() == (None,)
    (tmp_path / "v1.yaml").write_text(SPEC_V1)
    first = apigov("publish", "v1.yaml", "-s", "orders-api", "-r", postgres_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert _audit(postgres_url) == {"orders-api": ["1.0.0"]}


def test_a_killed_test_run_leaves_no_postgres_server_behind() -> None:
    if os.environ.get("APIGOV_TEST_POSTGRES_URL"):
        pytest.skip("the tests use the server named by APIGOV_TEST_POSTGRES_URL, not a throwaway one")
    from tests._postgres import server

    server()  # skips, or fails under CI=true, when there are no binaries
    with subprocess.Popen(
        [sys.executable, "-m", "tests._postgres"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True
    ) as starter:
        assert starter.stdout is not None
        url = starter.stdout.readline().strip()
        assert url.startswith("postgresql://"), url
        with psycopg.connect(url, connect_timeout=5) as conn:
            (files,) = conn.execute("SHOW unix_socket_directories").fetchone()  # its temporary directory
        starter.kill()
    assert Path(files).name.startswith("apigov-pg-")
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                pass
        except psycopg.OperationalError:
            break  # the server went with the process that started it
        assert time.monotonic() < deadline, "the server outlived the killed test process"
        time.sleep(0.1)
    shutil.rmtree(files, ignore_errors=True)  # what only the killed process would have removed
