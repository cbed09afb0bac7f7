"""`apigov generate gateway` speed, and what 1,000 generated nginx routes cost per request.

Targets (issue 16), measured in one run:
- generating each target's config for the GitHub REST API description (about 870 operations,
  ../shared/corpus) takes under 2 s (contracts loaded once; the median of 3 generations);
- nginx with 1,000 generated routes (templated paths, the request hitting the last regex
  location: the worst case) adds under 1 ms of median latency over a single-location config,
  both proxying to the same upstream (a third nginx answering 200 from memory), measured by the
  same keep-alive client, the two gateways taking turns.

Run: `python benchmarks/gateway.py` (or `make bench`). Needs nginx on PATH for the latency part.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import CORPUS

TARGETS = ("nginx", "envoy", "haproxy", "caddy", "traefik", "kong", "httproute")
SPEC = CORPUS / "github" / "2022-07-18_v6.7.1.json"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generation() -> list[bool]:
    from generators.base import GenerateRequest, get
    from generators.contracts import load_contracts

    contracts = load_contracts([str(SPEC)], lambda: None)  # type: ignore[arg-type,return-value]
    settings = {
        "services": {
            "github": {
                "contract": str(SPEC),
                "upstreams": ["127.0.0.1:9001", "127.0.0.1:9002"],
                "health-check": {"path": "/healthz"},
                "timeout": "5s",
                "retries": 1,
                "rate-limit": {"requests": 100, "per": "second"},
            }
        }
    }
    results = []
    for target in TARGETS:
        generator = get(target, "gateway")
        times = []
        for _ in range(3):
            started = time.perf_counter()
            generator.generate(GenerateRequest(contracts=contracts, settings=settings))
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        passed = median < 2.0
        print(
            f"generate {target:<10} GitHub spec (~870 operations) {median:7.3f} s   target < 2 s   {'ok' if passed else 'MISSED'}"
        )
        results.append(passed)
    return results


def _nginx(nginx: str, conf: Path, prefix: Path) -> subprocess.Popen[bytes]:
    prefix.mkdir(parents=True, exist_ok=True)
    user = " user root;" if hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0 else ""
    return subprocess.Popen(
        [nginx, "-c", str(conf), "-p", f"{prefix}/", "-g", f"daemon off;{user}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def _latencies(port: int, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    found = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            conn.request("GET", path)
            reply = conn.getresponse()
            reply.read()
            found.append(time.perf_counter() - started)
            if reply.status != 200:
                raise SystemExit(f"GET {path} on {port}: {reply.status}")
    finally:
        conn.close()
    return found


def latency() -> list[bool]:
    nginx = shutil.which("nginx")
    if nginx is None:
        print("nginx latency: skipped (nginx is not installed)")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        upstream, routed, single = _port(), _port(), _port()
        (work / "upstream.conf").write_text(
            f"worker_processes 1; pid up.pid; error_log stderr error; events {{}}\n"
            f"http {{ access_log off; server {{ listen 127.0.0.1:{upstream}; location / {{ return 200 'ok'; }} }} }}\n"
        )
        (work / "single.conf").write_text(
            f"worker_processes 1; pid single.pid; error_log stderr error; events {{}}\n"
            f"http {{ access_log off; upstream up {{ server 127.0.0.1:{upstream}; keepalive 8; }}\n"
            f"server {{ listen 127.0.0.1:{single}; location / {{ proxy_http_version 1.1; "
            f'proxy_set_header Connection ""; proxy_pass http://up; }} }} }}\n'
        )
        paths = {
            f"/svc{i:04d}/items/{{id}}": {
                "get": {"operationId": f"get{i}", "responses": {"200": {"description": "ok"}}}
            }
            for i in range(1000)
        }
        (work / "spec.json").write_text(
            json.dumps({"openapi": "3.1.0", "info": {"title": "bench", "version": "1"}, "paths": paths})
        )
        (work / "apigov.yaml").write_text(
            f"gateway:\n  listen: 127.0.0.1:{routed}\n  services:\n    bench:\n      contract: spec.json\n"
            f"      upstreams: [127.0.0.1:{upstream}]\n"
        )
        result = subprocess.run(
            [sys.executable, "-m", "apigov", "generate", "gateway", "-t", "nginx", "-o", "out", "spec.json"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(result.stderr)
        procs = [
            _nginx(nginx, work / "upstream.conf", work / "p-up"),
            _nginx(nginx, work / "single.conf", work / "p-single"),
            _nginx(nginx, work / "out" / "nginx.conf", work / "p-routed"),
        ]
        try:
            for port in (upstream, single, routed):
                _wait(port)
            last = "/svc0999/items/42"
            rounds: dict[str, list[float]] = {"single": [], "routed": []}
            for _ in range(5):  # take turns, keep every sample
                rounds["single"] += _latencies(single, last, 400)
                rounds["routed"] += _latencies(routed, last, 400)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(10)
    base = statistics.median(rounds["single"]) * 1000
    value = statistics.median(rounds["routed"]) * 1000
    added = value - base
    passed = added < 1.0
    print(
        f"nginx 1,000 routes (last regex)   median {value:6.3f} ms   single location {base:6.3f} ms   "
        f"added {added:6.3f} ms   ratio {value / base:5.2f}   target added < 1 ms   {'ok' if passed else 'MISSED'}"
    )
    return [passed]


def main() -> list[bool]:
    from benchmarks._timing import compile_bytecode

    compile_bytecode()
    if not SPEC.is_file():
        print(f"gateway generation: skipped (no corpus at {SPEC})")
        results: list[bool] = []
    else:
        results = generation()
    return results + latency()


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
