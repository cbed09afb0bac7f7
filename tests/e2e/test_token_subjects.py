"""A token limited to named subjects (``apigov token create --subject``) through a real
``apigov serve`` on both token stores: its writes of those subjects pass on the apigov API and
the Confluent API, every other write is refused with each API's own 403 body, reads stay open."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._server import REGISTRIES, running_servers
from tests.unit.contract._pacts import pact

pytestmark = pytest.mark.e2e

SPEC = """openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      responses:
        '200': {description: ok}
"""
AVRO = json.dumps({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]})
CONFLUENT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def _token(location: str, *limits: str, name: str = "orders-ci", scope: str = "admin") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "token", "create", "--scope", scope, "--name", name, *limits,
         "-r", location],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return done.stdout.strip()


@pytest.fixture(params=sorted(REGISTRIES))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    location = REGISTRIES[request.param](tmp_path)
    with running_servers(location, tmp_path) as (server,):
        yield server.url, location


def test_a_subject_limited_token_writes_only_its_subjects_on_every_api(served: tuple[str, str]) -> None:
    url, location = served
    token = _token(location, "--subject", "orders-api", "--subject", "orders-value")
    auth = {"Authorization": f"Bearer {token}"}

    def publish(subject: str) -> httpx.Response:
        return httpx.post(f"{url}/v1/subjects/{subject}/publish", json={"content": SPEC, "version": "1.0.0"},
                          headers=auth, timeout=30)

    assert publish("orders-api").status_code == 201, publish("orders-api").text
    refused = publish("payments-api")
    assert refused.status_code == 403, refused.text
    problem = refused.json()
    assert problem["status"] == 403 and "only for orders-api, orders-value" in problem["detail"]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert httpx.get(f"{url}/v1/subjects/payments-api", headers=auth).status_code == 404  # nothing stored

    mode = httpx.put(f"{url}/v1/subjects/orders-api/mode", json={"mode": "FULL"}, headers=auth)
    assert mode.status_code == 200, mode.text
    deprecate = httpx.put(f"{url}/v1/subjects/orders-api/versions/1.0.0/deprecation", json={"reason": "old"},
                          headers=auth)
    assert deprecate.status_code == 200, deprecate.text
    relaxed = httpx.put(f"{url}/v1/subjects/orders-api/undecided", json={"undecided": "warning"}, headers=auth)
    assert relaxed.status_code == 200, relaxed.text
    for path in ("/v1/subjects/payments-api/mode", "/v1/subjects/payments-api/versions/1.0.0/deprecation",
                 "/v1/subjects/payments-api/undecided"):
        other = httpx.put(url + path, json={"mode": "FULL", "reason": "x", "undecided": "warning"}, headers=auth)
        assert other.status_code == 403 and other.json()["title"], other.text

    # the Confluent API: its own error body
    base = url + "/confluent"
    basic = ("ci", token)
    own = httpx.post(f"{base}/subjects/orders-value/versions", content=json.dumps({"schema": AVRO}),
                     headers=CONFLUENT, auth=basic)
    assert own.status_code == 200 and isinstance(own.json()["id"], int), own.text
    other = httpx.post(f"{base}/subjects/payments-value/versions", content=json.dumps({"schema": AVRO}),
                       headers=CONFLUENT, auth=basic)
    assert other.status_code == 403 and other.json()["error_code"] == 40301, other.text
    assert "only for orders-api" in other.json()["message"]
    config = httpx.put(f"{base}/config/orders-value", content=json.dumps({"compatibility": "FULL"}),
                       headers=CONFLUENT, auth=basic)
    assert config.status_code == 200, config.text
    for path, body in (("/config", {"compatibility": "NONE"}), ("/config/payments-value", {"compatibility": "NONE"}),
                       ("/mode", {"mode": "READONLY"})):
        global_write = httpx.put(base + path, content=json.dumps(body), headers=CONFLUENT, auth=basic)
        assert global_write.status_code == 403 and global_write.json()["error_code"] == 40301, path
    assert httpx.get(f"{base}/config", auth=basic).json()["compatibilityLevel"] == "BACKWARD"

    # the Pact Broker API: a subject-limited token writes no pact, in the Pact Broker's body
    put = httpx.put(f"{url}/pact/pacts/provider/orders/consumer/web/version/1", content=pact("web"), headers=auth)
    assert put.status_code == 403 and "only for orders-api" in put.json()["error"]["message"], put.text

    # reads are not limited
    assert httpx.get(f"{url}/v1/subjects", headers=auth).status_code == 200


def test_limits_combine_and_are_kept_by_the_token_store(served: tuple[str, str]) -> None:
    url, location = served
    both = _token(location, "--subject", "web-events", "--pacticipant", "web", name="web-ci", scope="publish")
    auth = {"Authorization": f"Bearer {both}"}
    assert httpx.put(f"{url}/pact/pacts/provider/orders/consumer/web/version/1", content=pact("web"),
                     headers=auth).status_code == 201
    assert httpx.post(f"{url}/v1/subjects/web-events/publish", json={"content": SPEC, "version": "1.0.0"},
                      headers=auth).status_code == 201
    assert httpx.post(f"{url}/v1/subjects/orders-api/publish", json={"content": SPEC, "version": "1.0.0"},
                      headers=auth).status_code == 403
    # a token limited to pacticipants only writes no subject
    pacts_only = _token(location, "--pacticipant", "web", name="web-pacts", scope="publish")
    refused = httpx.post(f"{url}/v1/subjects/web-events/publish", json={"content": SPEC, "bump": "minor"},
                         headers={"Authorization": f"Bearer {pacts_only}"})
    assert refused.status_code == 403, refused.text
    # an unlimited token still writes anything
    free = _token(location, name="free", scope="publish")
    assert httpx.post(f"{url}/v1/subjects/other-api/publish", json={"content": SPEC, "version": "1.0.0"},
                      headers={"Authorization": f"Bearer {free}"}).status_code == 201


def test_a_bad_subject_limit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "token", "create", "--scope", "publish", "--subject", "../etc",
         "-r", str(tmp_path / "registry")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "registry" / ".apigov-tokens.json").exists()
