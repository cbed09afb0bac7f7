"""Wall-clock timing of whole commands, the way a user or CI experiences them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
APIGOV = [sys.executable, "-m", "apigov"]


def compile_bytecode() -> None:
    """Compile apigov's bytecode, as ``pip install`` does, so runs measure what users see
    (some sandboxes set PYTHONDONTWRITEBYTECODE, which would make every run recompile)."""
    import compileall

    for package in ("apigov", "generators"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def wall(argv: Sequence[str], *, runs: int = 7, ok: Sequence[int] = (0, 1)) -> float:
    """Median wall time of ``argv`` over ``runs`` runs (after one warm-up run)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: list[float] = []
    for index in range(runs + 1):
        started = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, env=env, check=False)
        elapsed = time.perf_counter() - started
        if result.returncode not in ok:
            raise SystemExit(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
        if index:
            times.append(elapsed)
    return statistics.median(times)


def row(name: str, value: float, baseline_name: str, baseline: float, target: str, passed: bool) -> str:
    ratio = value / baseline if baseline else float("inf")
    verdict = "ok" if passed else "MISSED"
    return (
        f"{name:<44} {value:8.3f} s   {baseline_name:<34} {baseline:8.3f} s   "
        f"ratio {ratio:5.2f}   target {target:<10} {verdict}"
    )
