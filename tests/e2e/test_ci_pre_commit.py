"""The pre-commit hooks, run for real by ``pre-commit try-repo`` (PyPI pre-commit) on a temporary
git repository: pre-commit installs apigov from this checkout into a virtualenv of its own,
which makes these tests heavy (about 30 s per run), hence ``slow``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests._gitrepo import GitRepo
from tests.e2e.test_ci_workflows import readme_block

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).parents[2]

ORDERS = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: customer, in: query, required: CUSTOMER, schema: {type: string}}
EXTRA      responses:
        "200": {description: The orders.}
"""


def orders(customer_required: bool = False, limit: bool = False) -> str:
    extra = "        - {name: limit, in: query, schema: {type: integer}}\n" if limit else ""
    return ORDERS.replace("CUSTOMER", "true" if customer_required else "false").replace("EXTRA", extra)


def pre_commit() -> str:
    beside = Path(sys.executable).parent / "pre-commit"
    found = str(beside) if beside.exists() else shutil.which("pre-commit")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is not installed (pip install -e '.[dev]')")
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    return found


def try_repo(repo: GitRepo, home: Path) -> subprocess.CompletedProcess[str]:
    """Every hook of this checkout on the repository's staged files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "APIGOV_"))}
    env.update(PRE_COMMIT_HOME=str(home), NO_COLOR="1", PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [pre_commit(), "try-repo", str(ROOT), "--color", "never"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_readme_names_the_hooks_of_this_repository() -> None:
    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    config = yaml.safe_load(readme_block("# .pre-commit-config.yaml"))
    (entry,) = config["repos"]
    assert {hook["id"] for hook in entry["hooks"]} == hooks == {"apigov-check", "apigov-diff"}


def test_a_good_change_passes_and_a_breaking_one_fails(tmp_path: Path) -> None:
    pre_commit()
    repo = GitRepo(tmp_path / "repo")
    repo.commit("orders", {"api/orders.yaml": orders(), "notes.yaml": "not: a contract\n"})

    repo.write({"api/orders.yaml": orders(limit=True), "notes.yaml": "still: not a contract\n"})
    repo.git("add", "-A")
    good = try_repo(repo, tmp_path / "home")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "apigov check" in good.stdout and "apigov diff against HEAD" in good.stdout
    assert "Failed" not in good.stdout

    repo.commit("limit")
    repo.write({"api/orders.yaml": orders(customer_required=True, limit=True)})
    repo.git("add", "-A")
    bad = try_repo(repo, tmp_path / "home")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "- hook id: apigov-diff" in bad.stdout
    assert "query parameter 'customer' became required" in bad.stdout
    assert "request-parameter-became-required" in bad.stdout
    assert "- hook id: apigov-check" not in bad.stdout  # the contract itself is valid
