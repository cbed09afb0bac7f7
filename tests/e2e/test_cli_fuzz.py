"""``apigov fuzz`` against the shop's services in real processes over HTTP: the correct services
pass the default checks, each deliberately buggy variant is caught (the accepted-invalid-request
variant with ``--checks all``), and bad input ends in exit 2 or within ``--max-time``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from examples.shop.services import contract_path, start

pytestmark = pytest.mark.e2e
AUTH = ["--auth", "bearer:shop-token"]


def apigov(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def fuzz_json(url: str, contract: Path, *extra: str, tmp_path: Path) -> tuple[int, dict[str, object]]:
    out = tmp_path / "report.json"
    done = apigov(
        "fuzz", str(contract), "--base-url", url, *AUTH, "--seed", "1", "--format", "json", "-o", str(out), *extra
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(out.read_text())


@contextmanager
def token_endpoint() -> Iterator[str]:
    """An OAuth2 token endpoint (client credentials, HTTP Basic) that hands out the shop's token."""
    import base64

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            basic = "Basic " + base64.b64encode(b"orders-client:s3cret").decode()
            ok = self.headers.get("authorization") == basic and "grant_type=client_credentials" in form
            body = json.dumps({"access_token": "shop-token", "token_type": "Bearer"} if ok else {}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url + "/token"


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` on a loopback port in a thread: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_correct_service_passes_with_an_oauth2_token(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    with start("orders") as url, token_endpoint() as token_url:
        done = apigov(
            "fuzz", str(contract_path("orders", 1)), "--base-url", url, "--seed", "1", "--format", "json", "-o", str(out),
            "--auth", f"oauth2:orders-client:s3cret@{token_url}", "-n", "2", "--phases", "examples,coverage",
            "--include", "listOrders", "--include", "/orders/{orderId}",
        )
    assert done.returncode == 0, done.stderr
    code, report = done.returncode, json.loads(out.read_text())
    assert code == 0, report["failures"]
    assert report["passed"] is True
    assert report["summary"]["tested"] == 3  # listOrders and the two operations on /orders/{orderId}


def test_a_server_error_is_caught_with_its_curl_line_and_a_baseline_accepts_it(tmp_path: Path) -> None:
    baseline = tmp_path / "fuzz-baseline.yaml"
    with start("orders", bug="server-error") as url:
        args = ("-n", "3", "--phases", "examples,coverage", "--include", "listOrders")
        code, report = fuzz_json(url, contract_path("orders", 1), *args, tmp_path=tmp_path)
        assert code == 1
        failures = report["failures"]
        assert isinstance(failures, list)
        crash = next(f for f in failures if f["check"] == "not_a_server_error")
        assert crash["operation"] == "GET /orders"
        assert crash["replayed"] is True
        assert crash["curl"].startswith("curl -X GET")
        assert "limit=100" in crash["curl"]  # the edge value the service crashes on
        assert "shop-token" not in json.dumps(report)  # credentials never reach a report
        assert '-H "Authorization: Bearer $APIGOV_FUZZ_TOKEN"' in crash["curl"]
        import os
        import shutil

        if shutil.which("curl"):  # the line runs as printed, the token taken from the environment
            ran = subprocess.run(
                ["bash", "-c", crash["curl"].replace("curl ", "curl -s -o /dev/null -w '%{http_code}' ", 1)],
                capture_output=True, text=True, timeout=30, check=False,
                env={**os.environ, "APIGOV_FUZZ_TOKEN": "shop-token"},
            )
            assert ran.stdout == "500", ran.stdout + ran.stderr
        import jsonschema

        schema_file = Path(__file__).parents[2] / "contracts" / "schemas" / "fuzz-report.schema.json"
        jsonschema.Draft202012Validator(json.loads(schema_file.read_text())).validate(report)

        written = apigov("fuzz", str(contract_path("orders", 1)), "--base-url", url, *AUTH, "--seed", "1",
                         "--baseline", str(baseline), "--update-baseline", *args)
        assert written.returncode == 0, written.stdout + written.stderr
        assert "not_a_server_error" in baseline.read_text()
        again = apigov("fuzz", str(contract_path("orders", 1)), "--base-url", url, *AUTH, "--seed", "1",
                       "--baseline", str(baseline), *args)
        assert again.returncode == 0, again.stdout
        assert "known: GET /orders: not_a_server_error" in again.stdout


def test_unreachable_base_url_is_exit_2_within_seconds() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    done = apigov("fuzz", str(contract_path("orders", 1)), "--base-url", f"http://127.0.0.1:{port}")
    assert done.returncode == 2
    assert f"http://127.0.0.1:{port}" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert time.monotonic() - started < 15


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: q, in: query, schema: {type: string, pattern: '^(?=a)(a+)+$'}}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    empty = tmp_path / "empty.yaml"
    empty.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    url = "http://127.0.0.1:9"
    cases = {
        "max-time": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--max-time", "0"),
        "max-time nan": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--max-time", "nan"),
        "max-time inf": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--max-time", "inf"),
        "request-timeout 0": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--request-timeout", "0"),
        "request-timeout -1": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--request-timeout", "-1"),
        "request-timeout nan": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--request-timeout", "nan"),
        "hostile": ("fuzz", str(hostile), "--base-url", url),
        "no operations": ("fuzz", str(empty), "--base-url", url),
        "filtered away": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--include", "noSuchThing"),
        "unknown check": ("fuzz", str(contract_path("orders", 1)), "--base-url", url, "--checks", "nope"),
    }
    for name, args in cases.items():
        done = apigov(*args)
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
    assert "RE2" in apigov(*cases["hostile"]).stderr
    for name, args in cases.items():  # refused for what they are, before the base URL is tried
        if name.startswith(("max-time ", "request-timeout ")):
            done = apigov(*args)
            assert f"--{name.split()[0]}" in done.stderr and "cannot reach" not in done.stderr, (name, done.stderr)


def test_missing_extra_is_exit_2_naming_it() -> None:
    code = "import sys; sys.modules['schemathesis'] = None; from apigov.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "fuzz", str(contract_path("orders", 1)), "--base-url", "http://127.0.0.1:9"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "apigov[fuzz]" in done.stderr


@contextmanager
def raw_server(answer: bytes | None) -> Iterator[str]:
    """A loopback server that never answers (``None``) or sends ``answer`` and then zeros forever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)
            if answer is not None:
                threading.Thread(target=flood, args=(conn,), daemon=True).start()

    def flood(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(answer or b"")
            chunk = b"0" * 65536
            while not stop.is_set():
                conn.sendall(chunk)
        except OSError:
            return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


@pytest.mark.parametrize(
    "answer",
    [None, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n",
     b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"],
    ids=["hanging", "gigantic-declared", "gigantic-streamed"],
)
def test_a_hanging_or_flooding_server_ends_within_max_time(answer: bytes | None) -> None:
    with raw_server(answer) as url:
        started = time.monotonic()
        done = apigov(
            "fuzz", str(contract_path("orders", 1)), "--base-url", url, "--max-time", "8", "--request-timeout", "1",
            "--include", "listOrders", "--phases", "examples", timeout=60,
        )
        elapsed = time.monotonic() - started
    assert done.returncode in (0, 1), done.stderr
    assert elapsed < 8 + 5 + 10  # --max-time, the kill margin, start-up on a loaded machine


@pytest.mark.slow
@pytest.mark.parametrize(
    ("bug", "service", "extra", "check"),
    [
        ("server-error", "orders", (), "not_a_server_error"),
        ("invalid-response", "orders", (), "response_schema_conformance"),
        ("undocumented-status", "orders", (), "status_code_conformance"),
        ("accepted-invalid-request", "orders", ("--checks", "all"), "negative_data_rejection"),
        ("missing-required-header", "payments", (), "missing_required_header"),
        ("broken-link", "orders", (), "ensure_resource_availability"),
    ],
)
def test_each_buggy_variant_is_caught(bug: str, service: str, extra: tuple[str, ...], check: str,
                                      tmp_path: Path) -> None:
    with start(service, bug=bug) as url:
        code, report = fuzz_json(url, contract_path(service, 1), "-n", "5", *extra, tmp_path=tmp_path)
    assert code == 1
    assert check in {f["check"] for f in report["failures"]}  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("service", ["orders", "payments", "inventory", "shipping", "notifications"])
def test_every_correct_service_passes_the_default_checks(service: str, version: int, tmp_path: Path) -> None:
    with start(service, version=version) as url:
        code, report = fuzz_json(url, contract_path(service, version), "-n", "5", tmp_path=tmp_path)
    assert code == 0, report["failures"]
