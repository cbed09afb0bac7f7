"""``apigov serve`` on its own: a registry directory that does not exist, and ``--port 0``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e._cli import apigov, assert_input_error


def test_serve_refuses_a_registry_directory_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "registry"
    result = apigov("serve", "-r", str(missing), "--port", "0", timeout=60)
    assert_input_error(result, f"registry directory {missing} does not exist", "--create")
    assert not missing.exists() and not missing.parent.exists()
    result = apigov("serve", "--port", "0", cwd=tmp_path, timeout=60)  # the unnamed ./contracts
    assert_input_error(result, "contracts does not exist", "--create")
    assert not (tmp_path / "contracts").exists()
    (tmp_path / "file").write_text("x")
    assert_input_error(apigov("serve", "-r", str(tmp_path / "file"), timeout=60), "is not a directory")


def _starting_event(log: Path, process: subprocess.Popen[bytes]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            if event.get("event") == "starting":
                return dict(event)
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError("apigov serve logged no 'starting' event: " + log.read_text())


def test_serve_create_and_port_0_logs_the_real_port(tmp_path: Path) -> None:
    registry = tmp_path / "new" / "registry"
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "apigov", "serve", "-r", str(registry), "--create", "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "APIGOV_DEBUG": ""},
        )
    try:
        event = _starting_event(log, process)
        port = event["port"]
        assert isinstance(port, int) and port > 0, event
        assert event["url"] == f"http://127.0.0.1:{port}"
        assert registry.is_dir()
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
