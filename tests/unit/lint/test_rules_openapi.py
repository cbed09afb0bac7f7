"""OpenAPI rule cases beyond the one fixture per rule in tests/data/rules."""

from __future__ import annotations

from pathlib import Path

from apigov.config.project import Config
from apigov.documents.limits import DEFAULT_LIMITS
from apigov.documents.refs import RefPolicy
from apigov.lint.check import check_file


def _ids_and_pointers(tmp_path: Path, text: str, rule_id: str) -> list[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    result = check_file(path, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    return [f.location.pointer for f in result[1] if f.rule_id == rule_id]


def test_swagger2_response_examples_are_validated_with_x_nullable(tmp_path: Path) -> None:
    spec = """\
swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Pet"}
          examples:
            application/json: {name: 3, tag: null}
            text/plain: not json, not checked
        "201":
          description: ok
          schema: {$ref: "#/definitions/Pet"}
          examples:
            application/json: {name: Rex, tag: null}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string}
      tag: {type: string, x-nullable: true}
"""
    assert _ids_and_pointers(tmp_path, spec, "example-invalid") == [
        "/paths/~1pets/get/responses/200/examples/application~1json"
    ]


def test_structural_errors_point_into_the_schema_that_failed(tmp_path: Path) -> None:
    spec = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        n: {type: number, multipleOf: 0}
"""
    assert _ids_and_pointers(tmp_path, spec, "openapi-structure-invalid") == [
        "/components/schemas/A/properties/n/multipleOf"
    ]


def test_a_validator_crash_becomes_a_finding(tmp_path: Path) -> None:
    spec = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\ntags: [{name: 5}]\n'
    assert _ids_and_pointers(tmp_path, spec, "openapi-structure-invalid")


def test_structural_messages_explain_the_object_not_the_reference_branch(tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /b:
    get:
      parameters:
        - {name: x, in: query, schema: {type: strin}}
      responses:
        "200": {description: ok}
"""
    path = tmp_path / "spec.yaml"
    path.write_text(spec)
    result = check_file(path, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    messages = [f.message for f in result[1] if f.rule_id == "openapi-structure-invalid"]
    assert len(messages) == 1 and messages[0].startswith("'strin' is not one of")
