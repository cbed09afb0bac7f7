"""Every structural finding names the pointer and line of the offending value, in plain words
(issue 13, item 17): openapi-spec-validator's errors for ``default`` values carry no path."""

from __future__ import annotations

from pathlib import Path

from apigov.config.project import Config
from apigov.documents.limits import DEFAULT_LIMITS
from apigov.documents.refs import RefPolicy
from apigov.lint.check import check_file

SPEC = """\
openapi: 3.0.3
info: {title: A, version: 1.0.0}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        kind:
          oneOf:
            - {type: string}
            - {type: integer}
          default: null
        size:
          type: object
          properties:
            height: {type: integer}
          default: {height: tall}
"""


def test_default_errors_name_the_default_and_its_line(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text(SPEC)
    result = check_file(spec, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    errors = {f.location.pointer: f for f in result[1] if f.rule_id == "openapi-structure-invalid"}
    kind = errors["/components/schemas/Pet/properties/kind/default"]
    assert kind.location.line == 13
    assert kind.message.startswith("default is null but the schema does not allow null"), kind.message
    height = errors["/components/schemas/Pet/properties/size/default/height"]
    assert height.location.line == 18
    assert "default" in height.message and "'tall' is not of type 'integer'" in height.message
    assert "" not in errors


DEEP = """\
openapi: 3.0.3
info: {title: A, version: 1.0.0}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Wrapper'}
    put:
      operationId: getPet
      responses:
        "204": {description: done}
components:
  schemas:
    Wrapper:
      type: object
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
    Pet:
      oneOf:
        - type: object
          properties:
            tag:
              oneOf:
                - {type: string}
                - {type: integer}
              default: null
        - {type: string}
"""


def test_a_default_deep_inside_shared_schemas_is_named_once_at_its_place(tmp_path: Path) -> None:
    """The real-spec case of item 17: ``default: null`` against a non-nullable ``oneOf`` inside a
    ``oneOf`` branch of a component reached through ``$ref`` (openapi-spec-validator's own error
    has an empty path); a shared component's default is reported once, not once per use."""
    spec = tmp_path / "a.yaml"
    spec.write_text(DEEP)
    result = check_file(spec, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    errors = [f for f in result[1] if f.rule_id == "openapi-structure-invalid"]
    by_pointer = {f.location.pointer: f for f in errors}
    tag = by_pointer["/components/schemas/Pet/oneOf/0/properties/tag/default"]
    assert tag.location.line == 31
    assert tag.message.startswith("default is null but the schema does not allow null"), tag.message
    assert [f.location.pointer for f in errors].count(tag.location.pointer) == 1
    duplicate = by_pointer["/paths/~1pets~1{petId}/put/operationId"]
    assert duplicate.location.line == 14 and "'getPet'" in duplicate.message
    unresolved = [f for f in errors if "Path parameter 'petId'" in f.message]
    assert {f.location.pointer for f in unresolved} == {"/paths/~1pets~1{petId}/get", "/paths/~1pets~1{petId}/put"}
    assert all(f.location.line is not None and f.location.line > 1 for f in errors)


SHARED = """\
openapi: 3.0.3
info: {title: A, version: 1.0.0}
paths:
  /orgs/{org}:
    get:
      parameters: [{$ref: '#/components/parameters/org'}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Org'}
components:
  parameters:
    org: {name: org, in: path, required: true, schema: {type: string}}
  schemas:
    Named:
      type: object
      properties:
        name: {type: string}
    Org:
      allOf:
        - {$ref: '#/components/schemas/Named'}
      required: [name]
"""


def test_references_are_followed_as_openapi_spec_validator_follows_them(tmp_path: Path) -> None:
    """A path parameter declared through ``$ref`` is declared; an ``allOf`` member reached through
    ``$ref`` defines the names ``required`` lists (GitHub's, Box's and Kubernetes' specs were
    reported invalid when they were not followed)."""
    spec = tmp_path / "a.yaml"
    spec.write_text(SHARED)
    result = check_file(spec, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    assert [f.message for f in result[1] if f.rule_id == "openapi-structure-invalid"] == []
