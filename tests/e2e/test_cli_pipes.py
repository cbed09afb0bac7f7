"""A reader that goes away early (`apigov rules | head -n 1`) is not an error: exit 0, nothing on
stderr, also when the output is larger than a pipe's buffer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [("rules",), ("rules", "--command", "diff"), ("rules", "--format", "json")])
def test_closed_stdout_is_a_clean_exit(args: tuple[str, ...]) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "apigov", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()  # the reader is gone; apigov still has most of its output to write
        code = process.wait(timeout=60)
        stderr = process.stderr.read().decode()
    assert code == 0, stderr
    assert stderr == ""
