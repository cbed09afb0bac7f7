"""Findings in files a git source's ``$ref`` reach are named by revision, not by the temporary
directory the revision was exported to."""

from __future__ import annotations

from pathlib import Path

from apigov.config.project import Config
from apigov.rules.run import DiffRequest, diff_sources
from tests._gitrepo import GitRepo
from tests.unit.rules._support import TODAY

SPEC = (
    "openapi: 3.0.3\ninfo: {title: Pets, version: '%s'}\npaths:\n  /pets:\n    get:\n"
    "      responses:\n        '200':\n          description: ok\n          content:\n"
    "            application/json:\n              schema: {$ref: 'schemas/pet.yaml#/Pet'}\n"
)
PET_V1 = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n"
PET_V2 = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    age: {type: integer}\n"


def test_a_change_in_a_referenced_file_names_the_revision(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("v1", {"api/openapi.yaml": SPEC % "1", "api/schemas/pet.yaml": PET_V1})
    repo.commit("v2", {"api/openapi.yaml": SPEC % "1", "api/schemas/pet.yaml": PET_V2})
    request = DiffRequest(
        base="git:HEAD~1:api/openapi.yaml", revision="git:HEAD:api/openapi.yaml", today=TODAY, cwd=repo.root
    )
    report = diff_sources(request, Config(root=repo.root))
    (added,) = [f for f in report.findings if f.rule_id == "response-optional-property-added"]
    assert added.location.file == "git:HEAD:api/schemas/pet.yaml"
    assert added.location.line == 5
    for finding in report.findings:
        assert "apigov-git-" not in str(finding.location) + str(dict(finding.details)), finding
