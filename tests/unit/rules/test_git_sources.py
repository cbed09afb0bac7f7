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


def test_code_scanning_formats_annotate_the_repository_file(tmp_path: Path) -> None:
    import io
    import json

    from apigov.report.base import RenderOptions
    from apigov.report.formatters import FORMATTERS

    repo = GitRepo(tmp_path / "repo")
    repo.commit("v1", {"api/openapi.yaml": SPEC % "1", "api/schemas/pet.yaml": PET_V1})
    repo.commit("v2", {"api/openapi.yaml": SPEC % "1", "api/schemas/pet.yaml": PET_V2})
    request = DiffRequest(
        base="git:HEAD~1:api/openapi.yaml", revision="git:HEAD:api/openapi.yaml", today=TODAY, cwd=repo.root
    )
    report = diff_sources(request, Config(root=repo.root))
    sarif, github = io.StringIO(), io.StringIO()
    FORMATTERS["sarif"].render(report, sarif, RenderOptions())
    FORMATTERS["github"].render(report, github, RenderOptions())
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(sarif.getvalue())["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"api/schemas/pet.yaml"}, uris
    assert "file=api/schemas/pet.yaml," in github.getvalue()
    assert "git%3A" not in github.getvalue()
