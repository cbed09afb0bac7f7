"""`apigov serve` speed: `GET` of a subject's latest version against a bare Starlette endpoint.

Target (issue 5): requests per second of `GET /v1/subjects/orders-api/versions/latest` (with a
bearer token), over the directory backend and over PostgreSQL, each at least half those of a
bare Starlette endpoint that returns a constant JSON body, both under uvicorn with the same
settings (one process, no access log) and measured in the same run by the same load generator: a
raw-socket asyncio client in its own process, keep-alive connections, every answer checked for
status 200 and read whole. The servers take turns (bare, directory, PostgreSQL, bare, ...) and
each keeps its best round. PostgreSQL: a fresh database on `APIGOV_TEST_POSTGRES_URL`'s server
when that is set, else on a throwaway server started from the local binaries as the tests do
(`tests/_postgres.py`).

Run: `python benchmarks/serve.py` (or `make bench`); `--seconds` and `--connections` tune it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks._timing import APIGOV, ROOT

SPEC = ROOT / "examples" / "shop" / "orders" / "v1" / "openapi.yaml"

BARE_APP = textwrap.dedent(
    """
    import sys
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    BODY = {"status": "ok", "subject": "orders-api", "version": "1.0.0"}

    async def constant(request):
        return JSONResponse(BODY)

    app = Starlette(routes=[Route("/v1/subjects/orders-api/versions/latest", constant)])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None, access_log=False,
                log_level="warning", lifespan="off", server_header=False, proxy_headers=False)
    """
)

LOAD = textwrap.dedent(
    """
    import asyncio, json, sys, time

    host, port, path, token, seconds, connections = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
    request = (f"GET {path} HTTP/1.1\\r\\nHost: {host}:{port}\\r\\nAuthorization: Bearer {token}\\r\\n"
               "Accept: application/json\\r\\n\\r\\n").encode()

    async def worker(stop, counts):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop:
                writer.write(request)
                head = await reader.readuntil(b"\\r\\n\\r\\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\\r\\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                counts[0 if status == 200 else 1] += 1
        finally:
            writer.close()

    async def main():
        warm = [0, 0]
        await asyncio.gather(*(worker(time.perf_counter() + 1.0, warm) for _ in range(connections)))
        counts = [0, 0]
        start = time.perf_counter()
        await asyncio.gather(*(worker(start + seconds, counts) for _ in range(connections)))
        elapsed = time.perf_counter() - start
        print(json.dumps({"ok": counts[0], "failed": counts[1], "seconds": elapsed}))

    asyncio.run(main())
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("a server did not start")


def _load(
    port: int,
    token: str,
    seconds: float,
    connections: int,
    path: str = "/v1/subjects/orders-api/versions/latest",
) -> float:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            LOAD,
            "127.0.0.1",
            str(port),
            path,
            token,
            str(seconds),
            str(connections),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds * 4 + 60,
    )
    if done.returncode != 0:
        raise SystemExit(f"the load generator failed: {done.stderr[-800:]}")
    result = json.loads(done.stdout)
    if result["failed"] or not result["ok"]:
        raise SystemExit(f"answers other than 200: {result}")
    return float(result["ok"]) / float(result["seconds"])


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    """A fresh database on ``APIGOV_TEST_POSTGRES_URL``'s server, or on a throwaway server started
    from the local binaries as the tests do; dropped afterwards."""
    import psycopg

    with contextlib.ExitStack() as stack:
        server = os.environ.get("APIGOV_TEST_POSTGRES_URL", "").strip()
        if not server:
            from tests._postgres import throwaway_server

            server = stack.enter_context(throwaway_server())
        name = f"apigov_bench_serve_{os.getpid()}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        try:
            yield server.rsplit("/", 1)[0] + "/" + name
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare(registry: str, env: dict[str, str]) -> str:
    """Publish the orders contract to ``registry`` and return a read token of it."""
    published = subprocess.run(
        [*APIGOV, "publish", str(SPEC), "-s", "orders-api", "-r", registry],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if published.returncode != 0:
        raise SystemExit(f"publish failed: {published.stderr}")
    return subprocess.run(
        [*APIGOV, "token", "create", "--scope", "read", "--name", "bench", "-r", registry],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()


def stop(servers: list[subprocess.Popen[bytes]]) -> None:
    """End the benchmark's servers (all asked at once, then each waited for or killed)."""
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def measure(
    load: Callable[[int, str], float],
    bare_port: int,
    ports: dict[str, int],
    tokens: dict[str, str],
    rounds: int,
) -> tuple[list[float], dict[str, list[float]]]:
    """Requests per second of the bare server and of each apigov server, ``rounds`` times, alternating."""
    bare: list[float] = []
    ours: dict[str, list[float]] = {name: [] for name in ports}
    for _ in range(rounds):
        bare.append(load(bare_port, tokens["directory"]))
        for name in ports:
            ours[name].append(load(ports[name], tokens[name]))
    return bare, ours


def cli(doc: str, main: Callable[..., list[bool]], **extra: int) -> None:
    """Run a serving benchmark's ``main`` from the command line: exit 1 when a target is missed."""
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=16)
    for name, default in extra.items():
        parser.add_argument("--" + name, type=int, default=default)
    options = vars(parser.parse_args())
    sys.exit(0 if all(main(**options)) else 1)


def main(seconds: float = 4.0, connections: int = 16, rounds: int = 2) -> list[bool]:
    work = Path(tempfile.mkdtemp(prefix="apigov-bench-serve-"))
    env = {**os.environ, "NO_COLOR": "1"}
    servers: list[subprocess.Popen[bytes]] = []
    try:
        with _postgres_database() as database:
            registries = {"directory": str(work / "registry"), "PostgreSQL": database}
            tokens = {name: _prepare(location, env) for name, location in registries.items()}
            bare_port = _free_port()
            servers.append(subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port)], env=env))
            _wait(bare_port, servers[-1])
            ports: dict[str, int] = {}
            for name, location in registries.items():
                ports[name] = _free_port()
                servers.append(
                    subprocess.Popen(
                        [
                            *APIGOV,
                            "serve",
                            "-r",
                            location,
                            "--port",
                            str(ports[name]),
                            "--log-level",
                            "warning",
                            # one token asks thousands of times a second: the rate limit would
                            # answer 429 (its cost, a dict look-up, stays in); the other limits stay on
                            "--rate-limit",
                            "0",
                        ],
                        env=env,
                    )
                )
                _wait(ports[name], servers[-1])
            bare, ours = measure(
                lambda port, token: _load(port, token, seconds, connections), bare_port, ports, tokens, rounds
            )
        results = []
        for name, rates in ours.items():
            ratio = max(rates) / max(bare)
            ok = ratio >= 0.5
            results.append(ok)
            print(
                f"{'apigov serve GET latest version, ' + name:<44} {max(rates):8.0f} req/s   "
                f"bare Starlette constant JSON {max(bare):8.0f} req/s   ratio {ratio:.2f} (target >= 0.50)  "
                f"{'ok' if ok else 'MISSED'}"
            )
        return results
    finally:
        stop(servers)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    cli(__doc__, main)
