"""`-o` writes through devices, FIFOs and `-`, replaces only regular files, and follows a
symlink to the file it names (issue 13, item 9)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.e2e._cli import apigov

SPEC = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths: {}
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec" / "orders.yaml"
    path.parent.mkdir()
    path.write_text(SPEC)
    return path


def test_dash_writes_to_standard_output(spec: Path, tmp_path: Path) -> None:
    result = apigov("check", str(spec), "-f", "json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"apigov": "check/1"' in result.stdout
    assert not (tmp_path / "-").exists()


def test_a_character_device_is_written_through_not_replaced(spec: Path, tmp_path: Path) -> None:
    # a device of our own: a symlink to /dev/null stands for /dev/stdout-like links
    link = tmp_path / "null-link"
    link.symlink_to("/dev/null")
    result = apigov("check", str(spec), "-o", str(link), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not list(Path("/dev").glob(".null.*.tmp"))


def test_a_link_to_standard_output_writes_into_the_pipe(spec: Path, tmp_path: Path) -> None:
    # what /dev/stdout is; a link of our own, so a failing run cannot replace the system's
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = apigov("check", str(spec), "-f", "json", "-o", str(link), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"apigov": "check/1"' in result.stdout
    assert link.is_symlink()


def test_a_fifo_is_written_through(spec: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = apigov("check", str(spec), "-f", "json", "-o", str(fifo), cwd=tmp_path, timeout=60)
    reader.join(timeout=5)
    if reader.is_alive():  # nothing was written into the FIFO: release the reader
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b'"apigov": "check/1"' in received[0]


def test_a_symlink_to_a_file_is_followed_and_kept(spec: Path, tmp_path: Path) -> None:
    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    result = apigov("check", str(spec), "-f", "json", "-o", str(link), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert '"apigov": "check/1"' in real.read_text()


def test_help_says_what_happens_to_special_files() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "apigov", "check", "--help"], capture_output=True, text=True, check=True
    )
    text = " ".join(result.stdout.split())
    assert "symlink" in text and "FIFO" in text and "'-'" in text
