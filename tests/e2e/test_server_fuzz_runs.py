"""Fuzz runs through a real ``apigov serve`` (directory registry): recorded with a publish token,
refused with a read token or malformed, listed by the API and by ``registry show --fuzz-runs``
and judged by ``can-i-deploy --require-fuzz``, all over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from apigov.core.errors import InputError, RegistryError
from apigov.fuzz.store import record_id
from apigov.fuzz.store.http import HttpFuzzStore
from examples.shop.services import contract_path
from tests.e2e._server import REGISTRIES, make_token, running_servers
from tests.unit.fuzz._records import run_record

pytestmark = pytest.mark.e2e


def apigov(*args: str, token: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("APIGOV_")}, "APIGOV_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env=env,
    )


def test_fuzz_runs_through_apigov_serve(tmp_path: Path) -> None:
    location = REGISTRIES["directory"](tmp_path)
    publisher = make_token(location, "publish", "ci")
    reader = make_token(location, "read", "dash")
    with running_servers(location, tmp_path) as (server,):
        url = server.url
        spec = contract_path("orders", 1)
        done = apigov(
            "publish",
            str(spec),
            "--subject",
            "orders",
            "--version",
            "1.0.0",
            "-r",
            url,
            token=publisher,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        pact = Path(__file__).parents[2] / "examples" / "shop" / "pacts" / "backoffice-job-orders.json"
        done = apigov(
            "pact",
            "publish",
            str(pact),
            "--consumer-version",
            "1.0.0",
            "-r",
            url,
            token=publisher,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr

        runs = HttpFuzzStore(url, token=publisher)
        reading = HttpFuzzStore(url, token=reader)
        good = run_record()
        assert runs.add(good) == record_id(good)
        assert runs.add(good) == record_id(good)
        with pytest.raises(RegistryError, match="403"):
            reading.add(run_record(service="1.6.0"))
        answer = httpx.post(
            f"{url}/v1/subjects/orders/versions/2.0.0/fuzz-runs",
            json=good,
            headers={"Authorization": f"Bearer {publisher}"},
        )
        assert answer.status_code == 400 and "path" in answer.json()["detail"]
        bad = {**run_record(), "passed": False}
        with pytest.raises(InputError):
            runs.add(bad)  # refused by the client's own check
        answer = httpx.post(
            f"{url}/v1/subjects/orders/versions/1.0.0/fuzz-runs",
            json=bad,
            headers={"Authorization": f"Bearer {publisher}"},
        )
        assert answer.status_code == 400  # and by the server's
        listed = reading.runs("orders", "1.0.0")
        reading.close()
        assert [r["id"] for r in listed] == [record_id(good)]

        shown = apigov(
            "registry", "show", "orders@latest", "--fuzz-runs", "-r", url, token=reader, cwd=tmp_path
        )
        assert shown.returncode == 0, shown.stderr
        assert f"{record_id(good)[:12]} 2026-12-05T10:00:01Z service 1.4.0 passed" in shown.stdout

        yes = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "1.4.0", "--to-environment", "prod",
                     "--require-fuzz", "-r", url, token=reader, cwd=tmp_path)  # fmt: skip
        assert yes.returncode == 0, yes.stdout + yes.stderr
        runs.add(run_record(service="1.5.0", passed=False, ended="2026-12-05T11:00:00Z"))
        no = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "1.5.0", "--to-environment", "prod",
                    "--require-fuzz", "--contract", "orders@1.0.0", "-r", url, token=reader, cwd=tmp_path)  # fmt: skip
        assert no.returncode == 1, no.stdout + no.stderr
        assert "failed with 1 failure(s)" in no.stdout
        runs.close()
    assert json.dumps(listed)  # JSON all the way
