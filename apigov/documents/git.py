"""Running git the one way apigov does: never through a shell, no standard input, its output
captured and its time bounded. Callers word the failures for their own reader."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Final

__all__ = ["GIT_TIMEOUT", "git_or_none", "run_git"]

GIT_TIMEOUT: Final = 120.0
"""Seconds a git command may take (a large repository's first ``git show`` can be slow)."""


def run_git(
    args: Sequence[str], cwd: Path, *, timeout: float = GIT_TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``; ``OSError`` (no git, no directory) and ``TimeoutExpired`` propagate."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        shell=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def git_or_none(
    args: Sequence[str], cwd: Path, *, timeout: float = GIT_TIMEOUT
) -> subprocess.CompletedProcess[bytes] | None:
    """:func:`run_git`, or ``None`` when git cannot be run or takes too long."""
    try:
        return run_git(args, cwd, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
