"""Running the real ``apigov`` CLI in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def apigov(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("APIGOV_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_input_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, exactly one line on stderr, no traceback, and the line says what is wrong."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("apigov: error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
