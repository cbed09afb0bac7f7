"""Client generation: apigov vs openapi-python-client on the GitHub corpus spec, and import time.

Run: ``python benchmarks/clients.py [--baseline-venv DIR]``. openapi-python-client is installed
only into its own virtual environment (default /tmp/apigov-bench-opc, created on first use with
pip), never into apigov's. Both generators run in this process's run, one after the other, on
the same file; the generated GitHub client's import time is measured in a fresh interpreter with
its bytecode compiled first (as an installed package has). Targets: faster than the baseline,
import < 0.5 s (CPU time).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "corpus" / "github" / "2022-07-18_v6.7.1.json"
IMPORT_TARGET = 0.5


def _apigov(out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "apigov",
            "generate",
            "client",
            "--lang",
            "python",
            str(SPEC),
            "-o",
            str(out),
            "--package-name",
            "github_client",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"apigov failed: {done.stderr}")
    return elapsed


def _baseline(venv: Path, out: Path) -> float | None:
    binary = venv / "bin" / "openapi-python-client"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "openapi-python-client"], check=False
        )
        if installed.returncode != 0:
            return None
    start = time.perf_counter()
    subprocess.run(
        [str(binary), "generate", "--path", str(SPEC), "--output-path", str(out), "--overwrite"],
        capture_output=True,
        text=True,
        check=False,
        cwd=out.parent,
    )
    return time.perf_counter() - start


def _import_time(folder: Path) -> float:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "github_client"], cwd=folder, check=True)
    probe = "import time; t = time.process_time(); import github_client; print(time.process_time() - t)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    return float(done.stdout.strip())


def main(argv: list[str] | None = None) -> list[bool]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-venv", type=Path, default=Path("/tmp/apigov-bench-opc"))
    args = parser.parse_args(argv)
    if not SPEC.is_file():
        print(f"clients: skipped, no corpus at {SPEC}")
        return [True]
    with tempfile.TemporaryDirectory() as tmp:
        ours = _apigov(Path(tmp) / "ours")
        theirs = _baseline(args.baseline_venv, Path(tmp) / "theirs")
        imported = _import_time(Path(tmp) / "ours")
    print(f"clients: apigov generates the GitHub client in {ours:.2f} s")
    ok = [imported < IMPORT_TARGET]
    if theirs is None:
        print("clients: openapi-python-client could not be installed; no baseline")
    else:
        print(f"clients: openapi-python-client takes {theirs:.2f} s ({theirs / ours:.1f}x apigov)")
        ok.append(ours < theirs)
    print(
        f"clients: importing the generated GitHub client costs {imported:.3f} s CPU (target < {IMPORT_TARGET} s)"
    )
    return ok


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
