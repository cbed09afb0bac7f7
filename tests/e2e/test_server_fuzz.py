"""Schemathesis against a real ``apigov serve``: no server error and no answer outside the contract.

The check set (also in README.md, "Running a shared registry"):

- content types: Schemathesis' coverage phase sends each operation that takes a body with an
  undeclared (``text/plain``) and a malformed ``Content-Type``; the test also asserts from the
  server's log that each of them was refused with 415;
- run: ``not_a_server_error``, ``status_code_conformance``, ``content_type_conformance``,
  ``response_headers_conformance``, ``response_schema_conformance``, ``negative_data_rejection``,
  ``missing_required_header``, ``unsupported_method``, ``allow_header_conformance``, ``ignored_auth``;
- left out: ``positive_data_acceptance`` (a schema-valid body can still be refused by design: its
  ``content`` must be a contract apigov can load and its ``digest`` the sha256 of the content,
  which no JSON Schema can say; those answers are the documented 400/422),
  ``use_after_free`` and ``ensure_resource_availability`` (the API has no create/delete pairs of
  one resource: DELETE only removes a deprecation mark), ``object_level_authorization`` (one
  tenant: tokens have scopes, not owners).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.e2e._cli import apigov
from tests.e2e._server import REGISTRIES, make_token, running_servers

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # fuzzing a real server (make test-slow)

SPEC = Path(__file__).resolve().parents[2] / "apigov" / "server" / "openapi.yaml"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
)
ORDERS = "openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n"


@pytest.mark.parametrize("backend_name", sorted(REGISTRIES))
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_contract(
    backend_name: str, tmp_path: Path
) -> None:
    location = REGISTRIES[backend_name](tmp_path)
    token = make_token(location, "admin", "fuzz")
    spec = tmp_path / "orders.yaml"
    spec.write_text(ORDERS)
    with running_servers(location, tmp_path, extra=("--max-body", "1048576")) as servers:
        url = servers[0].url
        seeded = apigov("publish", str(spec), "-s", "orders-api", "-r", url, env={"APIGOV_TOKEN": token})
        assert seeded.returncode == 0, seeded.stderr
        schemathesis = Path(sys.executable).with_name("schemathesis")
        command = [str(schemathesis)] if schemathesis.exists() else [sys.executable, "-m", "schemathesis.cli"]
        done = subprocess.run(
            [
                *command,
                "run",
                str(SPEC),
                "--url",
                url,
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                ",".join(CHECKS),
                "--max-examples",
                "25",
                "--seed",
                "1",
                "--generation-database",
                "none",
                "--no-color",
                "--report-dir",
                str(tmp_path / "report"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=540,
            check=False,
            env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"},
        )
        lines = servers[0].log_lines()
        logs = "\n".join(lines)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    generated = re.search(r"(\d+) generated", done.stdout)
    assert generated is not None and int(generated[1]) >= 200, done.stdout[-3000:]
    assert token not in logs and token not in done.stdout
    # Schemathesis probed every operation that takes a body with an undeclared Content-Type
    # (text/plain) and a malformed one, and the server refused them (415/400, per the contract)
    spec = yaml.safe_load(SPEC.read_text())
    with_body = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "requestBody" in op
    }
    events = [json.loads(line) for line in lines]
    refused = {e["operation"] for e in events if e["event"] == "request" and e["status"] == 415}
    assert with_body <= refused, with_body - refused
