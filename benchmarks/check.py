"""`apigov check` speed: start-up on a small spec, and the largest corpus spec against
openapi-spec-validator alone, each with its baseline measured in the same run.

Targets (issue 2): `apigov --version` and `apigov check` on a small spec under 0.3 s wall;
`apigov check` on the largest corpus spec at most 1.5x openapi-spec-validator alone.
"""

from __future__ import annotations

import sys

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


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
