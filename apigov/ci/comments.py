"""The one pull-request comment: found by its hidden marker, created once, then edited in place.

GitHub's REST API (issue comments: a pull request is an issue):
``GET /repos/{owner}/{repo}/issues/{number}/comments`` (paged, ``Link: rel="next"``),
``POST`` to the same URL to create, ``PATCH /repos/{owner}/{repo}/issues/comments/{id}`` to edit.
Only a comment whose body starts with the marker and whose author is ``author`` (the token's
identity: ``github-actions[bot]`` for the job's ``GITHUB_TOKEN``; empty to accept any author) is
edited, so a comment someone else wrote with the marker in it is never taken over. When there
are several, the oldest is edited and the others are left alone.

httpx is imported here, only when a comment is posted (the ``ci`` extra). Redirects are not
followed (the token goes to the API URL only), and the token never appears in an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from apigov.core.errors import ApigovError, InputError

if TYPE_CHECKING:
    import httpx

DEFAULT_AUTHOR: Final = "github-actions[bot]"
COMMENT_KEY_DEFAULT: Final = "default"
_KEY: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: A comment's address as GitHub answers it; anything else is not passed on (it becomes an output).
_URL: Final = re.compile(r"https?://[!-~]{1,2000}")
API_VERSION: Final = "2022-11-28"
#: Pages of 100 comments read at most when looking for the previous comment.
MAX_PAGES: Final = 50
_TIMEOUT: Final = 30.0


def marker(key: str) -> str:
    """The hidden first line of the comment, by which the next run finds it."""
    return f"<!-- apigov-ci: {key} -->"


def valid_key(key: str) -> bool:
    """A comment key: 1 to 64 letters, digits, ``.``, ``_`` or ``-`` (it goes into the marker)."""
    return _KEY.fullmatch(key) is not None


class CommentError(ApigovError):
    """The comments API refused or failed (exit 2: the token, its permissions or the URL are wrong).
    ``status``: the HTTP status GitHub answered (``None``: no answer)."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status

    @property
    def refused(self) -> bool:
        """GitHub said no to the token (a fork's read-only token gets 403)."""
        return self.status in (401, 403)


class MissingExtra(InputError):
    """An optional package is not installed."""


@dataclass(frozen=True, slots=True)
class Posted:
    """What happened: ``created`` or ``updated``, the comment's id and its address."""

    action: str
    comment_id: int
    url: str


def _client(api_url: str, token: str) -> httpx.Client:
    import httpx

    return httpx.Client(
        base_url=api_url,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "apigov-ci",
        },
        timeout=_TIMEOUT,
        follow_redirects=False,
    )


def _fail(what: str, response: httpx.Response) -> CommentError:
    hint = None
    if response.status_code in (401, 403, 404):
        hint = (
            "the job needs 'permissions: pull-requests: write' and a token of this repository "
            "(pull requests from forks get a read-only token)"
        )
    return CommentError(
        f"GitHub refused to {what}: HTTP {response.status_code}", status=response.status_code, hint=hint
    )


def require_httpx() -> None:
    """:class:`MissingExtra` (exit 2, naming the extra) when httpx is not installed."""
    try:
        import httpx  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(
            "posting the pull-request comment needs httpx, which is not installed",
            hint="pip install 'apigov[ci]' (or run with --no-comment)",
        ) from exc


def _find(client: httpx.Client, api_url: str, path: str, marker: str, author: str) -> int | None:
    url: str | None = f"{path}?per_page=100"
    for _ in range(MAX_PAGES):
        if url is None:
            return None
        response = client.get(url)
        if response.status_code != 200:
            raise _fail("list the pull request's comments", response)
        page = response.json()
        if not isinstance(page, list):
            raise CommentError("GitHub's list of comments is not a JSON array")
        for comment in page:
            if not isinstance(comment, dict):
                continue
            body, user, number = comment.get("body"), comment.get("user"), comment.get("id")
            login = user.get("login") if isinstance(user, dict) else None
            if (
                isinstance(body, str)
                and body.startswith(marker)
                and (not author or login == author)
                and isinstance(number, int)
            ):
                return number
        following = response.links.get("next", {}).get("url")
        if following and not following.startswith(api_url + "/"):
            raise CommentError("GitHub's next page of comments is on another host")
        url = following or None
    return None


def upsert_comment(
    api_url: str, repository: str, token: str, number: int, body: str, *, marker: str, author: str
) -> Posted:
    """Create the pull request's comment, or edit the one a previous run left (found by ``marker``)."""
    require_httpx()
    import httpx

    owner, _, repo = repository.partition("/")
    base = f"/repos/{quote(owner, safe='')}/{quote(repo, safe='')}/issues"
    try:
        with _client(api_url, token) as client:
            existing = _find(client, api_url, f"{base}/{number}/comments", marker, author)
            if existing is None:
                response = client.post(f"{base}/{number}/comments", json={"body": body})
                action, expected = "created", 201
            else:
                response = client.patch(f"{base}/comments/{existing}", json={"body": body})
                action, expected = "updated", 200
            if response.status_code != expected:
                raise _fail("create the comment" if existing is None else "edit the comment", response)
            data = response.json()
    except httpx.HTTPError as exc:
        raise CommentError(f"cannot reach the GitHub API: {exc.__class__.__name__}") from exc
    except ValueError as exc:
        raise CommentError("GitHub's answer is not JSON") from exc
    comment_id = data.get("id") if isinstance(data, dict) else None
    url = data.get("html_url") if isinstance(data, dict) else None
    return Posted(
        action=action,
        comment_id=comment_id if isinstance(comment_id, int) else existing or 0,
        url=url if isinstance(url, str) and _URL.fullmatch(url) else "",
    )
