"""Reading the GitHub Actions environment: what is required, what each optional variable enables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.ci.environment import read_environment
from apigov.core.errors import InputError


def environ(tmp_path: Path, event: object, **more: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(path), **more}


def pr_event(head_repo: str = "acme/shop", number: object = 7) -> dict[str, object]:
    return {
        "pull_request": {
            "number": number,
            "base": {"sha": "a" * 40, "ref": "main", "repo": {"full_name": "acme/shop"}},
            "head": {"sha": "b" * 40, "ref": "x", "repo": {"full_name": head_repo}},
        }
    }


def test_a_pull_request_event(tmp_path: Path) -> None:
    env = read_environment(environ(tmp_path, pr_event()))
    pr = env.pull_request
    assert pr is not None and pr.number == 7 and pr.base_sha == "a" * 40 and pr.base_ref == "main"
    assert not pr.from_fork
    assert env.api() is None  # no token, no URL, no repository: nothing is sent


def test_a_fork_is_recognised(tmp_path: Path) -> None:
    pr = read_environment(environ(tmp_path, pr_event(head_repo="someone/shop"))).pull_request
    assert pr is not None and pr.from_fork


@pytest.mark.parametrize("number", [True, 0, "7", None])
def test_a_pull_request_needs_a_number(tmp_path: Path, number: object) -> None:
    with pytest.raises(InputError, match="no number"):
        _ = read_environment(environ(tmp_path, pr_event(number=number))).pull_request


def test_the_token_is_not_in_the_repr(tmp_path: Path) -> None:
    env = read_environment(
        environ(
            tmp_path,
            pr_event(),
            GITHUB_TOKEN="ghs_secret",
            GITHUB_API_URL="https://api.github.com/",
            GITHUB_REPOSITORY="acme/shop",
        )
    )
    assert "ghs_secret" not in repr(env)
    assert env.api() == ("https://api.github.com", "acme/shop", "ghs_secret")


@pytest.mark.parametrize(
    "url", ["http://api.github.com", "ftp://127.0.0.1", "https://", "file:///etc/passwd", "http://10.0.0.1"]
)
def test_the_api_url_must_be_https_or_loopback(tmp_path: Path, url: str) -> None:
    with pytest.raises(InputError, match="https://"):
        read_environment(environ(tmp_path, pr_event(), GITHUB_API_URL=url))


@pytest.mark.parametrize("name", ["acme", "acme/", "/shop", "acme/shop/x", "acme/..", "ac me/shop"])
def test_the_repository_must_read_owner_repo(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="OWNER/REPO"):
        read_environment(environ(tmp_path, pr_event(), GITHUB_REPOSITORY=name))


def test_push_and_merge_group_bases(tmp_path: Path) -> None:
    push = read_environment({**environ(tmp_path, {"before": "c" * 40}), "GITHUB_EVENT_NAME": "push"})
    assert push.pull_request is None and push.push_before == "c" * 40
    new_branch = read_environment({**environ(tmp_path, {"before": "0" * 40}), "GITHUB_EVENT_NAME": "push"})
    assert new_branch.push_before is None
    group = {"merge_group": {"base_sha": "d" * 40}}
    queued = read_environment({**environ(tmp_path, group), "GITHUB_EVENT_NAME": "merge_group"})
    assert queued.push_before == "d" * 40


def test_an_oversized_event_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("apigov.ci.environment.MAX_EVENT_BYTES", 10)
    with pytest.raises(InputError, match="larger than"):
        read_environment(environ(tmp_path, pr_event()))
