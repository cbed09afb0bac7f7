"""Client generation: apigov vs openapi-python-client on the GitHub corpus spec, and import time.

Run: ``python benchmarks/clients.py [--baseline-venv DIR]``. openapi-python-client is installed
only into its own virtual environment (default /tmp/apigov-bench-opc, created on first use with
pip), never into apigov's. Both generators run in this process's run, one after the other, on
the same file; the generated GitHub client's import time is measured in a fresh interpreter with
its bytecode compiled first (as an installed package has). Times are CPU time (user + system of
the child; the machine is shared), best of two. Targets: faster than the baseline, import < 0.5 s.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "corpus" / "github" / "2022-07-18_v6.7.1.json"
IMPORT_TARGET = 0.5


def _cpu(run: list[str], cwd: Path | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall time and CPU time (user + system of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(run, capture_output=True, text=True, check=False, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def _apigov(out: Path) -> float:
    command = [
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
    ]
    wall, cpu, done = _cpu([*command, "--package-name", "github_client"])
    if done.returncode != 0:
        raise SystemExit(f"apigov failed: {done.stderr}")
    print(f"clients: apigov: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return cpu


def _baseline(venv: Path, out: Path) -> float | None:
    binary = venv / "bin" / "openapi-python-client"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "openapi-python-client"], check=False
        )
        if installed.returncode != 0:
            return None
    # its default configuration refuses the GitHub spec (enum keys that collide); Literal enums work
    config = out.parent / "opc-config.yaml"
    config.write_text("literal_enums: true\n")
    command = [str(binary), "generate", "--path", str(SPEC), "--output-path", str(out), "--overwrite"]
    wall, cpu, done = _cpu([*command, "--config", str(config)], cwd=out.parent)
    if done.returncode != 0:
        print(f"clients: openapi-python-client failed (exit {done.returncode}): {done.stdout.strip()[-300:]}")
        return None
    print(f"clients: openapi-python-client: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return cpu


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
        ours = min(_apigov(Path(tmp) / "ours") for _ in range(2))
        runs = [_baseline(args.baseline_venv, Path(tmp) / "theirs") for _ in range(2)]
        theirs = min((r for r in runs if r is not None), default=None)
        imported = _import_time(Path(tmp) / "ours")
    ok = [imported < IMPORT_TARGET]
    if theirs is None:
        print("clients: no baseline (openapi-python-client missing or failing)")
    else:
        print(f"clients: openapi-python-client needs {theirs / ours:.1f}x apigov's CPU time")
        ok.append(ours < theirs)
    print(
        f"clients: importing the generated GitHub client costs {imported:.3f} s CPU (target < {IMPORT_TARGET} s)"
    )
    return ok


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
