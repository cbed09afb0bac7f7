"""A real git repository in a temporary directory, for tests of git sources.

Identity comes from ``-c user.name/-c user.email`` and the ``GIT_AUTHOR_*`` / ``GIT_COMMITTER_*``
variables, and global or system configuration is ignored, so it works on a clean CI machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

_ENV = {
    "GIT_AUTHOR_NAME": "apigov tests",
    "GIT_AUTHOR_EMAIL": "tests@apigov.invalid",
    "GIT_COMMITTER_NAME": "apigov tests",
    "GIT_COMMITTER_EMAIL": "tests@apigov.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitRepo:
    @staticmethod
    def require_git() -> None:
        """Skip the test when git is not installed; under CI=true, fail it (CI must have git)."""
        if shutil.which("git") is None:
            if os.environ.get("CI") == "true":
                pytest.fail("git is not installed")
            pytest.skip("git is not installed")

    def __init__(self, root: Path) -> None:
        self.require_git()
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=apigov tests", "-c", "user.email=tests@apigov.invalid", *args],
            cwd=self.root,
            env={**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **_ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def commit(self, message: str, files: dict[str, str] | None = None) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()
