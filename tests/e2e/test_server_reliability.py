"""8 concurrent publishers x 50 publishes through 2 ``apigov serve`` replicas sharing one registry.

Two publishers share each of four subjects (mode NONE, so every publish is accepted as a new version)
and each replica serves half of them, so compare-and-set conflicts happen across processes. Every
publish must succeed, no version may be lost or written twice, and no answer may be a server
error. The backend is a parameter (``tests.e2e._server.REGISTRIES``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from tests.e2e._server import REGISTRIES, make_token, running_servers

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # 400 publishes through two replicas (make test-slow)

PUBLISHERS = 8
PUBLISHES = 50
SUBJECTS = 4

PUBLISHER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from apigov.config.project import Config
    from apigov.registry.http import HttpBackend
    from apigov.registry.publish import PublishRequest, publish
    from apigov.schema.modes import Mode

    url, token, subject, who, count, work = sys.argv[1:7]
    backend = HttpBackend(url, token=token)
    work = Path(work)
    for i in range(int(count)):
        spec = work / f"{who}-{i}.yaml"
        spec.write_text(
            "openapi: 3.0.3\\n"
            f"info: {{title: {subject}, version: 1.0.0, description: publisher {who} publish {i}}}\\n"
            "paths: {}\\n"
        )
        outcome = publish(
            backend,
            PublishRequest(file=spec, subject=subject, mode=Mode.NONE, publisher=who),
            Config(root=work),
        )
        print(json.dumps({"status": outcome.status, "version": str(outcome.version), "digest": outcome.digest}), flush=True)
    """
)


@pytest.mark.parametrize("backend_name", sorted(REGISTRIES))
def test_concurrent_publishers_through_two_replicas_lose_nothing(backend_name: str, tmp_path: Path) -> None:
    location = REGISTRIES[backend_name](tmp_path)
    token = make_token(location, "publish", "load")
    script = tmp_path / "publisher.py"
    script.write_text(PUBLISHER)
    work = tmp_path / "work"
    work.mkdir()
    with running_servers(location, tmp_path, count=2, extra=("--log-level", "warning")) as servers:
        publishers = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(script),
                    servers[p % 2].url,
                    token,
                    f"svc-{p % SUBJECTS}",
                    f"p{p}",
                    str(PUBLISHES),
                    str(work),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for p in range(PUBLISHERS)
        ]
        results = []
        try:
            for process in publishers:
                out, err = process.communicate(timeout=900)
                assert process.returncode == 0, err[-2000:]
                results.append([json.loads(line) for line in out.splitlines()])
        finally:
            for process in publishers:
                if process.poll() is None:
                    process.kill()
                process.communicate()
        auth = {"Authorization": f"Bearer {token}"}
        subjects = httpx.get(servers[1].url + "/v1/subjects", headers=auth, timeout=30).json()["subjects"]
        stored: dict[tuple[str, str], str] = {}
        for index, subject in enumerate(s["subject"] for s in subjects):
            for version in next(s for s in subjects if s["subject"] == subject)["versions"]:
                answer = httpx.get(
                    f"{servers[index % 2].url}/v1/subjects/{subject}/versions/{version}",
                    headers=auth,
                    timeout=30,
                )
                assert answer.status_code == 200
                stored[(subject, version)] = answer.json()["digest"]
        server_errors = [
            line
            for server in servers
            for line in server.log_lines()
            if '"status": 5' in line or '"level": "error"' in line
        ]
    assert all(len(r) == PUBLISHES for r in results)
    assert all(item["status"] == "published" for r in results for item in r)
    assert sorted(s["subject"] for s in subjects) == [f"svc-{n}" for n in range(SUBJECTS)]
    per_subject = PUBLISHERS // SUBJECTS * PUBLISHES
    for subject in subjects:
        assert len(subject["versions"]) == len(set(subject["versions"])) == per_subject, subject["subject"]
    # versions are monotonic: each publisher's publishes, one after another, got ever higher versions
    for outcomes in results:
        told_versions = [tuple(int(part) for part in item["version"].split(".")) for item in outcomes]
        assert told_versions == sorted(told_versions) and len(set(told_versions)) == len(told_versions)
    # each publish's content is exactly one stored version, and the version it was told
    told = {}
    for p, outcomes in enumerate(results):
        for item in outcomes:
            key = (f"svc-{p % SUBJECTS}", item["version"])
            assert key not in told, f"{key} was given to two publishes"
            told[key] = item["digest"]
    assert told == stored
    assert server_errors == []
