"""The commands behind the pre-commit hooks, run directly (fast; tests/e2e/test_ci_pre_commit.py
runs them through pre-commit itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._gitrepo import GitRepo
from tests.e2e._cli import apigov, assert_input_error
from tests.e2e.test_ci_pre_commit import orders

pytestmark = pytest.mark.e2e


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("orders", {"api/orders.yaml": orders(), "notes.yaml": "not: a contract\n"})
    return repo


def test_diff_fails_on_a_breaking_change_against_head(repo: GitRepo) -> None:
    repo.write({"api/orders.yaml": orders(customer_required=True)})
    result = apigov("ci", "pre-commit-diff", "api/orders.yaml", "notes.yaml", cwd=repo.root)
    assert result.returncode == 1, result.stderr
    assert "request-parameter-became-required" in result.stdout
    assert "git:" in result.stdout and "api/orders.yaml" in result.stdout


def test_a_compatible_change_a_new_contract_and_other_yaml_pass(repo: GitRepo) -> None:
    repo.write({"api/orders.yaml": orders(limit=True), "api/new.yaml": orders(customer_required=True)})
    for command in ("pre-commit-diff", "pre-commit-check"):
        result = apigov("ci", command, "api/orders.yaml", "api/new.yaml", "notes.yaml", cwd=repo.root)
        assert result.returncode == 0, (command, result.stdout, result.stderr)


def test_apigov_yaml_chooses_the_contracts(repo: GitRepo) -> None:
    repo.write(
        {"apigov.yaml": "contracts: [api/new.yaml]\n", "api/orders.yaml": orders(customer_required=True)}
    )
    result = apigov("ci", "pre-commit-diff", "api/orders.yaml", "apigov.yaml", cwd=repo.root)
    assert result.returncode == 0, result.stderr  # orders.yaml is not one of the configured contracts
    assert result.stdout == ""


def test_before_the_first_commit_everything_is_new(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write({"api/orders.yaml": orders(customer_required=True)})
    result = apigov("ci", "pre-commit-diff", "api/orders.yaml", cwd=repo.root)
    assert result.returncode == 0, result.stderr


def test_an_unreadable_contract_is_an_input_error(repo: GitRepo) -> None:
    repo.write({"api/orders.yaml": "openapi: [unclosed\n"})
    assert_input_error(apigov("ci", "pre-commit-check", "api/orders.yaml", cwd=repo.root), "api/orders.yaml")


def test_a_contract_outside_the_repository_is_an_input_error(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(orders())
    assert_input_error(apigov("ci", "pre-commit-diff", str(outside), cwd=repo.root), "outside the repository")
