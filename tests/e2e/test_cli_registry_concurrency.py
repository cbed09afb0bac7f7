"""The directory registry under real concurrent publisher processes, and killed publishers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from apigov.registry.base import parse_version
from apigov.registry.filesystem import DirectoryBackend
from tests.e2e._cli import apigov

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
PUBLISHES = 50


def _audit(root: Path, *, temp_files_ok: bool = False) -> dict[str, list[str]]:
    """Check every subject on disk is whole: the listed versions ascend, every listed file exists
    and matches its digest, every metadata file parses, and (unless a writer was just killed,
    whose temporary file the next writer removes) no temporary file is left behind."""
    backend = DirectoryBackend(root)
    found: dict[str, list[str]] = {}
    for info in backend.list_subjects():
        index = json.loads((root / info.name / "subject.json").read_text())
        listed = [parse_version(e["version"]) for e in index["versions"]]
        assert listed == sorted(set(listed)), f"{info.name}: versions not strictly ascending: {listed}"
        for entry in index["versions"]:
            stored = backend.get_version(info.name, parse_version(entry["version"]))
            assert "sha256:" + hashlib.sha256(stored.content).hexdigest() == entry["digest"]
            if stored.format == "json":
                json.loads(stored.content)
            else:
                assert isinstance(yaml.safe_load(stored.content), dict)
        leftovers = [p.name for p in (root / info.name).iterdir() if p.name.endswith(".tmp")]
        assert temp_files_ok or not leftovers, leftovers
        found[info.name] = [e["version"] for e in index["versions"]]
    return found


@pytest.mark.slow  # concurrent publisher processes (make test-slow)
def test_concurrent_publishers_lose_nothing_and_store_each_version_once(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    logs = [tmp_path / f"worker-{w}.jsonl" for w in range(WORKERS)]
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.e2e._publisher", str(root), str(w), str(PUBLISHES), str(logs[w])],
            cwd=ROOT,
            env=env,
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
        if record["status"] == "refused":
            assert record["reasons"], record  # every refusal explained
            assert all(isinstance(r, str) and r for r in record["reasons"])
    stored = _audit(root)
    backend = DirectoryBackend(root)
    published = [r for r in records if r["status"] == "published"]
    # every accepted version is stored exactly once, with the content its publisher sent
    keys = Counter((r["subject"], r["version"]) for r in published)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    for record in published:
        assert (
            backend.get_version(record["subject"], parse_version(record["version"])).digest
            == record["digest"]
        )
    # and nothing is stored that no publisher was told it published
    assert sum(len(v) for v in stored.values()) == len(published)
    # the free subject accepts everything: one version per publish
    assert len(stored["free"]) == sum(1 for r in records if r["subject"] == "free")
    # racing on the same versions: one store each, the others see it unchanged or are refused
    fixed = [r for r in records if r["subject"] == "fixed"]
    assert {r["status"] for r in fixed} <= {"published", "unchanged", "refused"}
    assert any(r["status"] == "unchanged" for r in fixed)
    grow = [r for r in records if r["subject"] == "grow"]
    assert any(r["status"] == "published" for r in grow)
    for record in grow:
        if record["status"] == "refused":
            assert any("breaks BACKWARD" in reason for reason in record["reasons"]), record
    print(f"{WORKERS} x {PUBLISHES} publishes in {elapsed:.1f} s: {Counter(r['status'] for r in records)}")


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


@pytest.mark.parametrize(
    "step", ["content-half-written", "content-written", "meta-written", "index-half-written"]
)
def test_a_publisher_killed_mid_publish_leaves_the_registry_consistent(tmp_path: Path, step: str) -> None:
    registry = tmp_path / "contracts"
    (tmp_path / "v1.yaml").write_text(SPEC_V1)
    (tmp_path / "v2.yaml").write_text(SPEC_V2)
    first = apigov("publish", "v1.yaml", "--subject", "orders-api", "--registry", str(registry), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in (registry / "orders-api").iterdir() if p.name != ".lock"}
    marker = tmp_path / "paused"
    env = {**os.environ, "APIGOV_REGISTRY_TEST_PAUSE": f"{step}:{marker}", "NO_COLOR": "1"}
    env.pop("APIGOV_DEBUG", None)
    victim = subprocess.Popen(
        [sys.executable, "-m", "apigov", "publish", "v2.yaml", "-s", "orders-api", "-r", str(registry)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert victim.poll() is None, "the publisher ended before reaching the pause"
        assert time.monotonic() < deadline, "the publisher never reached the pause"
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    # the registry still shows exactly what it showed before, and every listed version is whole
    assert _audit(registry, temp_files_ok=True) == {"orders-api": ["1.0.0"]}
    for name, data in before.items():
        assert (registry / "orders-api" / name).read_bytes() == data
    listed = apigov("registry", "versions", "orders-api", "-r", str(registry), "-f", "json")
    assert listed.returncode == 0, listed.stderr
    assert [v["version"] for v in json.loads(listed.stdout)["versions"]] == ["1.0.0"]
    # the next publish succeeds and leaves nothing of the killed one behind
    again = apigov("publish", "v2.yaml", "-s", "orders-api", "-r", str(registry), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "published orders-api@1.1.0" in again.stdout
    assert _audit(registry) == {"orders-api": ["1.0.0", "1.1.0"]}
