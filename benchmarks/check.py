"""`apigov check` speed: start-up on a small spec, and the largest corpus spec against
openapi-spec-validator alone, each with its baseline measured in the same run.

Targets (issue 2): `apigov --version` and `apigov check` on a small spec under 0.3 s wall;
`apigov check` on the largest corpus spec at most 1.5x openapi-spec-validator alone.

Scale (issue 13, item 18), with ``--scale``: seconds and seconds per MB of `apigov check` on the
largest spec of each corpus provider and on generated large specs (a ``oneOf`` of 15,000
branches; the multi-file spec of :mod:`benchmarks.multifile`), against openapi-spec-validator
alone and Redocly CLI's ``lint`` in the same run. Redocly is not a dependency: the benchmark
installs it for itself (``REDOCLY_PACKAGE``, a pinned version, with npm into ``.bench-node/redocly``
on first use), or uses the binary named in ``REDOCLY``; without npm that column is left out. Goals: apigov <= 1.0x openapi-spec-validator on the corpus, and no slower than
Redocly on every corpus spec.

Measured here (2 shared cores, busy: load average 6-11; runs=1 after a warm-up; 2026-12-06),
after the official schema is answered by jsonschema-rs and openapi-spec-validator's semantic
checks are walked over the plain document (before: box 3.10 s, github 6.23, kubernetes 10.06,
stripe 11.45, twilio 3.91; 1.95x and 3.12x Redocly on kubernetes and stripe)::

    spec                                             MB  apigov s   s/MB   osv s  x osv redocly s x redocly
    box/2026-01-27.json                            1.74      2.59   1.49   10.74   0.24     12.38      0.21
    github/2022-07-18_v6.7.1.json                  4.04      4.83   1.20   22.34   0.22     28.24      0.17
    kubernetes/release-1.36.json                   4.11      1.71   0.42   35.79   0.05      7.76      0.22
    petstore/v3-1.0.26.yaml                        0.02      2.78 120.14    0.70   3.97      1.41      1.97
    stripe/2022-04-12_v127.json                    4.17      3.98   0.95   22.22   0.18     11.28      0.35
    twilio/2025-08-28_2.4.2_api_v2010.json         2.14      5.88   2.75    9.34   0.63     14.54      0.40
    generated: oneOf of 15,000 branches            2.23     10.76   4.82  125.63   0.09   1063.03      0.01
    generated: multi-file, 1,506 files             0.50     17.83  35.80       -      -      5.79      3.08

Box, GitHub and Kubernetes were then still reported structurally invalid by a false "path
parameter not resolved" / "required list" error (local ``$ref`` not followed; fixed next), so
their lint did not run. Measured after that fix, one run each, `apigov check` then `redocly
lint`: box 3.17 s / 5.02 s, github 4.94 s / 9.87 s, kubernetes 1.68 s / 3.49 s (CPU 0.71 / 1.54,
1.35 / 4.22, 0.81 / 1.84 s). Petstore's row is start-up under load: measured alone right after, three times each, `apigov
check` took 0.90-1.19 s and `redocly lint` 1.06-1.61 s. Kubernetes 1.36 is invalid (its first
200 structural errors are reported, then the check stops looking). Not met: the multi-file spec
(not a corpus spec) is 3x Redocly: loading 1,506 files, not validation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._timing import APIGOV, CORPUS, ROOT, compile_bytecode, row, wall

SMALL = ROOT / "tests" / "data" / "rules" / "_clean" / "openapi.yaml"
OSV_ALONE = (
    "import sys, json\n"
    "from openapi_spec_validator import validate\n"
    "with open(sys.argv[1], 'rb') as f: validate(json.loads(f.read()))\n"
)


def largest_spec() -> str:
    specs = sorted(
        (p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml")), key=lambda p: p.stat().st_size
    )
    if not specs:
        raise SystemExit(f"no corpus at {CORPUS}")
    return str(specs[-1])


def main() -> list[bool]:
    compile_bytecode()
    python_only = wall([sys.executable, "-c", "pass"])
    osv_import = wall([sys.executable, "-c", "import openapi_spec_validator"])
    version = wall([*APIGOV, "--version"])
    small = wall([*APIGOV, "check", str(SMALL)])
    results = [version < 0.3, small < 0.3]
    print(row("apigov --version", version, "python -c pass", python_only, "< 0.3 s", results[0]))
    print(
        row(f"apigov check {SMALL.name} (small)", small, "python -c pass", python_only, "< 0.3 s", results[1])
    )
    print(
        row(
            "  of which the floor:",
            osv_import,
            "python -c 'import openapi_spec_validator'",
            osv_import,
            "-",
            True,
        )
    )
    big = largest_spec()
    name = big.split("/corpus/")[-1]
    osv = wall([sys.executable, "-c", OSV_ALONE, big], runs=3)
    ours = wall([*APIGOV, "check", big, "--format", "json", "--fail-on", "none"], runs=3)
    results.append(ours <= 1.5 * osv)
    print(row(f"apigov check {name}", ours, "openapi-spec-validator alone", osv, "<= 1.5x", results[-1]))
    return results


def big_one_of(path: Path, branches: int = 15_000) -> Path:
    """A single document whose one schema is a ``oneOf`` of ``branches`` small objects."""
    schemas = [
        {
            "type": "object",
            "required": [f"k{i}"],
            "properties": {
                f"k{i}": {"type": "string", "maxLength": 64},
                "n": {"type": "integer", "default": i},
            },
        }
        for i in range(branches)
    ]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"Big": {"oneOf": schemas}}},
    }
    path.write_text(json.dumps(spec))
    return path


def _corpus_specs() -> list[Path]:
    """The largest spec of each corpus provider."""
    found: list[Path] = []
    for provider in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        specs = sorted(
            (p for p in provider.iterdir() if p.suffix in (".json", ".yaml")), key=lambda p: p.stat().st_size
        )
        if specs:
            found.append(specs[-1])
    return found


REDOCLY_PACKAGE = "@redocly/cli@2.77.0"
REDOCLY_DIR = ROOT / ".bench-node" / "redocly"


def redocly_binary() -> str | None:
    """``REDOCLY``, else Redocly CLI installed for the benchmark (on first use); ``None`` without npm."""
    named = os.environ.get("REDOCLY")
    if named:
        return named if Path(named).is_file() else None
    binary = REDOCLY_DIR / "node_modules" / ".bin" / "redocly"
    if binary.exists():
        return str(binary)
    npm = shutil.which("npm")
    if npm is None:
        return None
    REDOCLY_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(REDOCLY_DIR), REDOCLY_PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not binary.exists():
        print(f"(could not install {REDOCLY_PACKAGE}: {result.stderr.strip()[-200:]})")
        return None
    return str(binary)


def scale(runs: int = 1) -> list[bool]:
    """The scale table; returns whether each corpus spec met both goals."""
    found = redocly_binary()
    have_redocly = found is not None
    redocly = found or ""
    os.environ.setdefault("REDOCLY_TELEMETRY", "off")
    os.environ.setdefault("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
    results: list[bool] = []
    header = f"{'spec':<44} {'MB':>6} {'apigov s':>9} {'s/MB':>6} {'osv s':>7} {'x osv':>6}"
    if have_redocly:
        header += f" {'redocly s':>9} {'x redocly':>9}"
    print(header)
    with tempfile.TemporaryDirectory(prefix="apigov-bench-") as temp:
        from benchmarks.multifile import generate

        generated = [
            ("generated: oneOf of 15,000 branches", big_one_of(Path(temp) / "big-oneof.json"), False),
            ("generated: multi-file, 1,506 files", generate(Path(temp) / "fleet", resources=300), False),
        ]
        targets = [(str(p).split("/corpus/")[-1], p, True) for p in _corpus_specs()] + generated
        for name, path, corpus in targets:
            size = (
                sum(f.stat().st_size for f in path.parent.rglob("*") if f.is_file())
                if "fleet" in str(path)
                else path.stat().st_size
            )
            megabytes = size / 1e6
            ours = wall([*APIGOV, "check", str(path), "--format", "json", "--fail-on", "none"], runs=runs)
            line = f"{name:<44} {megabytes:6.2f} {ours:9.2f} {ours / megabytes:6.2f}"
            osv = None
            if "fleet" not in str(path):  # openapi-spec-validator alone reads single documents only
                osv = wall([sys.executable, "-c", OSV_ALONE, str(path)], runs=runs)
                line += f" {osv:7.2f} {ours / osv:6.2f}"
            else:
                line += f" {'-':>7} {'-':>6}"
            red = None
            if have_redocly:
                red = wall([redocly, "lint", str(path)], runs=runs, ok=(0, 1))
                line += f" {red:9.2f} {ours / red:9.2f}"
            print(line, flush=True)
            if corpus:
                results.append((osv is None or ours <= osv) and (red is None or ours <= red))
    return results


if __name__ == "__main__":
    if "--scale" in sys.argv[1:]:
        sys.exit(0 if all(scale()) else 1)
    sys.exit(0 if all(main()) else 1)
