"""`apigov fuzz` overhead over running `schemathesis run` directly.

Target (issue 15): the wall time of `apigov fuzz` on the shop's orders service (v1, the correct
one, `examples/shop/services`) at most 1.2x that of `schemathesis run` with the same seed,
examples per operation, phases and checks, measured in the same run, taking turns; each keeps
its best of `--runs` (on a shared machine other work only ever adds time; the medians are
printed too). apigov's extra work: bundling and checking the contract, the reachability probe, a
child process, and replaying failures (none here).

Run: `python benchmarks/fuzz.py` (or `make bench`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._timing import APIGOV, ROOT

SPEC = ROOT / "examples" / "shop" / "orders" / "v1" / "openapi.yaml"


def _timed(argv: list[str], cwd: str) -> float:
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} ... exited {done.returncode}: {(done.stdout + done.stderr)[-800:]}")
    return elapsed


def main(examples: int = 5, runs: int = 5, seed: int = 1) -> list[bool]:
    sys.path.insert(0, str(ROOT))
    from apigov.fuzz.model import DEFAULT_CHECKS
    from examples.shop.services import start

    checks = ",".join(DEFAULT_CHECKS)
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    work = tempfile.mkdtemp(prefix="apigov-bench-fuzz-")
    try:
        with start("orders") as url:
            ours_argv = [*APIGOV, "fuzz", str(SPEC), "--base-url", url, "--auth", "bearer:shop-token", "--seed",
                         str(seed), "-n", str(examples), "--checks", checks, "--no-progress"]
            theirs_argv = [schemathesis, "run", str(SPEC), "--url", url, "-H", "Authorization: Bearer shop-token",
                           "--seed", str(seed), "--max-examples", str(examples), "--checks", checks]
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(runs):
                theirs.append(_timed(theirs_argv, work))
                ours.append(_timed(ours_argv, work))
        ratio = min(ours) / min(theirs)
        ok = ratio <= 1.2
        print(
            f"{'apigov fuzz orders v1, -n ' + str(examples):<44} {min(ours):8.1f} s   "
            f"schemathesis run {min(theirs):8.1f} s   ratio {ratio:.2f} (target <= 1.20)  "
            f"{'ok' if ok else 'MISSED'}   (medians {statistics.median(ours):.1f} s / "
            f"{statistics.median(theirs):.1f} s)"
        )
        return [ok]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    sys.exit(0 if all(main(options.examples, options.runs)) else 1)
