"""The pact commands in real processes: bad input is one line on stderr and exit 2 with nothing
stored; a publish, deployment and can-i-deploy round trip; a huge pact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.contract._pacts import pact

pytestmark = pytest.mark.e2e


def _apigov(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apigov", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def _state(reg: Path) -> str:
    path = reg / ".pacts" / "state.json"
    return path.read_text() if path.exists() else ""


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{ not json", "not valid JSON"),
        (json.dumps({"consumer": {"name": "web"}, "provider": {"name": "orders"}, "interactions": [],
                     "metadata": {"pactSpecification": {"version": "7.1.0"}}}).encode(), "unknown Pact specification version"),
        (json.dumps({"consumer": {"name": "web"}, "provider": {"name": "orders"},
                     "interactions": [{"request": {"method": "GET", "path": "orders/../x y"}}]}).encode(), "is not a URL path"),
        (json.dumps({"consumer": {"name": "../../etc"}, "provider": {"name": "orders"}, "interactions": []}).encode(), "invalid consumer name"),
    ],
)
def test_bad_pacts_exit_2_with_one_line_and_store_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    reg = tmp_path / "reg"
    good = tmp_path / "good.json"
    good.write_bytes(pact())
    assert _apigov("pact", "publish", str(good), "--consumer-version", "1", "-r", str(reg), cwd=tmp_path).returncode == 0
    before = _state(reg)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    done = _apigov("pact", "publish", str(good), str(bad), "--consumer-version", "2", "-r", str(reg), cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert _state(reg) == before


def test_other_bad_input_exits_2(tmp_path: Path) -> None:
    reg = str(tmp_path / "reg")
    good = tmp_path / "good.json"
    good.write_bytes(pact())
    assert _apigov("pact", "publish", str(good), "--consumer-version", "1", "-r", reg, cwd=tmp_path).returncode == 0
    changed = tmp_path / "changed.json"
    changed.write_bytes(pact(name="other"))
    cases = [
        (("pact", "publish", str(changed), "--consumer-version", "1", "-r", reg), "immutable"),
        (("pact", "verify", "--provider", "nobody", "--base-url", "http://127.0.0.1:9", "--provider-version", "1", "-r", reg), "no pact names 'nobody'"),
        (("can-i-deploy", "--pacticipant", "ghost", "--version", "1", "--to-environment", "production", "-r", reg), "unknown pacticipant"),
        (("record-deployment", "--service", "../x", "--version", "1", "--env", "production", "-r", reg), "invalid pacticipant name"),
        (("pact", "verify", "--provider", "orders", "--base-url", "http://127.0.0.1:9", "--provider-version", "1",
          "--consumer-version-selectors", "[{\"bogus\": 1}]", "-r", reg), "unknown consumer version selector"),
    ]
    for args, message in cases:
        done = _apigov(*args, cwd=tmp_path)
        assert done.returncode == 2 and message in done.stderr and len(done.stderr.splitlines()) == 1, (args, done.stderr)


def test_can_i_deploy_round_trip_and_a_pacticipant_without_integrations(tmp_path: Path) -> None:
    reg = str(tmp_path / "reg")
    good = tmp_path / "good.json"
    good.write_bytes(pact())
    _apigov("pact", "publish", str(good), "--consumer-version", "1", "--branch", "main", "-r", reg, cwd=tmp_path)
    _apigov("record-deployment", "--service", "lonely", "--version", "9", "--env", "production", "-r", reg, cwd=tmp_path)
    no = _apigov("can-i-deploy", "--pacticipant", "web", "--latest", "--to-environment", "production", "-r", reg, cwd=tmp_path)
    assert no.returncode == 1 and "no version of orders is deployed" in no.stdout
    yes = _apigov("can-i-deploy", "--pacticipant", "lonely", "--version", "9", "--to-environment", "production",
                  "-f", "json", "-r", reg, cwd=tmp_path)
    answer = json.loads(yes.stdout)
    assert yes.returncode == 0 and answer["deployable"] and "no integrations" in answer["notices"][0]


def test_a_pact_of_10000_interactions_is_published_and_checked(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(pact(interactions=10_000))
    reg = str(tmp_path / "reg")
    done = _apigov("pact", "publish", str(big), "--consumer-version", "1", "-r", reg, cwd=tmp_path)
    assert done.returncode == 0 and "10000 interactions" in done.stdout
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /orders/{id}:\n    get:\n"
        "      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {type: object, properties: {id: {type: integer}, name: {type: string}}}\n"
    )
    checked = _apigov("pact", "check", str(big), str(contract), "-f", "json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["summary"]["error"] == 0
