"""Who publishes, when, and from which commit: the automatic part of a version's metadata.

The publisher: ``--publisher``, else ``APIGOV_PUBLISHER``, else git's ``user.email``, else the
login name. The commit and branch: the options, else CI variables (GitHub Actions, GitLab CI),
else ``git`` in the published file's directory (nothing when it is not in a repository).
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from apigov.documents.git import git_or_none
from apigov.registry.base import VersionMeta

_GIT_TIMEOUT: Final = 10.0
_SHA_VARS: Final = ("GITHUB_SHA", "CI_COMMIT_SHA")
_BRANCH_VARS: Final = ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME")


def _git(args: list[str], cwd: Path) -> str | None:
    done = git_or_none(args, cwd, timeout=_GIT_TIMEOUT)
    if done is None:
        return None
    text = done.stdout.decode("utf-8", "replace").strip()
    return text if done.returncode == 0 and text and "\n" not in text else None


def _env(names: tuple[str, ...]) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collect(
    file: Path, *, publisher: str | None = None, git_sha: str | None = None, git_branch: str | None = None
) -> VersionMeta:
    """The metadata of a publish of ``file`` made now (labels and changes are added later)."""
    cwd = file.absolute().parent
    sha = git_sha or _env(_SHA_VARS)
    branch = git_branch or _env(_BRANCH_VARS)
    if sha is None:
        sha = _git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd)
    if branch is None and sha is not None and git_sha is None:
        found = _git(["rev-parse", "--abbrev-ref", "HEAD"], cwd)
        branch = found if found != "HEAD" else None
    who = publisher or os.environ.get("APIGOV_PUBLISHER", "").strip() or _git(["config", "user.email"], cwd)
    if not who:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
    return VersionMeta(published_at=now(), publisher=who, git_sha=sha, git_branch=branch)
