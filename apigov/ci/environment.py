"""What a GitHub Actions job tells a step: the ``GITHUB_*`` variables and the event payload.

Only the variables the gate uses are read. ``GITHUB_EVENT_NAME`` and ``GITHUB_EVENT_PATH`` are
required (without them this is not a job, and the pull request is unknown); the others are
optional and each says what it enables: ``GITHUB_STEP_SUMMARY`` the job summary,
``GITHUB_OUTPUT`` the step outputs, ``GITHUB_TOKEN`` + ``GITHUB_API_URL`` + ``GITHUB_REPOSITORY``
the pull-request comment (no network access without all three). The token is kept out of
``repr`` and never appears in a message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from apigov.core._types import JSONValue
from apigov.core.errors import InputError

#: A recorded event larger than this is refused (GitHub's payloads are far smaller).
MAX_EVENT_BYTES: Final = 32 * 1024 * 1024
PULL_REQUEST_EVENTS: Final = frozenset({"pull_request", "pull_request_target"})
_NO_COMMIT: Final = "0" * 40
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})
_HINT: Final = "run inside GitHub Actions, or set it (GITHUB_EVENT_PATH: a recorded event's JSON file)"


@dataclass(frozen=True, slots=True)
class PullRequest:
    """The pull request an event is about."""

    number: int
    base_sha: str | None
    base_ref: str | None
    from_fork: bool
    #: the pull request's head commit (GITHUB_SHA of a pull_request event is a merge commit)
    head_sha: str | None = None


@dataclass(frozen=True, slots=True)
class GithubEnvironment:
    event_name: str
    event: Mapping[str, JSONValue]
    repository: str | None = None
    api_url: str | None = None
    token: str | None = field(default=None, repr=False)
    step_summary: Path | None = None
    output: Path | None = None
    base_ref: str | None = None
    sha: str | None = None
    workspace: Path | None = None

    @property
    def pull_request(self) -> PullRequest | None:
        """The pull request of a ``pull_request`` or ``pull_request_target`` event, else ``None``."""
        if self.event_name not in PULL_REQUEST_EVENTS:
            return None
        pr = self.event.get("pull_request")
        if not isinstance(pr, dict):
            raise InputError(
                f"the {self.event_name} event has no pull_request object", source="GITHUB_EVENT_PATH"
            )
        number = pr.get("number", self.event.get("number"))
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise InputError("the event's pull_request has no number", source="GITHUB_EVENT_PATH")
        base, head = pr.get("base"), pr.get("head")
        base_sha = base_ref = None
        base_repo = head_repo = head_sha = None
        if isinstance(base, dict):
            base_sha = _string(base.get("sha"))
            base_ref = _string(base.get("ref"))
            base_repo = _repo_name(base.get("repo"))
        if isinstance(head, dict):
            head_repo = _repo_name(head.get("repo"))
            head_sha = _string(head.get("sha"))
        from_fork = head_repo is not None and base_repo is not None and head_repo != base_repo
        return PullRequest(
            number=number, base_sha=base_sha, base_ref=base_ref, from_fork=from_fork, head_sha=head_sha
        )

    @property
    def push_before(self) -> str | None:
        """The commit the change started from, for events that are not about a pull request: a
        ``push`` (``before``; ``None`` for a new branch) or a merge queue's ``merge_group``
        (``base_sha``)."""
        if self.event_name == "push":
            before = _string(self.event.get("before"))
            return None if before in (None, _NO_COMMIT) else before
        if self.event_name == "merge_group":
            group = self.event.get("merge_group")
            return _string(group.get("base_sha")) if isinstance(group, dict) else None
        return None

    def api(self) -> tuple[str, str, str] | None:
        """``(api_url, repository, token)`` when a comment can be posted, else ``None``."""
        if not (self.token and self.api_url and self.repository):
            return None
        return self.api_url.rstrip("/"), self.repository, self.token


def _string(value: JSONValue | None) -> str | None:
    return value if isinstance(value, str) and value else None


def _repo_name(repo: JSONValue | None) -> str | None:
    return _string(repo.get("full_name")) if isinstance(repo, dict) else None


def _path(environ: Mapping[str, str], name: str) -> Path | None:
    value = environ.get(name)
    return Path(value) if value else None


def _check_api_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return url
    raise InputError(
        "GITHUB_API_URL must be an https:// URL (http:// only on a loopback address)",
        hint="the token is sent to it",
    )


def _check_repository(name: str) -> str:
    owner, sep, repo = name.partition("/")
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    if not sep or not owner or not repo or not set(owner + repo) <= allowed or repo in (".", ".."):
        raise InputError("GITHUB_REPOSITORY must read OWNER/REPO", hint="as GitHub Actions sets it")
    return name


def read_environment(environ: Mapping[str, str]) -> GithubEnvironment:
    """The job's environment; :class:`InputError` (one line) when it is not usable."""
    event_name = environ.get("GITHUB_EVENT_NAME", "")
    if not event_name:
        raise InputError("GITHUB_EVENT_NAME is not set", hint=_HINT)
    event_path = environ.get("GITHUB_EVENT_PATH", "")
    if not event_path:
        raise InputError("GITHUB_EVENT_PATH is not set", hint=_HINT)
    event = _read_event(Path(event_path))
    api_url = environ.get("GITHUB_API_URL") or None
    repository = environ.get("GITHUB_REPOSITORY") or None
    return GithubEnvironment(
        event_name=event_name,
        event=event,
        repository=_check_repository(repository) if repository else None,
        api_url=_check_api_url(api_url) if api_url else None,
        token=environ.get("GITHUB_TOKEN") or None,
        step_summary=_path(environ, "GITHUB_STEP_SUMMARY"),
        output=_path(environ, "GITHUB_OUTPUT"),
        base_ref=environ.get("GITHUB_BASE_REF") or None,
        sha=environ.get("GITHUB_SHA") or None,
        workspace=_path(environ, "GITHUB_WORKSPACE"),
    )


def _read_event(path: Path) -> Mapping[str, JSONValue]:
    shown = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_EVENT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read the event (GITHUB_EVENT_PATH): {exc.strerror or exc}", source=shown
        ) from exc
    if len(raw) > MAX_EVENT_BYTES:
        raise InputError(f"the event is larger than {MAX_EVENT_BYTES} bytes", source=shown)
    try:
        event = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError("the event (GITHUB_EVENT_PATH) is not JSON", source=shown) from exc
    if not isinstance(event, dict):
        raise InputError("the event (GITHUB_EVENT_PATH) is not a JSON object", source=shown)
    return event
