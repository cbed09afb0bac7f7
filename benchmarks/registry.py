"""`apigov registry list` on a large directory registry, with its baselines measured in the same run.

Target (issue 5): 1,000 subjects x 20 versions listed in under 1 s wall on the directory backend.
The registry is made once per run: one subject of 20 versions published through the directory
backend, then copied under 999 more names (the same files a publish writes).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks._timing import APIGOV, compile_bytecode, row, wall

SUBJECTS = 1_000
VERSIONS = 20
SCANDIR = (
    "import os, sys\n"
    "n = 0\n"
    "for e in os.scandir(sys.argv[1]):\n"
    "    if e.is_dir():\n"
    "        n += sum(1 for _ in os.scandir(e.path))\n"
)


def build(root: Path) -> None:
    from apigov.registry.base import SemVer, VersionMeta
    from apigov.registry.filesystem import DirectoryBackend

    backend = DirectoryBackend(root)
    previous = None
    for minor in range(VERSIONS):
        version = SemVer(1, minor, 0)
        schema = {"type": "string", "enum": [f"v{i}" for i in range(minor + 1)]}
        content = (json.dumps(schema, indent=2) + "\n").encode()
        backend.put_version(
            "subject-0000",
            version,
            kind="jsonschema",
            content_format="json",
            content=content,
            digest=f"sha256:{minor:064x}",
            meta=VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="bench"),
            expected_latest=previous,
        )
        previous = version
    template = root / "subject-0000"
    index = json.loads((template / "subject.json").read_text())
    for number in range(1, SUBJECTS):
        name = f"subject-{number:04d}"
        shutil.copytree(template, root / name)
        index["subject"] = name
        (root / name / "subject.json").write_text(json.dumps(index, indent=2) + "\n")


def main() -> list[bool]:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="apigov-bench-registry-") as temp:
        root = Path(temp) / "contracts"
        build(root)
        python_only = wall([sys.executable, "-c", "pass"])
        scandir = wall([sys.executable, "-c", SCANDIR, str(root)])
        listing = wall([*APIGOV, "registry", "list", "--registry", str(root)])
        as_json = wall([*APIGOV, "registry", "list", "--registry", str(root), "--format", "json"])
    results = [listing < 1.0, as_json < 1.0]
    name = f"apigov registry list ({SUBJECTS} x {VERSIONS})"
    print(row(name, listing, "python -c pass", python_only, "< 1 s", results[0]))
    print(row("  --format json", as_json, "os.scandir of the tree", scandir, "< 1 s", results[1]))
    return results


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
