"""Real ``apigov serve`` processes for the end-to-end tests, over a registry chosen by name.

``REGISTRIES`` maps a backend name to a function that makes an empty registry location: a
directory in a temporary directory, or the ``postgresql://`` URL of a fresh database on the test
session's PostgreSQL (:mod:`tests._postgres`; tokens live in that database). The tests of ``test_server*.py``
run once per entry: the CLI through the server, the reliability test (8 publishers x 50
publishes through 2 replicas) and Schemathesis.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx

from tests._postgres import fresh_database


def _directory(tmp: Path) -> str:
    (tmp / "registry").mkdir()  # apigov serve refuses a directory that does not exist
    return str(tmp / "registry")


REGISTRIES: Final[dict[str, Callable[[Path], str]]] = {
    "directory": _directory,
    "postgresql": lambda tmp: fresh_database(),
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_token(location: str, scope: str, name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "token", "create", "--scope", scope, "--name", name, "-r", location],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    lines: list[str] = field(default_factory=list)

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


@contextlib.contextmanager
def running_servers(
    location: str,
    tmp: Path,
    *,
    count: int = 1,
    extra: tuple[str, ...] = (),
    preexec_fn: Callable[[], None] | None = None,
) -> Iterator[list[Server]]:
    """``count`` replicas of ``apigov serve`` on one registry, each ready before this yields
    (``preexec_fn``: run in each server process before it starts, e.g. to set resource limits)."""
    servers: list[Server] = []
    try:
        for index in range(count):
            port = free_port()
            log = tmp / f"serve-{index}-{port}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    [sys.executable, "-m", "apigov", "serve", "-r", location, "--port", str(port), *extra],
                    stdout=subprocess.DEVNULL,
                    stderr=sink,
                    env={**os.environ, "APIGOV_DEBUG": ""},
                    preexec_fn=preexec_fn,
                )
            servers.append(Server(f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + 60
        for server in servers:
            while True:
                assert server.process.poll() is None, server.log.read_text()
                try:
                    if httpx.get(server.url + "/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "apigov serve did not become ready"
                time.sleep(0.1)
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=20)
