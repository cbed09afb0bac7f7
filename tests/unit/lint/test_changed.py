"""``apigov check --changed-since REV``: only findings a change brought in, in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.cli.main import run
from apigov.config.project import Config
from apigov.core.errors import InputError
from apigov.lint.changed import check_changed_since
from tests._gitrepo import GitRepo

# Two findings: path-trailing-slash and operation-tag-undefined (both warnings).
BASE = """\
openapi: 3.0.3
info:
  title: Pets
  version: '1'
  description: pets
  contact: {name: team}
  license: {name: MIT}
servers:
  - url: https://api.example.com
security:
  - key: []
paths:
  /pets/:
    get:
      operationId: listPets
      summary: list
      description: list
      tags: [pets]
      responses:
        '200':
          description: ok
        '400':
          description: bad
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"""
HTTP_SERVER = "  - url: https://api.example.com\n  - url: http://old.example.com\n"


def _edit(text: str, *, extra_line: bool = True, http: bool = True) -> str:
    """The base spec with lines shifted (an unrelated edit) and, optionally, a server that is not https."""
    if extra_line:
        text = text.replace("info:\n", "x-owner: pets-team\ninfo:\n")
    if http:
        text = text.replace("  - url: https://api.example.com\n", HTTP_SERVER)
    return text


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("base", {"api/openapi.yaml": BASE})
    monkeypatch.chdir(repo.root)
    return repo


def _rule_ids(path: str, base: str = "HEAD") -> tuple[list[str], int]:
    changed = check_changed_since([Path(path)], Config(root=Path.cwd()), base)
    return [f.rule_id for f in changed.report.findings], changed.preexisting


def test_only_the_new_violation_is_reported(repo: GitRepo) -> None:
    repo.write({"api/openapi.yaml": _edit(BASE)})
    assert _rule_ids("api/openapi.yaml") == (["server-url-not-https"], 2)


def test_nothing_new_after_an_unrelated_edit(repo: GitRepo) -> None:
    repo.write({"api/openapi.yaml": _edit(BASE, http=False)})
    assert _rule_ids("api/openapi.yaml") == ([], 2)


def test_committed_changes_compare_with_the_named_revision(repo: GitRepo) -> None:
    repo.commit("http", {"api/openapi.yaml": _edit(BASE)})
    assert _rule_ids("api/openapi.yaml", "HEAD") == ([], 3)
    assert _rule_ids("api/openapi.yaml", "HEAD~1") == (["server-url-not-https"], 2)


def test_array_index_shifts_do_not_make_findings_new(repo: GitRepo) -> None:
    repo.commit("http", {"api/openapi.yaml": _edit(BASE)})  # the http server is /servers/1
    shifted = BASE.replace(
        "  - url: https://api.example.com\n",
        "  - url: https://eu.example.com\n" + HTTP_SERVER,  # now /servers/2
    )
    repo.write({"api/openapi.yaml": shifted})
    assert _rule_ids("api/openapi.yaml") == ([], 3)
    # a second violation of the same rule in the same list is still new
    repo.write(
        {"api/openapi.yaml": shifted.replace(HTTP_SERVER, HTTP_SERVER + "  - url: http://x.example.com\n")}
    )
    changed = check_changed_since([Path("api/openapi.yaml")], Config(root=Path.cwd()), "HEAD")
    assert [(f.rule_id, f.location.pointer) for f in changed.report.findings] == [
        ("server-url-not-https", "/servers/3/url")
    ]


def test_a_file_new_since_base_has_only_new_findings(repo: GitRepo) -> None:
    repo.write({"api/other.yaml": BASE})  # not even committed
    ids, preexisting = _rule_ids("api/other.yaml")
    assert sorted(ids) == ["operation-tag-undefined", "path-trailing-slash"]
    assert preexisting == 0


def test_multi_file_spec_findings_in_referenced_files(repo: GitRepo) -> None:
    split = BASE.replace(
        "  /pets/:\n    get:\n", "  /pets/:\n    $ref: 'paths/pets.yaml'\n  /unused:\n    get:\n", 1
    )
    pets = "get:\n  operationId: listPets\n  summary: list\n  description: list\n  tags: [pets]\n"
    pets += "  responses:\n    '200': {description: ok}\n    '400': {description: bad}\n"
    split = split[: split.index("  /unused:")] + split[split.index("components:") :]
    repo.commit("split", {"api/openapi.yaml": split, "api/paths/pets.yaml": pets})
    repo.write({"api/paths/pets.yaml": "# moved down a line\n" + pets.replace("[pets]", "[pets, cats]")})
    changed = check_changed_since([Path("api/openapi.yaml")], Config(root=Path.cwd()), "HEAD")
    assert [(f.rule_id, f.location.file) for f in changed.report.findings] == [
        ("operation-tag-undefined", "api/paths/pets.yaml")
    ]
    assert "'cats'" in changed.report.findings[0].message
    assert changed.preexisting == 2


def test_unknown_revision_is_an_input_error(repo: GitRepo) -> None:
    with pytest.raises(InputError, match="unknown revision 'nope'"):
        check_changed_since([Path("api/openapi.yaml")], Config(root=Path.cwd()), "nope")


# --------------------------------------------------------------------------- the CLI


def test_cli_reports_new_findings_and_exits_per_fail_on(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write({"api/openapi.yaml": _edit(BASE)})
    code = run(
        ["check", "--changed-since", "HEAD", "--format", "json", "--fail-on", "warning", "api/openapi.yaml"]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert [f["id"] for f in json.loads(out)["findings"]] == ["server-url-not-https"]
    assert err == "2 findings already present at HEAD not shown\n"
    assert run(["check", "--changed-since", "HEAD", "--fail-on", "error", "api/openapi.yaml"]) == 0
    repo.write({"api/openapi.yaml": _edit(BASE, http=False)})
    assert run(["check", "--changed-since", "HEAD", "--fail-on", "warning", "api/openapi.yaml"]) == 0


@pytest.mark.parametrize(
    ("rev", "words"),
    [("nope", "unknown revision 'nope'"), ("--output=/tmp/x", "starts with '-'")],
)
def test_cli_bad_revision_is_exit_2_one_line(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], rev: str, words: str
) -> None:
    code = run(["check", f"--changed-since={rev}", "api/openapi.yaml"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("apigov: error: --changed-since ")
    assert words in err


def test_cli_outside_a_repository_is_exit_2_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    GitRepo.require_git()
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "openapi.yaml").write_text(BASE)
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code = run(["check", "--changed-since", "HEAD", "openapi.yaml"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "is not inside a git repository" in err
    assert "Traceback" not in err
