"""`apigov diff` speed and memory on every pair of ../shared/corpus/pairs.txt, with the baselines
measured in the same run.

Run: `python benchmarks/diff.py [--only TEXT] [--runs N] [--no-npm] [--npm-timeout SECONDS]`.

Per pair it prints:

- **safe load**: apigov's own reading of both files alone (duplicate keys, nesting depth, lone
  surrogates refused; no references, no diff), median of several runs in this process: the
  baseline of the targets; beside it the fastest bare parse with the parsers installed (orjson or
  the standard json module for `.json`; PyYAML's C loader for `.yaml`), for information;
- **diff**: `apigov diff` of the pair as a library call (load, bundle, compare, judge, render the
  JSON report), median of `--runs` runs in this process, and the ratio diff / safe load
  (target 4.0; the first target, 2.0 against the bare parse, could not be met by a safe reader);
- **cli**: the wall time of the `apigov diff --format json` command, process start included, and
  the same for a process that only loads both files (for the user's view; not the target);
- **memory**: the peak of Python allocations during one diff (tracemalloc) over the peak of
  apigov's safe load of both files alone (target 2.0), beside both as multiples of the files'
  size;
- **cpu**: the same ratio as **diff** in CPU seconds of this process (``time.process_time``),
  which other work on a shared machine disturbs far less than wall time (for information; the
  verdict is the wall-time one);
- **openapi-diff**: the wall time of the `openapi-diff` npm package (installed on first use into
  `.bench-node/`) on the same pair, or how it failed (out of memory, a parse error, the timeout),
  and whether apigov was faster.

Exit 1 when a target is missed (the script always prints every row first).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson
import yaml

from apigov.config.project import Config
from apigov.documents.load import load_file
from apigov.report.base import RenderOptions
from apigov.report.formatters import FORMATTERS
from apigov.rules.run import DiffRequest, diff_sources
from benchmarks._timing import APIGOV, CORPUS, ROOT, compile_bytecode

TIME_TARGET = 4.0
"""diff / apigov's safe load of both files."""
MEMORY_TARGET = 2.0
"""peak allocations of the diff / peak allocations of apigov's safe load of both files."""
NPM_PACKAGE = "openapi-diff@0.24.1"
NODE_DIR = ROOT / ".bench-node"


def corpus_pairs() -> list[tuple[Path, Path]]:
    listing = CORPUS / "pairs.txt"
    if not listing.is_file():
        raise SystemExit(f"no corpus at {CORPUS}")
    pairs = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            old, new = line.split()
            pairs.append((CORPUS / old, CORPUS / new))
    return pairs


def median_seconds(
    work: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(runs):
        started = clock()
        work()
        times.append(clock() - started)
    return statistics.median(times)


def _loader(path: Path, fast_json: Callable[[bytes], object]) -> Callable[[], object]:
    if path.suffix == ".json":
        return lambda: fast_json(path.read_bytes())
    return lambda: yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def load_baseline(old: Path, new: Path, runs: int) -> tuple[float, str]:
    """The fastest installed way to parse both files, and its name."""
    candidates: dict[str, Callable[[bytes], object]] = {"orjson": orjson.loads, "json": json.loads}
    best = (float("inf"), "")
    for name, parse in candidates.items():
        loaders = [_loader(old, parse), _loader(new, parse)]
        seconds = median_seconds(lambda loaders=loaders: [load() for load in loaders], runs)  # type: ignore[misc]
        label = name if old.suffix == ".json" or new.suffix == ".json" else "yaml.CSafeLoader"
        best = min(best, (seconds, label))
    return best


def diff_once(old: Path, new: Path) -> str:
    request = DiffRequest(base=str(old), revision=str(new), today=date(2026, 11, 21))
    report = diff_sources(request, Config(root=ROOT))
    out = io.StringIO()
    FORMATTERS["json"].render(report, out, RenderOptions())
    return out.getvalue()


def peak_allocations(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def cli_seconds(argv: list[str], runs: int) -> tuple[float, int]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - started)
        code = result.returncode
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {code}: {result.stderr.decode()[-300:]}")
    return statistics.median(times), code


LOAD_ONLY = (
    "import sys, orjson, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    data = open(name, 'rb').read()\n"
    "    orjson.loads(data) if name.endswith('.json') else yaml.load(data, Loader=yaml.CSafeLoader)\n"
)


def openapi_diff_binary() -> Path | None:
    binary = NODE_DIR / "node_modules" / ".bin" / "openapi-diff"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        return None
    NODE_DIR.mkdir(exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), NPM_PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not binary.exists():
        print(f"(could not install {NPM_PACKAGE}: {result.stderr.strip()[-200:]})")
        return None
    return binary


def openapi_diff(binary: Path, old: Path, new: Path, timeout: float) -> tuple[float, str]:
    """Wall seconds and outcome (``ok``, ``timeout``, ``out of memory``, ``error: ...``)."""
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [str(binary), str(old), str(new)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, "timeout"
    seconds = time.perf_counter() - started
    text = result.stderr + result.stdout
    if result.returncode in (0, 1) and "Error" not in text[:2000]:
        return seconds, "ok"
    if "heap out of memory" in text or "Allocation failed" in text:
        return seconds, "out of memory"
    first = next((line for line in text.splitlines() if line.strip()), "failed")
    return seconds, "error: " + first.strip()[:90]


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    load: float
    parser: str
    diff: float
    cli: float
    cli_load: float
    safe_parse: float
    memory: float
    load_memory: float
    npm: tuple[float, str] | None
    cpu_diff: float = 0.0
    cpu_load: float = 0.0

    @property
    def safe_load(self) -> float:
        return self.safe_parse * self.load

    @property
    def ratio(self) -> float:
        return self.diff / self.safe_load

    @property
    def memory_ratio(self) -> float:
        return self.memory / self.load_memory

    def npm_verdict(self) -> bool:
        """apigov's command finished sooner than openapi-diff ran (to its end or its timeout);
        a pair openapi-diff cannot diff at all is no race (not counted as missed)."""
        if self.npm is None:
            return True
        seconds, outcome = self.npm
        if outcome in ("ok", "timeout"):
            return self.cli < seconds
        return True

    def lines(self) -> list[str]:
        ok = "ok" if self.ratio <= TIME_TARGET else "MISSED"
        mem = "ok" if self.memory_ratio <= MEMORY_TARGET else "MISSED"
        out = [
            f"{self.name}",
            f"  safe load {self.safe_load:7.3f} s   diff {self.diff:7.3f} s   "
            f"ratio {self.ratio:6.2f}  target <= {TIME_TARGET:.1f}  {ok}",
            f"  bare parse ({self.parser:<16}) {self.load:7.3f} s: safe load = {self.safe_parse:5.2f}x, "
            f"diff = {self.diff / self.load:5.2f}x",
            f"  cli wall: apigov diff {self.cli:7.3f} s   load-only process {self.cli_load:7.3f} s   "
            f"ratio {self.cli / self.cli_load:6.2f}",
            f"  memory: peak {self.memory_ratio:5.2f}x the safe load's peak  target <= {MEMORY_TARGET:.1f}  "
            f"{mem}   (diff {self.memory:5.1f}x, safe load {self.load_memory:4.1f}x the files)",
            f"  cpu (this process's CPU seconds: steadier than wall time on a busy machine): safe load "
            f"{self.cpu_load:7.3f} s   diff {self.cpu_diff:7.3f} s   ratio {self.cpu_diff / self.cpu_load:6.2f}  "
            f"target <= {TIME_TARGET:.1f}  {'ok' if self.cpu_diff <= TIME_TARGET * self.cpu_load else 'MISSED'}",
        ]
        if self.npm is not None:
            seconds, outcome = self.npm
            if self.npm[1] in ("ok", "timeout"):
                faster = "ok" if self.npm_verdict() else "MISSED"
            else:
                faster = "n/a (openapi-diff gave no diff)"
            out.append(
                f"  openapi-diff (npm): {seconds:7.3f} s, {outcome}   apigov {self.cli:.3f} s   "
                f"faster: {faster}"
            )
        return out


def measure(old: Path, new: Path, runs: int, npm: Path | None, npm_timeout: float) -> Row:
    size = old.stat().st_size + new.stat().st_size
    load, parser = load_baseline(old, new, max(runs, 5))
    diff_once(old, new)  # warm: imports and lazy tables, as a long-lived process would have them
    diff = median_seconds(lambda: diff_once(old, new), runs)
    safe_parse = median_seconds(lambda: [load_file(p) for p in (old, new)], max(runs, 5)) / load
    memory = peak_allocations(lambda: diff_once(old, new)) / size
    load_memory = peak_allocations(lambda: [load_file(p) for p in (old, new)]) / size
    cli, _ = cli_seconds([*APIGOV, "diff", str(old), str(new), "--format", "json"], runs)
    cli_load, _ = cli_seconds([sys.executable, "-c", LOAD_ONLY, str(old), str(new)], runs)
    cpu_diff = median_seconds(lambda: diff_once(old, new), runs, time.process_time)
    cpu_load = median_seconds(lambda: [load_file(p) for p in (old, new)], max(runs, 5), time.process_time)
    npm_result = openapi_diff(npm, old, new, npm_timeout) if npm is not None else None
    name = f"{old.relative_to(CORPUS)} -> {new.relative_to(CORPUS)}"
    return Row(
        name,
        load,
        parser,
        diff,
        cli,
        cli_load,
        safe_parse,
        memory,
        load_memory,
        npm_result,
        cpu_diff,
        cpu_load,
    )


def main(argv: list[str] | None = None) -> list[bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", default="", help="only the pairs whose file names contain this text")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--no-npm", action="store_true", help="skip the openapi-diff comparison")
    parser.add_argument(
        "--npm-timeout", type=float, default=60.0, help="seconds before openapi-diff is stopped"
    )
    options = parser.parse_args(argv)
    compile_bytecode()
    npm = None if options.no_npm else openapi_diff_binary()
    results: list[bool] = []
    for old, new in corpus_pairs():
        if options.only not in f"{old} {new}":
            continue
        row = measure(old, new, options.runs, npm, options.npm_timeout)
        print("\n".join(row.lines()), flush=True)
        results += [row.ratio <= TIME_TARGET, row.memory_ratio <= MEMORY_TARGET, row.npm_verdict()]
    return results


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
