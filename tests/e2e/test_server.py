"""``apigov serve`` as a real process: the CLI through it, the streamed size limit, JSON logs."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._cli import apigov, assert_input_error
from tests.e2e._server import REGISTRIES, Server, make_token, running_servers
from tests.unit.registry._http_support import INVALID, check_request, check_response

pytestmark = pytest.mark.e2e

ORDERS = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: An order.
          content:
            application/json:
              schema: {$ref: "./order.yaml"}
"""
ORDER = "type: object\nproperties:\n  id: {type: string}\n  total: {type: number}\n"
ORDER_BROKEN = "type: object\nproperties:\n  id: {type: integer}\n  total: {type: number}\n"


@pytest.fixture(params=sorted(REGISTRIES))
def registry_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return REGISTRIES[request.param](tmp_path)


@pytest.fixture
def server(registry_location: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    with running_servers(registry_location, tmp_path, extra=("--max-body", "65536")) as servers:
        yield servers[0], registry_location


def _spec(directory: Path, order: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "order.yaml").write_text(order)
    (directory / "orders.yaml").write_text(ORDERS)
    return directory / "orders.yaml"


def test_publish_list_show_and_diff_through_the_server(server: tuple[Server, str], tmp_path: Path) -> None:
    srv, location = server
    token = make_token(location, "publish", "ci")
    env = {"APIGOV_TOKEN": token, "APIGOV_REGISTRY": srv.url}
    v1 = _spec(tmp_path / "v1", ORDER)
    first = apigov("publish", str(v1), "-s", "orders-api", "--label", "team=orders", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("published orders-api@1.0.0 (first version)")
    listing = apigov("registry", "list", "--format", "json", env=env)
    assert listing.returncode == 0, listing.stderr
    subjects = json.loads(listing.stdout)["subjects"]
    assert [(s["subject"], s["latest"]) for s in subjects] == [("orders-api", "1.0.0")]
    show = apigov("registry", "show", "orders-api@latest", "--format", "json", env=env)
    assert show.returncode == 0 and "team" in show.stdout
    # the refusal through the server reads exactly as the refusal of a local registry
    broken = _spec(tmp_path / "v2", ORDER_BROKEN)
    remote = apigov("publish", str(broken), "-s", "orders-api", env=env)
    local_copy = tmp_path / "local"
    if Path(location).is_dir():
        shutil.copytree(location, local_copy)
        local = apigov("publish", str(broken), "-s", "orders-api", "-r", str(local_copy))
        # ... but for the registry it names
        assert remote.stdout.splitlines()[1] == f"  registry: {srv.url}"
        assert local.stdout.splitlines()[1] == f"  registry: {local_copy}"
        assert (remote.returncode, remote.stdout.replace(srv.url, "REGISTRY")) == (
            local.returncode,
            local.stdout.replace(str(local_copy), "REGISTRY"),
        )
    assert remote.returncode == 1 and remote.stdout.startswith("refused:"), remote.stdout
    assert "breaking" in remote.stdout
    diff = apigov("diff", "orders-api@latest", str(broken), "--format", "json", env=env)
    assert diff.returncode == 1, diff.stderr
    assert json.loads(diff.stdout)["breaking"] is True


def test_without_a_token_or_scope_the_cli_says_so_in_one_line(
    server: tuple[Server, str], tmp_path: Path
) -> None:
    srv, location = server
    v1 = _spec(tmp_path / "v1", ORDER)
    no_token = apigov("publish", str(v1), "-s", "orders-api", "-r", srv.url, env={"APIGOV_TOKEN": ""})
    assert_input_error(no_token, "APIGOV_TOKEN")
    reader = make_token(location, "read", "reader")
    small = apigov("publish", str(v1), "-s", "orders-api", "-r", srv.url, env={"APIGOV_TOKEN": reader})
    assert_input_error(small, "scope publish")
    assert apigov("registry", "list", "-r", srv.url, env={"APIGOV_TOKEN": reader}).returncode == 0
    gone = apigov("registry", "list", "-r", "http://127.0.0.1:1", env={"APIGOV_TOKEN": reader})
    assert_input_error(gone, "cannot reach")


def test_an_oversized_streamed_upload_is_refused_before_it_is_all_sent(server: tuple[Server, str]) -> None:
    srv, location = server
    token = make_token(location, "publish", "big")
    host, port = srv.url.removeprefix("http://").split(":")
    chunk = b"x" * 8192
    sent = 0
    limit_total = 256 * 1024 * 1024
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                "POST /v1/subjects/orders-api/publish HTTP/1.1\r\n"
                f"Host: {host}\r\nAuthorization: Bearer {token}\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        sock.setblocking(False)
        deadline = time.monotonic() + 30
        while sent < limit_total and time.monotonic() < deadline:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer:
                break
            try:
                sock.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                time.sleep(0.01)
        sock.setblocking(True)
        with_rest = answer
        try:
            while b"\r\n\r\n" not in with_rest:
                more = sock.recv(65536)
                if not more:
                    break
                with_rest += more
        except (ConnectionResetError, TimeoutError):
            pass
    assert with_rest.startswith(b"HTTP/1.1 413"), with_rest[:200]
    # answered long before the 256 MiB were sent (what was sent is at most socket buffers beyond the limit)
    assert sent < 48 * 1024 * 1024, sent
    assert not (Path(location) / "orders-api").exists()


def test_logs_are_json_lines_without_tokens(server: tuple[Server, str], tmp_path: Path) -> None:
    srv, location = server
    token = make_token(location, "admin", "ops")
    auth = {"Authorization": f"Bearer {token}"}
    hooks = {"request": [check_request], "response": [check_response]}  # every exchange follows openapi.yaml
    with httpx.Client(base_url=srv.url, event_hooks=hooks) as client:
        assert client.get(f"/v1/subjects?access_token={token}", headers=auth).status_code == 200
        wrong = {"Authorization": "Bearer apigov_" + "Q" * 43}
        assert client.get("/v1/subjects", headers=wrong).status_code == 401
        bad_mode = client.put("/v1/subjects/x/mode", json={"mode": token}, headers=auth, extensions=INVALID)
        assert bad_mode.status_code == 400
        assert client.get("/health/live").status_code == 200
    metrics = httpx.get(f"{srv.url}/metrics").text
    assert 'apigov_http_requests_total{method="GET",operation="listSubjects",status="401"} 1' in metrics
    time.sleep(0.2)
    lines = srv.log_lines()
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(e["event"] == "request" and e.get("token") == "ops" for e in events)
    text = "\n".join(lines)
    assert token not in text and token.removeprefix("apigov_") not in text and "Q" * 43 not in text


def test_a_port_in_use_or_a_bad_host_is_one_clear_line(server: tuple[Server, str], tmp_path: Path) -> None:
    srv, location = server
    port = srv.url.rsplit(":", 1)[1]
    taken = apigov("serve", "-r", location, "--port", port, timeout=60)
    assert_input_error(taken, f"cannot listen on 127.0.0.1:{port}")
    bad = apigov("serve", "-r", location, "--host", "no such host.invalid", "--port", "0", timeout=60)
    assert_input_error(bad, "cannot listen on")
    remote = apigov("serve", "-r", srv.url, timeout=60)
    assert_input_error(remote, "not another server")
