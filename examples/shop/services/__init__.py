"""The shop's HTTP services, runnable: one small in-memory Starlette app per service.

Each honours its contract (``examples/shop/<service>/v1|v2/openapi.yaml``, v1 by default) and
answers Pact provider states on ``POST /_pact/provider-states``; see README.md beside this file.

* one service: ``python -m examples.shop.services.orders --port 0 [--contract-version 2]``
  (prints ``... listening on http://127.0.0.1:PORT``);
* all of them, from Python (tests, ``make demo``)::

      from examples.shop.services import start_all
      with start_all() as urls:           # {"orders": "http://127.0.0.1:PORT", ...}
          ...

``APIGOV_SHOP_BUG=<bug-class>`` (or ``start_all(bugs={"orders": "server-error"})``) starts a
deliberately buggy variant; the classes are :data:`BUG_CLASSES`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from examples.shop.services._engine import BUG_CLASSES, PROVIDER_STATES_PATH, contract_path

SERVICES: tuple[str, ...] = ("orders", "payments", "inventory", "shipping", "notifications")
"""The shop's HTTP services (the event backbone has no HTTP API)."""

REPO = Path(__file__).resolve().parents[3]

__all__ = ["BUG_CLASSES", "PROVIDER_STATES_PATH", "SERVICES", "contract_path", "start", "start_all"]


class ServiceProcess:
    """A started service: its base URL and its process."""

    def __init__(self, name: str, process: subprocess.Popen[str], url: str) -> None:
        self.name, self.process, self.url = name, process, url

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _launch(name: str, version: int, bug: str | None) -> subprocess.Popen[str]:
    if name not in SERVICES:
        raise ValueError(f"unknown shop service {name!r}; one of: {', '.join(SERVICES)}")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.pop("APIGOV_SHOP_BUG", None)
    if bug:
        env["APIGOV_SHOP_BUG"] = bug
    return subprocess.Popen(
        [sys.executable, "-m", f"examples.shop.services.{name}", "--port", "0", "--contract-version", str(version)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True,
        stderr=None if os.environ.get("APIGOV_SHOP_LOG") else subprocess.DEVNULL,
    )


def _ready(name: str, process: subprocess.Popen[str], timeout: float) -> ServiceProcess:
    """Wait until a launched service prints its URL and answers."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if " listening on " not in line:
        process.kill()
        process.wait()
        raise RuntimeError(f"the {name} service did not start (exit {process.returncode})")
    url = line.rsplit(" ", 1)[-1].strip()
    started = ServiceProcess(name, process, url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_unknown", timeout=2):  # noqa: S310 (loopback)
                break
        except urllib.error.HTTPError as answered:
            answered.close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                started.stop()
                raise RuntimeError(f"the {name} service did not answer on {url}") from None
            time.sleep(0.05)
    return started


def spawn(name: str, *, version: int = 1, bug: str | None = None, timeout: float = 30.0) -> ServiceProcess:
    """Start one service on a free 127.0.0.1 port and wait until it answers."""
    return _ready(name, _launch(name, version, bug), timeout)


@contextmanager
def start(name: str, *, version: int = 1, bug: str | None = None) -> Iterator[str]:
    """One service as a context manager: its base URL."""
    started = spawn(name, version=version, bug=bug)
    try:
        yield started.url
    finally:
        started.stop()


@contextmanager
def start_all(
    services: tuple[str, ...] = SERVICES, *, version: int = 1, bugs: Mapping[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """Every service (or ``services``) in its own process: ``{name: base URL}``; stopped on exit."""
    launched: list[tuple[str, subprocess.Popen[str]]] = []
    started: list[ServiceProcess] = []
    try:
        for name in services:  # all processes start at once, then each is waited for
            launched.append((name, _launch(name, version, (bugs or {}).get(name))))
        for name, process in launched:
            started.append(_ready(name, process, 30.0))
        yield {s.name: s.url for s in started}
    finally:
        for name, process in launched:
            ServiceProcess(name, process, "").stop()
