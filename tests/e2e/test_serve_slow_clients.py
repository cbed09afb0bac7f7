"""A real ``apigov serve`` under slow and broken clients (loopback only, every client bounded in
number and time): slow headers are dropped within the header timeout, slow bodies get 408, a
client gone mid-body is a 499 and no server error, floods meet the in-flight cap and the
per-token rate, ``/health/live`` answers throughout (also with ``ulimit -n 200``), and stderr
stays one JSON object per line."""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._server import REGISTRIES, Server, make_token, running_servers

pytestmark = pytest.mark.e2e

ORDERS = json.dumps({"content": "openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n"})


def _fd_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


@contextlib.contextmanager
def _served(
    tmp_path: Path, *options: str, fd_limit: int | None = None
) -> Iterator[tuple[Server, str, tuple[str, int]]]:
    location = REGISTRIES["directory"](tmp_path)
    token = make_token(location, "admin", "ops")
    preexec = _fd_limit(fd_limit) if fd_limit else None
    with running_servers(location, tmp_path, extra=options, preexec_fn=preexec) as servers:
        host, port = servers[0].url.removeprefix("http://").split(":")
        yield servers[0], token, (host, int(port))


def _connect(address: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(address, timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\0" * 8)  # no TIME_WAIT pile-up
    return sock


def _closed_by_server(sock: socket.socket, wait: float) -> bool:
    """Whether the server closed ``sock`` within ``wait`` seconds (whatever it sent before)."""
    sock.settimeout(wait)
    deadline = time.monotonic() + wait
    try:
        while time.monotonic() < deadline:
            if sock.recv(65536) == b"":
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    return False


def _json_lines(server: Server) -> list[dict[str, object]]:
    lines = server.log_lines()
    events = [json.loads(line) for line in lines]  # every line one JSON object
    assert all(isinstance(e, dict) for e in events)
    assert not any("Traceback" in line for line in lines)
    return events


def _metric(server: Server, needle: str) -> int:
    text = httpx.get(server.url + "/metrics", timeout=10).text
    return sum(int(line.rsplit(" ", 1)[1]) for line in text.splitlines() if needle in line and line[0] != "#")


def _live_within(server: Server, seconds: float) -> float:
    start = time.monotonic()
    answer = httpx.get(server.url + "/health/live", timeout=seconds)
    assert answer.status_code == 200
    return time.monotonic() - start


def _publish_head(token: str, length: int, subject: str = "orders-api") -> bytes:
    return (
        f"POST /v1/subjects/{subject}/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def test_slow_silent_and_idle_connections_are_closed_and_health_stays_live_at_a_low_fd_limit(
    tmp_path: Path,
) -> None:
    with _served(tmp_path, "--header-timeout", "2", fd_limit=200) as (server, _, address):
        silent = _connect(address)  # sends nothing at all
        opened = time.monotonic()
        kept = _connect(address)  # one request, then idle on a kept-alive connection
        kept.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert kept.recv(65536).startswith(b"HTTP/1.1 200")
        answered = time.monotonic()
        slow = []
        for _ in range(250):  # more than the descriptors the server may open
            sock = _connect(address)
            sock.send(b"GET /v1/subjects HTTP/1.1\r\nHost: x\r\n")  # and never the rest
            slow.append(sock)
        worst = max(_live_within(server, 3) for _ in range(10))
        assert _closed_by_server(silent, max(0.05, opened + 4 - time.monotonic()))
        # the next request's deadline runs from the answer (uvicorn's own keep-alive is 5 s)
        assert _closed_by_server(kept, max(0.05, answered + 4 - time.monotonic()))
        start = time.monotonic()
        closed = sum(_closed_by_server(sock, max(0.05, start + 6 - time.monotonic())) for sock in slow)
        for sock in [silent, kept, *slow]:
            sock.close()
        assert closed == len(slow)
        assert worst < 2.0, worst
        assert _metric(server, 'apigov_connections_dropped_total{reason="header-timeout"}') > 0
        events = _json_lines(server)
    starting = next(e for e in events if e["event"] == "starting")
    assert isinstance(starting["max_connections"], int) and starting["max_connections"] < 200
    assert any(e["event"] == "connections-dropped" for e in events)


def test_slow_bodies_gone_clients_floods_and_fast_tokens_meet_their_limits(tmp_path: Path) -> None:
    options = ("--body-timeout", "1.5", "--max-in-flight", "2", "--rate-limit", "2", "--rate-burst", "20")
    with _served(tmp_path, *options) as (server, token, address):
        # a body one byte every 0.2 s: alive, but too slow -> 408, connection closed
        body = ORDERS.encode()
        sock = _connect(address)
        sock.sendall(_publish_head(token, len(body)))
        start = time.monotonic()
        answer = b""
        sock.settimeout(0.2)
        for byte in body[:40]:
            sock.send(bytes([byte]))
            with contextlib.suppress(TimeoutError):
                answer += sock.recv(65536)
            if answer:
                break
        elapsed = time.monotonic() - start
        sock.settimeout(3)  # the headers and the body may come in two reads on a busy machine
        with contextlib.suppress(TimeoutError, OSError):
            while b"request-timeout" not in answer and (chunk := sock.recv(65536)):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"urn:apigov:problem:request-timeout" in answer
        assert 1.3 < elapsed < 3.5, elapsed
        assert _closed_by_server(sock, 3)
        sock.close()
        assert _metric(server, 'operation="publish",status="408"') == 1

        # part of a body, then gone: 499, a client event
        gone = _connect(address)
        gone.sendall(_publish_head(token, 10_000) + b'{"content": "openapi')
        time.sleep(0.3)
        gone.close()
        deadline = time.monotonic() + 10
        while _metric(server, 'operation="publish",status="499"') == 0:
            assert time.monotonic() < deadline, "the gone client was never counted"
            time.sleep(0.1)

        # two publishes in flight (their bodies still to come): a third request gets 503
        held = []
        for _ in range(2):
            sock = _connect(address)
            sock.sendall(_publish_head(token, 100))
            held.append(sock)
        time.sleep(0.3)
        auth = {"Authorization": f"Bearer {token}"}
        busy = httpx.get(server.url + "/v1/subjects", headers=auth, timeout=5)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
        assert busy.json()["type"] == "urn:apigov:problem:overloaded"
        assert _live_within(server, 2) < 1  # health is never refused
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert httpx.get(server.url + "/v1/subjects", headers=auth, timeout=5).status_code == 200

        # a token above its rate: its burst passes, then 429 with Retry-After on every API
        fast = make_token(str(server.log.parent / "registry"), "read", "fast")
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {fast}"}) as client:
            assert [client.get("/v1/subjects").status_code for _ in range(20)] == [200] * 20
            limited = client.get("/v1/subjects")
            assert limited.status_code == 429
            assert limited.headers["content-type"] == "application/problem+json"
            assert int(limited.headers["retry-after"]) >= 1
            confluent = client.get("/confluent/subjects")
            assert confluent.status_code == 429
            assert confluent.json()["error_code"] == 42901 and "retry-after" in confluent.headers
            broker = client.get("/pact/pacticipants")
            assert broker.status_code == 429 and "message" in broker.json()["error"]
            time.sleep(1.1)  # two requests a second come back
            assert client.get("/v1/subjects").status_code == 200
        assert httpx.get(server.url + "/v1/subjects", headers=auth, timeout=5).status_code == 200

        assert _metric(server, 'status="500"') == 0
        assert not (server.log.parent / "registry" / "orders-api").exists()
        events = _json_lines(server)
    assert not any(e["event"] == "internal-error" or "exception" in e for e in events)
    gone_line = next(e for e in events if e["event"] == "request" and e["status"] == 499)
    assert gone_line["operation"] == "publish" and gone_line["level"] == "info"


@pytest.mark.slow
def test_many_slow_publishers_and_idle_connections_do_not_starve_health(tmp_path: Path) -> None:
    """200 publishers sending 1 byte a second and 600 idle connections at ``ulimit -n 400``:
    the bodies are cut at the body timeout, the idle ones at the header timeout, health answers
    within a second throughout, and real publishes succeed after."""
    options = ("--header-timeout", "3", "--body-timeout", "4")
    with _served(tmp_path, *options, fd_limit=400) as (server, token, address):
        publishers = []
        for _ in range(200):
            sock = _connect(address)
            sock.sendall(_publish_head(token, len(ORDERS)))
            publishers.append(sock)
        idle = [_connect(address) for _ in range(600)]
        worst = 0.0
        end = time.monotonic() + 8
        while time.monotonic() < end:
            for sock in publishers:
                with contextlib.suppress(OSError):
                    sock.send(b" ")
            worst = max(worst, _live_within(server, 3))
            time.sleep(0.5)
        for sock in publishers + idle:
            sock.close()
        assert worst < 1.0, worst
        assert _metric(server, 'operation="publish",status="408"') >= 100
        answer = httpx.post(
            server.url + "/v1/subjects/orders-api/publish",
            content=ORDERS,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        _json_lines(server)
