"""`apigov serve`'s Confluent API speed: what Kafka clients do most.

Targets (issue 20):

- `GET /confluent/schemas/ids/{id}` (a deserializer in a new process resolving the id in a
  message) at least half the requests per second of a bare Starlette endpoint returning a
  constant JSON body, measured in the same run by the same load generator as `benchmarks/serve.py`
  (uvicorn, one process, keep-alive, every answer checked for 200), on the directory backend and
  on PostgreSQL;
- re-registering a schema the subject already holds (every producer start) under 5 ms p50
  server-side, read from the server's own request log (`duration_ms` of `confluentRegister`).

Run: `python benchmarks/confluent.py` (`--seconds`, `--connections`, `--registrations`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._timing import APIGOV, ROOT

SCHEMA = ROOT / "examples" / "shop" / "events" / "v1" / "avro" / "inventory-reserved.avsc"
SUBJECT = "shop.inventory.inventory-reserved-value"
PATH = "/confluent/schemas/ids/1"


def _serve(location: str, port: int, level: str, log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            # one token asks thousands of times a second: without --rate-limit 0 it would get 429
            [
                *APIGOV,
                "serve",
                "-r",
                location,
                "--port",
                str(port),
                "--log-level",
                level,
                "--rate-limit",
                "0",
            ],
            env=env,
            stderr=sink,
        )


def _token(location: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [*APIGOV, "token", "create", "--scope", "publish", "--name", "bench", "-r", location],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()


def _register_p50(port: int, token: str, count: int, log: Path) -> float:
    import httpx

    body = {"schema": SCHEMA.read_text(encoding="utf-8")}
    url = f"http://127.0.0.1:{port}/confluent/subjects/{SUBJECT}/versions"
    with httpx.Client(auth=("bench", token), timeout=30) as client:
        first = client.post(url, json=body)
        if first.status_code != 200:
            raise SystemExit(f"registration failed: {first.text}")
        for _ in range(count):
            again = client.post(url, json=body)
            if again.json() != first.json():
                raise SystemExit(f"re-registration gave another answer: {again.text}")
    durations = []
    for line in log.read_text(encoding="utf-8").splitlines():
        with_json = line.strip()
        if not with_json.startswith("{"):
            continue
        event = json.loads(with_json)
        if event.get("operation") == "confluentRegister" and event.get("status") == 200:
            durations.append(float(event["duration_ms"]))
    return statistics.median(durations[1:]) if len(durations) > 1 else float("nan")


def _load(port: int, token: str, seconds: float, connections: int) -> float:
    """Requests per second of ``GET PATH`` (the load generator of ``benchmarks/serve.py``)."""
    from benchmarks.serve import _load as load

    return load(port, token, seconds, connections, PATH)


def main(
    seconds: float = 4.0, connections: int = 16, registrations: int = 200, rounds: int = 2
) -> list[bool]:
    from benchmarks.serve import BARE_APP, _free_port, _postgres_database, _wait, measure, stop

    work = Path(tempfile.mkdtemp(prefix="apigov-bench-confluent-"))
    env = {**os.environ, "NO_COLOR": "1"}
    servers: list[subprocess.Popen[bytes]] = []
    results: list[bool] = []
    try:
        with _postgres_database() as database:
            registries = {"directory": str(work / "registry"), "PostgreSQL": database}
            tokens = {name: _token(location, env) for name, location in registries.items()}
            p50: dict[str, float] = {}
            ports: dict[str, int] = {}
            for name, location in registries.items():
                port = _free_port()  # info level: the request log gives server-side durations
                log = work / f"{name}-info.log"
                servers.append(_serve(location, port, "info", log, env))
                _wait(port, servers[-1])
                p50[name] = _register_p50(port, tokens[name], registrations, log)
                ports[name] = _free_port()  # warning level, as the bare server: for throughput
                servers.append(_serve(location, ports[name], "warning", work / f"{name}.log", env))
                _wait(ports[name], servers[-1])
            bare_port = _free_port()
            bare_app = BARE_APP.replace("/v1/subjects/orders-api/versions/latest", PATH)
            servers.append(subprocess.Popen([sys.executable, "-c", bare_app, str(bare_port)], env=env))
            _wait(bare_port, servers[-1])
            bare, ours = measure(
                lambda port, token: _load(port, token, seconds, connections), bare_port, ports, tokens, rounds
            )
        for name, rates in ours.items():
            ratio = max(rates) / max(bare)
            ok = ratio >= 0.5 and p50[name] < 5.0
            results.append(ok)
            print(
                f"{'GET /confluent/schemas/ids/1, ' + name:<40} {max(rates):8.0f} req/s   bare Starlette "
                f"{max(bare):8.0f} req/s   ratio {ratio:.2f} (target >= 0.50)   re-register p50 "
                f"{p50[name]:.2f} ms server-side (target < 5)  {'ok' if ok else 'MISSED'}"
            )
        return results
    finally:
        stop(servers)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    from benchmarks.serve import cli

    cli(__doc__, main, registrations=200)
