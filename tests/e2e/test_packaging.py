"""What a user gets from the package: ``python -m build`` makes a wheel and an sdist, and the wheel
installed with pipx into a clean environment (no extras) gives a working ``apigov`` that names the
extra a missing feature needs.

Slow (a build and an install from the package index): ``make test-slow``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(ROOT)], cwd=out)
    return out


def test_build_makes_a_wheel_and_an_sdist_with_the_package_data(dist: Path) -> None:
    (wheel,) = dist.glob("apigov-*.whl")
    (sdist,) = dist.glob("apigov-*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("apigov/py.typed", "apigov/server/openapi.yaml", "generators/py.typed"):
        assert needed in names, needed
    assert not any(name.startswith("tests/") for name in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert b"Provides-Extra: all" in metadata and b"Provides-Extra: server" in metadata
    with tarfile.open(sdist) as archive:
        members = {member.name.split("/", 1)[1] for member in archive.getmembers() if "/" in member.name}
    assert {"pyproject.toml", "README.md", "apigov/cli/main.py"} <= members


def test_the_wheel_installed_with_pipx_works_and_names_missing_extras(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("apigov-*.whl")
    home, bin_dir = tmp_path / "pipx-home", tmp_path / "bin"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "PIPX_HOME": str(home),
        "PIPX_BIN_DIR": str(bin_dir),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
        "NO_COLOR": "1",
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    pipx = [sys.executable, "-m", "pipx"]
    _run([*pipx, "install", "--python", sys.executable, str(wheel)], cwd=tmp_path, env=env)
    apigov = bin_dir / "apigov"
    assert apigov.is_file()

    version = _run([str(apigov), "--version"], cwd=tmp_path, env=env)
    assert version.startswith("apigov ")
    # the installed copy, not this checkout
    where = _run(
        [str(home / "venvs" / "apigov" / "bin" / "python"), "-c", "import apigov; print(apigov.__file__)"],
        cwd=tmp_path,
        env=env,
    )
    assert str(home) in where

    check = subprocess.run(
        [str(apigov), "check", "--fail-on", "none"],
        cwd=SHOP,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert "Traceback" not in check.stderr

    # no extra installed: serve and an http registry say which extra, exit 2, one line
    for args, extra in (
        (["serve", "--registry", str(tmp_path / "reg"), "--port", "0"], "server"),
        (["registry", "list", "--registry", "http://127.0.0.1:9"], "server"),
        (["registry", "list", "--registry", "postgresql://u@127.0.0.1:9/db"], "postgres"),
    ):
        result = subprocess.run(
            [str(apigov), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert f"needs the optional '{extra}' extra" in lines[0]
        assert lines[0].endswith(f"pip install 'apigov[{extra}]'")
