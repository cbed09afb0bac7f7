"""Contract sources: plain files and ``git:REV:path`` exported from a real repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core import jsonptr
from apigov.core.errors import InputError, LimitExceeded
from apigov.documents.limits import Limits
from apigov.documents.refs import Workspace
from apigov.documents.sources import PathNotInRevision, is_git_ref, materialise, resolve_revision
from tests._gitrepo import GitRepo

SPEC = (
    "openapi: 3.0.3\ninfo: {title: Pets, version: '%s'}\npaths:\n  /pets:\n    get:\n"
    "      responses:\n        '200':\n          description: ok\n          content:\n"
    "            application/json:\n              schema: {$ref: 'schemas/pet.yaml#/Pet'}\n"
)
PET_V1 = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n"
PET_V2 = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    age: {type: integer}\n"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("v1", {"api/openapi.yaml": SPEC % "1", "api/schemas/pet.yaml": PET_V1, "README": "x\n"})
    repo.commit("v2", {"api/openapi.yaml": SPEC % "2", "api/schemas/pet.yaml": PET_V2})
    return repo


def _pet_properties(path: Path) -> list[str]:
    """The properties of the response schema, followed through its relative $ref."""
    workspace = Workspace.open(path)
    workspace.check_all()
    pointer = "/paths/~1pets/get/responses/200/content/application~1json/schema"
    target = workspace.follow(workspace.root, pointer, jsonptr.resolve(workspace.root.data, pointer))
    assert isinstance(target.value, dict)
    properties = target.value["properties"]
    assert isinstance(properties, dict)
    return sorted(properties)


def _failure(spec: str, cwd: Path, limits: Limits | None = None) -> str:
    """The one-line message of the InputError that materialising ``spec`` raises."""
    with pytest.raises(InputError) as caught, materialise(spec, cwd=cwd, limits=limits or Limits()):
        pass
    return str(caught.value)


def test_is_git_ref() -> None:
    assert is_git_ref("git:HEAD:api/openapi.yaml")
    assert not is_git_ref("api/openapi.yaml")
    assert not is_git_ref("./git:HEAD:x.yaml")


def test_plain_path_is_used_in_place(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC % "1")
    with materialise("openapi.yaml", cwd=tmp_path) as source:
        assert source.path == tmp_path / "openapi.yaml"
        assert source.display == "openapi.yaml"
        assert source.root == tmp_path
    assert spec.exists()


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_plain_path_that_is_no_file_is_an_input_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as caught, materialise(name, cwd=tmp_path):
        pass
    assert str(caught.value).startswith(f"{name}: ")
    assert "\n" not in str(caught.value)


def test_multi_file_spec_at_both_revisions(repo: GitRepo) -> None:
    with materialise("git:HEAD:api/openapi.yaml", cwd=repo.root) as head:
        assert head.display == "git:HEAD:api/openapi.yaml"
        assert head.path.name == "openapi.yaml"
        assert head.root == head.path.parent
        assert not head.path.is_relative_to(repo.root)
        assert "version: '2'" in head.path.read_text()
        assert _pet_properties(head.path) == ["age", "name"]
        assert head.display_for(head.root / "schemas" / "pet.yaml") == "git:HEAD:api/schemas/pet.yaml"
        assert not (head.root.parent / "README").exists()  # only the spec's directory
        temp = head.path
    assert not temp.exists()
    assert not temp.parent.parent.exists()  # the whole temporary tree is gone
    with materialise("git:HEAD~1:api/openapi.yaml", cwd=repo.root) as previous:
        assert "version: '1'" in previous.path.read_text()
        assert _pet_properties(previous.path) == ["name"]


def test_commit_id_and_branch_names_work(repo: GitRepo) -> None:
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    with materialise(f"git:{first}:api/schemas/pet.yaml", cwd=repo.root) as source:
        assert source.path.read_text() == PET_V1
    with materialise("git:main:api/schemas/pet.yaml", cwd=repo.root) as source:
        assert source.path.read_text() == PET_V2


def test_paths_are_from_the_repository_root_or_dot_relative(repo: GitRepo) -> None:
    inside = repo.root / "api"
    with materialise("git:HEAD:api/openapi.yaml", cwd=inside) as source:
        assert source.path.name == "openapi.yaml"
    with materialise("git:HEAD:./schemas/pet.yaml", cwd=inside) as source:
        assert source.path.read_text() == PET_V2
        assert source.display_for(source.path) == "git:HEAD:api/schemas/pet.yaml"


def test_spec_at_the_repository_root(repo: GitRepo) -> None:
    repo.commit("root", {"openapi.yaml": SPEC.replace("schemas/pet.yaml", "api/schemas/pet.yaml") % "3"})
    with materialise("git:HEAD:openapi.yaml", cwd=repo.root) as source:
        assert _pet_properties(source.path) == ["age", "name"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("git:nope:api/openapi.yaml", "unknown revision 'nope'"),
        ("git:HEAD~5:api/openapi.yaml", "unknown revision 'HEAD~5'"),
        ("git:HEAD:api/missing.yaml", "'api/missing.yaml' does not exist at revision HEAD"),
        ("git:HEAD~1:api", "'api' is a directory at revision HEAD~1"),
        ("git:--output=/tmp/x:api/openapi.yaml", "revision '--output=/tmp/x' starts with '-'"),
        ("git:-h:api/openapi.yaml", "starts with '-'"),
        ("git:HEAD", "a git source reads git:REV:path"),
        ("git::api/openapi.yaml", "a git source reads git:REV:path"),
        ("git:HEAD:/etc/passwd", "relative to the repository root"),
        ("git:HEAD:./../../x.yaml", "leads outside the repository"),
    ],
)
def test_errors_are_one_line(repo: GitRepo, spec: str, expected: str) -> None:
    with pytest.raises(InputError) as caught, materialise(spec, cwd=repo.root):
        pass
    message = str(caught.value)
    assert message.startswith(spec + ": ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_path_says_paths_are_relative_to_the_repository_root(repo: GitRepo) -> None:
    at_root = _failure("git:HEAD:api/missing.yaml", repo.root)
    assert "paths in git:REV:path are relative to the repository root" in at_root
    # in a subdirectory, the usual slip: a path relative to it; the hint names both ways to write it
    inside = _failure("git:HEAD:openapi.yaml", repo.root / "api")
    assert "'openapi.yaml' does not exist at revision HEAD" in inside
    assert "relative to the repository root" in inside
    assert "git:HEAD:api/openapi.yaml" in inside and "git:HEAD:./openapi.yaml" in inside
    assert "\n" not in inside


def test_option_injection_reaches_no_file(repo: GitRepo, tmp_path: Path) -> None:
    target = tmp_path / "injected"
    with pytest.raises(InputError), materialise(f"git:--output={target}:api/openapi.yaml", cwd=repo.root):
        pass
    assert not target.exists()


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    GitRepo.require_git()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    message = _failure("git:HEAD:openapi.yaml", plain)
    assert "is not inside a git repository" in message
    assert "\n" not in message


def test_git_not_installed(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo.root / "no-such-bin"))
    with (
        pytest.raises(InputError, match="git is not installed"),
        materialise("git:HEAD:x.yaml", cwd=repo.root),
    ):
        pass


def test_tree_over_the_limits_is_refused(repo: GitRepo) -> None:
    repo.commit("many", {f"api/schemas/extra{i}.yaml": "{}\n" for i in range(5)})
    spec = "git:HEAD:api/openapi.yaml"
    limits = Limits(max_files=3)
    with (
        pytest.raises(LimitExceeded, match="over the limits"),
        materialise(spec, cwd=repo.root, limits=limits),
    ):
        pass


def test_large_root_directory_exports_only_documents(repo: GitRepo) -> None:
    repo.commit("root", {"openapi.yaml": SPEC.replace("schemas/pet.yaml", "api/schemas/pet.yaml") % "3"})
    repo.commit("sources", {f"src/m{i}.py": "pass\n" for i in range(6)})
    with materialise("git:HEAD:openapi.yaml", cwd=repo.root, limits=Limits(max_files=5)) as source:
        assert _pet_properties(source.path) == ["age", "name"]
        assert not (source.root / "src").exists()


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd"])
def test_symlink_leading_outside_the_tree_is_left_out(repo: GitRepo, target: str) -> None:
    (repo.root / "api" / "escape.yaml").symlink_to(target)
    (repo.root / "api" / "inside.yaml").symlink_to("schemas/pet.yaml")
    repo.commit("links")
    with materialise("git:HEAD:api/openapi.yaml", cwd=repo.root) as source:
        assert not (source.root / "escape.yaml").exists()
        assert not (source.root / "escape.yaml").is_symlink()
        assert (source.root / "inside.yaml").read_text() == PET_V2
        assert _pet_properties(source.path) == ["age", "name"]


def test_spec_that_is_a_symlink_is_refused(repo: GitRepo) -> None:
    (repo.root / "api" / "link.yaml").symlink_to("openapi.yaml")
    repo.commit("link")
    assert "is a symbolic link at revision HEAD" in _failure("git:HEAD:api/link.yaml", repo.root)


def test_resolve_revision_and_missing_path_error_class(repo: GitRepo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    assert resolve_revision("HEAD", cwd=repo.root) == head
    assert resolve_revision("main", cwd=repo.root / "api") == head
    with pytest.raises(InputError, match=r"^--since nope: unknown revision 'nope'"):
        resolve_revision("nope", cwd=repo.root, source="--since nope")
    with pytest.raises(PathNotInRevision), materialise("git:HEAD:api/missing.yaml", cwd=repo.root):
        pass
