"""``apigov ci github`` end to end: a recorded pull_request event, a real git repository with a
base and a head commit, the runner's summary and output files, and a fake of GitHub's comments
API on 127.0.0.1 (tests/e2e/_fake_github.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests._gitrepo import GitRepo
from tests.e2e._cli import assert_input_error
from tests.e2e._fake_github import fake_github

pytestmark = pytest.mark.e2e

EVENT = Path(__file__).parents[1] / "data" / "ci" / "pull_request.json"
TOKEN = "ghs_fakeTokenForTests0123456789"
MARKER = "<!-- apigov-ci: default -->"

ORDERS = """\
openapi: 3.0.3
info:
  title: Orders
  version: 1.0.0
  description: Orders of the shop.
  contact: {name: Shop team, email: shop@example.com}
servers:
  - url: https://api.example.com
paths:
  /orders:
    get:
      operationId: listOrders
      summary: List orders
      parameters:
        - name: customer
          in: query
          description: Only this customer's orders.
          required: REQUIRED
          schema: {type: string}
      responses:
        "200":
          description: The orders.
          content:
            application/json:
              schema:
                type: array
                items: {type: string}
"""


def orders(required: bool) -> str:
    return ORDERS.replace("REQUIRED", "true" if required else "false")


def run_ci(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process, with none of this machine's own GITHUB_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "APIGOV_", "RUNNER_"))}
    return subprocess.run(
        [sys.executable, "-m", "apigov", "ci", "github", *args],
        cwd=cwd,
        env={**clean, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    return make_pull_request(tmp_path)


def make_pull_request(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    """A repository whose branch makes an optional query parameter required (breaking), and the
    job's environment for the pull request from that branch into main."""
    repo = GitRepo(tmp_path / "repo")
    base = repo.commit(
        "orders API", {"api/orders.yaml": orders(False), "apigov.yaml": "contracts: [api/orders.yaml]\n"}
    )
    repo.git("checkout", "-q", "-b", "require-customer")
    repo.commit("require the customer", {"api/orders.yaml": orders(True)})
    event = json.loads(EVENT.read_text())
    event["pull_request"]["base"]["sha"] = base
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "event.json").write_text(json.dumps(event))
    (runner / "summary.md").write_text("")
    (runner / "output.txt").write_text("")
    env = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(runner / "event.json"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_OUTPUT": str(runner / "output.txt"),
        "GITHUB_REPOSITORY": "acme/shop",
        "GITHUB_BASE_REF": "main",
        "GITHUB_WORKSPACE": str(repo.root),
    }
    return repo, env


def outputs(env: dict[str, str]) -> dict[str, str]:
    lines = Path(env["GITHUB_OUTPUT"]).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_the_comment_is_created_once_then_edited_in_place(
    pull_request: tuple[GitRepo, dict[str, str]],
) -> None:
    repo, env = pull_request
    with fake_github(TOKEN) as github:
        github.add("Looks good to me", "octo-reviewer")
        github.add(MARKER + "\nsomeone else's comment with the marker", "octo-reviewer")
        env = {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN}

        first = run_ci(repo.root, env)
        assert first.returncode == 1, first.stderr
        posts = [r for r in github.requests if r[0] == "POST"]
        assert len(posts) == 1
        assert all(auth == f"Bearer {TOKEN}" for _, _, auth in github.requests)
        ours = [c for c in github.comments if c["user"]["login"] == "github-actions[bot]"]
        assert len(ours) == 1 and len(github.comments) == 3
        body = ours[0]["body"]
        assert body.startswith(MARKER)
        assert "the gate failed" in body and "request-parameter-became-required" in body
        assert "`main`" in body
        assert github.comments[1]["body"].endswith("someone else's comment with the marker")

        values = outputs(env)
        assert values["breaking"] == "true"
        assert values["gate"] == "failed"
        assert values["breaking-changes"] == "1"
        assert values["summary"].startswith("gate failed: 1 breaking change")
        assert values["comment-url"] == ours[0]["html_url"]
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
        assert "request-parameter-became-required" in summary and MARKER not in summary
        sarif = json.loads((repo.root / values["sarif-file"]).read_text())
        assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
        results = sarif["runs"][0]["results"]
        rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        assert "request-parameter-became-required" in {r["ruleId"] for r in results}
        assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert uris == {"api/orders.yaml"}
        assert "::error file=api/orders.yaml" in first.stdout

        # the branch goes back to an optional parameter: the same comment now says the gate passed
        repo.commit("keep it optional", {"api/orders.yaml": orders(False)})
        github.requests.clear()
        second = run_ci(repo.root, env)
        assert second.returncode == 0, second.stderr
        assert [r[0] for r in github.requests if r[0] != "GET"] == ["PATCH"]
        ours = [c for c in github.comments if c["user"]["login"] == "github-actions[bot]"]
        assert len(ours) == 1 and len(github.comments) == 3
        assert "the gate passed" in ours[0]["body"]
        assert outputs(env)["gate"] == "passed"  # GITHUB_OUTPUT is appended to: the last value wins
        for result in (first, second):
            assert TOKEN not in result.stdout + result.stderr


def test_run_from_a_subdirectory_reports_paths_from_the_top(
    pull_request: tuple[GitRepo, dict[str, str]],
) -> None:
    repo, env = pull_request
    result = run_ci(
        repo.root / "api", env, "--no-comment", "--contracts", "orders.yaml", "--formats", "sarif"
    )
    assert result.returncode == 1, result.stderr
    sarif = json.loads((repo.root / "api" / "apigov.sarif").read_text())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert uris == {"api/orders.yaml"}
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text() == ""  # markdown not chosen


def test_without_a_token_nothing_is_sent(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    with fake_github(TOKEN) as github:
        result = run_ci(repo.root, {**env, "GITHUB_API_URL": github.url})
    assert result.returncode == 1
    assert github.requests == []
    assert "no pull-request comment" in result.stderr
    assert outputs(env)["breaking"] == "true"


def test_a_new_contract_has_nothing_to_compare(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    repo.commit("payments", {"api/payments.yaml": orders(True).replace("Orders", "Payments")})
    result = run_ci(
        repo.root, env, "--no-comment", "--contracts", "api/payments.yaml", "--fail-on", "breaking"
    )
    assert result.returncode == 0, result.stderr
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "New contracts (not in the base): `api/payments.yaml`" in summary
    assert outputs(env)["breaking"] == "false"


HEAD_SHA = "0000000000000000000000000000000000000002"  # the recorded event's pull_request.head.sha


def pact_registry(tmp_path: Path) -> Path:
    """A directory registry where consumer web@1 (deployed in production) has a pact with orders
    that calls GET /orders?customer=..., verified by orders at the pull request's head commit."""
    from apigov.contract.model import PactState, Verification
    from apigov.contract.store import open_pact_store

    registry = tmp_path / "registry"
    pact_file = tmp_path / "web-orders.json"
    interaction = {
        "description": "the orders of a customer",
        "request": {"method": "GET", "path": "/orders", "query": "customer=42"},
        "response": {"status": 200, "body": ["o-1"]},
    }
    document = {
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    pact_file.write_text(json.dumps(document))
    for args in (
        ("pact", "publish", str(pact_file), "--consumer-version", "1", "--branch", "main"),
        ("record-deployment", "--service", "web", "--version", "1", "--env", "production"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "apigov", *args, "-r", str(registry)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
    store = open_pact_store(str(registry))
    digest = store.snapshot().publications[("web", "orders", "1")].digest

    def verified(state: PactState) -> Verification:
        return state.record_verification(
            Verification(digest, "web", "orders", HEAD_SHA, True, verified_at="2026-01-01T00:00:00Z")
        )

    store.change({}, verified)
    return registry


def test_can_i_deploy_yes_and_no_reach_outputs_summary_comment_and_exit_code(
    tmp_path: Path, pull_request: tuple[GitRepo, dict[str, str]]
) -> None:
    repo, env = pull_request
    registry = pact_registry(tmp_path)
    with fake_github(TOKEN) as github:
        env = {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN, "APIGOV_REGISTRY": str(registry)}
        ask = ("--fail-on", "none", "--can-i-deploy", "production")

        # orders at the head commit verified web@1's pact: yes (the version is the PR's head; the
        # pacticipant is apigov.yaml's)
        (repo.root / "apigov.yaml").write_text("contracts: [api/orders.yaml]\npacticipant: orders\n")
        yes = run_ci(repo.root, env, *ask)
        assert yes.returncode == 0, yes.stderr
        values = outputs(env)
        assert values["can-i-deploy"] == "true" and values["gate"] == "passed"
        assert values["summary"].endswith("; can-i-deploy to production: yes")
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
        assert "## can-i-deploy to `production`: ✅ yes" in summary
        assert f"`orders@{HEAD_SHA}`" in summary
        (comment,) = github.comments
        assert "can-i-deploy to `production`: ✅ yes" in comment["body"]
        # the diff is consumer-aware: the breaking change names the consumer it breaks (an "@"
        # in a report gets a zero-width space, so that it mentions nobody)
        breaks = "became required — breaks web@&#8203;1 (production)"
        assert breaks in comment["body"] and breaks in summary
        assert "registered consumers" in comment["body"]

        # a version nobody verified: no, with the reason, and the gate fails on it alone
        Path(env["GITHUB_STEP_SUMMARY"]).write_text("")
        no = run_ci(repo.root, env, *ask, "--pacticipant", "orders", "--pacticipant-version", "2.0.0")
        assert no.returncode == 1, no.stderr
        values = outputs(env)
        assert values["can-i-deploy"] == "false" and values["gate"] == "failed"
        assert values["breaking"] == "true"
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
        assert "## can-i-deploy to `production`: ❌ no" in summary
        reason = "was never verified by orders@&#8203;2.0.0 (deployed in production)"
        assert reason in summary
        (comment,) = github.comments  # the same comment, edited
        assert "❌ no" in comment["body"] and reason in comment["body"]
        assert "✅ yes" not in comment["body"]
        assert (
            "::error title=apigov can-i-deploy::can orders@2.0.0 be deployed to production? no" in no.stdout
        )


def test_without_a_registry_the_diff_is_as_before_and_can_i_deploy_is_refused(
    pull_request: tuple[GitRepo, dict[str, str]],
) -> None:
    repo, env = pull_request
    plain = run_ci(repo.root, env, "--no-comment")
    assert plain.returncode == 1
    assert outputs(env)["can-i-deploy"] == ""
    assert "breaks " not in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    result = run_ci(repo.root, env, "--no-comment", "--can-i-deploy", "production")
    assert_input_error(result, "--can-i-deploy needs a registry")
    (repo.root / "apigov.yaml").write_text("contracts: [api/orders.yaml]\npacticipant: [orders]\n")
    assert_input_error(run_ci(repo.root, env, "--no-comment"), "pacticipant must be a service name")


def test_a_comment_api_refusal_is_one_line(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    with fake_github("another-token") as github:
        result = run_ci(repo.root, {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN})
    assert_input_error(result, "HTTP 401", "pull-requests: write")
    assert TOKEN not in result.stdout + result.stderr
    assert outputs(env)["breaking"] == "true"  # written before the comment was tried


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"GITHUB_EVENT_PATH": ""}, ["GITHUB_EVENT_PATH is not set"]),
        ({"GITHUB_EVENT_NAME": ""}, ["GITHUB_EVENT_NAME is not set"]),
        ({"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, ["cannot read the event"]),
        ({"GITHUB_API_URL": "http://api.github.example", "GITHUB_TOKEN": TOKEN}, ["must be an https:// URL"]),
        ({"GITHUB_REPOSITORY": "no-slash"}, ["OWNER/REPO"]),
    ],
)
def test_bad_environment(
    pull_request: tuple[GitRepo, dict[str, str]], change: dict[str, str], words: list[str]
) -> None:
    repo, env = pull_request
    assert_input_error(run_ci(repo.root, {**env, **change}), *words)


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ("{not json", ["is not JSON"]),
        ("[1, 2]", ["not a JSON object"]),
        ('{"action": "opened"}', ["has no pull_request object"]),
    ],
)
def test_bad_event(pull_request: tuple[GitRepo, dict[str, str]], event: str, words: list[str]) -> None:
    repo, env = pull_request
    Path(env["GITHUB_EVENT_PATH"]).write_text(event)
    assert_input_error(run_ci(repo.root, env), *words)


def test_a_base_the_checkout_lacks_names_fetch_depth(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text())
    event["pull_request"]["base"]["sha"] = "1" * 40
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    assert_input_error(run_ci(repo.root, env, "--no-comment"), "fetch-depth: 0")


def test_httpx_missing_names_the_extra(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "APIGOV_", "RUNNER_"))}
    code = "import sys; sys.modules['httpx'] = None; from apigov.cli.main import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "ci", "github"],
        cwd=repo.root,
        env={**clean, **env, "GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_TOKEN": TOKEN},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_input_error(result, "apigov[ci]")


def test_a_fork_s_read_only_token_is_a_note(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text())
    event["pull_request"]["head"]["repo"]["full_name"] = "someone/shop"
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    with fake_github("the-repository-s-own-token") as github:
        result = run_ci(repo.root, {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN})
    assert result.returncode == 1, result.stderr  # the gate's verdict, not an error
    assert "no pull-request comment" in result.stderr and "fork" in result.stderr
    assert "breaking=true" in Path(env["GITHUB_OUTPUT"]).read_text()


def test_comment_false_from_the_environment_sends_nothing(
    pull_request: tuple[GitRepo, dict[str, str]],
) -> None:
    repo, env = pull_request
    with fake_github(TOKEN) as github:
        result = run_ci(
            repo.root,
            {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN, "APIGOV_CI_COMMENT": "false"},
        )
    assert result.returncode == 1, result.stderr
    assert github.requests == []


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("push", lambda sha: {"ref": "refs/heads/main", "before": sha}),
        (
            "merge_group",
            lambda sha: {"merge_group": {"base_sha": sha, "head_ref": "gh-readonly-queue/main/x"}},
        ),
    ],
)
def test_a_push_or_merge_group_is_compared_with_its_base(
    pull_request: tuple[GitRepo, dict[str, str]], name: str, event: Callable[[str], dict[str, object]]
) -> None:
    repo, env = pull_request
    before = repo.git("rev-parse", "HEAD").strip()
    repo.commit("back to optional", {"api/orders.yaml": orders(False)})
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event(before)))
    result = run_ci(repo.root, {**env, "GITHUB_EVENT_NAME": name, "GITHUB_BASE_REF": ""})
    assert result.returncode == 0, result.stderr  # making a parameter optional breaks no client
    values = outputs(env)
    assert values["base"] == before and values["breaking"] == "false"


def test_no_contracts_anywhere_says_where_to_give_them(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    (repo.root / "apigov.yaml").unlink()
    assert_input_error(run_ci(repo.root, env, "--no-comment"), "no contracts to check", "contracts input")


def test_an_api_under_a_path_as_on_github_enterprise(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    with fake_github(TOKEN, prefix="/api/v3") as github:
        for _ in range(3):
            github.add("an older comment", "octo-reviewer")  # the second page is reached under the path
        env = {**env, "GITHUB_API_URL": github.url + "/", "GITHUB_TOKEN": TOKEN}
        for _ in range(2):
            result = run_ci(repo.root, env, "--formats", "")
            assert result.returncode == 1, result.stderr
        assert [r[0] for r in github.requests if r[0] != "GET"] == ["POST", "PATCH"]
        assert len(github.comments) == 4


def test_a_contract_whose_directory_did_not_change_is_not_diffed(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    base = repo.commit(
        "two APIs",
        {
            "api/orders.yaml": orders(False),
            "billing/invoices.yaml": orders(False).replace("Orders", "Invoices"),
            "billing/schemas/unused.yaml": "type: string\n",
        },
    )
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("only orders", {"api/orders.yaml": orders(True)})
    event = json.loads(EVENT.read_text())
    event["pull_request"]["base"]["sha"] = base
    (tmp_path / "event.json").write_text(json.dumps(event))
    env = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
    }
    args = ("--no-comment", "--contracts", "api/orders.yaml billing/invoices.yaml", "--formats", "markdown")
    result = run_ci(repo.root, env, *args)
    assert result.returncode == 1, result.stderr
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "Unchanged since the base (same files): `billing/invoices.yaml`." in summary
    assert summary.count("apigov diff:") == 1
    assert "1 breaking change in 1 of 2 compared contracts" in outputs(env)["summary"]

    # a change anywhere in the contract's directory (a file its $ref may reach) makes it diffed
    repo.commit("touch billing", {"billing/schemas/unused.yaml": "type: integer\n"})
    Path(env["GITHUB_STEP_SUMMARY"]).write_text("")
    run_ci(repo.root, env, *args)
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "No API changes: `billing/invoices.yaml`." in summary  # diffed this time
    assert "Unchanged since the base" not in summary


def test_contracts_given_as_globs_one_a_line(pull_request: tuple[GitRepo, dict[str, str]]) -> None:
    repo, env = pull_request
    result = run_ci(repo.root, {**env, "APIGOV_CI_CONTRACTS": "api/*.yaml\n"}, "--no-comment")
    assert result.returncode == 1, result.stderr
    assert outputs(env)["contracts"] == "1"
    missing = run_ci(repo.root, {**env, "APIGOV_CI_CONTRACTS": "specs/**/*.yaml"}, "--no-comment")
    assert_input_error(missing, "matches no file")
