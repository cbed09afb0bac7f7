"""``apigov serve`` as a Pact Broker for the real Pact clients, in real processes: the Pact CLI
from PyPI (``pact-python-cli``: ``pact broker publish | create-environment | record-deployment |
can-i-deploy | describe-version``) and pact-python 4's ``Verifier(...).broker_source(URL)``
fetching pacts and publishing results; on a directory and on a PostgreSQL registry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from tests.e2e._server import REGISTRIES, make_token, running_servers
from tests.unit.contract._pacts import pact

pytestmark = pytest.mark.e2e


def _pact_cli() -> str:
    found = shutil.which("pact", path=str(Path(sys.executable).parent)) or shutil.which("pact")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("the Pact CLI (PyPI pact-python-cli) is required under CI=true")
        pytest.skip("the Pact CLI (PyPI pact-python-cli) is not installed")
    return found


def _provider(name_value: object) -> tuple[HTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            number = int(self.path.rsplit("/", 1)[-1])
            body = json.dumps({"id": number, "name": name_value}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # provider states
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(params=sorted(REGISTRIES))
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    location = REGISTRIES[request.param](tmp_path)
    admin = make_token(location, "admin", "ci-admin")
    with running_servers(location, tmp_path) as servers:
        yield servers[0].url + "/pact", admin, location


def _pact(cli: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli, "broker", *args], capture_output=True, text=True, timeout=60)


def _verify(url: str, token: str, provider_url: str, version: str) -> bool:
    code = f"""
import sys
from pact import Verifier
v = (Verifier("orders", host="127.0.0.1").add_transport(url={provider_url!r})
     .broker_source({url!r}, token={token!r}).set_publish_options(version={version!r}, branch="main"))
try:
    v.verify()
except RuntimeError:
    pass
sys.exit(0 if v.results.get("result") else 1)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )
    return done.returncode == 0


def test_the_real_pact_clients_publish_verify_deploy_and_ask(
    broker: tuple[str, str, str], tmp_path: Path
) -> None:
    cli = _pact_cli()
    url, token, _ = broker
    pacts = tmp_path / "pacts"
    pacts.mkdir()
    (pacts / "web-orders.json").write_bytes(pact("web", "orders", name="x"))
    auth = ["-b", url, "-k", token]

    done = _pact(cli, "publish", str(pacts), "--consumer-app-version", "1.0.0", "--branch", "main", *auth)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Created web version 1.0.0" in done.stdout and "Warning" not in done.stdout
    done = _pact(cli, "describe-version", "--pacticipant", "web", "--version", "1.0.0", *auth)
    assert done.returncode == 0 and "1.0.0" in done.stdout, done.stdout + done.stderr
    assert _pact(cli, "create-environment", "--name", "production", "--production", *auth).returncode == 0
    done = _pact(
        cli,
        "record-deployment",
        "--pacticipant",
        "web",
        "--version",
        "1.0.0",
        "--environment",
        "production",
        *auth,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    good, good_url = _provider("x")
    bad, bad_url = _provider(7)
    try:
        assert _verify(url, token, good_url, "2.0.0")  # fetches the pact, publishes a success
        assert not _verify(url, token, bad_url, "3.0.0")  # publishes a failure
    finally:
        for server in (good, bad):
            server.shutdown()
            server.server_close()

    yes = _pact(
        cli,
        "can-i-deploy",
        "--pacticipant",
        "orders",
        "--version",
        "2.0.0",
        "--to-environment",
        "production",
        *auth,
    )
    assert yes.returncode == 0, yes.stdout + yes.stderr
    no = _pact(
        cli,
        "can-i-deploy",
        "--pacticipant",
        "orders",
        "--version",
        "3.0.0",
        "--to-environment",
        "production",
        *auth,
    )
    assert no.returncode == 1 and "failed" in no.stdout, no.stdout + no.stderr

    # the same answer from apigov's own command, on the registry's store
    answer = httpx.get(
        f"{url}/can-i-deploy",
        params={"pacticipant": "orders", "version": "3.0.0", "environment": "production"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200 and answer.json()["summary"]["deployable"] is False


def test_broker_errors_are_pact_broker_bodies(broker: tuple[str, str, str], tmp_path: Path) -> None:
    url, admin, location = broker
    reader = make_token(location, "read", "reader")
    assert httpx.get(url).status_code == 401
    put = f"{url}/pacts/provider/orders/consumer/web/version/1.0.0"
    refused = httpx.put(put, content=pact(), headers={"Authorization": f"Bearer {reader}"})
    assert refused.status_code == 403 and "message" in refused.json()["error"]
    headers = {"Authorization": f"Bearer {admin}"}
    assert httpx.put(put, content=pact(), headers=headers).status_code == 201
    assert httpx.put(put, content=pact(), headers=headers).status_code == 200
    conflict = httpx.put(put, content=pact(name="other"), headers=headers)
    assert conflict.status_code == 409 and "immutable" in conflict.json()["error"]["message"]
    bad = httpx.put(put, content=b"{nope", headers=headers)
    assert bad.status_code == 400 and "pact" in bad.json()["errors"]
    for name in ("..%2F..%2Fetc", "%2E%2E", ".hidden"):
        traversal = httpx.put(
            f"{url}/pacts/provider/orders/consumer/{name}/version/1", content=pact(), headers=headers
        )
        assert traversal.status_code in (400, 404) and "error" in traversal.text, name
    missing = httpx.post(
        f"{url}/pacts/provider/orders/consumer/web/pact-version/{'0' * 64}/verification-results",
        json={"success": True, "providerApplicationVersion": "1"},
        headers=headers,
    )
    assert missing.status_code == 404


def test_a_token_limited_to_a_pacticipant_publishes_only_its_pacts(broker: tuple[str, str, str]) -> None:
    url, _, location = broker
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "token", "create", "--scope", "publish", "--name", "web-ci",
         "--pacticipant", "web", "-r", location],
        capture_output=True, text=True, timeout=60, check=True,
    )
    headers = {"Authorization": f"Bearer {done.stdout.strip()}"}
    own = httpx.put(f"{url}/pacts/provider/orders/consumer/web/version/1", content=pact("web"), headers=headers)
    assert own.status_code == 201, own.text
    other = httpx.put(f"{url}/pacts/provider/orders/consumer/mobile/version/1", content=pact("mobile"), headers=headers)
    assert other.status_code == 403 and "only for web" in other.json()["error"]["message"]
    assert httpx.get(f"{url}/pacts/provider/orders/consumer/mobile/latest", headers=headers).status_code == 404


def test_the_apigov_pact_commands_work_against_a_remote_server(broker: tuple[str, str, str], tmp_path: Path) -> None:
    url, token, _ = broker
    env = {**os.environ, "APIGOV_TOKEN": token, "PACT_DO_NOT_TRACK": "true"}
    remote = url.removesuffix("/pact")

    def apigov(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "apigov", *args, "-r", remote], capture_output=True, text=True,
                              timeout=120, env=env, cwd=tmp_path)

    (tmp_path / "p.json").write_bytes(pact("web", "orders", name="x"))
    done = apigov("pact", "publish", "p.json", "--consumer-version", "1.0.0", "--branch", "main")
    assert done.returncode == 0 and "published" in done.stdout, done.stderr
    (tmp_path / "q.json").write_bytes(pact("web", "orders", name="changed"))
    refused = apigov("pact", "publish", "q.json", "--consumer-version", "1.0.0")
    assert refused.returncode == 2 and "immutable" in refused.stderr
    assert apigov("record-deployment", "--service", "web", "--version", "1.0.0", "--env", "production").returncode == 0
    provider, provider_url = _provider("x")
    try:
        verified = apigov("pact", "verify", "--provider", "orders", "--base-url", provider_url, "--provider-version", "2.0.0",
                          "--provider-branch", "main", "--publish")
        as_json = apigov("pact", "verify", "--provider", "orders", "--base-url", provider_url, "--provider-version", "2.0.1",
                         "-f", "json")
        assert as_json.returncode == 0 and json.loads(as_json.stdout)["success"] is True  # Pact's own report: stderr
        assert "Verifying a pact between" in as_json.stderr
    finally:
        provider.shutdown()
        provider.server_close()
    assert verified.returncode == 0 and "verification passed" in verified.stdout, verified.stdout + verified.stderr
    assert apigov("record-deployment", "--service", "orders", "--version", "2.0.0", "--env", "production").returncode == 0
    yes = apigov("can-i-deploy", "--pacticipant", "web", "--version", "1.0.0", "--to-environment", "production")
    assert yes.returncode == 0 and "yes" in yes.stdout, yes.stdout + yes.stderr
    assert apigov("record-undeployment", "--service", "orders", "--version", "2.0.0", "--env", "production").returncode == 0
    no = apigov("can-i-deploy", "--pacticipant", "web", "--version", "1.0.0", "--to-environment", "production")
    assert no.returncode == 1 and "no version of orders is deployed" in no.stdout


def test_every_relation_of_the_index_is_served(broker: tuple[str, str, str]) -> None:
    url, token, _ = broker
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.put(f"{url}/pacts/provider/orders/consumer/web/version/1", content=pact(), headers=headers).status_code == 201
    links = httpx.get(url, headers=headers).json()["_links"]
    values = {"provider": "orders", "consumer": "web", "consumerApplicationVersion": "1", "pacticipant": "web",
              "version": "1", "tag": "t", "branch": "main", "uuid": "production", "environment": "production", "rel": "x"}
    for rel, link in links.items():
        if rel in ("curies", "pb:publish-contracts", "pb:publish-pact"):
            continue
        href = link["href"]
        for key, value in values.items():
            href = href.replace("{" + key + "}", value)
        answer = httpx.get(href, headers=headers)
        assert answer.status_code in (200, 400, 404), (rel, answer.status_code)
        assert "No resource at" not in answer.text, (rel, answer.text)
