"""Contract-testing speed (issue 14), three targets:

1. `apigov pact check` of a 1,000-interaction pact against the GitHub corpus spec: < 3 s wall.
   The pact is made from the spec's GET operations (path parameters filled in), each expecting
   its documented 200 with an empty object body.
2. can-i-deploy from a registry of 200 pacticipants x 50 versions (100 consumers, each version
   with a pact with one of 100 providers, every pact verified, one version of each deployed):
   < 100 ms server-side, read from the `duration_ms` of `apigov serve`'s request log (median of
   20 `GET /pact/can-i-deploy`), on a directory registry.
3. pacts-for-verification (`GET /pact/pacts/provider/orders/for-verification`) from `apigov
   serve` on PostgreSQL: >= 0.5x the req/s of a bare Starlette endpoint in the same run, with the
   load generator of `benchmarks/serve.py`.

Run: `python benchmarks/pacts.py` (or `make bench`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import serve as serve_bench
from benchmarks._timing import APIGOV, CORPUS, wall


def _github_spec() -> Path | None:
    found = sorted((CORPUS / "github").glob("*.json"))
    return found[-1] if found else None


def bench_check(work: Path) -> bool:
    spec = _github_spec()
    if spec is None:
        print("pact check vs GitHub spec: skipped (../shared/corpus/github not present)")
        return True
    document = json.loads(spec.read_text())
    interactions = []
    for path, item in document["paths"].items():
        op = item.get("get") if isinstance(item, dict) else None
        if not isinstance(op, dict) or "200" not in op.get("responses", {}):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        interactions.append({"description": f"get {path}", "request": {"method": "GET", "path": concrete},
                             "response": {"status": 200}})
    while len(interactions) < 1000:
        interactions.extend(interactions[: 1000 - len(interactions)])
    pact = work / "github-pact.json"
    pact.write_text(json.dumps({"consumer": {"name": "bench"}, "provider": {"name": "github"},
                                "interactions": [dict(i, description=f"{i['description']} #{n}") for n, i in enumerate(interactions[:1000])],
                                "metadata": {"pactSpecification": {"version": "3.0.0"}}}))
    seconds = wall([*APIGOV, "pact", "check", str(pact), str(spec), "-f", "json", "-o", str(work / "out.json")], runs=3)
    ok = seconds < 3.0
    print(f"{'pact check, 1,000 interactions vs GitHub spec':<52} {seconds:7.2f} s   (target < 3 s)  {'ok' if ok else 'MISSED'}")
    return ok


def _big_registry(root: Path) -> None:
    """200 pacticipants x 50 versions written straight into a directory registry's pact state."""
    from apigov.contract.model import (
        Deployment,
        Environment,
        PacticipantVersion,
        PactPublication,
        PactState,
        Verification,
    )

    state = PactState()
    contents = root / ".pacts" / "contents"
    contents.mkdir(parents=True)
    seq = 0
    state.environments["production"] = Environment("production", created_at="t")
    for p in range(100):
        for v in range(50):
            seq += 1
            state.versions[(f"provider-{p}", f"1.{v}.0")] = PacticipantVersion(f"provider-{p}", f"1.{v}.0", ("main",), (), "", "t", seq)
    for c in range(100):
        consumer = f"consumer-{c}"
        for v in range(50):
            seq += 1
            version = f"2.{v}.0"
            state.versions[(consumer, version)] = PacticipantVersion(consumer, version, ("main",), (), "", "t", seq)
            provider = f"provider-{(c + v) % 100}"
            body = json.dumps({"consumer": {"name": consumer}, "provider": {"name": provider}, "interactions": [], "n": v}).encode()
            digest = hashlib.sha256(body).hexdigest()
            (contents / f"{digest}.json").write_bytes(body)
            state.publications[(consumer, provider, version)] = PactPublication(consumer, provider, version, digest, "t", seq)
            state.verifications.append(Verification(digest, consumer, provider, "1.49.0", True, verified_at="t", id=len(state.verifications) + 1))
    for p in range(100):
        state.deployments.append(Deployment(f"provider-{p}", "1.49.0", "production", "deployment", "", "t", None, len(state.deployments) + 1))
    for c in range(100):
        state.deployments.append(Deployment(f"consumer-{c}", "2.48.0", "production", "deployment", "", "t", None, len(state.deployments) + 1))
    (root / ".pacts" / "state.json").write_text(json.dumps(state.to_json()))


def _token(location: str, env: dict[str, str]) -> str:
    return subprocess.run([*APIGOV, "token", "create", "--scope", "admin", "--name", "bench", "-r", location],
                          capture_output=True, text=True, check=True, env=env).stdout.strip()


def bench_can_i_deploy(work: Path) -> bool:
    import httpx

    registry = work / "big"
    _big_registry(registry)
    env = {**os.environ, "NO_COLOR": "1"}
    token = _token(str(registry), env)
    port = serve_bench._free_port()
    log = work / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([*APIGOV, "serve", "-r", str(registry), "--port", str(port)], stderr=sink, env=env)
    try:
        serve_bench._wait(port, server)
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(21):
            answer = httpx.get(f"http://127.0.0.1:{port}/pact/can-i-deploy", headers=headers, timeout=60,
                               params={"pacticipant": "consumer-7", "version": f"2.{n % 50}.0", "environment": "production"})
            assert answer.status_code == 200, answer.text
    finally:
        server.terminate()
        server.wait(timeout=20)
    durations = [json.loads(line)["duration_ms"] for line in log.read_text().splitlines()
                 if '"operation": "pactCanIDeploy"' in line][1:]  # the first reads the state file
    ms = statistics.median(durations)
    ok = ms < 100
    print(f"{'can-i-deploy, 200 pacticipants x 50 versions (server)':<52} {ms:7.1f} ms  (target < 100 ms)  {'ok' if ok else 'MISSED'}")
    return ok


def bench_for_verification(seconds: float = 4.0, connections: int = 16) -> bool:
    env = {**os.environ, "NO_COLOR": "1", "PACT_DO_NOT_TRACK": "true"}
    root = Path(__file__).resolve().parents[1]
    servers: list[subprocess.Popen[bytes]] = []
    try:
        with serve_bench._postgres_database() as database:
            for name, version in (("checkout-web-orders.json", "2.3.1"), ("backoffice-job-orders.json", "1.0.0")):
                subprocess.run([*APIGOV, "pact", "publish", str(root / "examples/shop/pacts" / name), "--consumer-version", version,
                                "-r", database], check=True, capture_output=True, env=env)
            token = _token(database, env)
            bare_port, port = serve_bench._free_port(), serve_bench._free_port()
            servers.append(subprocess.Popen([sys.executable, "-c", serve_bench.BARE_APP, str(bare_port)], env=env))
            servers.append(subprocess.Popen([*APIGOV, "serve", "-r", database, "--port", str(port), "--log-level", "warning"], env=env))
            serve_bench._wait(bare_port, servers[0])
            serve_bench._wait(port, servers[1])

            def rate(port_: int, path: str) -> float:
                done = subprocess.run([sys.executable, "-c", serve_bench.LOAD, "127.0.0.1", str(port_), path, token, str(seconds), str(connections)],
                                      capture_output=True, text=True, timeout=seconds * 4 + 60, check=True)
                result = json.loads(done.stdout)
                if result["failed"] or not result["ok"]:
                    raise SystemExit(f"answers other than 200: {result}")
                return float(result["ok"]) / float(result["seconds"])

            bare = max(rate(bare_port, "/v1/subjects/orders-api/versions/latest") for _ in range(2))
            ours = max(rate(port, "/pact/pacts/provider/orders/for-verification") for _ in range(2))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    ratio = ours / bare
    ok = ratio >= 0.5
    print(f"{'pacts for verification, PostgreSQL':<52} {ours:7.0f} req/s  bare {bare:7.0f} req/s  ratio {ratio:.2f} (target >= 0.50)  {'ok' if ok else 'MISSED'}")
    return ok


def main() -> list[bool]:
    with tempfile.TemporaryDirectory(prefix="apigov-bench-pacts-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        results = [bench_check(work), bench_can_i_deploy(work), bench_for_verification()]
        print(f"(pact benchmarks took {time.perf_counter() - started:.0f} s)")
        return results


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
