"""What is particular to ``apigov serve`` on PostgreSQL: replicas that remember subjects and
tokens still agree with each other and with the CLI, within moments."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.e2e._cli import apigov
from tests.e2e._server import make_token, running_servers

pytestmark = pytest.mark.e2e

SPEC = "openapi: 3.0.3\ninfo: {{title: Orders, version: 1.0.0, description: 'n{n}'}}\npaths: {{}}\n"


def _latest(url: str, token: str) -> str:
    answer = httpx.get(
        f"{url}/v1/subjects/orders-api/versions/latest",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["version"])


def test_replicas_see_each_others_publishes_and_revocations_at_once(
    postgres_url: str, tmp_path: Path
) -> None:
    token = make_token(postgres_url, "publish", "ci")
    with running_servers(postgres_url, tmp_path, count=2) as (first, second):
        for n, expected in enumerate(("1.0.0", "1.1.0", "1.2.0")):
            spec = tmp_path / f"orders-{n}.yaml"
            spec.write_text(SPEC.format(n=n))
            via = (first, second)[n % 2]
            done = apigov(
                "publish",
                str(spec),
                "-s",
                "orders-api",
                "--bump",
                "minor",
                "-r",
                via.url,
                env={"APIGOV_TOKEN": token},
            )
            assert done.returncode == 0, done.stderr
            # the replica that took the publish answers with it at once; the other one as soon as
            # it hears of it (and both keep answering from memory between changes)
            assert _latest(via.url, token) == expected
            other = second if via is first else first
            deadline = time.monotonic() + 5
            while _latest(other.url, token) != expected:
                assert time.monotonic() < deadline, f"{other.url} still serves an older latest"
                time.sleep(0.01)
            assert [_latest(other.url, token) for _ in range(20)] == [expected] * 20
        revoked = apigov("token", "revoke", "ci", "-r", postgres_url)
        assert revoked.returncode == 0, revoked.stderr
        time.sleep(1.1)  # a found token is trusted for at most 1 s without asking the database
        for server in (first, second):
            answer = httpx.get(
                f"{server.url}/v1/subjects/orders-api/versions/latest",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert answer.status_code == 401
