"""``apigov serve`` fuzzed with ``apigov fuzz`` itself (joining test_server_fuzz.py, which runs
``schemathesis run`` directly): its default checks plus ``negative_data_rejection`` find nothing,
and the report carries no token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e._cli import apigov
from tests.e2e._server import REGISTRIES, make_token, running_servers

pytest.importorskip("schemathesis")
pytestmark = pytest.mark.e2e

SPEC = Path(__file__).resolve().parents[2] / "apigov" / "server" / "openapi.yaml"
ORDERS = "openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n"


def test_apigov_fuzz_finds_nothing_in_apigov_serve(tmp_path: Path) -> None:
    location = REGISTRIES["directory"](tmp_path)
    token = make_token(location, "admin", "fuzz")
    spec = tmp_path / "orders.yaml"
    spec.write_text(ORDERS)
    report = tmp_path / "fuzz.json"
    with running_servers(location, tmp_path, extra=("--max-body", "1048576")) as servers:
        url = servers[0].url
        seeded = apigov("publish", str(spec), "-s", "orders-api", "-r", url, env={"APIGOV_TOKEN": token})
        assert seeded.returncode == 0, seeded.stderr
        done = apigov(
            "fuzz", str(SPEC), "--base-url", url, "--auth", "bearer:env:APIGOV_FUZZ_TOKEN",
            "--checks", "default,negative_data_rejection", "-n", "5", "--seed", "1",
            "--phases", "examples,coverage,fuzzing", "--format", "json", "-o", str(report),
            env={"APIGOV_FUZZ_TOKEN": token},
        )
    text = report.read_text() if report.exists() else ""
    assert done.returncode == 0, done.stderr + text[-4000:]
    result = json.loads(text)
    assert result["passed"] is True
    assert result["summary"]["tested"] == result["summary"]["operations"]
    assert token not in text
